"""The whole document as one HTML file for print: cover, revisions, contents, numbered sections.

The approval PDF is what an approver signs, so it must hold exactly the generated pages
(no hand-made copy that can drift) in the seed's order and numbering: sections 1–9 as the
seed numbers them, then the extra pages (assumptions, intents, ...) numbered 10, 11, ...
Each Markdown page becomes one chapter; ids are prefixed per page so that anchors of
different pages cannot collide, links between pages become in-document links, and images
point at local files (PNG preferred: WeasyPrint renders them exactly as the site shows them).

>>> chapter_number("1. POC環境構成図"), chapter_number("前提・仮定"), chapter_number("9 移行")
('1', None, '9')
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown
from markdown.extensions.toc import slugify_unicode
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from render.escape import html_text

__all__ = ["Chapter", "chapters", "print_html", "chapter_number", "TEMPLATE_DIR", "EXTENSIONS", "PRINT_SKIP"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
EXTENSIONS = ["tables", "attr_list", "toc", "admonition", "def_list", "fenced_code", "md_in_html",
              "sane_lists"]
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?=\s|$)")
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ATTR = re.compile(r'\s(id|href|src)="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")
# A paragraph made only of download links to diagram files ("PNG ・ SVG ・ DOT"): useful
# on the site, a dead link on paper.
_FILE_LINKS = re.compile(r'<p>(?:\s*(?:・|\|)?\s*<a href="[^":#]+\.(?:png|svg|dot)">[^<]*</a>)+\s*</p>\n?')
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
    """The chapter opens with a landscape block: the template puts the chapter title into it
    (``html`` then lacks the block's opening tag), so the title is not left alone on a page."""


def _anchor(path: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9]+", "-", path.removesuffix(".md")).strip("-").lower()


_TABLE = re.compile(r"((?:<h[2-4]\b[^>]*>(?:(?!</h).)*</h[2-4]>\s*){0,2}(?:<p>(?:(?!</p>).)*</p>\s*)?)"
                    r"<table>(.*?)</table>", re.S)
_FIGURE = re.compile(r'(<h[2-4]\b[^>]*>(?:(?!</h).)*</h[2-4]>\s*)?<p>\s*(<img\b[^>]*\balt="([^"]*)"[^>]*>)\s*</p>',
                     re.S)
_SRC = re.compile(r'\bsrc="file://([^"]+)"')
LANDSCAPE_MIN_PX, LANDSCAPE_MIN_RATIO = 1600, 1.3
"""A diagram at least this wide (pixels) and this much wider than tall prints on a landscape
page: shrunk to a portrait page's 178 mm its 11-12 pt labels would fall below 4 pt."""


def _is_wide(img_tag: str) -> bool:
    """True for a large landscape-shaped local image (read from its PNG header only)."""
    m = _SRC.search(img_tag)
    if not m:
        return False
    try:
        from PIL import Image

        with Image.open(unquote(m.group(1))) as image:
            width, height = image.size
    except (OSError, ValueError):
        return False
    return width >= LANDSCAPE_MIN_PX and width >= LANDSCAPE_MIN_RATIO * height


def _figures(body: str, number: str) -> str:
    """A paragraph holding only a diagram becomes a numbered figure: '図3-1 ネットワーク構成（POC）'.

    A wide diagram goes, with the heading right above it, into a ``landscape`` block that
    print.css puts on its own A4 landscape page: heading, figure and caption stay together.
    """
    count = 0

    def fig(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        heading, img, alt = m.group(1) or "", m.group(2), m.group(3)
        figure = f'<figure>{img}<figcaption>図{number}-{count} {alt}</figcaption></figure>'
        if _is_wide(img):
            return f'<div class="landscape">{heading}{figure}</div>'
        return heading + figure

    return _FIGURE.sub(fig, body)


def _classify_tables(body: str) -> str:
    """Mark tables by width so print.css can shrink them: a reachability matrix has 10+ columns.

    A very wide table goes on landscape pages, with the headings (up to two, e.g. '12.2 本番環境'
    then '意図') and the one paragraph that introduce it, so its cells are not squeezed into one-word columns.
    """
    def mark(m: re.Match[str]) -> str:
        lead, rows = m.group(1) or "", m.group(2)
        head = rows.split("</tr>", 1)[0]
        cols = head.count("<th") or head.count("<td")
        size = "wide" if cols >= 6 else "normal"
        if cols >= 9:
            return f'<div class="landscape">{lead}<table class="very-wide">{rows}</table></div>'
        return f'{lead}<table class="{size}">{rows}</table>'

    return _TABLE.sub(mark, body)


def _convert(text: str) -> str:
    md = markdown.Markdown(extensions=EXTENSIONS,
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
            target, _, frag = value.partition("#")
            target = posixpath.normpath(posixpath.join(folder, target)) if target else page
            if target.endswith("/"):
                target += "index.md"
            if target not in anchors:
                return m.group(0)
            ref = f"{anchors[target]}--{frag}" if frag else anchors[target]
            return f' href="#{html_text(ref)}"'
        # src: resolve against the page's folder inside docs_dir; prefer the PNG of an SVG
        if re.match(r"^[a-z][a-z0-9+.-]*:", value):
            return m.group(0)  # a URL: the PDF writer's fetcher serves data:/local file: only
        local = (docs_dir / posixpath.normpath(posixpath.join(folder, value.split("?")[0]))).resolve()
        if local.suffix == ".svg" and local.with_suffix(".png").exists():
            local = local.with_suffix(".png")
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
    converted = {p: _rewrite(_convert(pages[p]), p, anchors, docs_dir) for p in paths}
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
        opener = '<div class="landscape">'
        first = body.lstrip().startswith(opener)
        body = body.lstrip().removeprefix(opener) if first else body
        result.append(Chapter(p, anchors[p], number, title or p, body, tuple(toc), first))
    return result


def print_html(pages: dict[str, str], docs_dir: Path, document: Any, order: list[str] | None = None) -> str:
    """The complete print HTML (a pure function of its inputs: same pages, same bytes)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, finalize=html_text,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    css = (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")
    return env.get_template("document.html.j2").render(
        doc=document, chapters=chapters(pages, Path(docs_dir), order), css=css)
