"""Benchmark what the approval PDF costs, step by step, and what being archival adds.

The approval PDF is PDF/A-3a and tagged, and carries its model (issue 18). Absolute
seconds depend on the machine and on what else runs, so the archival PDF is reported next
to a baseline measured in the same run on the same Typst source: Typst writing a plain PDF
(no PDF/A, no tags; the model attached all the same). Steps of ``archdoc pdf`` after the model is loaded:

* **source**: the pages as chapters (Markdown → HTML → Typst markup) in the document template;
* **typst**: layout and writing (fonts subset, images embedded), plain and archival;
* **record**: archdoc's XMP properties appended to Typst's file (an incremental update; the file read with pikepdf).

Printed: each step's best of ``--repeat`` (plain and archival interleaved so background
load hits both alike), the ratio archival / plain, and the page count. Nothing here asserts
a time; tests never do.

Run: ``.venv/bin/python bench/bench_pdf.py [--repeat 3]`` (the city's model, committed diagrams).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = ["main"]


def _best(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench_pdf")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args(argv)

    from archdoc.build import gather
    from archdoc.records import pdf_record
    from model.i18n import language
    from model.loader import load_model
    from render.print import pdf as writer
    from render.print.document import print_source

    loaded = load_model()
    generated = gather(loaded)
    pages = {k: v for k, v in generated.pages.items() if k.endswith(".md")}
    docs = (ROOT / "docs").resolve()
    record = pdf_record(loaded, generated.approved)
    document = loaded.model.document
    with language(document.language):
        source_s, source = _best(lambda: print_source(pages, docs, document, list(pages), record), a.repeat)
    times = {"plain": float("inf"), "archival": float("inf")}
    sizes = {}
    for _ in range(a.repeat):
        for name in ("plain", "archival"):
            standard = writer.PDF_VARIANT if name == "archival" else None
            took, pdf = _best(lambda: writer.compile_pdf(source, docs, standard), 1)
            times[name], sizes[name] = min(times[name], took), len(pdf)
            if name == "archival":
                archival_pdf = pdf
    record_s, final = _best(lambda: writer.add_record(archival_pdf, document, record), a.repeat)
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(final)) as doc:
        count = len(doc.pages)
    print(f"pages: {count}; source (chapters, markup, template): {source_s:.2f} s; "
          f"record (XMP, appended): {record_s:.2f} s")
    for name in times:
        print(f"typst {name:8s}: {times[name]:.2f} s (best of {a.repeat}), {sizes[name] // 1024} KiB")
    total = source_s + times["archival"] + record_s
    print(f"archival / plain (typst): {times['archival'] / times['plain']:.2f}x; "
          f"whole PDF after the model is loaded: {total:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
