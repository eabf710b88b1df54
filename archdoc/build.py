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
4. run ``mkdocs build --strict`` on the staging copy into a staging site;
5. publish: move each changed generated file into ``docs/``, delete files that an
   earlier build generated and this one did not (the manifest
   ``docs/.archdoc-generated.json`` lists them; hand-written pages are never touched),
   and swap the staging site into the site folder — one journaled step
   (:mod:`archdoc.journal`): a kill at any moment leaves the old or the new pair.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from archdoc import journal, publish, recovery
from archdoc.failures import BuildFailure, Refusal, RollbackFailed
from archdoc.lock import BuildLock
from archdoc.publish import MANIFEST
from archdoc.site_guard import check_site, unsafe_site

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


def gather(loaded: Any, analysis: Any = None) -> Generated:
    """All generated pages and DOT sources for ``loaded`` (a :class:`model.loader.Loaded`).

    Pure but for reading the approved version's model from the project's approved store
    (:func:`archdoc.records.approved_state`; raises :class:`archdoc.records.RecordError`).
    ``analysis``: the model's :class:`analysis.analyze.Analysis` when the caller already has
    one (``archdoc check`` reuses it for the intents); computed here otherwise.
    """
    from analysis.analyze import analyze
    from archdoc.records import approved_state
    from render.diagrams import dot_sources
    from render.pages import render_pages
    from render.pages.approval import Approved, banner
    from render.pages.templating import ASSETS

    analysis = analysis if analysis is not None else analyze(loaded)
    state = approved_state(loaded, analysis)
    shown = Approved(state.approval, state.diff) if state is not None else None
    pages = dict(render_pages(loaded, analysis, shown))
    for name in _ASSET_FILES:
        pages[f"assets/{name}"] = (ASSETS / name).read_text(encoding="utf-8")
    return Generated(pages=pages, dots=dict(sorted(dot_sources(loaded.model).items())),
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


def _render_diagrams(loaded: Any, out_dir: Path, previous: Path | None) -> list[str]:
    """Render every view into ``out_dir``; return the doc-relative paths written there."""
    from render.diagrams import build_diagrams

    build_diagrams(loaded.model, out_dir, previous_dir=previous if previous and previous.is_dir() else None)
    return sorted(f"diagrams/{p.name}" for p in out_dir.iterdir() if p.is_file())


def build(model_path: str | os.PathLike[str] | None = None, site_dir: str | os.PathLike[str] = "site",
          docs_dir: str | os.PathLike[str] | None = None, progress: Callable[[str], Any] = print,
          pdf: bool = False, loaded: Any = None, force: bool = False, no_wait: bool = False,
          mkdocs_config: str | os.PathLike[str] | None = None) -> int:
    """Build docs and site; return 0 (ok), 2 (model or usage error, a refusal) or 1 (any other failure).

    ``docs_dir``: where the generated pages go; None stages them only (the site is still
    built). ``mkdocs_config``: the site configuration (default: the one archdoc ships,
    :data:`archdoc.paths.DEFAULT_MKDOCS`). ``loaded``: the model of ``model_path`` when the
    caller has just loaded it, so it is not read and validated twice. ``force``: replace a
    site folder that holds files archdoc did not write. ``no_wait``: fail at once instead of
    waiting when another build holds the lock. The CLI resolves all of these from the
    project (:mod:`archdoc.paths`).
    """
    from archdoc.paths import DEFAULT_MKDOCS
    from model.errors import ModelError
    from model.loader import DEFAULT_MODEL

    model_root = Path(model_path) if model_path is not None else DEFAULT_MODEL
    mkdocs = Path(mkdocs_config) if mkdocs_config is not None else DEFAULT_MKDOCS
    why = unsafe_site(os.fspath(site_dir), os.fspath(docs_dir) if docs_dir is not None else None, model_root)
    if why:  # before anything runs: the site folder is replaced as a whole
        progress(f"error: {why}")
        return 2
    steps = _Steps(6 if pdf else 5, progress)
    try:
        given = loaded
        loaded = steps.run("validate model", lambda: given if given is not None else load(model_path),
                           lambda l: f"{len(l.files)} files")
    except ModelError as exc:
        for problem in exc.problems:
            progress(str(problem))
        progress(f"error: the model has {len(exc.problems)} problem(s); nothing was written")
        return 2
    docs = Path(docs_dir).resolve() if docs_dir is not None else None
    site = Path(site_dir).resolve()
    if docs is not None and docs == site:
        progress("error: --docs-dir and --site-dir must differ")
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
            return _build(loaded, docs, site, steps, progress, pdf, mkdocs)
    except BuildFailure as exc:
        progress(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the CLI prints one line, never a traceback
        progress(f"error: {type(exc).__name__}: {exc}")
        return 1


def _build(loaded: Any, docs: Path | None, site: Path, steps: _Steps, progress: Callable[[str], Any],
           pdf: bool, mkdocs: Path) -> int:
    generated = steps.run("gather pages and diagram sources", lambda: _gather(loaded),
                          lambda g: f"{len(g.pages)} files, {len(g.dots)} views")
    stage_root = Path(tempfile.mkdtemp(prefix=f"{journal.STAGE_PREFIX}{os.getpid()}-", dir=(docs or site).parent))
    site_root = Path(tempfile.mkdtemp(prefix=f"{journal.SITE_STAGE_PREFIX}{os.getpid()}-", dir=site.parent))
    keep = False
    try:
        stage_docs = stage_root / "docs"
        publish.stage_docs(docs, stage_docs, generated.pages)
        previous = docs / "diagrams" if docs is not None else None
        diagram_files = steps.run("render diagrams", lambda: _render_diagrams(
            loaded, stage_docs / "diagrams", previous), lambda files: f"{len(files)} files")
        files = sorted(set(generated.pages) | set(diagram_files))
        stage_site = site_root / "site"
        steps.run("build site (mkdocs --strict)", lambda: publish.run_mkdocs(
            stage_root, stage_docs, stage_site, loaded.model.document.title, mkdocs, generated.banner))
        if pdf:
            steps.run("write PDF", lambda: _write_pdf(loaded, generated, stage_docs, stage_site))
        warnings = steps.run("publish", lambda: publish.publish(stage_root, docs, files, site_root, site),
                             lambda _: f"docs: {docs if docs else '(not kept)'}, site: {site}")
        for warning in warnings:
            progress(f"warning: {warning}")
    except RollbackFailed:
        keep = True  # the journal names them: the next build's recovery needs them
        raise
    finally:
        if not keep:
            shutil.rmtree(stage_root, ignore_errors=True)
            shutil.rmtree(site_root, ignore_errors=True)
    return 0


def _gather(loaded: Any) -> Generated:
    """:func:`gather`; an approval record that cannot be honoured refuses the build (exit 2)."""
    from archdoc.records import RecordError

    try:
        return gather(loaded)
    except RecordError as exc:
        raise Refusal(str(exc)) from None


def _write_pdf(loaded: Any, generated: Generated, stage_docs: Path, stage_site: Path) -> None:
    from archdoc.records import pdf_record
    from render.print.pdf import write_pdf

    pages = {k: v for k, v in generated.pages.items() if k.endswith(".md")}
    write_pdf(pages, stage_docs, stage_site / "archdoc.pdf", loaded.model.document, order=list(pages),
              record=pdf_record(loaded, generated.approved))


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
