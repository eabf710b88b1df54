"""The document as the print shows it besides its chapters: plain values, worded in its language.

The cover, the approval block, the revision history, the running header and the file's
metadata need the model's document and its approval record; the chapters need only the
pages. The process that loaded the model words the document
(:func:`render.print.from_model.print_cover`) into a :class:`PrintCover`, and the process
that lays the print out (the PDF worker, :mod:`archdoc.pdf_ahead`) is handed it: it never
loads the model's types, so it is forked before they are imported and starts on the pages
at once. Nothing but the standard library here (the worker unpickles these classes).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

__all__ = ["PrintCover", "CoverStamp"]


@dataclass(frozen=True)
class CoverStamp:
    """One box of the approval block: the role, and who stamped it when (None: blank)."""

    role: str
    name: str | None
    date: _dt.date | None


@dataclass(frozen=True)
class PrintCover:
    """What the print shows of the document besides its chapters, worded in its language: the
    cover and approval block, the revision history, the running header and the file's
    metadata. Plain values (:func:`render.print.from_model.print_cover` makes it from the model's
    document), so a process that never loads the model's types can print the document."""

    language: str
    title: str
    number: str | None
    organization: str | None
    version: str
    status: str
    created: _dt.date
    blank_text: str
    """What an empty field shows."""
    stamps: tuple[CoverStamp, ...]
    description: str
    """The file's description (title, version, status)."""
    authors: tuple[str, ...]
    modified: _dt.date
    revisions: tuple[tuple[str, str, str, str, str], ...]
    """(version, date, author, summary, decisions) rows of the revision history."""
    approver: str
    approval_date: str
    approved: bool
    xmp: str | None
    """archdoc's XMP descriptions (:func:`render.print.archival.xmp_descriptions`); None when
    it was made without the record."""
