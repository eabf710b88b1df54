"""The model's document as the print shows it: :func:`print_cover` words it once, here.

In the process that loaded the model and in the document's language, into a
:class:`~render.print.cover.PrintCover` of plain values that the PDF worker is handed
(it never loads the model's types).

>>> from model.loader import load_model
>>> from model.i18n import language
>>> doc = load_model().model.document
>>> with language(doc.language):
...     cover = print_cover(doc)
>>> cover.approver, cover.approved, cover.xmp is None
('（承認後に記入）', False, True)
"""

from __future__ import annotations

from typing import Any

from render.i18n import _
from render.pages.approval import approver_cells, revision_rows
from render.print.archival import Record, modified_date, xmp_descriptions
from render.print.cover import CoverStamp, PrintCover

__all__ = ["print_cover"]


def _authors(document: Any) -> tuple[str, ...]:
    """The PDF's authors: the issuing organisation, else whoever made a revision (oldest first)."""
    if document.organization:
        return (document.organization,)
    return tuple(dict.fromkeys(r.author for r in document.revisions))


def print_cover(document: Any, record: Record | None = None) -> PrintCover:
    """``document`` (:class:`model.schema.Document`) as the print shows it, in the current
    language (the document's: the caller sets it). ``record``: the XMP of the file names
    its model (:func:`render.print.archival.xmp_descriptions`); without one there is none."""
    approver, approval_date = approver_cells(document)
    description = _("{title} 第{version}版（{status}）").format(title=document.title, version=document.version,
                                                           status=document.status)
    return PrintCover(
        language=document.language, title=document.title, number=document.number,
        organization=document.organization, version=document.version, status=document.status,
        created=document.created, blank_text=document.blank_text,
        stamps=tuple(CoverStamp(s.role, s.name, s.date) for s in document.stamps),
        description=description, authors=_authors(document), modified=modified_date(document),
        revisions=tuple(revision_rows(document)), approver=approver, approval_date=approval_date,
        approved=document.approval is not None,
        xmp=xmp_descriptions(document, record) if record is not None else None)
