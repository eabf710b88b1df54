"""The PDF's work ahead of its job: chapters converted and laid out while pages are still made.

The PDF worker (:class:`archdoc.side_by_side.Worker`) is forked when a command starts and
is idle until its job, after the model was loaded and every page gathered. Most of that
wait is the model's analysis, so the build hands each printed page to the worker as soon
as it is rendered (:class:`PdfAhead`, in this process). The worker (the functions below, in
its process) converts each page to the print's HTML at once and, when nothing else is
waiting and the diagrams are drawn, lays out the document made of the pages it has
(:meth:`render.print.pdf.TypstSession.rehearse`). The job then compiles the whole
document in the same Typst session, which reuses every chapter laid out before.

A project usually has the pages of its last build in its docs folder, and most of them come
out the same again. So as soon as the page plan is known (:meth:`PdfAhead.plan`), the worker
reads those previous pages and lays out the document they make (with the diagrams already
in that folder); each page then gathered either matches its previous version (nothing to
do) or replaces it, and the worker lays the document out again when it is idle.

Work ahead can only save time: the conversion is remembered by page text and Typst's
layout by content, so the PDF is byte for byte what a job without it writes (tested). A
rehearsal that fails (an image still being drawn) is dropped; the job reports its own
failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PdfAhead", "begin", "take_previous", "take_order", "take_record", "take_page", "take_images", "stop", "rehearse",
           "rehearsed_session", "rehearsed_source"]

IDLE = "archdoc.pdf_ahead:rehearse"
"""The worker's idle work (:meth:`archdoc.side_by_side.Worker.start`'s ``idle``)."""


class PdfAhead:
    """This process's side: hands the worker the document, each printed page and the diagrams.

    ``worker`` None (no fork here): every call does nothing, and the job does all the work.
    ``scratch``: a folder the caller removes, for Typst's files in the worker (a killed
    worker leaves nothing behind elsewhere).
    """

    def __init__(self, worker: Any, loaded: Any, scratch: Path):
        self.worker, self.loaded, self.record, self.cover = worker, loaded, None, None
        if worker is not None:
            worker.feed("archdoc.pdf_ahead:begin", (str(scratch),))

    def approved(self, state: Any) -> None:
        """The last approved version (for :func:`archdoc.build.gather`'s ``on_approved``): what
        the PDF carries is known now (:attr:`record`) and how the document shows on its cover
        (:attr:`cover`, :func:`render.print.from_model.print_cover`: the worker never loads the
        model's types), both the job's too; they are on the cover and among the first objects
        of the document, so the layout ahead needs them. Called in the document's language."""
        if self.worker is not None and not (state is None and self.record is not None):  # not sent already
            self.record, self.cover = self._made(state)
            self.worker.feed("archdoc.pdf_ahead:take_record", (self.record, self.cover))

    def carried(self, state: Any) -> tuple[Any, Any]:
        """The job's record and cover for the approved ``state``: those the worker was handed
        (:meth:`approved`), or made now when none was (no worker)."""
        return (self.record, self.cover) if self.record is not None else self._made(state)

    def _made(self, state: Any) -> tuple[Any, Any]:
        from archdoc.records import pdf_record
        from render.print.from_model import print_cover

        record = pdf_record(self.loaded, state)
        return record, print_cover(self.loaded.model.document, record)

    def unapproved(self) -> None:
        """Hand over at once what the PDF carries and the page plan when the document was never
        approved: there is no approved version to compare with, so both are known as soon as the
        model is loaded, before anything is analysed (:meth:`approved` with no state then sends
        nothing again; the plan the gathering gives is the same)."""
        if self.worker is not None and self.loaded.model.document.last_approved is None:
            from render.pages import page_paths

            self.approved(None)
            self.plan(page_paths(self.loaded))

    def plan(self, paths: list[str]) -> None:
        """The pages to come, in order (for :func:`archdoc.build.gather`'s ``on_plan``)."""
        if self.worker is not None:
            self.worker.feed("archdoc.pdf_ahead:take_order", ([p for p in paths if _printed(p)],))

    def page(self, rel: str, text: str) -> None:
        """A page just rendered (for :func:`archdoc.build.gather`'s ``on_page``)."""
        if self.worker is not None and _printed(rel):
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


def _printed(rel: str) -> bool:
    from render.print.html import PRINT_SKIP

    return rel.endswith(".md") and rel not in PRINT_SKIP


@dataclass
class _Ahead:
    """The worker's state: what it was given, and what it laid out last."""

    cover: Any = None
    """The document as the print shows it (:class:`render.print.cover.PrintCover`)."""
    record: Any = None
    pages: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    """The printed pages of the plan, in order."""
    previous: dict[str, str] = field(default_factory=dict)
    """The last build's version of each planned page that the docs folder has."""
    images: Path | None = None
    drawn: bool = False
    """:attr:`images` is this build's folder (its diagrams are drawn), not the last build's."""
    session: Any = None
    laid_out: tuple | None = None
    """What the last layout was of: the pages and the images' folder."""
    source: Any = None
    """The source of that layout (:class:`render.print.document.PrintSource`), None if it failed."""
    written: tuple | None = None
    """What the last PDF written ahead was of (as :attr:`laid_out`)."""
    stopped: bool = False


_AHEAD = _Ahead()


def begin(scratch: str) -> None:
    """A document's pages follow; Typst's files go in ``scratch``."""
    from render.print.pdf import TypstSession

    _AHEAD.session = TypstSession(Path(scratch) / "typst")


def take_record(record: Any, cover: Any) -> None:
    """What the PDF carries (:class:`render.print.archival.Record`: its model digest is on the
    cover and its files are attached at the top of the document) and the document as the print
    shows it (:class:`render.print.cover.PrintCover`, in the document's language). What was laid
    out before them is laid out again (its source names neither)."""
    _AHEAD.record, _AHEAD.cover = record, cover
    _AHEAD.laid_out = _AHEAD.source = None


def take_page(rel: str, text: str) -> None:
    """A printed page: converted now (remembered for the job), laid out when the worker is idle
    (unless it is its previous version, laid out already)."""
    from render.print.html import page_html

    page_html(text)
    _AHEAD.pages[rel] = text


PREVIOUS_PAGE_MAX = 8 * 1024 * 1024
"""A previous page larger than this is not read (it is only a guess)."""


def take_previous(docs_dir: str) -> None:
    """The docs folder of the last build: the printed pages its manifest lists are read and
    converted now (regular files only: a FIFO or a device would hang the worker; a folder
    without a manifest of archdoc's gives nothing), and its diagrams serve until the new ones
    are drawn."""
    import os
    import stat

    from archdoc.publish import read_manifest
    from render.print.html import page_html

    folder = Path(docs_dir)
    try:
        listed = sorted(rel for rel in read_manifest(folder) if _printed(rel))
    except Exception:  # noqa: BLE001 - no manifest, or not archdoc's: nothing to guess from
        return
    for rel in listed:
        try:
            st = os.stat(folder / rel)
            if not stat.S_ISREG(st.st_mode) or st.st_size > PREVIOUS_PAGE_MAX:
                continue
            text = (folder / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        _AHEAD.previous[rel] = text
        page_html(text)
    if _AHEAD.previous:
        _AHEAD.images = _AHEAD.images or folder


def take_order(order: list[str]) -> None:
    """The printed pages to come, in order (the page plan)."""
    _AHEAD.order = list(order)


def _document() -> dict[str, str]:
    """What the job will most likely print: each planned page as gathered, else its previous
    version, in plan order (pages gathered but not planned after them). Before the plan is
    known, only the pages gathered: the previous pages' order is not known yet."""
    ahead = _AHEAD
    pages = {rel: ahead.pages.get(rel, ahead.previous.get(rel)) for rel in ahead.order}
    pages = {rel: text for rel, text in pages.items() if text is not None}
    pages.update((rel, text) for rel, text in ahead.pages.items() if rel not in pages)
    return pages


def take_images(docs_dir: str) -> None:
    """Where the pages' images are now: this build's diagrams are drawn."""
    _AHEAD.images, _AHEAD.drawn = Path(docs_dir), True


def stop() -> None:
    """Every page is in: the job is on its way. From now on the document is laid out ahead only
    when it is the job's own (this build's diagrams are drawn): the job would wait for any other."""
    _AHEAD.stopped = True


def rehearse() -> bool:
    """Lay out the likeliest document (:func:`_document`: the pages taken so far, the previous
    versions of the others), unless there is no diagram or no cover (:func:`take_record`) yet,
    it lacks a planned page while this build's diagrams are still being drawn (:func:`_worth`),
    or every page is in (:func:`stop`) while they are still being drawn (the job would wait for
    a layout it cannot use). When nothing changed since the layout of the whole document and
    this build's diagrams are drawn, write its PDF ahead instead: if the job prints the same
    (the usual case once the diagrams are drawn), Typst's writing is done too
    (:meth:`render.print.pdf.TypstSession.compile` keeps the last PDF). Returns True when there
    may be more to do (the worker calls again if no message waits). Never raises: work ahead
    only saves the job time."""
    from model.i18n import language
    from render.print.document import print_source

    ahead = _AHEAD
    pages = _document()
    what = (tuple(pages.items()), ahead.images)
    if (ahead.session is None or (ahead.stopped and not ahead.drawn) or ahead.cover is None or not pages
            or ahead.images is None or not _worth(pages)):
        return False
    if ahead.laid_out != what:
        ahead.laid_out, ahead.source = what, None
        try:
            with language(ahead.cover.language):
                source = print_source(pages, ahead.images, ahead.cover, list(pages), ahead.record)
            ahead.session.rehearse(source, ahead.images)
            ahead.source = source
        except Exception:  # noqa: BLE001 - e.g. a diagram still being drawn: the job does it again
            pass
        return ahead.source is not None and ahead.drawn
    if ahead.drawn and ahead.source is not None and ahead.written != what and _whole(pages):
        ahead.written = what
        try:
            ahead.session.compile(ahead.source, ahead.images)
        except Exception:  # noqa: BLE001 - as above
            pass
    return False


def _whole(pages: dict[str, str]) -> bool:
    """Every planned page is in ``pages`` (gathered, or its previous version): the document may
    well be the job's."""
    return bool(_AHEAD.order) and all(rel in pages for rel in _AHEAD.order)


def _worth(pages: dict[str, str]) -> bool:
    """The document is worth laying out ahead: it is whole (:func:`_whole`), or this build's
    diagrams are drawn. A part of the document (a first build, its pages still coming) is not
    laid out while Graphviz runs: each page more would set the whole print again, processor time
    the gathering and Graphviz need. Once they are drawn, the worker's processor is idle until
    the last page (a large model's analysis takes seconds), and Typst keeps what it laid out, so
    the job sets only what changed: a synthetic model ten times the city's, PDF step 3.2-3.4 s
    down to 2.1-2.2 s; the city's builds unchanged (interleaved runs)."""
    return _AHEAD.drawn or _whole(pages)


def rehearsed_source(pages: dict[str, str], docs: Path, cover: Any, order: list[str], record: Any) -> Any:
    """The source laid out last (:class:`render.print.document.PrintSource`) when it was made of
    exactly these pages in this order, images folder, cover and record (the job's arguments),
    else None: the job need not make it again."""
    ahead = _AHEAD
    if ahead.source is None or ahead.laid_out is None:
        return None
    laid_pages, images = ahead.laid_out
    same = (dict(laid_pages) == pages and [rel for rel, _ in laid_pages] == list(order)
            and Path(images).resolve() == Path(docs).resolve() and ahead.cover == cover and ahead.record == record)
    return ahead.source if same else None


def rehearsed_session() -> Any:
    """The Typst session the document was rehearsed in (the job's to use and close), or None;
    this process keeps none after."""
    session, _AHEAD.session = _AHEAD.session, None
    return session
