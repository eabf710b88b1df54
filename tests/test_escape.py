"""One escaping function per format, all removing control and bidi-control characters first.

The Chromium test (``test_hostile_site.py``) proves the whole site; these pin each
escaper's contract, and that no module escapes HTML on its own beside ``render/escape.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from render.diagrams.dot_text import quote, unquote
from render.diagrams.mermaid import label as mermaid_label
from render.escape import BIDI_CONTROLS, html_text, mkdocs_text, plain_text
from render.pages.markdown import md_cell, md_inline, md_text

REPO = Path(__file__).resolve().parent.parent
TRICKY = "a\u202eb\u2066c\u200fd\x00e\x1bf\x7fg\u0085h"


@pytest.mark.parametrize("escape", [md_text, md_inline, md_cell, html_text, mkdocs_text, quote, mermaid_label],
                         ids=lambda f: f.__name__)
def test_every_escaper_drops_control_and_bidi_characters(escape):
    out = str(escape(TRICKY))
    assert not set(out) & set(BIDI_CONTROLS + "".join(map(chr, [*range(0, 9), *range(11, 32), *range(127, 160)])))
    assert "abcdefgh" in out.replace("\\", "")


def test_plain_text_keeps_lines_and_makes_tabs_spaces():
    assert plain_text("a\r\nb\rc\u2028d\te") == "a\nb\nc\nd e"
    assert plain_text(None) == "" and plain_text(12) == "12"


def test_html_and_mkdocs_text():
    assert html_text('"><img src=x onerror=alert(1)>') == "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert mkdocs_text("AWS構成図") == "AWS構成図"  # a normal title is unchanged
    assert mkdocs_text("A & B\n<script>") == "A &amp; B &lt;script&gt;"


def test_dot_quote_round_trips_without_the_controls():
    assert unquote(quote(TRICKY)) == "abcdefgh"


def test_no_module_escapes_html_on_its_own():
    """HTML is escaped by render.escape.html_text only (Jinja's autoescape uses the same markupsafe)."""
    offenders = []
    for folder in ("render", "archdoc", "analysis", "model"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.name == "escape.py" and path.parent.name == "render":
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (r"\bhtml\.escape\(", r"\bmarkupsafe\b", r"\bMarkup\("):
                offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []
