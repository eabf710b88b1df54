"""The pages as the print's numbered chapters: HTML from their Markdown, figures placed, tables measured.

The approval PDF is what an approver signs, so it must hold exactly the generated pages
(no hand-made copy that can drift) in the seed's order and numbering: sections 1–9 as the
seed numbers them, then the extra pages (assumptions, intents, ...) numbered 10, 11, ...
Each Markdown page becomes one chapter; ids are prefixed per page so that anchors of
different pages cannot collide, links between pages become in-document links, and images
point at local files. Diagrams print from their SVG: vector lines and real text (sharp at
any zoom, searchable). Tables print with column widths computed from their text
(:mod:`render.print.columns`): an id or a code that must not wrap always has room.
:mod:`render.print.typeset` turns each chapter into Typst markup.

>>> chapter_number("1. POC環境構成図"), chapter_number("前提・仮定"), chapter_number("9 移行")
('1', None, '9')
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import markdown
from markdown.extensions.toc import slugify_unicode
from render.escape import html_text
from render.i18n import _
from render.print.columns import TABLE_STYLE, column_widths
from render.print.plain_text import PlainText

__all__ = ["Chapter", "chapters", "chapter_number", "place", "Placement", "Sheet", "SHEETS",
           "MIN_PRINTED_PT", "TEMPLATE_DIR", "EXTENSIONS", "PRINT_SKIP", "page_html"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
EXTENSIONS = ["tables", "attr_list", "toc", "admonition", "def_list", "fenced_code", "md_in_html",
              "sane_lists"]
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?=\s|$)")
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ATTR = re.compile(r'\s(id|href|src)="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")
# A paragraph made only of download links to diagram files ("PNG ・ SVG ・ DOT"): useful
# on the site, a dead link on paper (whatever separator the page's language uses between them).
_FILE_LINKS = re.compile(r'<p>(?:\s*(?:[・|·•/,])?\s*<a href="[^":#]+\.(?:png|svg|dot)">[^<]*</a>)+\s*</p>\n?')
PRINT_SKIP = ("index.md", "schema.md", "diagrams.md")
"""Site pages the print leaves out: the home page (the cover, revision history and
contents replace it), the model-format reference (for model authors, not approvers) and
the diagram gallery (every diagram is already printed in its own section)."""


def chapter_number(title: str) -> str | None:
    """The seed-style number a heading starts with ('1', '5.2'), or None."""
    m = _NUMBER.match(title)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Chapter:
    """One page of the site as a numbered chapter of the print document."""

    path: str
    anchor: str
    number: str
    title: str
    html: str
    toc: tuple[tuple[int, str, str], ...]
    """(level, anchor, text) of the headings below the chapter title (h2 only)."""
    landscape_first: bool = False
    """The chapter opens with a landscape or A3 block: the template puts the chapter title into
    it (``html`` then lacks the block's opening tag), so the title is not left alone on a page."""
    first_block: str = ""
    """The class of that opening block ('landscape' or 'a3')."""


def _anchor(path: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9]+", "-", path.removesuffix(".md")).strip("-").lower()


_TABLE = re.compile(r"((?:<h[2-4]\b[^>]*>(?:(?!</h).)*</h[2-4]>\s*){0,2}(?:<p>(?:(?!</p>).)*</p>\s*)?)"
                    r"<table>(.*?)</table>", re.S)
_FIGURE = re.compile(r'(<h[2-4]\b[^>]*>(?:(?!</h).)*</h[2-4]>\s*)?<p>\s*(<img\b[^>]*\balt="([^"]*)"[^>]*>)\s*</p>',
                     re.S)
_SRC = re.compile(r'\bsrc="file://([^"]+)"')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(?:pt|px)?"[^>]*?\bheight="([\d.]+)(?:pt|px)?"', re.S)
_FONTSIZE = re.compile(r'fontsize="(\d+(?:\.\d+)?)"')
_DPI = re.compile(r'\bdpi="(\d+(?:\.\d+)?)"')
MIN_PRINTED_PT = 6.0
"""The smallest label of a diagram prints at least this size (pt): below it an approver cannot read it."""


@dataclass(frozen=True)
class Sheet:
    """A page a figure can be printed on: its block class (the print template's page kind) and the room for the image (mm)."""

    css_class: str
    width_mm: float
    height_mm: float


SHEETS = (Sheet("", 178, 225), Sheet("landscape", 265, 128), Sheet("a3", 392, 240))
"""In order of preference: in the text (A4 portrait), an A4 landscape page, an A3 landscape
page. The heights leave room for the chapter title, the heading and the caption above and
below the image on the same page (the print template sets the page margins)."""


@dataclass(frozen=True)
class Placement:
    """Where and how large a diagram prints: ``scale`` = printed size / natural size."""

    sheet: Sheet
    width_mm: float
    height_mm: float
    scale: float
    min_font_pt: float
    """The diagram's smallest font size (pt, from its DOT)."""

    @property
    def printed_min_font_pt(self) -> float:
        return self.min_font_pt * self.scale


def place(width_px: int, height_px: int, min_font_pt: float, dpi: float) -> Placement:
    """The first sheet on which the diagram's smallest label prints at :data:`MIN_PRINTED_PT` or more.

    The image is drawn at ``dpi`` (its natural size is ``px / dpi`` inches) and never enlarged.

    >>> p = place(2226, 1733, 13, 88)   # a large overview: A3 landscape, labels at 6.2 pt
    >>> p.sheet.css_class, round(p.scale, 2), round(p.printed_min_font_pt, 1)
    ('a3', 0.48, 6.2)
    >>> place(800, 600, 13, 88).sheet.css_class   # a small one stays in the text, unscaled
    ''
    """
    natural_w, natural_h = width_px / dpi * 25.4, height_px / dpi * 25.4
    best = None
    for sheet in SHEETS:
        scale = min(1.0, sheet.width_mm / natural_w, sheet.height_mm / natural_h)
        best = Placement(sheet, natural_w * scale, natural_h * scale, scale, min_font_pt)
        if best.printed_min_font_pt >= MIN_PRINTED_PT:
            break
    return best


def _natural_size(path: Path) -> tuple[float, float]:
    """A diagram's size in pixels at the DOT's dpi: the PNG's header, or the SVG's width and height
    (Graphviz writes the pixel size there, in 'pt')."""
    if path.suffix == ".svg":
        with open(path, encoding="utf-8") as handle:
            m = _SVG_SIZE.search(handle.read(4096))
        if m is None:
            raise ValueError(f"{path.name}: no width and height on the <svg> element")
        return float(m.group(1)), float(m.group(2))
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def _placement(img_tag: str) -> Placement | None:
    """The placement of a local diagram (size from its SVG or PNG, fonts and resolution from the
    DOT beside it: the graph's ``dpi``, what the image was drawn at). None without them."""
    m = _SRC.search(img_tag)
    if not m:
        return None
    path = Path(unquote(m.group(1)))
    try:
        width, height = _natural_size(path)
        dot = path.with_suffix(".dot").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    fonts = [float(f) for f in _FONTSIZE.findall(dot)]
    dpi = _DPI.search(dot)
    return place(width, height, min(fonts), float(dpi.group(1))) if fonts and dpi else None


def _figures(body: str, number: str) -> str:
    """A paragraph holding only a diagram becomes a numbered figure: '図3-1 ネットワーク構成（POC）'.

    A diagram prints at the size :func:`place` chooses (its width set in mm, so the scale is
    exact); on a landscape or A3 page it goes, with the heading right above it, into a block
    that the print template puts on a page of its own: heading, figure and caption stay together.
    """
    count = 0

    def fig(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        heading, img, alt = m.group(1) or "", m.group(2), m.group(3)
        where = _placement(img)
        if where is not None:
            size = f'style="width: {where.width_mm:.1f}mm; height: {where.height_mm:.1f}mm"'
            img = img.replace("<img ", f'<img {size} data-scale="{where.scale:.4f}" ', 1)
        caption = _("図{number}-{count}").format(number=number, count=count)
        figure = f'<figure>{img}<figcaption>{caption} {alt}</figcaption></figure>'
        if where is not None and where.sheet.css_class:
            return f'<div class="{where.sheet.css_class}">{heading}{figure}</div>'
        return heading + figure

    return _FIGURE.sub(fig, body)




def _classify_tables(body: str) -> str:
    """Mark tables by width so the print can shrink them, put those that cannot fit the page,
    and give each its column widths.

    A table whose ids, codes and short cells (which never wrap) cannot fit the portrait
    text width goes on landscape pages (A4, or A3 when even that is too narrow), with the
    headings (up to two, e.g. '12.2 本番環境' then '意図') and the one paragraph that
    introduce it, so its cells are not squeezed into one-character columns. In a very wide
    table (9+ columns: a reachability matrix) codes may break after '_' (SG_INGRESS_/DENIED).
    The column widths (:func:`render.print.columns.column_widths`, measured with the print's
    fonts) go into a ``<colgroup>``, and the table prints with them (class ``fixed``).
    """
    def mark(m: re.Match[str]) -> str:
        lead, rows = m.group(1) or "", m.group(2)
        head = rows.split("</tr>", 1)[0]
        cols = head.count("<th") or head.count("<td")
        size = "very-wide" if cols >= 9 else "wide" if cols >= 6 else "normal"
        if size == "very-wide":
            rows = re.sub(r"(<td>[^<]*)", lambda c: c.group(1).replace("_", "_<wbr>"), rows)
        pt, pad, _pad_y = TABLE_STYLE[size]
        widths = column_widths(rows, pt, pad)
        need = widths.min_total if widths is not None else 0.0
        sheet = next((s for s in SHEETS if need <= s.width_mm), SHEETS[-1])
        if size == "very-wide" and not sheet.css_class:
            sheet = SHEETS[1]
        if widths is None:
            table = f'<table class="{size}">{rows}</table>'
        else:
            table = f'<table class="{size} fixed">{widths.colgroup(sheet.width_mm)}{rows}</table>'
        return f'<div class="{sheet.css_class}">{lead}{table}</div>' if sheet.css_class else lead + table

    return _TABLE.sub(mark, body)


@functools.lru_cache(maxsize=256)
def page_html(text: str) -> str:
    """One page's Markdown as the print's HTML (tables classified and measured), before the
    document-wide steps of :func:`chapters`. Remembered by text: a process that converts each
    page as it arrives finds them done when :func:`chapters` runs."""
    md = markdown.Markdown(extensions=[*EXTENSIONS, PlainText()],
                           extension_configs={"toc": {"slugify": slugify_unicode}})
    return _classify_tables(_FILE_LINKS.sub("", md.convert(text)))


def _rewrite(body: str, page: str, anchors: dict[str, str], docs_dir: Path) -> str:
    """Prefix ids with the page anchor; links to pages -> in-document; images -> local file URIs."""
    prefix, folder = anchors[page], posixpath.dirname(page)

    def attr(m: re.Match[str]) -> str:
        name, value = m.group(1), html.unescape(m.group(2))
        if name == "id":
            return f' id="{prefix}--{html_text(value)}"'
        if name == "href":
            if value.startswith("#"):
                return f' href="#{prefix}--{html_text(value[1:])}"'
            if re.match(r"^[a-z][a-z0-9+.-]*:", value):
                return m.group(0)  # an external link stays a link; nothing is fetched
            target, _hash, frag = value.partition("#")
            target = posixpath.normpath(posixpath.join(folder, target)) if target else page
            if target.endswith("/"):
                target += "index.md"
            if target not in anchors:
                return m.group(0)
            ref = f"{anchors[target]}--{frag}" if frag else anchors[target]
            return f' href="#{html_text(ref)}"'
        # src: resolve against the page's folder inside docs_dir (a diagram prints from its SVG)
        if re.match(r"^[a-z][a-z0-9+.-]*:", value):
            return m.group(0)  # a URL: the PDF writer's fetcher serves data:/local file: only
        local = (docs_dir / posixpath.normpath(posixpath.join(folder, value.split("?")[0]))).resolve()
        return f' src="{html_text(local.as_uri())}"'

    return _ATTR.sub(attr, body)


def _number_headings(body: str, number: str, anchor: str) -> tuple[str, str, list]:
    """Shift headings so the first is h1; number unnumbered h2 as 'N.k'; collect the h2 for the TOC."""
    found = [(int(m.group(1)), m) for m in _HEADING.finditer(body)]
    top = min((lvl for lvl, _ in found), default=1)
    title, toc, counter = "", [], 0

    def repl(m: re.Match[str]) -> str:
        nonlocal title, counter
        level = int(m.group(1)) - top + 1
        attrs, inner = m.group(2), m.group(3)
        text = html.unescape(_TAGS.sub("", inner)).strip()
        if level == 1 and not title:
            title = text
            return ""  # the chapter heading is written by the template
        level = max(level, 2)
        if level == 2:
            counter += 1
            if chapter_number(text) is None:
                inner = f'{number}.{counter} {inner}'
                text = f"{number}.{counter} {text}"
            ident = re.search(r'id="([^"]*)"', attrs)
            if ident is None:
                attrs += f' id="{anchor}--h{counter}"'
                ident_value = f"{anchor}--h{counter}"
            else:
                ident_value = ident.group(1)
            toc.append((2, ident_value, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING.sub(repl, body)
    return body, title, toc


def chapters(pages: dict[str, str], docs_dir: Path, order: list[str] | None = None,
             skip: tuple[str, ...] = PRINT_SKIP) -> list[Chapter]:
    """Every page as a chapter: numbered pages in number order, then the others in page order.

    Pages in ``skip`` (default :data:`PRINT_SKIP`) are left out.
    """
    paths = [p for p in (order or list(pages)) if p in pages and p.endswith(".md") and p not in skip]
    anchors = {p: _anchor(p) for p in pages}
    converted = {p: _rewrite(page_html(pages[p]), p, anchors, docs_dir) for p in paths}
    firsts = {p: next((html.unescape(_TAGS.sub("", m.group(3))) for m in _HEADING.finditer(converted[p])), p)
              for p in paths}
    numbered = sorted((p for p in paths if chapter_number(firsts[p])),
                      key=lambda p: [int(x) for x in chapter_number(firsts[p]).split(".")])
    others = [p for p in paths if not chapter_number(firsts[p])]
    last = max((int(chapter_number(firsts[p]).split(".")[0]) for p in numbered), default=0)
    result = []
    for i, p in enumerate(numbered + others):
        given = chapter_number(firsts[p])
        number = given.split(".")[0] if given else str(last + 1 + i - len(numbered))
        body, title, toc = _number_headings(_figures(converted[p], number), number, anchors[p])
        if given:
            title = _NUMBER.sub("", title, count=1).strip()
        opener = re.match(r'<div class="(landscape|a3)">', body.lstrip())
        body = body.lstrip()[opener.end():] if opener else body
        result.append(Chapter(p, anchors[p], number, title or p, body, tuple(toc), bool(opener),
                              opener.group(1) if opener else ""))
    return result
