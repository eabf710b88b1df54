"""Column widths of the print's tables, computed from their text and the fonts that print it.

A table laid out by a typesetter's automatic layout gives a column with one long sentence
most of the width and can squeeze a column of ids until ``sg-0a1b`` breaks in two. The
tables' text is known here, so this module computes what a good automatic layout would:

* per cell, the widest piece that cannot wrap (:func:`cell_widths`: a ``.nb`` span, a
  Latin word, two Japanese characters kept together by kinsoku) and the cell's text on one
  line, measured with the font files fontconfig resolves for the print's families (the
  files Typst draws with), plus the cell's padding and border;
* per column, the largest of each; then the table's width is shared out like CSS 2.1's
  automatic layout (:func:`share`): every column gets at least its narrowest width, the
  rest goes to the columns in proportion to what they would need to print on one line.

The print then uses these widths (``<col>``, as the table's relative column widths). A column is
never narrower than its widest unbreakable piece (measured with a small safety margin),
so an id, a code or a file:line never overflows its cell. Without fontconfig or the
fonts, an estimate is used (Japanese 1 em, Latin 0.62 em: wider than any average).

>>> share([10.0, 10.0], [20.0, 60.0], 100.0)   # room for everything: in proportion to one-line widths
[25.0, 75.0]
>>> share([10.0, 30.0], [20.0, 70.0], 60.0)    # squeezed: the minimum, plus the rest by need
[14.0, 46.0]
>>> share([50.0, 30.0], [60.0, 90.0], 60.0)    # cannot fit: each column its minimum
[50.0, 30.0]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["TABLE_STYLE", "text_mm", "cell_widths", "share", "column_widths", "Widths", "BODY_FONT", "MONO_FONT",
           "SAFETY", "MM_PER_PT"]

TABLE_STYLE = {"normal": (8.5, 1.6, 1.5), "wide": (7.5, 1.0, 1.1), "very-wide": (7.0, 1.0, 1.0)}
"""The print's tables by class: font size (pt), cell padding left/right and top/bottom (mm)."""
BODY_FONT = "Noto Sans CJK JP"
MONO_FONT = "Noto Sans Mono CJK JP"
"""The families the print template names for text and for ``code``."""
MM_PER_PT = 25.4 / 72
SAFETY = 1.03
"""Measured widths are widened by 3 % (kerning and shaping only ever narrow Latin text; this
covers rounding and a font that differs slightly from the one measured)."""
_CODE_PT = 8.0
"""Code in a table cell (the print template: the table's size less 0.5 pt, at most)."""
_BORDER_MM = 0.5 * MM_PER_PT
_NO_START = set("、。，．,.)）」』】〕〉》ー・：；？！ゃゅょっぁぃぅぇぉャュョッァィゥェォ々]}")
_NO_END = set("（「『【〔〈《([{")
_TOKEN = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)")


def _cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


@lru_cache(maxsize=None)
def _advance(ch: str, bold: bool, mono: bool) -> float:
    """One character's advance width in em (kerning is left out: it only narrows)."""
    face = _face(bold, mono)
    if face is not None:
        return face.getlength(ch) / 1000
    return (1.0 if _cjk(ch) else 0.62) * (1.05 if bold else 1.0)


@lru_cache(maxsize=None)
def _face(bold: bool, mono: bool):
    """A FreeType face (Pillow) of the file fontconfig gives for the family, or None."""
    from render.toolchain import font_file

    found = font_file(MONO_FONT if mono else BODY_FONT, bold)
    if found is None:
        return None
    try:
        from PIL import ImageFont

        return ImageFont.truetype(found.path, size=1000, index=found.index)
    except (OSError, ValueError, ImportError):
        return None


@lru_cache(maxsize=65536)
def text_mm(text: str, pt: float, bold: bool = False, mono: bool = False) -> float:
    """Width of ``text`` on one line at ``pt`` points, in millimetres (advance widths).

    >>> text_mm("", 9) == 0.0
    True
    >>> round(text_mm("あ", 10), 2)   # a Japanese character is one em: 10 pt = 3.53 mm
    3.53
    """
    return sum(_advance(ch, bold, mono) for ch in text) * pt * MM_PER_PT


@dataclass
class _Run:
    text: str
    bold: bool
    mono: bool
    keep: bool
    """Inside a ``.nb`` span: no break opportunity at all."""


def _runs(cell_html: str, bold: bool) -> list[list[_Run]]:
    """The cell's text as lines (``<br>``) of runs with their font; ``<wbr>`` ends a run."""
    lines: list[list[_Run]] = [[]]
    strong = code = 0
    keep: list[bool] = []
    for m in _TOKEN.finditer(cell_html):
        closing, tag, attrs, text = m.groups()
        if text is not None:
            lines[-1].append(_Run(html.unescape(text), bold or strong > 0, code > 0, any(keep)))
            continue
        tag = tag.lower()
        if tag in ("strong", "b"):
            strong += -1 if closing else 1
        elif tag == "code":
            code += -1 if closing else 1
        elif tag == "span":
            if closing:
                if keep:
                    keep.pop()
            else:
                keep.append('class="nb"' in attrs)
        elif tag == "br":
            lines.append([])
        elif tag == "wbr":
            lines[-1].append(_Run("\u200b", False, False, False))  # a break opportunity of its own
    return lines


def _pieces(line: list[_Run]) -> list[list[tuple[str, _Run]]]:
    """Split a line at its break opportunities: spaces, ``<wbr>``, around Japanese characters
    (not before closing or after opening punctuation); never inside a ``.nb`` span. Hyphens and
    slashes are not treated as break opportunities: a column is then wide enough either way."""
    pieces: list[list[tuple[str, _Run]]] = [[]]
    prev = ""
    for run in line:
        for ch in run.text:
            if not run.keep:
                if ch.isspace() or ch == "\u200b":
                    pieces.append([])
                    prev = ""
                    continue
                if prev and (_cjk(prev) or _cjk(ch)) and ch not in _NO_START and prev not in _NO_END:
                    pieces.append([])
            pieces[-1].append((ch, run))
            prev = ch
    return [p for p in pieces if p]


def _width(chars: list[tuple[str, _Run]], pt: float) -> float:
    """Width of characters of mixed runs (measured per stretch of one font)."""
    total, stretch, font = 0.0, "", None
    for ch, run in [*chars, ("", None)]:
        key = (run.bold, run.mono) if run is not None else None
        if key != font and stretch:
            bold, mono = font
            total += text_mm(stretch, _CODE_PT if mono else pt, bold, mono)
            stretch = ""
        font = key
        stretch += ch
    return total


@lru_cache(maxsize=65536)  # tables repeat their cells (verdicts, ports, ids)
def cell_widths(cell_html: str, pt: float, header: bool = False) -> tuple[float, float]:
    """(narrowest, one-line) width of a cell's content in mm, without padding.

    >>> narrow, wide = cell_widths('長い説明 <span class="nb">sg-app-1</span>', 10)
    >>> round(narrow, 1) == round(text_mm("sg-app-1", 10) * SAFETY, 1), wide > narrow
    (True, True)
    """
    lines = _runs(cell_html, header)
    narrow = max((_width(p, pt) for line in lines for p in _pieces(line)), default=0.0)
    wide = max((_width([(ch, r) for r in line for ch in r.text if ch != "\u200b"], pt) for line in lines),
               default=0.0)
    return narrow * SAFETY, max(wide, narrow) * SAFETY


def share(mins: list[float], maxs: list[float], width: float) -> list[float]:
    """Widths of columns sharing ``width`` (CSS 2.1's automatic layout, in outline)."""
    low, high = sum(mins), sum(maxs)
    if high <= width:
        return [m * width / high if high else width / len(maxs) for m in maxs]
    if low >= width:
        return list(mins)
    spare = width - low
    need = [max(0.0, hi - lo) for lo, hi in zip(mins, maxs)]
    total = sum(need)
    return [lo + (spare * n / total if total else spare / len(mins)) for lo, n in zip(mins, need)]


@dataclass(frozen=True)
class Widths:
    """The columns of one table: narrowest and one-line widths (mm, padding and border included)."""

    mins: tuple[float, ...]
    maxs: tuple[float, ...]

    @property
    def min_total(self) -> float:
        return sum(self.mins)

    def colgroup(self, width_mm: float) -> str:
        """``<colgroup>`` with each column's share (:func:`share`) of ``width_mm``, in percent.

        >>> Widths((1.0, 1.0), (30.0, 70.0)).colgroup(100)
        '<colgroup><col style="width: 30.00%"><col style="width: 70.00%"></colgroup>'
        """
        widths = share(list(self.mins), list(self.maxs), width_mm)
        total = sum(widths)
        return "<colgroup>" + "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in widths) + "</colgroup>"


_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[dh])\b([^>]*)>(.*?)</t[dh]>", re.S)


def column_widths(rows_html: str, pt: float, padding_mm: float) -> Widths | None:
    """The columns of a table's rows (``<thead>``/``<tbody>`` HTML) at ``pt`` points, or None when a
    cell spans columns or rows have different lengths (the automatic layout then stays)."""
    mins: list[float] = []
    maxs: list[float] = []
    count = None
    extra = 2 * padding_mm + _BORDER_MM + 0.3
    for row in _ROW.findall(rows_html):
        cells = _CELL.findall(row)
        if any("colspan" in attrs or "rowspan" in attrs for _, attrs, _ in cells):
            return None
        if count is None:
            count = len(cells)
            mins, maxs = [0.0] * count, [0.0] * count
        elif len(cells) != count:
            return None
        for i, (tag, _, inner) in enumerate(cells):
            narrow, wide = cell_widths(inner, pt, header=tag == "th")
            mins[i] = max(mins[i], narrow + extra)
            maxs[i] = max(maxs[i], wide + extra)
    if not count:
        return None
    return Widths(tuple(mins), tuple(maxs))
