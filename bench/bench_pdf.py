"""Benchmark what the archival PDF costs: PDF/A-3a, tags and the attached model against a plain PDF.

The approval PDF is PDF/A-3a and tagged, and carries its model (issue 18). Absolute
seconds depend on the machine and on what else runs, so the archival write is reported
next to a baseline measured in the same run on the same laid-out document: WeasyPrint
writing a plain PDF (no variant, no tags, no attachments), as archdoc did before. The
layout (``HTML.render``) is measured on its own and is the same for both: tagging only
changes the writing step.

Printed: the layout once, then, interleaved so background load hits both alike, the
plain and the archival write (best of ``--repeat``), and their ratio. Nothing here
asserts a time; tests never do.

Run: ``.venv/bin/python bench/bench_pdf.py [--repeat 3]`` (the city's model, committed
diagrams).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench_pdf")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args(argv)

    from weasyprint import HTML

    from archdoc.build import gather
    from archdoc.records import pdf_record
    from model.loader import load_model
    from render.print.html import TEMPLATE_DIR, print_html
    from render.print.pdf import LocalFetcher, archival_options

    loaded = load_model()
    generated = gather(loaded)
    pages = {k: v for k, v in generated.pages.items() if k.endswith(".md")}
    docs = (ROOT / "docs").resolve()
    record = pdf_record(loaded, generated.approved)
    source = print_html(pages, docs, loaded.model.document, list(pages), record)
    start = time.perf_counter()
    rendered = HTML(string=source, base_url=docs.as_uri() + "/", url_fetcher=LocalFetcher([docs, TEMPLATE_DIR])).render()
    layout = time.perf_counter() - start

    def plain() -> int:
        out = io.BytesIO()
        rendered.write_pdf(out)
        return out.tell()

    def archival() -> int:
        out = io.BytesIO()
        rendered.write_pdf(out, **archival_options(loaded.model.document, record))
        return out.tell()

    best = {"plain": float("inf"), "archival": float("inf")}
    sizes = {}
    for _ in range(a.repeat):
        for name, fn in (("plain", plain), ("archival", archival)):
            start = time.perf_counter()
            sizes[name] = fn()
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"pages: {len(rendered.pages)}, layout (HTML.render, shared): {layout:.2f} s")
    for name in best:
        print(f"write {name:8s}: {best[name]:.2f} s (best of {a.repeat}), {sizes[name] // 1024} KiB")
    print(f"archival / plain write: {best['archival'] / best['plain']:.2f}x; "
          f"whole PDF: {(layout + best['archival']) / (layout + best['plain']):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
