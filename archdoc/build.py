"""``archdoc build``: model -> pages + diagrams -> MkDocs site, all or nothing.

A half-written ``docs/`` (new tables, old diagrams) is worse than a failed build: a
reviewer could approve a mixture that no model describes. So the build runs in phases
and touches nothing until everything succeeded:

1. validate the model (a model error prints ``path:line:col: CODE message``, exit 2);
2. gather every generated page and DOT source (:func:`gather`, pure, reused by the
   CI check to compare with the committed files), comparing the model with its last
   approved version (:mod:`archdoc.records`): a model that differs from the version it
   marks approved is refused (exit 2: an approved version is immutable);
3. render the diagrams into a staging copy of docs (unchanged images are reused);
4. run ``mkdocs build --strict`` on the staging copy into a staging site and, with the
   PDF, render the PDF at the same time (:mod:`archdoc.side_by_side`);
5. publish: move each changed generated file into ``docs/``, delete files that an
   earlier build generated and this one did not (the manifest
   ``docs/.archdoc-generated.json`` lists them; hand-written pages are never touched),
   and swap the staging site into the site folder — one journaled step
   (:mod:`archdoc.journal`): a kill at any moment leaves the old or the new pair.

Nothing is done twice (:mod:`archdoc.inputs`, :mod:`archdoc.record`): before it loads the
model, the build hashes its inputs (model files, archdoc's code and templates, installed
packages, Graphviz and fonts, ``mkdocs.yml``, hand-written docs) and compares them with
the record the last build left in the site manifest; when nothing changed and every output
still has its recorded hash, it says so and writes nothing — no file is renamed or
rewritten, MkDocs and Typst do not run. Otherwise, after step 3, a site whose inputs
(the staged docs, ``mkdocs.yml``, code) are those of the current site is not built again,
and a PDF whose inputs are unchanged is not rendered again: their files are taken over
from the current site (hard links, so nothing is copied).

The whole build holds a lock (:mod:`archdoc.lock`) on the folders it writes; first it
finishes or rolls back a build that was killed and removes its staging folders, then it
refuses (exit 2, nothing written) a docs manifest, a site folder or a symbolic link that
would make it delete or overwrite something it did not write (:mod:`archdoc.manifest`,
:mod:`archdoc.site_guard`).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from archdoc import journal, outputs, publish, recovery
from archdoc.failures import BuildFailure, Refusal, RollbackFailed
from archdoc.inputs import Fingerprint, fingerprint
from archdoc.lock import BuildLock
from archdoc.pdf_ahead import PdfAhead
from archdoc.publish import MANIFEST
from archdoc.record import read_record, unchanged
from archdoc.side_by_side import Worker
from archdoc.site_guard import check_site, unsafe_site
from archdoc.site_runner import Standby
from model.i18n import language

__all__ = ["Generated", "gather", "build", "load", "MANIFEST", "BuildFailure"]

_ASSET_FILES = ("panzoom.min.js", "zoom.js", "extra.css")


@dataclass(frozen=True)
class Generated:
    """Everything a build generates from a model, as text (no Graphviz, no files)."""

    pages: dict[str, str]
    """Doc-relative path -> text: the Markdown pages and the site's own assets."""
    dots: dict[str, str]
    """View id -> DOT source (written as ``diagrams/<view>.dot``)."""
    banner: dict[str, str] = field(default_factory=dict)
    """The site banner (:func:`render.pages.approval.banner`): which version is approved, and
    whether the model changed since."""
    approved: Any = None
    """The last approved version (:class:`archdoc.records.ApprovedState`), or None."""


def load(model_path: str | os.PathLike[str] | None = None):
    """Load and validate the model (raises :class:`model.errors.ModelError`)."""
    from model.loader import load_model

    return load_model(model_path)


def gather(loaded: Any, analysis: Any = None, on_page: Callable[[str, str], Any] | None = None,
           skip: tuple[str, ...] = (), dots: bool = True, on_plan: Callable[[list[str]], Any] | None = None,
           on_approved: Callable[[Any], Any] | None = None) -> Generated:
    """All generated pages and DOT sources for ``loaded`` (a :class:`model.loader.Loaded`).

    Pure but for reading the approved version's model from the project's approved store
    (:func:`archdoc.records.approved_state`; raises :class:`archdoc.records.RecordError`).
    ``analysis``: the model's :class:`analysis.analyze.Analysis` when the caller already has
    one (``archdoc check`` reuses it for the intents); computed here otherwise. For the PDF's
    process, which starts on the pages while the next are rendered: ``on_approved`` is called
    first with the approved state (what :attr:`Generated.approved` will be), ``on_plan`` with
    the paths of the pages to come, ``on_page`` with each Markdown page as soon as it is rendered. ``skip``: pages left out (the PDF alone needs neither the
    pages it does not print nor, with ``dots=False``, the DOT sources).
    """
    from analysis.analyze import analyze
    from archdoc.records import approved_state
    from render.diagrams import dot_sources
    from render.pages import iter_pages
    from render.pages.approval import Approved, banner
    from render.pages.templating import asset_text

    analysis = analysis if analysis is not None else analyze(loaded)
    state = approved_state(loaded, analysis)
    if on_approved is not None:
        on_approved(state)
    shown = Approved(state.approval, state.diff) if state is not None else None
    pages = {}
    for rel, text in iter_pages(loaded, analysis, shown, skip, on_plan):
        pages[rel] = text
        if on_page is not None:
            on_page(rel, text)
    for name in _ASSET_FILES:
        pages[f"assets/{name}"] = asset_text(name)
    return Generated(pages=pages, dots=dict(sorted(dot_sources(loaded.model).items())) if dots else {},
                     banner=banner(loaded.model.document, shown), approved=state)


class _Steps:
    """Numbered progress lines: ``[2/5] gather pages ... ok (0.31 s)``."""

    def __init__(self, total: int, progress: Callable[[str], Any]):
        self.total, self.progress, self.n = total, progress, 0

    def run(self, name: str, fn: Callable[[], Any], detail: Callable[[Any], str] | None = None) -> Any:
        self.n += 1
        start = time.perf_counter()
        try:
            result = fn()
        except BaseException:
            self.progress(f"[{self.n}/{self.total}] {name} ... FAILED ({time.perf_counter() - start:.2f} s)")
            raise
        extra = f", {detail(result)}" if detail else ""
        self.progress(f"[{self.n}/{self.total}] {name} ... ok ({time.perf_counter() - start:.2f} s{extra})")
        return result


DRAW_MODULES = ("render.diagrams.files",)
"""What the diagrams' worker imports while this process loads the model."""


@dataclass
class _Workers:
    """The build's processes forked before the model is loaded: the PDF's (it works ahead,
    :mod:`archdoc.pdf_ahead`) and the diagrams' (Graphviz, and the Python that finishes each
    image, which in a thread here would hold up the gathering of the pages)."""

    pdf: Worker | None = None
    draw: Worker | None = None
    site: Standby | None = None
    """MkDocs' child, importing while the model is loaded and the pages gathered."""

    def kill(self) -> None:
        for worker in (self.pdf, self.draw):
            if worker is not None:
                worker.kill()
        if self.site is not None:
            self.site.close()


def _render_diagrams(loaded: Any, out_dir: Path, previous: Path | None, drawer: Worker | None = None) -> list[str]:
    """Render every view into ``out_dir`` (a folder of its own), in ``drawer``'s process if
    given; return the doc-relative paths (``diagrams/<name>``) of what was written there."""
    from render.diagrams import dot_sources
    from render.diagrams.files import render_views

    dots, reuse = dot_sources(loaded.model), previous if previous and previous.is_dir() else None
    if drawer is None:
        render_views(dots, out_dir, previous_dir=reuse)
    else:
        drawer.send("render.diagrams.files:render_views", (dots, out_dir, 2, reuse))
        drawer.wait()
    return sorted(f"diagrams/{p.name}" for p in out_dir.iterdir() if p.is_file())


def build(model_path: str | os.PathLike[str] | None = None, site_dir: str | os.PathLike[str] = "site",
          docs_dir: str | os.PathLike[str] | None = None, progress: Callable[[str], Any] = print,
          pdf: bool = False, loaded: Any = None, force: bool = False, no_wait: bool = False,
          mkdocs_config: str | os.PathLike[str] | None = None) -> int:
    """Build docs and site; return 0 (ok), 2 (model or usage error, a refusal) or 1 (any other failure).

    ``docs_dir``: where the generated pages go; None stages them only (the site is still
    built). ``mkdocs_config``: the site configuration (default: the one archdoc ships,
    :data:`archdoc.paths.DEFAULT_MKDOCS`). ``loaded``: the model of ``model_path`` when the
    caller has just loaded it, or a function that loads it (returning None after reporting
    the model's problems itself; it is called only when the build has something to do).
    ``force``: replace a site folder that holds files archdoc did not write. ``no_wait``:
    fail at once instead of waiting when another build holds the lock. The CLI resolves all
    of these from the project (:mod:`archdoc.paths`).
    """
    from archdoc.paths import DEFAULT_MKDOCS
    from model.project import BUNDLED_MODEL

    model_root = Path(model_path) if model_path is not None else BUNDLED_MODEL
    mkdocs = Path(mkdocs_config) if mkdocs_config is not None else DEFAULT_MKDOCS
    why = unsafe_site(os.fspath(site_dir), os.fspath(docs_dir) if docs_dir is not None else None, model_root)
    if why:  # before anything runs: the site folder is replaced as a whole
        progress(f"error: {why}")
        return 2
    docs = Path(docs_dir).resolve() if docs_dir is not None else None
    site = Path(site_dir).resolve()
    if docs is not None and docs == site:
        progress("error: --docs-dir and --site-dir must differ")
        return 2
    start = time.perf_counter()
    inputs = fingerprint(model_root, docs, mkdocs, pdf)
    if inputs is not None and _nothing_changed(inputs, docs, site, no_wait, progress):
        progress(f"up to date: nothing changed since the last build (model, templates, archdoc, packages, "
                 f"Graphviz, fonts, mkdocs.yml, hand-written docs) and every output is as it wrote it; "
                 f"nothing was written ({time.perf_counter() - start:.2f} s)")
        return 0
    steps = _Steps(5, progress)
    workers = _Workers(draw=Worker.start(DRAW_MODULES))
    try:
        workers.pdf = outputs.start_pdf_worker(Path(docs_dir) if docs_dir is not None else None) if pdf else None
        workers.site = Standby()  # after the forks: no forked worker holds its input open
        if callable(loaded):
            loaded = loaded()
            if loaded is None:
                return 2  # the loader reported the model's problems
        return _locked(model_path, loaded, docs, site, site_dir, steps, progress, pdf, force, no_wait, mkdocs,
                       inputs, workers, lambda: fingerprint(model_root, docs, mkdocs, pdf))
    finally:
        workers.kill()


def _nothing_changed(inputs: Fingerprint, docs: Path | None, site: Path, no_wait: bool,
                     progress: Callable[[str], Any]) -> bool:
    """True when the last build's record says nothing changed and every output is as recorded
    (checked under the lock, which is taken without writing to its file)."""
    if not site.is_dir() or (docs is not None and not docs.is_dir()):
        return False
    try:
        with BuildLock({site.parent, *((docs.parent,) if docs is not None else ())}, progress, no_wait=no_wait,
                       note_pid=False):
            return unchanged(read_record(site), inputs.parts, docs, site) is None
    except (BuildFailure, OSError):
        return False  # the build itself reports a busy lock or a bad lock file


def _locked(model_path: Any, loaded: Any, docs: Path | None, site: Path, site_dir: Any, steps: _Steps,
            progress: Callable[[str], Any], pdf: bool, force: bool, no_wait: bool, mkdocs: Path,
            inputs: Fingerprint | None, workers: _Workers, recheck: Callable[[], Fingerprint | None]) -> int:
    """Validate, then build under the lock (after finishing or rolling back an interrupted build)."""
    from model.errors import ModelError

    try:
        given = loaded
        loaded = steps.run("validate model", lambda: given if given is not None else load(model_path),
                           lambda l: f"{len(l.files)} files")
    except ModelError as exc:
        for problem in exc.problems:
            progress(str(problem))
        progress(f"error: the model has {len(exc.problems)} problem(s); nothing was written")
        return 2
    folders = {site.parent, *((docs.parent,) if docs is not None else ())}
    try:
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        with BuildLock(folders, progress, no_wait=no_wait) as lock:
            recovery.recover(folders, lock, progress, sites=[site])
            check_site(site, os.fspath(site_dir), force)
            if docs is not None and docs.is_dir():
                publish.hand_written(docs, publish.read_manifest(docs))
            with language(loaded.model.document.language):  # also when a library caller gave no loader
                return _build(loaded, docs, site, steps, progress, pdf, mkdocs, inputs, workers, recheck)
    except BuildFailure as exc:
        progress(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the CLI prints one line, never a traceback
        progress(f"error: {type(exc).__name__}: {exc}")
        return 1


def _build(loaded: Any, docs: Path | None, site: Path, steps: _Steps, progress: Callable[[str], Any],
           pdf: bool, mkdocs: Path, inputs: Fingerprint | None, workers: _Workers,
           recheck: Callable[[], Fingerprint | None]) -> int:
    """Steps 2-5 under the lock. ``recheck`` hashes the inputs again before publishing: the record
    vouches for the outputs only when nothing changed between the first hashing and the end."""
    previous = read_record(site) if inputs is not None else None
    stage_root = Path(tempfile.mkdtemp(prefix=f"{journal.STAGE_PREFIX}{os.getpid()}-", dir=(docs or site).parent))
    site_root = Path(tempfile.mkdtemp(prefix=f"{journal.SITE_STAGE_PREFIX}{os.getpid()}-", dir=site.parent))
    keep = False
    # The views are drawn (in the diagrams' worker: Graphviz on the other core) while this process
    # gathers the pages: the views need only the model. They are drawn into a folder of their
    # own and moved into the staged docs once those exist.
    prev_diagrams = docs / "diagrams" if docs is not None else None
    drawing = ThreadPoolExecutor(1, thread_name_prefix="archdoc-diagrams")
    drawn = drawing.submit(_render_diagrams, loaded, stage_root / "diagrams", prev_diagrams, workers.draw)
    # the PDF's worker takes each page as it is gathered, and the views once drawn (pdf_ahead)
    worker = workers.pdf
    ahead = PdfAhead(worker, loaded, stage_root / "ahead")
    ahead.unapproved()
    drawn.add_done_callback(lambda done: done.exception() is None and ahead.images(stage_root))
    try:
        generated = steps.run("gather pages and diagram sources", lambda: _gather(loaded, ahead),
                              lambda g: f"{len(g.pages)} files, {len(g.dots)} views")
        ahead.gathered()
        stage_docs = stage_root / "docs"
        publish.stage_docs(docs, stage_docs, generated.pages)
        diagram_files = steps.run("render diagrams", lambda: _move_drawn(drawn.result(), stage_root, stage_docs),
                                  lambda files: f"{len(files)} files")
        files = sorted(set(generated.pages) | set(diagram_files))
        keys = outputs.keys(inputs, loaded.model.document, generated.pages, stage_docs, generated.banner)
        name = "build site (mkdocs --strict) and PDF, side by side" if pdf else "build site (mkdocs --strict)"
        record, cover = ahead.carried(generated.approved) if pdf else (None, None)
        steps.run(name, lambda: outputs.site_and_pdf(loaded.model.document, generated.pages, stage_root, site_root,
                                                     site, previous, keys, pdf, mkdocs, worker,
                                                     banner=generated.banner, record=record, cover=cover,
                                                     standby=workers.site),
                  lambda said: said)
        if keys is not None and recheck() != inputs:
            keys = None  # an input changed while the build ran: publish what was built, vouch for nothing
        warnings = steps.run("publish", lambda: publish.publish(stage_root, docs, files, site_root, site,
                                                                record=keys),
                             lambda _: f"docs: {docs if docs else '(not kept)'}, site: {site}")
        for warning in warnings:
            progress(f"warning: {warning}")
    except RollbackFailed:
        keep = True  # the journal names them: the next build's recovery needs them
        raise
    finally:
        drawing.shutdown(wait=True)  # a failed gather still waits for Graphviz before the clean-up
        if not keep:
            shutil.rmtree(stage_root, ignore_errors=True)
            shutil.rmtree(site_root, ignore_errors=True)
    return 0


def _move_drawn(rels: list[str], drawn_root: Path, stage_docs: Path) -> list[str]:
    """Move the drawn views (``diagrams/...`` under ``drawn_root``) into the staged docs."""
    for rel in rels:
        target = stage_docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(drawn_root / rel, target)
    return rels


def _gather(loaded: Any, ahead: PdfAhead) -> Generated:
    """:func:`gather`, the pages handed to the PDF's worker as they come; an approval record
    that cannot be honoured refuses the build (exit 2)."""
    from archdoc.records import RecordError

    try:
        return gather(loaded, on_page=ahead.page, on_plan=ahead.plan, on_approved=ahead.approved)
    except RecordError as exc:
        raise Refusal(str(exc)) from None


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - convenience for python -m
    import argparse

    p = argparse.ArgumentParser(prog="archdoc-build")
    p.add_argument("--model")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--docs-dir")
    p.add_argument("--force", action="store_true")
    p.add_argument("--no-wait", action="store_true")
    a = p.parse_args(argv)
    return build(a.model, a.site_dir, a.docs_dir, force=a.force, no_wait=a.no_wait)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
