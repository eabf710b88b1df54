"""``archdoc pdf [--out FILE]``: the approval PDF alone, without rebuilding the site.

An approver may need a fresh PDF of a model that is not (yet) committed with its docs, so
this verb works from the model only: it gathers the pages, renders the diagrams into a
temporary folder (reusing the committed images of ``docs/diagrams`` whose DOT is unchanged,
so usually no Graphviz runs), and writes the PDF. Nothing in the repository changes except
``out`` (default: ``site/archdoc.pdf`` of the repository for the bundled model, wherever
the command runs; ``./site/archdoc.pdf`` for another model). An ``out`` that cannot be
written is refused before the slow rendering. Exit 0 ok, 1 a rendering failure, 2 a
model or usage error (messages on stderr).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["run_pdf", "pdf_from_model"]


def pdf_from_model(loaded, out: Path, previous_diagrams: Path | None = None, worker=None) -> Path:
    """Write the PDF of ``loaded`` to ``out`` via a temporary docs folder; return ``out``.

    ``worker``: an :class:`archdoc.side_by_side.Worker` started before the model was loaded
    (:func:`archdoc.outputs.start_pdf_worker`): it is handed each page as it is gathered and
    renders the PDF; without one, this process does. Pages and cover are in the document's
    language.
    """
    from model.i18n import language

    with language(loaded.model.document.language):  # also for a caller that did not set it
        return _pdf_from_model(loaded, out, previous_diagrams, worker)


def _pdf_from_model(loaded, out: Path, previous_diagrams: Path | None, worker) -> Path:
    from archdoc.pdf_ahead import PdfAhead

    # the pid in the name lets a later build remove the folder if this process is killed
    with tempfile.TemporaryDirectory(prefix=f"archdoc-pdf-{os.getpid()}-") as tmp:
        docs = Path(tmp) / "docs"
        ahead = PdfAhead(worker, loaded, Path(tmp) / "ahead")
        ahead.unapproved()  # first: the worker lays the document out while the rest is imported
        from concurrent.futures import ThreadPoolExecutor

        from archdoc.build import gather
        from archdoc.outputs import write_pdf_job
        from render.diagrams import build_diagrams
        from render.print.html import PRINT_SKIP

        previous = previous_diagrams if previous_diagrams is not None and previous_diagrams.is_dir() else None
        # the views (they need only the model) are drawn, or copied, while the pages are
        # gathered; each page goes to the worker as soon as it is rendered
        with ThreadPoolExecutor(1, thread_name_prefix="archdoc-diagrams") as drawing:
            drawn = drawing.submit(build_diagrams, loaded.model, docs / "diagrams", previous_dir=previous)
            drawn.add_done_callback(lambda done: done.exception() is None and ahead.images(docs))
            generated = gather(loaded, on_page=ahead.page, on_plan=ahead.plan, on_approved=ahead.approved,
                               skip=PRINT_SKIP, dots=False)
            ahead.gathered()
            drawn.result()
        pages = {rel: text for rel, text in generated.pages.items() if rel.endswith(".md")}
        for rel, text in pages.items():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_text(text, encoding="utf-8")
        record, cover = ahead.carried(generated.approved)
        args = (pages, docs, Path(out), cover, list(pages), record)
        if worker is None:
            write_pdf_job(*args)
        else:
            worker.send("archdoc.outputs:write_pdf_job", args)
            worker.wait()
        return Path(out)


def _unwritable(out: Path) -> str | None:
    """Why ``out`` cannot receive the PDF (checked before the slow rendering), or None."""
    if out.is_dir():
        return f"{out} is a folder; give a file name, e.g. --out {out / 'archdoc.pdf'}"
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the folder {parent}: {exc.strerror or exc}"
    if not os.access(parent, os.W_OK):
        return f"cannot write to the folder {parent}: permission denied"
    return None


def run_pdf(model_path: str | None = None, out: str | None = None, previous_diagrams: str | None = None,
            previous_docs: str | None = None) -> int:
    """Write the approval PDF of the model at ``model_path`` to ``out``.

    Without arguments the working directory's project decides: its model, ``archdoc.pdf`` in
    its site folder, and its docs' diagrams as a cache of unchanged views. ``previous_docs``:
    the docs folder of the last build, whose pages are laid out ahead (:mod:`archdoc.pdf_ahead`).
    """
    from archdoc.build import load
    from archdoc.common import fail, load_checked
    from archdoc.records import RecordError

    if model_path is None or out is None:
        from archdoc.common import project_paths

        paths = project_paths("pdf")
        if paths is None:
            return 2
        model_path = model_path or str(paths.model)
        out = out or str(paths.site / "archdoc.pdf")
        if paths.docs is not None and previous_diagrams is None:
            previous_diagrams = str(paths.docs / "diagrams")
            previous_docs = previous_docs or str(paths.docs)
    from archdoc.outputs import start_pdf_worker
    from archdoc.side_by_side import WorkerFailure

    start = time.perf_counter()
    worker = start_pdf_worker(Path(previous_docs) if previous_docs else None)  # works while the model loads
    try:
        loaded = load_checked(model_path, load)
        if loaded is None:
            return 2
        target = Path(out)
        why = _unwritable(target)
        if why:
            return fail("pdf", why)
        try:
            path = pdf_from_model(loaded, target, Path(previous_diagrams) if previous_diagrams else None, worker)
        except RecordError as exc:  # the approval record cannot be honoured: like the build, refuse
            return fail("pdf", str(exc))
        except OSError as exc:
            return fail("pdf", f"cannot write {target}: {exc.strerror or exc}")
        except WorkerFailure as exc:
            print(f"archdoc pdf: rendering failed: {str(exc)[:300]}", file=sys.stderr)
            return 1
        except Exception as exc:  # noqa: BLE001 - Graphviz or Typst failed: one line, exit 1
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            print(f"archdoc pdf: rendering failed: {detail}", file=sys.stderr)
            return 1
    finally:
        if worker is not None:
            worker.kill()
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, {time.perf_counter() - start:.1f} s)")
    return 0
