"""A chapter's HTML (converted from its Markdown page) as Typst markup, for the approval PDF.

The print's chapters come from the same Markdown as the site (:func:`render.print.html.chapters`
numbers them, places figures and computes table columns); Typst lays them out. Only the
HTML Python-Markdown writes is expected — paragraphs, headings, lists, definition lists,
tables, code, links, images, admonitions — and the blocks archdoc adds (``figure``, the
``landscape``/``a3`` page blocks, ``.nb`` spans that never break, ``<wbr>`` break
opportunities). An unknown element is transparent: its text is kept, its meaning dropped,
so nothing of a page is lost and no HTML reaches Typst.

Every text goes through :func:`render.escape.typst_text` (markup) or
:func:`render.escape.typst_string` (code), so a page's text can never become Typst code.
Element ids become labels ``<l1>``, ``<l2>`` … (in the order they are met), and an
in-document link to a labelled element becomes a link in the PDF; a link to an id
without a label keeps its text.

>>> print(to_typst('<p>a <strong>b</strong> <span class="nb">sg-1</span></p>', {}).strip())
a #strong[b]; #box[sg\\-1];
>>> print(to_typst('<h2 id="x">2.1 概要</h2>', {"x": "l1"}).strip())
#heading(level: 2)[2\\.1 概要] <l1>
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field

from render.escape import TypstMarkup, typst_string, typst_text
from render.print.columns import TABLE_STYLE

__all__ = ["Element", "parse", "to_typst", "ids", "Typesetter"]

_VOID = {"br", "wbr", "img", "col", "hr", "input", "meta", "link", "source"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "figure", "div", "pre",
          "blockquote", "hr", "section", "nav", "details", "summary", "header", "footer", "article"}
_INLINE_WRAP = {"strong": "strong", "b": "strong", "em": "emph", "i": "emph", "sup": "super", "sub": "sub",
                "del": "strike", "s": "strike", "mark": "highlight", "u": "underline"}
_SPACE = re.compile(r"[ \t\n\r\f]+")
_WIDTH = re.compile(r"width:\s*([\d.]+)(%|mm)")
_HEIGHT = re.compile(r"height:\s*([\d.]+)mm")
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")



@dataclass
class Element:
    """A parsed HTML element (a small DOM: tag, attributes, children that are Elements or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Element | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Parser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # close up to the matching open element (a stray end tag closes nothing)
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(fragment: str) -> Element:
    """The fragment's elements under a ``root`` element."""
    parser = _Parser()
    parser.feed(fragment)
    parser.close()
    return parser.root


class Typesetter:
    """Converts parsed HTML to Typst markup, sharing labels and images across a whole document.

    ``labels``: element id -> Typst label name (an element with an id gets its label; a link
    to an id gets its target). ``images``: filled with each image's ``src`` -> the name the
    markup reads it from (``img/0.svg``, ...), which the PDF writer provides.
    """

    def __init__(self, labels: dict[str, str], images: dict[str, str]):
        self.labels = labels
        self.images = images

    # -- blocks -------------------------------------------------------------------------
    def blocks(self, nodes: list, top: bool = False) -> str:
        """Block content: runs of inline nodes become paragraphs, blocks stand alone. ``top``: the
        nodes are a chapter's own (not inside a list, table or block): only there can a
        landscape or A3 block become pages of its own (Typst allows no page inside a container)."""
        out, run = [], []
        for node in nodes:
            if isinstance(node, Element) and node.tag in _BLOCK:
                out.append(self.inline_run(run))
                run = []
                out.append(self.block(node, top))
            else:
                run.append(node)
        out.append(self.inline_run(run))
        return "\n\n".join(part for part in out if part.strip())

    def inline_run(self, nodes: list) -> str:
        return "".join(self.inline(n) for n in nodes).strip()

    def block(self, el: Element, top: bool = False) -> str:
        tag = el.tag
        label = self.label(el)
        if tag == "p":
            return self.inline_run(el.children) + (f" {label}" if label else "")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return f"#heading(level: {tag[1]})[{self.inline_run(el.children)}]" + (f" {label}" if label else "")
        if tag in ("ul", "ol"):
            items = [self.blocks(li.children) for li in el.children if isinstance(li, Element) and li.tag == "li"]
            kind = "list" if tag == "ul" else "enum"
            return f"#{kind}(tight: true, " + ", ".join(f"[{i}]" for i in items) + ")" if items else ""
        if tag == "dl":
            return self.terms(el)
        if tag == "table":
            return self.table(el)
        if tag == "figure":
            return self.figure(el)
        if tag == "pre":
            code = "".join(_text(el))
            return f"#block(fill: luma(245), inset: (x: 3mm, y: 2mm), radius: 1mm, width: 100%)[" \
                   f"#raw(block: true, {typst_string(code.rstrip(chr(10)))})]"
        if tag == "blockquote":
            return f"#quote(block: true)[{self.blocks(el.children)}]"
        if tag == "hr":
            return "#line(length: 100%, stroke: 0.5pt + luma(170))"
        if tag == "div" and "admonition" in el.classes:
            return self.admonition(el)
        if tag == "div" and el.classes & {"landscape", "a3"} and top:
            paper = "a3" if "a3" in el.classes else "a4"
            return f"#sheet({typst_string(paper)})[{self.blocks(el.children)}]"
        return self.blocks(el.children, top and tag in ("div", "section", "article"))

    def terms(self, el: Element) -> str:
        pairs, term = [], None
        for child in el.children:
            if isinstance(child, Element) and child.tag == "dt":
                term = self.inline_run(child.children)
            elif isinstance(child, Element) and child.tag == "dd":
                pairs.append(f"([{term or ''}], [{self.blocks(child.children)}])")
                term = None
        return "#terms(" + ", ".join(pairs) + ")" if pairs else ""

    def admonition(self, el: Element) -> str:
        title = next((c for c in el.children if isinstance(c, Element) and "admonition-title" in c.classes), None)
        rest = [c for c in el.children if c is not title]
        head = f"#strong[{self.inline_run(title.children)}]\n\n" if title is not None else ""
        return f"#note[{head}{self.blocks(rest)}]"

    def figure(self, el: Element) -> str:
        images = [n for n in _walk(el) if n.tag == "img"]
        caption = next((c for c in el.children if isinstance(c, Element) and c.tag == "figcaption"), None)
        body = "".join(self.image(img) for img in images)
        text = f"[{self.inline_run(caption.children)}]" if caption is not None else "none"
        return f"#diagram([{body}], {text})"

    def table(self, el: Element) -> str:
        classes = el.classes
        size = next((c for c in ("very-wide", "wide", "normal") if c in classes), None)
        pt, pad_x, pad_y = TABLE_STYLE[size or "normal"]
        widths = [m for col in _walk(el) if col.tag == "col" for m in [_WIDTH.search(col.attrs.get("style", ""))] if m]
        head, body, columns = [], [], 0
        for row in (n for n in _walk(el) if n.tag == "tr"):
            cells = [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]
            span = sum(int(c.attrs.get("colspan", "1") or 1) for c in cells)
            columns = max(columns, span)
            target = head if _in(el, row, "thead") else body
            target.append(", ".join(self.cell(c) for c in cells))
        if widths and len(widths) == columns:
            cols = "(" + ", ".join(f"{float(m.group(1)):.2f}" + ("fr" if m.group(2) == "%" else "mm")
                                   for m in widths) + ",)"
        else:
            cols = "(auto,) * " + str(max(columns, 1))
        header = f"table.header({', '.join(head)}), " if head else ""
        rows = ", ".join(r for r in body if r)
        return (f"#grid-table({pt}pt, (x: {pad_x}mm, y: {pad_y}mm), {cols}, "
                f"{header}{rows})")

    def cell(self, el: Element) -> str:
        content = self.blocks(el.children)
        if el.tag == "th":
            content = f"#strong[{content}]"
        args = []
        for name in ("colspan", "rowspan"):
            value = el.attrs.get(name, "1") or "1"
            if value.isdigit() and int(value) > 1:
                args.append(f"{name}: {int(value)}")
        align = _ALIGN.search(el.attrs.get("style", "")) or (
            re.match(r"(left|right|center)$", el.attrs.get("align", "")))
        if align:
            args.append(f"align: {align.group(1)}")
        return f"table.cell({', '.join(args)})[{content}]" if args else f"[{content}]"

    # -- inline -------------------------------------------------------------------------
    def inline(self, node: "Element | str") -> str:
        if isinstance(node, str):
            return typst_text(_SPACE.sub(" ", node))
        tag = node.tag
        label = self.label(node)
        if tag in _INLINE_WRAP:
            out = f"#{_INLINE_WRAP[tag]}[{self.inline_run_keep(node.children)}]"
        elif tag == "code":
            out = f"#raw({typst_string(''.join(_text(node)))})"
        elif tag == "br":
            out = "#linebreak()"
        elif tag == "wbr":
            out = "#sym.zws"  # a line may break here
        elif tag == "img":
            out = self.image(node)
        elif tag == "a":
            out = self.link(node)
        elif tag == "span" and "nb" in node.classes:
            out = f"#box[{self.inline_run_keep(node.children)}]"
        elif tag in _BLOCK:
            out = f"#block[{self.block(node)}]"
        else:
            out = self.inline_run_keep(node.children)
        if out.startswith("#"):
            out += ";"  # ends the expression: a following '(', '[' or '.' is text, not a call
        return out + (f"#[]{label}" if label else "")

    def inline_run_keep(self, nodes: list) -> str:
        return "".join(self.inline(n) for n in nodes)

    def link(self, el: Element) -> str:
        text = self.inline_run_keep(el.children)
        href = el.attrs.get("href", "")
        if href.startswith("#"):
            target = self.labels.get(href[1:])
            return f"#link(<{target}>)[{text}]" if target else text
        if re.match(r"^(https?|mailto):", href):
            return f"#link({typst_string(href)})[{text}]"
        return text

    def image(self, el: Element) -> str:
        src = el.attrs.get("src", "")
        name = self.images.setdefault(src, f"img/{len(self.images)}{_suffix(src)}")
        style = el.attrs.get("style", "")
        args = [typst_string(name)]
        width, height = _WIDTH.search(style), _HEIGHT.search(style)
        if width and width.group(2) == "mm":
            args.append(f"width: {float(width.group(1)):.1f}mm")
        if height:
            args.append(f"height: {float(height.group(1)):.1f}mm")
        if not (width or height):
            args.append("width: 100%")
            args.append('fit: "contain"')
        args.append(f"alt: {typst_string(el.attrs.get('alt', ''))}")
        return f"#box(image({', '.join(args)}))"

    def label(self, el: Element) -> str:
        ident = el.attrs.get("id")
        return f"<{self.labels[ident]}>" if ident and ident in self.labels else ""


def _suffix(src: str) -> str:
    path = src.split("?", 1)[0].split("#", 1)[0]
    m = re.search(r"\.([A-Za-z0-9]{1,5})$", path)
    return "." + m.group(1).lower() if m else ""


def _walk(el: Element):
    for child in el.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def _in(table: Element, row: Element, section: str) -> bool:
    return any(n.tag == section and row in list(_walk(n)) for n in table.children if isinstance(n, Element))


def _text(el: Element) -> list[str]:
    out = []
    for child in el.children:
        out += [child] if isinstance(child, str) else _text(child)
    return out


def ids(root: Element) -> list[str]:
    """Every element id under ``root`` (a :func:`parse` result), in document order."""
    return [n.attrs["id"] for n in _walk(root) if n.attrs.get("id")]


def to_typst(fragment: str, labels: dict[str, str], images: dict[str, str] | None = None) -> TypstMarkup:
    """Typst markup for an HTML fragment (:class:`Typesetter`'s ``labels`` and ``images``)."""
    return TypstMarkup(Typesetter(labels, images if images is not None else {}).blocks(parse(fragment).children))
