"""The document as the print shows it (:class:`render.print.cover.PrintCover`), and a PDF
worker that never loads the model's types.

The PDF worker is forked before the model is loaded; it starts on the last build's pages at
once, and it is handed the document worded by this process (the cover, the approval block,
the revision history, the file's metadata) as plain values. Printing from that cover must
give the same source as printing from the model's document, and nothing the worker runs
may import the model's types (a lazy import would cost it half a second, unseen).
"""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from archdoc.build import gather
from archdoc.records import pdf_record
from conftest import REPO
from model.i18n import language
from model.loader import load_model
from render.print.cover import PrintCover
from render.print.document import print_source
from render.print.from_model import print_cover
from render.print.html import _placement
from render.print.pdf import add_record


@pytest.fixture(scope="module")
def city():
    loaded = load_model()
    with language(loaded.model.document.language):
        pages = {k: v for k, v in gather(loaded).pages.items() if k.endswith(".md")}
    return loaded, pages


def test_printing_the_cover_is_printing_the_document(city):
    loaded, pages = city
    document, record = loaded.model.document, pdf_record(loaded, None)
    with language(document.language):
        cover = print_cover(document, record)
        assert isinstance(cover, PrintCover) and cover.language == "ja" and cover.approved is False
        assert cover.xmp is not None and record.archive.digest in cover.xmp
        with_document = print_source(pages, REPO / "docs", document, list(pages), record)
        with_cover = print_source(pages, REPO / "docs", cover, list(pages), record)
    assert with_cover == with_document


def test_a_cover_worded_without_the_record_cannot_mark_a_pdf_with_it(city):
    loaded, _ = city
    with language(loaded.model.document.language):
        cover = print_cover(loaded.model.document)
    with pytest.raises(ValueError) as caught:
        add_record(b"%PDF-1.7\n", cover, pdf_record(loaded, None))
    assert str(caught.value) == "the document's print cover was made without the record the PDF carries"
    assert add_record(b"%PDF-1.7\n", cover, None) == b"%PDF-1.7\n"  # no record: Typst's file as it is


_WORKER = """
import pickle, sys
from pathlib import Path
import render.print.pdf, typst, pikepdf, archdoc.pdf_ahead, archdoc.outputs, archdoc.publish
from model.i18n import language
from render.print.document import print_source
pages, cover, record, docs = pickle.load(open(sys.argv[1], "rb"))
with language(cover.language):
    source = print_source(pages, Path(docs), cover, list(pages), record)
assert source.images, "no diagram was placed"
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "networkx", "diagrams", "analysis")
             or m.startswith(("model.schema", "model.loader", "render.pages", "render.diagrams"))))
"""


def test_the_pdf_workers_work_loads_none_of_the_models_types(city, tmp_path):
    """What the worker imports, is handed (pickled) and runs to print the city: no model type,
    no analysis, no diagram code (each would be imported again in the worker)."""
    loaded, pages = city
    record = pdf_record(loaded, None)
    with language(loaded.model.document.language):
        cover = print_cover(loaded.model.document, record)
    handed = tmp_path / "handed.pickle"
    handed.write_bytes(pickle.dumps((pages, cover, record, str(REPO / "docs"))))
    done = subprocess.run([sys.executable, "-c", _WORKER, str(handed)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


def _diagram(tmp_path, dot: str) -> str:
    (tmp_path / "v.svg").write_text('<svg width="2226pt" height="1733pt"></svg>', encoding="utf-8")
    (tmp_path / "v.dot").write_text(dot, encoding="utf-8")
    return f'<img src="file://{tmp_path / "v.svg"}">'


def test_a_diagram_is_placed_at_the_resolution_its_dot_was_drawn_at(tmp_path):
    img = _diagram(tmp_path, 'digraph { graph [dpi="88", fontsize="16"]; a [fontsize="13"]; }')
    at_88 = _placement(img)
    assert (at_88.sheet.css_class, round(at_88.scale, 2), round(at_88.printed_min_font_pt, 1)) == ("a3", 0.48, 6.2)
    img = _diagram(tmp_path, 'digraph { graph [dpi="176", fontsize="16"]; a [fontsize="13"]; }')
    at_176 = _placement(img)  # the same pixels are half as large on paper: A4, in the text
    assert (at_176.sheet.css_class, round(at_176.scale, 2), at_176.width_mm) == ("", 0.55, 178)
    assert _placement(_diagram(tmp_path, 'digraph { a [fontsize="13"]; }')) is None  # no dpi: not placed
