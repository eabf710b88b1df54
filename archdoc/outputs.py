"""The site and the PDF of a build: built side by side, or taken over from the current site.

After the diagrams, a build knows what its site and its PDF will be made of (the staged
docs, the site configuration, the document metadata, archdoc's code, packages and fonts:
:func:`keys`). :func:`site_and_pdf` compares that with the record of the current site
(:mod:`archdoc.record`): a site whose inputs did not change, and whose files still have
their recorded hashes, is not built again, and neither is such a PDF; their files are
hard-linked into the staged site (same bytes, nothing copied). What must be built is built
side by side (:mod:`archdoc.side_by_side`): MkDocs in its process, the PDF in the worker
forked when the build started (:func:`start_pdf_worker`), which rendered the pages ahead
as they were gathered (:mod:`archdoc.pdf_ahead`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable

from archdoc import publish
from archdoc.inputs import Fingerprint, files_digest
from archdoc.manifest import SITE_MANIFEST, walk_files
from archdoc.record import PDF_NAME, Record, pdf_key, same_files, site_key
from archdoc.side_by_side import Worker, side_by_side

__all__ = ["keys", "site_and_pdf", "take_over", "write_pdf_job", "start_pdf_worker", "yield_to_site", "PDF_MODULES",
           "PDF_FRESH"]

PDF_MODULES = ("render.print.pdf", "typst", "pikepdf")
"""What the PDF worker imports before its first step, while this process imports and loads
the model (all of it is needed before the worker can lay anything out)."""
PDF_FRESH = ("typst",)
"""What the PDF worker must import itself (:meth:`archdoc.side_by_side.Worker.start`)."""
PDF_NICE = 10
"""How much lower the PDF worker's priority is than the build's (``nice``)."""
PDF_NICE_BESIDE_SITE = 19
"""The PDF worker's ``nice`` while MkDocs runs beside its job (:func:`yield_to_site`)."""


def start_pdf_worker(previous: Path | None = None) -> Worker | None:
    """The PDF worker (:class:`archdoc.side_by_side.Worker`), with its work ahead of the job
    (:mod:`archdoc.pdf_ahead`): at once, while this process imports and loads the model, the
    pages of the last build in ``previous`` (a docs folder). None where it cannot be forked
    (the job then runs in this process)."""
    from archdoc.pdf_ahead import IDLE

    # its work ahead must not slow down what it waits for (the pages, the diagrams); when it
    # has its job, this process only waits and MkDocs has the other processor
    worker = Worker.start(PDF_MODULES, PDF_FRESH, IDLE, nice=PDF_NICE)
    if worker is not None and previous is not None:
        worker.feed("archdoc.pdf_ahead:take_previous", (str(previous),))
    return worker


def keys(inputs: Fingerprint | None, document: Any, pages: dict[str, str], stage_docs: Path,
         banner: dict[str, str] | None = None) -> dict[str, Any] | None:
    """The record's keys of this build (:mod:`archdoc.record`), or None when the inputs have none.

    The site's key covers the approval banner every page shows (it depends on the approved
    version kept in the project, not only on the model) and the document's language (the
    theme's; the PDF's key holds the whole document)."""
    if inputs is None:
        return None
    digest = files_digest(stage_docs, walk_files(stage_docs))
    order = [rel for rel in pages if rel.endswith(".md")]
    # the theme's language (its UI words, the search) follows the document's
    shown = "\n".join([document.title, json.dumps(banner or {}, ensure_ascii=False, sort_keys=True),
                       document.language])
    return {"inputs": inputs.parts, "site_key": site_key(inputs.parts, digest, shown),
            "pdf_key": pdf_key(inputs.parts, digest, document.model_dump_json(), order)}


def site_and_pdf(document: Any, generated: dict[str, str], stage_root: Path, site_root: Path, site: Path,
                 previous: Record | None, keys: dict[str, Any] | None, pdf: bool, mkdocs: Path,
                 worker: Worker | None = None, banner: dict[str, str] | None = None,
                 record: Any = None, cover: Any = None, standby: Any = None) -> str:
    """Build the staged site and PDF side by side, taking over from ``site`` what is unchanged.

    Returns what was done ("site 1.02 s, PDF 4.31 s", "site unchanged (kept)", ...). Without
    ``pdf``, the current PDF is kept when it is exactly what a build with the PDF would write
    (its inputs did not change), and left out otherwise; ``keys["pdf_key"]`` becomes None then.
    The PDF is rendered by ``worker`` (forked when the build started), or here without one.
    ``banner``: the approval banner of every page; ``record``: what the approval PDF carries
    (:class:`render.print.archival.Record`, sent to the worker as it is: plain, picklable data);
    ``cover``: the document as the print shows it (:func:`render.print.from_model.print_cover` of
    ``document`` and ``record``, made here without it: the worker never loads the model's types);
    ``standby``: the MkDocs child started with the build (:class:`archdoc.site_runner.Standby`).
    """
    stage_docs, stage_site = stage_root / "docs", site_root / "site"
    reuse_site = (previous is not None and keys is not None and previous.site_key == keys["site_key"]
                  and set(walk_files(site)) - {SITE_MANIFEST} == set(previous.site)
                  and same_files(site, {k: v for k, v in previous.site.items() if k != PDF_NAME}, exact=False))
    reuse_pdf = (previous is not None and keys is not None and previous.pdf_key == keys["pdf_key"]
                 and PDF_NAME in previous.site and same_files(site, {PDF_NAME: previous.site[PDF_NAME]}, exact=False))
    if keys is not None and not pdf and not reuse_pdf:
        keys["pdf_key"] = None
    run = None if reuse_site else publish.start_mkdocs(stage_root, stage_docs, stage_site, document.title, mkdocs,
                                                       banner, document.language, standby)
    new_pdf = site_root / PDF_NAME  # outside the staged site: MkDocs empties its folder first
    job: Worker | Callable[[], None] | None = None
    if pdf and not reuse_pdf:
        from render.print.from_model import print_cover

        pages = {k: v for k, v in generated.items() if k.endswith(".md")}
        args = (pages, stage_docs, new_pdf, cover or print_cover(document, record), list(pages), record)
        if worker is not None:
            if run is not None:
                yield_to_site(worker)
            worker.send("archdoc.outputs:write_pdf_job", args)
            job = worker
        else:
            job = lambda: write_pdf_job(*args)  # noqa: E731
    timings = side_by_side(run, job)
    if reuse_site:
        take_over(site, stage_site, [rel for rel in previous.site if rel != PDF_NAME])
    if reuse_pdf:
        take_over(site, stage_site, [PDF_NAME])
    elif pdf:
        os.replace(new_pdf, stage_site / PDF_NAME)
    said = ["site unchanged (kept)" if reuse_site else f"site {timings.site_s:.2f} s"]
    if pdf or reuse_pdf:
        said.append("PDF unchanged (kept)" if reuse_pdf else f"PDF {timings.pdf_s:.2f} s")
    return ", ".join(said)


def yield_to_site(worker: Worker) -> None:
    """Lower the PDF worker's priority to the lowest (``nice`` 19) while MkDocs builds the site
    beside it: MkDocs is the longer of the two (it sets the step's time), and Typst's threads
    took a share of its processor even at the worker's usual priority (measured on 2 cores,
    six interleaved cold builds: the build 5.3 s instead of 6.0 s, the PDF still done first)."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.pid, PDF_NICE_BESIDE_SITE)
    except (AttributeError, OSError):  # no such call on this system: the priority stays
        pass


def take_over(site: Path, stage_site: Path, rels: list[str]) -> None:
    """Hard-link (or copy, where links are impossible) ``rels`` of the current site into the staged one."""
    for rel in rels:
        target = stage_site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / rel, target)
        except OSError:
            shutil.copy2(site / rel, target)


def write_pdf_job(pages: dict[str, str], docs: Path, out: Path, cover: Any, order: list[str],
                  record: Any = None) -> None:
    """Write the PDF of ``pages`` (images read from ``docs``) to ``out``, carrying ``record``: the
    job of the PDF worker (:class:`archdoc.side_by_side.Worker`), or of this process without one,
    in the Typst session that laid the pages out ahead of it (:mod:`archdoc.pdf_ahead`), if any.
    ``cover``: the document as the print shows it (:class:`render.print.cover.PrintCover`).

    The worker was forked before the model was loaded, so it still has the default language:
    the job itself sets the document's (contents, captions, the words between chapters)."""
    from archdoc.pdf_ahead import rehearsed_session, rehearsed_source
    from model.i18n import language
    from render.print.pdf import write_pdf

    session = rehearsed_session()
    source = rehearsed_source(pages, docs, cover, order, record) if session is not None else None
    try:
        with language(cover.language):
            write_pdf(pages, docs, out, cover, order=order, record=record, session=session, source=source)
    finally:
        if session is not None:
            session.close()
