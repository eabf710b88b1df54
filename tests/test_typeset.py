"""Hand-written pages in the approval PDF: whatever Markdown a team writes prints, as written.

The print's chapters are Markdown → HTML → Typst markup (render/print/typeset.py). These
tests give it what a team's own pages hold — nested lists, ordered lists, definition lists,
code blocks, inline code with Typst's special characters, links, tables with alignment and
spans, block quotes, admonitions, images with and without size — compile the PDF with
Typst and read its text back: every text is there, and no character of it was taken as
markup or code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from render.print.document import print_source
from render.print.pdf import PrintFailed, RefusedURL, compile_pdf, write_pdf
from render.print.typeset import parse, to_typst

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

PAGE = r"""# 1. 運用手順

前書き: *強調* と **太字**、`#set page(paper: "a5")` と `$x$`、https://example.com/a_b は文字のまま。
1. 行頭の数字は番号付きリストではない、と書いた文。

## 手順

1. 一つ目
    - 入れ子 A
    - 入れ子 B
2. 二つ目 [外部リンク](https://example.com/x?a=1&b=2) と [同じページの見出し](#参考)

用語
:   説明文 = 定義 // コメントではない /* これも */

```
#let x = 1
$ math $ <label> @ref
```

> 引用文 ~ チルダ -- ダッシュ ... 三点

| 左 | 右寄せ | 中央 |
|:---|-----:|:----:|
| a-1 | 10 | [x] |
| b_2 | 20 | *y* |

!!! note "注意"
    admonition の本文 #not-code

![小さな図](img.png)

## 参考

終わり。  
改行のあと。
"""


def _png(path: Path, width: int, height: int) -> None:
    from PIL import Image

    Image.new("RGB", (width, height), (200, 30, 30)).save(path)


def _text(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "out.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(tmp_path / "out.pdf"), "-"], check=True, capture_output=True,
                         text=True).stdout
    return "".join(out.split())  # a line of Japanese may wrap anywhere: compare without white space


def test_a_hand_written_page_prints_every_text_as_written(tmp_path, loaded_document):
    _png(tmp_path / "img.png", 3000, 400)  # wider than the page: shrinks to fit
    source = print_source({"ops.md": PAGE}, tmp_path, loaded_document)
    text = _text(compile_pdf(source, tmp_path), tmp_path)
    for piece in ('#set page(paper: "a5")', "$x$", "https://example.com/a_b", "1. 行頭の数字は番号付きリストではない",
                  "一つ目", "入れ子 A", "二つ目", "外部リンク", "説明文 = 定義 // コメントではない /* これも */",
                  "#let x = 1", "$ math $ <label> @ref", "引用文 ~ チルダ -- ダッシュ ... 三点", "a-1", "b_2", "[x]",
                  "注意", "admonition の本文 #not-code", "図1-1 小さな図", "1.2 参考", "終わり。改行のあと。"):
        assert "".join(piece.split()) in text, piece
    assert "*強調*" not in text and "強調" in text and "太字" in text  # Markdown emphasis, not literal stars


def test_links_inside_the_document_and_outside(tmp_path, loaded_document):
    source = print_source({"ops.md": PAGE}, tmp_path, loaded_document).markup
    assert '#link("https://example.com/x?a=1&b=2")[外部リンク];' in source
    assert re.search(r"#link\(<l\d+>\)\[同じページの見出し\];", source)


def test_table_alignment_and_spans():
    markup = to_typst('<table><thead><tr><th style="text-align: right">n</th><th>x</th></tr></thead>'
                      '<tbody><tr><td colspan="2" align="center">both</td></tr></tbody></table>', {})
    assert "table.header(table.cell(align: right)[#strong[n]], [#strong[x]])" in markup
    assert "table.cell(colspan: 2, align: center)[both]" in markup
    assert "(auto,) * 2" in markup  # no measured widths: Typst sizes the columns


def test_a_landscape_block_inside_a_list_stays_in_the_text():
    """Typst allows no page inside a container: only a chapter's own blocks become pages."""
    nested = to_typst('<ul><li><div class="landscape"><p>wide</p></div></li></ul>', {})
    assert "#sheet" not in nested and "wide" in nested
    root = parse('<div class="a3"><p>wide</p></div>')
    from render.print.typeset import Typesetter

    assert Typesetter({}, {}).blocks(root.children, top=True).startswith('#sheet("a3")[')


def test_images_from_outside_the_docs_folder_are_refused_and_nothing_is_written(tmp_path, loaded_document):
    outside = tmp_path / "secret.png"
    _png(outside, 10, 10)
    docs = tmp_path / "docs"
    docs.mkdir()
    for src, why in ((outside.as_uri(), "outside the allowed folders"), ("https://example.com/x.png", "not a local")):
        with pytest.raises(RefusedURL, match=why):
            write_pdf({"a.md": f"# 1. A\n\n![x]({src})\n"}, docs, docs / "out.pdf", loaded_document)
    assert not (docs / "out.pdf").exists()


def test_an_image_typst_cannot_read_is_one_clear_error(tmp_path, loaded_document):
    (tmp_path / "broken.png").write_bytes(b"not a png")
    with pytest.raises(PrintFailed, match="(?i)png|image|decode"):
        write_pdf({"a.md": "# 1. A\n\n![x](broken.png)\n"}, tmp_path, tmp_path / "out.pdf", loaded_document)
    assert not (tmp_path / "out.pdf").exists()


def test_a_data_url_image_prints(tmp_path, loaded_document):
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 0)).save(buffer, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    source = print_source({"a.md": f"# 1. A\n\n![点]({url})\n"}, tmp_path, loaded_document)
    assert list(source.images.values()) == [url]
    assert "図1-1点" in _text(compile_pdf(source, tmp_path), tmp_path)


def test_the_same_pages_give_the_same_pdf_bytes(tmp_path, loaded_document):
    pages = {"ops.md": PAGE}
    _png(tmp_path / "img.png", 300, 40)
    first = write_pdf(pages, tmp_path, tmp_path / "a.pdf", loaded_document).read_bytes()
    second = write_pdf(pages, tmp_path, tmp_path / "b.pdf", loaded_document).read_bytes()
    assert first == second


@pytest.fixture(scope="module")
def loaded_document():
    from model.loader import load_model

    return load_model().model.document


def _generated_pages(model_folder) -> list[str]:
    from archdoc.build import gather
    from model.i18n import language
    from model.loader import load_model

    loaded = load_model(model_folder)
    with language(loaded.model.document.language):
        return [text for rel, text in gather(loaded).pages.items() if rel.endswith(".md")]


def test_plain_texts_skip_the_inline_patterns_and_the_html_is_the_same(tmp_path):
    """:mod:`render.print.plain_text` only saves time: on every generated page of the bundled
    model, of the examples and of the hostile model (every kind of inline syntax in every text
    field), Python-Markdown writes the same HTML with it and without it."""
    import markdown
    from markdown.extensions.toc import slugify_unicode

    from conftest import REPO
    from hostile import write_hostile_model
    from render.print.html import EXTENSIONS
    from render.print.plain_text import PlainText

    write_hostile_model(REPO / "model" / "data", tmp_path / "hostile")
    pages = [*_generated_pages(REPO / "model" / "data"), *_generated_pages(tmp_path / "hostile"),
             *(p for example in sorted((REPO / "examples").iterdir()) if (example / "model").is_dir()
               for p in _generated_pages(example / "model"))]
    config = {"toc": {"slugify": slugify_unicode}}
    differ = [i for i, text in enumerate(pages)
              if markdown.Markdown(extensions=[*EXTENSIONS, PlainText()], extension_configs=config).convert(text)
              != markdown.Markdown(extensions=EXTENSIONS, extension_configs=config).convert(text)]
    assert len(pages) >= 45 and differ == []
