"""The approval PDF, read back with poppler: text, numbering, contents, fonts, rendering.

The PDF is built once per module from the bundled model (committed images are reused
when their DOT is unchanged). Checks are on what an approver sees: every section title
and sampled table values are in the text, the contents' page numbers point at the right
pages, the footer says ``n / N``, the approval block is there with placeholders, and the
Japanese text uses embedded Noto Sans CJK glyphs (no fallback font, no Type 3, no tofu).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from archdoc.build import gather
from conftest import REPO
from archdoc.commands.pdf import pdf_from_model
from model.loader import load_model
from render.print.document import print_source
from render.print.html import PRINT_SKIP, chapter_number

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def loaded():
    return load_model()


@pytest.fixture(scope="module")
def diagrams(tmp_path_factory, loaded) -> Path:
    """The model's diagrams (committed ones reused when their DOT is unchanged): what the PDF shows."""
    from render.diagrams import build_diagrams

    folder = tmp_path_factory.mktemp("diagrams")
    build_diagrams(loaded.model, folder, previous_dir=REPO / "docs" / "diagrams")
    return folder


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, loaded, diagrams) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "archdoc.pdf"
    return pdf_from_model(loaded, out, diagrams)


@pytest.fixture(scope="module")
def pages_text(pdf) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))
    text = run("pdftotext", "-layout", str(pdf), "-")
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == n
    return pages[:n]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a4_and_footer_numbers(pdf, pages_text):
    info = run("pdfinfo", str(pdf))
    assert "595.276 x 841.89 pts (A4)" in info
    n = len(pages_text)
    for i, page in enumerate(pages_text, start=1):
        assert f"{i} / {n}" in page, f"page {i} has no footer '{i} / {n}'"


def test_cover_has_title_version_status_and_approval_block(pages_text, loaded):
    doc = loaded.model.document
    cover = flat(pages_text[0])
    for text in (doc.title, doc.version, doc.status, "作成日", "承認者", "承認日", str(doc.created)):
        assert text in cover
    assert cover.count(doc.approval_placeholder) == 2  # approver and date are blank in the seed
    assert re.search(r"文書番号 ?（未記入）", cover) and re.search(r"組織 ?（未記入）", cover)
    assert re.search(r"作成 +審査 +承認", cover)  # the stamp boxes of the model's document metadata
    assert "改訂履歴" in pages_text[1] and doc.revisions[0].summary in flat(pages_text[1])


def test_every_section_and_sampled_values(pages_text, loaded):
    body = flat(" ".join(pages_text))
    pages = gather(loaded).pages
    titles = [re.search(r"^# (.+)$", text, re.M).group(1) for path, text in pages.items()
              if path.endswith(".md") and path not in PRINT_SKIP]
    assert len(titles) >= 12
    for title in titles:
        assert flat(title) in body, title
    for value in ("10.1.11.0/24", "db.m5.large", "db.t3.micro", "cron(0 2 * * ? *)", "0.0.0.0/0",
                  "Multi-AZ", "大阪リージョン"):
        assert value in body, value
    numbers = [chapter_number(t) for t in titles if chapter_number(t)]
    assert numbers == [str(i) for i in range(1, 10)]  # the seed's numbering, 1-9
    assert re.search(r"10\. ?要件の確認", body)  # extra pages continue the numbering
    assert re.search(r"11\. ?前提・仮定", body)


def test_contents_page_numbers_point_at_the_chapters(pages_text):
    start = next(i for i, p in enumerate(pages_text) if "目次" in p)
    toc = "\n".join(pages_text[start:start + 3])  # the contents may run over a page
    checked = 0
    toc = toc.replace("\u2060", "")  # the word joiner Typst puts before a page number
    for m in re.finditer(r"^\s*(\d+)\.\s+(\S[^\n]*?)\s*(?:\.\s*){3,}(\d+)\s*$", toc, re.M):
        number, page = m.group(1), int(m.group(3))
        heading = pages_text[page - 1]
        assert re.search(rf"^\s*{number}\.\s", heading, re.M), f"chapter {number} not on page {page}"
        checked += 1
    assert checked >= 12


def test_japanese_fonts_embedded_no_fallback(pdf):
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert any("NotoSansCJKjp-Regular" in row for row in rows)
    for row in rows:
        # only the families the print template names: Noto Sans CJK JP (and its Mono for code),
        # then DejaVu Sans for symbols (✗)
        assert re.search(r"\+NotoSans(Mono)?CJKjp-|\+DejaVuSans ", row), row
        assert "Type 3" not in row
        emb = row.split()[-5]
        assert emb == "yes", row


def test_every_character_has_a_glyph(loaded, tmp_path):
    """All text of the print source is covered by the fonts the print template names (no tofu possible)."""
    from fontTools.ttLib import TTCollection, TTFont

    cjk = run("fc-match", "-f", "%{file}", "Noto Sans CJK JP")
    cmap = set(TTCollection(cjk).fonts[0].getBestCmap())
    dejavu = run("fc-match", "-f", "%{file}", "DejaVu Sans")
    if "DejaVu" in dejavu:
        cmap |= set(TTFont(dejavu).getBestCmap())
    markup = print_source({k: v for k, v in gather(loaded).pages.items() if k.endswith(".md")}, tmp_path,
                          loaded.model.document).markup
    text = markup.replace("\\", "")  # Typst's escapes; what remains of the code is ASCII, which the fonts cover
    missing = sorted({ch for ch in text if ch.isprintable() and not ch.isspace() and ord(ch) not in cmap})
    assert not missing, missing


def test_rendered_page_has_japanese_ink(pdf, tmp_path):
    from PIL import Image

    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p"))
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    w, h = image.size
    title = image.crop((0, int(h * 0.25), w, int(h * 0.40)))  # the big title on the cover
    dark = sum(1 for v in title.tobytes() if v < 128)
    assert dark > 400, dark  # 'AWS構成図' at 30pt; missing glyphs would draw almost nothing or boxes


@pytest.mark.parametrize("src", ["http://example.invalid/x.png", "file:///etc/hostname"])
def test_no_network_and_no_files_outside_docs(tmp_path, loaded, src):
    from render.print.pdf import RefusedURL, write_pdf

    pages = {"01-a.md": f"# 1. テスト\n\n![外部]({src})\n"}
    with pytest.raises(RefusedURL, match="not local|outside the allowed"):
        write_pdf(pages, tmp_path, tmp_path / "out.pdf", loaded.model.document)
    assert not (tmp_path / "out.pdf").exists()


def test_every_diagram_prints_its_smallest_label_at_6pt_or_more(pdf, diagrams, pages_text):
    """Diagrams print from their SVG, so their labels are text in the PDF with a real size.
    Read back: no character of the whole PDF is smaller than 6 pt (issue 13: labels at 3-4 pt),
    and on the page of each diagram's caption there is text at the size placement promised for
    its smallest label (the DOT's smallest font times the printed scale)."""
    import pdfplumber

    from render.diagrams.dot import DPI
    from render.print.html import place

    with pdfplumber.open(pdf) as doc:
        sizes = [{round(c["size"], 2) for c in page.chars} for page in doc.pages]
    smallest = min(min(s) for s in sizes if s)
    assert smallest >= 6.0, smallest
    checked = {}
    for svg in sorted(diagrams.glob("*.svg")):
        head = svg.read_text(encoding="utf-8")[:4096]
        width, height = (float(v) for v in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', head).groups())
        dot = svg.with_suffix(".dot").read_text(encoding="utf-8")
        placement = place(width, height, min(float(f) for f in re.findall(r'fontsize="([\d.]+)"', dot)), DPI)
        title = re.search(r'label="([^"]+)"', dot).group(1)  # the graph's own label: the figure's caption
        pages = [i for i, text in enumerate(pages_text) if re.search(r"図\d+-\d+ " + re.escape(title), text)]
        assert pages, f"no caption for {svg.stem} ({title})"
        # within 0.05 pt: the SVG's viewBox is its drawing, a few pixels smaller than its width
        assert any(abs(pt - placement.printed_min_font_pt) < 0.05 for pt in sizes[pages[0]]), \
            (svg.stem, placement, sorted(sizes[pages[0]]))
        checked[svg.stem] = round(placement.printed_min_font_pt, 2)
    assert sorted(checked) == sorted(p.stem for p in diagrams.glob("*.svg")) and len(checked) >= 9
    assert all(pt >= 6.0 for pt in checked.values()), checked


def test_codes_and_locations_print_unbroken(pages_text, loaded):
    """Finding codes and file:line locations are never split over lines (issue 13: ALB_SU BNETS_...)."""
    from analysis.analyze import analyze

    text = "\n".join(pages_text)
    found = analyze(loaded).findings
    assert found
    for f in found:
        assert f.code in text, f.code
        if f.location:
            assert f.location in text, f.location
    assert "エ\nラ" not in text.replace(" ", "")


TABLE_RULE = (0x9a / 255, 0xa4 / 255, 0xae / 255)
"""The colour of the tables' borders in the print template (#9aa4ae)."""
OPENING, CLOSING = "（「『【〔〈《［｛", "）」』】〕〉》］｝、。，．"


def _is(color, rgb) -> bool:
    return isinstance(color, tuple) and len(color) == 3 and all(abs(a - b) < 0.01 for a, b in zip(color, rgb))


def test_tables_have_computed_columns_and_no_text_crosses_a_cell_border(loaded, diagrams, pdf):
    """Every table of the pages prints with the column widths computed from its text
    (:mod:`render.print.columns`), and no character of the PDF is crossed by a table's vertical
    border: an id, code or location that must not wrap never runs into the next cell. Read
    back from the PDF itself (pdfplumber: the drawn border lines and the characters' boxes)."""
    import pdfplumber

    pages = {k: v for k, v in gather(loaded).pages.items() if k.endswith(".md")}
    source = print_source(pages, diagrams.parent, loaded.model.document, order=list(pages)).markup
    tables = re.findall(r"#grid-table\([\d.]+pt, \([^)]*\), \(([^)]*)\)", source)
    assert len(tables) >= 30 and all(re.fullmatch(r"[\d.]+fr(?:, [\d.]+fr)*,?", cols) for cols in tables), tables[:3]
    crossed, chars, borders = [], 0, 0
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            lines = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 3
                     and _is(e.get("stroking_color"), TABLE_RULE)]
            borders += len(lines)
            for c in page.chars:
                chars += 1
                middle = (c["top"] + c["bottom"]) / 2
                left, right = c["x0"] + 0.3, c["x1"] - 0.3
                # a full-width bracket's outer half is blank (Typst trims it at a line's edge)
                if c["text"] in OPENING:
                    left = (c["x0"] + c["x1"]) / 2
                elif c["text"] in CLOSING:
                    right = (c["x0"] + c["x1"]) / 2
                for e in lines:
                    if left < e["x0"] < right and e["top"] <= middle <= e["bottom"]:
                        crossed.append((number, c["text"], round(e["x0"], 1)))
    assert chars > 10000 and borders > 200 and crossed == [], sorted(set(crossed))[:40]
