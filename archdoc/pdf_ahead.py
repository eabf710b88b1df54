"""The PDF's work ahead of its job: chapters converted and laid out while pages are still made.

The PDF worker (:class:`archdoc.side_by_side.Worker`) is forked when a command starts and
is idle until its job, after the model was loaded and every page gathered. Most of that
wait is the model's analysis, so the build hands each printed page to the worker as soon
as it is rendered (:class:`PdfAhead`, in this process). The worker (the functions below, in
its process) converts each page to the print's HTML at once and, when nothing else is
waiting and the diagrams are drawn, lays out the document made of the pages it has
(:meth:`render.print.pdf.TypstSession.rehearse`). The job then compiles the whole
document in the same Typst session, which reuses every chapter laid out before.

Work ahead can only save time: the conversion is remembered by page text and Typst's
layout by content, so the PDF is byte for byte what a job without it writes (tested). A
rehearsal that fails (an image still being drawn) is dropped; the job reports its own
failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PdfAhead", "begin", "take_page", "take_images", "stop", "rehearse", "rehearsed_session"]

IDLE = "archdoc.pdf_ahead:rehearse"
"""The worker's idle work (:meth:`archdoc.side_by_side.Worker.start`'s ``idle``)."""


class PdfAhead:
    """This process's side: hands the worker the document, each printed page and the diagrams.

    ``worker`` None (no fork here): every call does nothing, and the job does all the work.
    ``scratch``: a folder the caller removes, for Typst's files in the worker (a killed
    worker leaves nothing behind elsewhere).
    """

    def __init__(self, worker: Any, document: Any, scratch: Path):
        self.worker = worker
        if worker is not None:
            worker.feed("archdoc.pdf_ahead:begin", (document, str(scratch)))

    def page(self, rel: str, text: str) -> None:
        """A page just rendered (for :func:`archdoc.build.gather`'s ``on_page``)."""
        from render.print.html import PRINT_SKIP

        if self.worker is not None and rel.endswith(".md") and rel not in PRINT_SKIP:
            self.worker.feed("archdoc.pdf_ahead:take_page", (rel, text))

    def images(self, docs_dir: Path) -> None:
        """The diagrams are drawn: the pages' images resolve against ``docs_dir``."""
        if self.worker is not None:
            self.worker.feed("archdoc.pdf_ahead:take_images", (str(docs_dir),))

    def gathered(self) -> None:
        """Every page was handed over: the job comes next, so no layout may start any more
        (the job would wait for it; it lays the document out itself)."""
        if self.worker is not None:
            self.worker.feed("archdoc.pdf_ahead:stop", ())


@dataclass
class _Ahead:
    """The worker's state: what it was given, and what it laid out last."""

    document: Any = None
    scratch: Path | None = None
    pages: dict[str, str] = field(default_factory=dict)
    images: Path | None = None
    session: Any = None
    version: int = 0
    laid_out: int = 0
    stopped: bool = False


_AHEAD = _Ahead()


def begin(document: Any, scratch: str) -> None:
    """The document whose pages follow (its cover and language); Typst's files go in ``scratch``."""
    from render.print.pdf import TypstSession

    _AHEAD.document, _AHEAD.scratch = document, Path(scratch)
    _AHEAD.session = TypstSession(Path(scratch) / "typst")
    _AHEAD.version += 1  # the cover, revisions and contents alone can be laid out already


def take_page(rel: str, text: str) -> None:
    """A printed page: converted now (remembered for the job), laid out when the worker is idle."""
    from render.print.html import page_html

    page_html(text)
    _AHEAD.pages[rel] = text
    _AHEAD.version += 1


def take_images(docs_dir: str) -> None:
    """Where the pages' images are now."""
    _AHEAD.images = Path(docs_dir)
    _AHEAD.version += 1


def stop() -> None:
    """No more layout ahead: the job is on its way."""
    _AHEAD.stopped = True


def rehearse() -> None:
    """Lay out the pages taken so far, unless nothing changed since the last time, pages came
    but the diagrams are not drawn yet, or every page is in (:func:`stop`). Before the first
    page, the document without chapters is laid out (its fonts loaded, the cover and the
    contents' style). Never raises: a rehearsal only saves the job time."""
    from model.i18n import language
    from render.print.document import print_source

    ahead = _AHEAD
    if (ahead.session is None or ahead.stopped or (ahead.pages and ahead.images is None)
            or ahead.laid_out == ahead.version):
        return
    ahead.laid_out = ahead.version
    images = ahead.images or ahead.scratch  # no chapter yet: no image is read
    try:
        with language(ahead.document.language):
            source = print_source(dict(ahead.pages), images, ahead.document, list(ahead.pages))
        ahead.session.rehearse(source, images)
    except Exception:  # noqa: BLE001 - e.g. a diagram still being drawn: the job does it again
        pass


def rehearsed_session() -> Any:
    """The Typst session the document was rehearsed in (the job's to use and close), or None;
    this process keeps none after."""
    session, _AHEAD.session = _AHEAD.session, None
    return session
