"""The site and the PDF, built at the same time on two cores; a failure of either cancels the other.

After the gather step and the diagrams, the MkDocs site and the approval PDF need nothing
from each other. MkDocs runs in a child process (:func:`archdoc.publish.start_mkdocs`);
the PDF (Typst) renders in a :class:`Worker`, a child forked from this process when the
build starts: while this process loads the model, gathers the pages and draws the
diagrams, the worker imports Typst and pikepdf, then it waits for its one job. The slower of site and PDF sets the time instead
of their sum.

Cancelling is killing: the first of the two to fail ends the other at once (SIGKILL), and
its failure is what the build reports; an interrupted build kills both. Both write into
staging only, so nothing is published. The worker reports a failure as one line
(``Type: message``) through a pipe and never runs this process's clean-up (it ends with
``os._exit``); it is tied to this process (``PR_SET_PDEATHSIG``) like every child of the
build (:mod:`render.children`). Where ``fork`` does not exist, the PDF runs in this
process after the site.

>>> side_by_side(None, None)
Timings(site_s=None, pdf_s=None)
"""

from __future__ import annotations

import importlib
import os
import pickle
import queue
import select
import signal
import struct
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from archdoc.failures import BuildFailure
from archdoc.publish import MkDocsRun

__all__ = ["side_by_side", "Timings", "Worker", "WorkerFailure"]

_POLL_S = 0.01


class WorkerFailure(BuildFailure):
    """A worker's job (the PDF, the diagrams) failed in its process: the message is its
    ``Type: message`` line."""


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


def _read_exactly(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Worker:
    """A forked child that imports ``modules`` at once, then runs the steps :meth:`feed` gives it
    and the one job :meth:`send` gives it last.

    Steps and job are named (``"package.module:function"``) and looked up in the child when
    they run, with their arguments pickled; steps reach the child in the order they were fed.
    ``idle`` (named the same way) runs in the child after a step when no other message is
    waiting, and again as long as it returns true and no message is waiting: work ahead of
    the job that only makes it faster. A step, the idle work or the
    job that raises ends the child: :meth:`result` raises that failure. :meth:`done` polls the
    child, :meth:`kill` ends it (also when no job was ever sent). Use :meth:`start`: None where
    there is no ``fork``, or where this process has already loaded one of the ``fresh`` modules.
    """

    def __init__(self, modules: tuple[str, ...], idle: str | None = None, nice: int = 0):
        job_read, self._job = os.pipe()
        self._result, result_write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(self._job)
            os.close(self._result)
            self._child(modules, idle, nice, job_read, result_write, parent)
        os.close(job_read)
        os.close(result_write)
        self.pid, self.status, self.started = pid, None, None
        self._outbox: queue.SimpleQueue[bytes | None] | None = None
        self._sender: threading.Thread | None = None
        self._posting = threading.Lock()  # feeds may come from several threads

    @classmethod
    def start(cls, modules: tuple[str, ...], fresh: tuple[str, ...] = (), idle: str | None = None,
              nice: int = 0) -> "Worker | None":
        """A worker that imports ``modules``; None (the caller runs the job itself) without
        ``fork`` or when this process has loaded one of ``fresh``: libraries that start threads
        (Typst lays out on a pool of threads), which a forked child inherits the memory of but
        not the threads, so it would wait for them forever. ``nice``: how much lower the
        child's scheduling priority is (work ahead yields the processor to the rest)."""
        if not hasattr(os, "fork") or any(name in sys.modules for name in fresh):
            return None
        return cls(modules, idle, nice)

    @staticmethod
    def _child(modules: tuple[str, ...], idle: str | None, nice: int, job_fd: int, result_fd: int,
               parent: int) -> None:
        code = 0
        try:
            _tie_to_parent()
            if os.getppid() != parent:
                os._exit(1)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us
            if nice:
                os.nice(nice)
            for name in modules:
                importlib.import_module(name)
            fed = False
            while True:
                # the idle work runs after a step while no message waits, again as long as it
                # returns true (it has more to do)
                while idle is not None and fed and not select.select([job_fd], [], [], 0)[0]:
                    fed = bool(_call(idle, ()))
                try:
                    size, = struct.unpack("!Q", _read_exactly(job_fd, 8))
                    target, args, last = pickle.loads(_read_exactly(job_fd, size))
                except EOFError:  # no job after all
                    os._exit(0)
                _call(target, args)
                if last:
                    break
                fed = True
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
            code = 1
            line = " ".join(f"{type(exc).__name__}: {exc}".split())[:2000]
            try:
                os.write(result_fd, line.encode("utf-8", "replace"))
            except OSError:
                pass
        finally:
            os._exit(code)

    def feed(self, target: str, args: tuple[Any, ...]) -> None:
        """Give the worker a step before its job: ``target`` called with ``args``. Returns at once
        (a thread of this process writes the message), so a busy worker never holds this one up."""
        self._post(target, args, last=False)

    def send(self, target: str, args: tuple[Any, ...]) -> None:
        """Give the worker its job: ``target`` (``"module:function"``) called with ``args``."""
        self.started = time.perf_counter()
        self._post(target, args, last=True)

    def _post(self, target: str, args: tuple[Any, ...], last: bool) -> None:
        with self._posting:
            self._post_locked(target, args, last)

    def _post_locked(self, target: str, args: tuple[Any, ...], last: bool) -> None:
        if self._job is None:  # the job was sent (or the worker ended): a late step is moot
            if last:
                raise RuntimeError("the worker already has its job")
            return
        data = pickle.dumps((target, args, last), protocol=pickle.HIGHEST_PROTOCOL)
        if self._outbox is None:
            if last:  # nothing fed before: no thread needed
                _write_message(self._job, data)
                os.close(self._job)
                self._job = None
                return
            self._outbox = queue.SimpleQueue()
            self._sender = threading.Thread(target=_send_all, args=(self._job, self._outbox),
                                            name="archdoc-pdf-feed", daemon=True)
            self._sender.start()
        self._outbox.put(data)
        if last:
            self._outbox.put(None)
            self._job = None  # the thread closes it after the last message

    def done(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def kill(self) -> None:
        """End the worker (whatever it is doing) and release its pipes."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, self.status = os.waitpid(self.pid, 0)
        self._close()

    def _close(self) -> None:
        if self._sender is not None:
            if self._job is not None:  # no job was sent: tell the thread to stop
                self._outbox.put(None)
                self._job = None
            self._sender.join()  # its writes end: the child is gone, or the pipe is drained
            self._sender = None
        for fd in (self._job, self._result):
            if fd is not None:
                os.close(fd)
        self._job = self._result = None

    def result(self) -> None:
        """Nothing when the job succeeded; else :class:`WorkerFailure` with its line."""
        chunks = []
        while chunk := os.read(self._result, 65536):
            chunks.append(chunk)
        self._close()
        code = os.waitstatus_to_exitcode(self.status)
        if code != 0:
            line = b"".join(chunks).decode("utf-8", "replace")
            raise WorkerFailure(line or f"the worker process ended with status {code}")

    def wait(self) -> None:
        """Wait for the job's end; raise its failure."""
        while not self.done():
            time.sleep(_POLL_S)
        self.result()


def _call(target: str, args: tuple[Any, ...]) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)(*args)


def _write_message(fd: int, data: bytes) -> None:
    os.write(fd, struct.pack("!Q", len(data)))
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _send_all(fd: int, outbox: "queue.SimpleQueue[bytes | None]") -> None:
    """The feeding thread: write each message in turn; close the pipe after the last (None).
    A worker that died (broken pipe) gets nothing more: :meth:`Worker.result` says why."""
    try:
        while (data := outbox.get()) is not None:
            try:
                _write_message(fd, data)
            except OSError:
                while outbox.get() is not None:  # drop the rest, up to the end marker
                    pass
                break
    finally:
        os.close(fd)


def side_by_side(site: MkDocsRun | None, pdf: Worker | Callable[[], object] | None) -> Timings:
    """Wait for ``site`` (already started) and ``pdf`` (a worker given its job, or a function to run
    here); raise the first failure, after ending the other. Either may be None."""
    start = time.perf_counter()
    if pdf is None or callable(pdf):
        site_s = None
        if site is not None:
            site.finish()
            site_s = time.perf_counter() - start
        if pdf is not None:
            pdf()
        return Timings(site_s, time.perf_counter() - start - (site_s or 0.0) if pdf is not None else None)
    site_s = pdf_s = None
    try:
        while (site is not None and site_s is None) or pdf_s is None:
            if site is not None and site_s is None and site.finished():
                site_s = time.perf_counter() - start
                site.finish()  # raises when MkDocs failed: the PDF is ended below
            if pdf_s is None and pdf.done():
                pdf_s = time.perf_counter() - (pdf.started or start)
                pdf.result()  # raises when the PDF failed: MkDocs is ended below
            time.sleep(_POLL_S)
    except BaseException:
        if pdf_s is None:
            pdf.kill()
        if site is not None and site_s is None:
            site.kill()
        raise
    return Timings(site_s, pdf_s)
