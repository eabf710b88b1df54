"""``archdoc pdf [--out FILE]``: the approval PDF alone, without rebuilding the site.

An approver may need a fresh PDF of a model that is not (yet) committed with its docs, so
this verb works from the model only: it gathers the pages, renders the diagrams into a
temporary folder (reusing the committed images of ``docs/diagrams`` whose DOT is unchanged,
so usually no Graphviz runs), and writes the PDF. Nothing in the repository changes except
``out``. Exit 0 ok, 1 a rendering failure, 2 a model or usage error.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from model.errors import ModelError

__all__ = ["run_pdf", "pdf_from_model"]


def pdf_from_model(loaded, out: Path, previous_diagrams: Path | None = None) -> Path:
    """Write the PDF of ``loaded`` to ``out`` via a temporary docs folder; return ``out``."""
    from archdoc.build import gather
    from render.diagrams import build_diagrams
    from render.pdf import write_pdf

    generated = gather(loaded)
    pages = {rel: text for rel, text in generated.pages.items() if rel.endswith(".md")}
    with tempfile.TemporaryDirectory(prefix="archdoc-pdf-") as tmp:
        docs = Path(tmp) / "docs"
        for rel, text in pages.items():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_text(text, encoding="utf-8")
        previous = previous_diagrams if previous_diagrams is not None and previous_diagrams.is_dir() else None
        build_diagrams(loaded.model, docs / "diagrams", previous_dir=previous)
        return write_pdf(pages, docs, Path(out), loaded.model.document, order=list(pages))


def run_pdf(model_path: str | None = None, out: str = "site/archdoc.pdf") -> int:
    """Write the approval PDF of the model at ``model_path`` to ``out``."""
    from archdoc.build import load
    from archdoc.cmd_check import resolve_docs

    try:
        loaded = load(model_path)
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        path = pdf_from_model(loaded, Path(out), resolve_docs(loaded, None) / "diagrams")
    except OSError as exc:
        print(f"archdoc pdf: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - Graphviz or WeasyPrint failed: one line, exit 1
        print(f"archdoc pdf: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, {time.perf_counter() - start:.1f} s)")
    return 0
