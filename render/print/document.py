"""The whole approval document as one Typst source: cover, revisions, contents, numbered chapters.

The approval PDF is what an approver signs, so it holds exactly the generated pages (no
hand-made copy that can drift), in the order and numbering :func:`render.print.html.chapters`
gives them. This module turns those chapters into Typst markup
(:mod:`render.print.typeset`) inside the document template (``document.typ.j2``: page
style, cover with the approval block, revision history, contents with page numbers,
running header and footer) and lists what the source reads besides itself: the images
(by their ``src``) and the files attached to the PDF (:mod:`render.print.archival`).

A pure function: the same pages, document and record give the same :class:`PrintSource`.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from model.i18n import current
from render.cache import template_cache
from render.escape import TypstMarkup, typst_string, typst_text
from render.i18n import _, ngettext
from render.print.archival import MIME, Record, attachments
from render.print.cover import PrintCover
from render.print.html import TEMPLATE_DIR, Chapter, chapters
from render.print.typeset import Element, Typesetter, ids, parse

__all__ = ["PrintSource", "Attached", "print_source", "as_cover", "chapter_body", "chapter_markup"]


def as_cover(document: Any, record: Record | None = None) -> PrintCover:
    """``document`` itself when it is a :class:`PrintCover`, else the model's document worded now
    (:func:`render.print.from_model.print_cover`, imported only then: the PDF worker, which is
    handed covers, never loads the model's types)."""
    if isinstance(document, PrintCover):
        return document
    from render.print.from_model import print_cover

    return print_cover(document, record)


@dataclass(frozen=True)
class Attached:
    """A file the PDF carries: where the source reads it (``att/<n>``) and what it is."""

    name: str
    file: str
    data: bytes
    relationship: str
    mime: str
    description: str


@dataclass(frozen=True)
class PrintSource:
    """Everything Typst compiles: the markup, the images it reads (name -> ``src`` as the page
    wrote it, a ``file:`` URL after :func:`render.print.html.chapters`) and the attachments."""

    markup: str
    images: dict[str, str]
    attachments: tuple[Attached, ...]
    modified: _dt.date


def chapter_body(chapter: Chapter) -> Element:
    """The chapter's HTML parsed. A chapter that opens with a landscape or A3 block lost that
    block's opening tag (:func:`render.print.html.chapters` took it out for the title): it is
    put back, so the block is the first child and holds everything up to its end tag."""
    if chapter.landscape_first:
        return _parsed(f'<div class="{chapter.first_block}">' + chapter.html)
    return _parsed(chapter.html)


@functools.lru_cache(maxsize=64)
def _parsed(html: str) -> Element:
    """:func:`render.print.typeset.parse`, remembered: a document laid out ahead of its job parses
    the same chapters again. Only read from here on (the typesetter never changes a tree)."""
    return parse(html)


def chapter_markup(chapter: Chapter, label: str, setter: Typesetter, body: Element) -> TypstMarkup:
    """One chapter (``body``: :func:`chapter_body`): its title as a level-1 heading (labelled, so
    links and the contents reach it), then its body. A chapter that opens with a landscape or A3
    block has its title on that block's page, so the title is never left alone on a page of its own."""
    heading = f"#heading(level: 1)[{typst_text(f'{chapter.number}. {chapter.title}')}] <{label}>"
    if not chapter.landscape_first:
        return TypstMarkup(heading + "\n\n" + setter.blocks(body.children, top=True))
    sheet, rest = body.children[0], body.children[1:]
    paper = typst_string("a3" if chapter.first_block == "a3" else "a4")
    return TypstMarkup(f"#sheet({paper})[{heading}\n\n{setter.blocks(sheet.children)}]\n\n"
                       f"{setter.blocks(rest, top=True)}")


def _attached(record: Record | None) -> tuple[Attached, ...]:
    out = []
    for i, a in enumerate(attachments(record) if record is not None else []):
        mime = MIME.get(Path(a.name).suffix, "application/octet-stream")
        out.append(Attached(a.name, f"att/{i}", a.data, a.relationship.lower(), mime, a.description))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _template() -> Any:
    """The document template, compiled once per process (a document laid out ahead of its job
    is made twice). Its words are looked up when it renders, in the current language."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=False, finalize=typst_text,
                      undefined=StrictUndefined, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"],
                      bytecode_cache=template_cache())
    env.install_gettext_callables(_, ngettext, newstyle=True)
    env.filters["str"] = typst_string
    return env.get_template("document.typ.j2")


def print_source(pages: dict[str, str], docs_dir: Path, document: Any, order: list[str] | None = None,
                 record: Record | None = None) -> PrintSource:
    """The complete Typst source of the approval PDF, with the images and files it reads.

    ``document``: a :class:`PrintCover`, or the model's document (worded by :func:`as_cover`).
    ``record``: the cover names its model digest (モデル識別子) and the model files are
    attached. Words are in the current language
    (:func:`model.i18n.current`, the document's: the caller sets it).
    """
    cover = as_cover(document, record)
    found = chapters(pages, Path(docs_dir), order)
    parsed = [chapter_body(ch) for ch in found]
    labels: dict[str, str] = {}
    for ch, body in zip(found, parsed):
        for ident in [ch.anchor, *ids(body)]:
            labels.setdefault(ident, f"l{len(labels) + 1}")
    images: dict[str, str] = {}
    setter = Typesetter(labels, images)
    bodies = [{"markup": chapter_markup(ch, labels[ch.anchor], setter, body)} for ch, body in zip(found, parsed)]
    attached = _attached(record)
    markup = _template().render(
        lang=current(), description=cover.description, doc=cover, chapters=bodies, authors=cover.authors,
        modified=cover.modified, revisions=cover.revisions, approver=cover.approver,
        approval_date=cover.approval_date, approved=cover.approved, attachments=attached,
        model_sha256=record.archive.digest if record is not None else None)
    return PrintSource(markup, {name: src for src, name in images.items()}, attached, cover.modified)
