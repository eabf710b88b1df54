"""The site and the PDF, built at the same time on two cores; a failure of either cancels the other.

After the gather step and the diagrams, the MkDocs site and the approval PDF need nothing
from each other. MkDocs runs in a child process (:func:`archdoc.publish.start_mkdocs`);
the PDF (WeasyPrint: CPU-bound Python) renders in a forked child of this process, which
already holds the gathered pages and the model, so nothing is loaded twice. The slower of
the two sets the time instead of their sum.

Cancelling is killing: the first of the two to fail ends the other at once (SIGKILL), and
its failure is what the build reports; an interrupted build kills both. Both write into
staging only, so nothing is published. A forked child reports a failure as one line
(``Type: message``) through a pipe and never runs this process's clean-up (it ends with
``os._exit``); it is tied to this process (``PR_SET_PDEATHSIG``) like every child of the
build (:mod:`render.children`). Where ``fork`` does not exist, the PDF runs here after the
site.

>>> side_by_side(None, None)
Timings(site_s=None, pdf_s=None)
"""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass
from typing import Callable

from archdoc.failures import BuildFailure
from archdoc.publish import MkDocsRun

__all__ = ["side_by_side", "Timings", "PdfFailure"]

_POLL_S = 0.01


class PdfFailure(BuildFailure):
    """The PDF failed in its own process: the message is its ``Type: message`` line."""


@dataclass(frozen=True)
class Timings:
    """Seconds each part took (None: not run)."""

    site_s: float | None
    pdf_s: float | None


def _tie_to_parent() -> None:
    """Ask the kernel to kill this (forked) process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Forked:
    """``job()`` running in a forked child; :meth:`done` polls it, :meth:`result` raises its failure."""

    def __init__(self, job: Callable[[], object]):
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: run the job, report, and leave without any of the parent's clean-up
            code = 0
            try:
                os.close(read)
                _tie_to_parent()
                if os.getppid() != parent:
                    os._exit(1)
                job()
            except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
                code = 1
                line = " ".join(f"{type(exc).__name__}: {exc}".split())[:2000]
                try:
                    os.write(write, line.encode("utf-8", "replace"))
                except OSError:
                    pass
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.pipe, self.status = pid, read, None

    def done(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, self.status = os.waitpid(self.pid, 0)
        os.close(self.pipe)

    def result(self) -> None:
        """Nothing when the job succeeded; else :class:`PdfFailure` with its line."""
        chunks = []
        while chunk := os.read(self.pipe, 65536):
            chunks.append(chunk)
        os.close(self.pipe)
        if os.waitstatus_to_exitcode(self.status) != 0:
            line = b"".join(chunks).decode("utf-8", "replace")
            raise PdfFailure(line or f"the PDF process ended with status {os.waitstatus_to_exitcode(self.status)}")


def side_by_side(site: MkDocsRun | None, pdf: Callable[[], object] | None) -> Timings:
    """Wait for ``site`` (already started) while ``pdf`` runs in a forked child; raise the first failure.

    Either may be None (nothing of that kind to build).
    """
    start = time.perf_counter()
    if pdf is not None and (site is None or not hasattr(os, "fork")):
        if site is not None:
            site.finish()
        site_s = time.perf_counter() - start if site is not None else None
        pdf()
        return Timings(site_s, time.perf_counter() - start - (site_s or 0.0))
    if pdf is None:
        if site is not None:
            site.finish()
        return Timings(time.perf_counter() - start if site is not None else None, None)
    child = _Forked(pdf)
    site_s = pdf_s = None
    try:
        while site_s is None or pdf_s is None:
            if site_s is None and site.finished():
                site_s = time.perf_counter() - start
                site.finish()  # raises when MkDocs failed: the PDF is killed below
            if pdf_s is None and child.done():
                pdf_s = time.perf_counter() - start
                child.result()  # raises when the PDF failed: MkDocs is killed below
            time.sleep(_POLL_S)
    except BaseException:
        if pdf_s is None:
            child.kill()
        if site_s is None:
            site.kill()
        raise
    return Timings(site_s, pdf_s)
