"""Document metadata and the assumptions archdoc records where the source document is silent or contradicts itself."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from model.schema.base import Id, Strict, Text

__all__ = ["Document", "Revision", "Assumption"]


class Revision(Strict):
    version: Text
    """Version this revision produced, e.g. '1.0'."""
    date: _dt.date
    """Date of the revision (YYYY-MM-DD)."""
    author: Text
    """Who made the revision (person or role)."""
    summary: Text
    """What changed in this revision."""


class Document(Strict):
    title: Text
    """Title of the document (site name, PDF title)."""
    version: Text
    """Current version of the document, e.g. '1.0'."""
    status: Text
    """Approval status as the organisation words it, e.g. '承認待ち'."""
    created: _dt.date
    """Date the document was first created (YYYY-MM-DD)."""
    approver: Text | None = None
    """承認者 (approver): empty until the document is approved."""
    approval_date: _dt.date | None = None
    """Date of approval: empty until the document is approved."""
    approval_placeholder: Text = "（承認後に記入）"
    """Text shown in empty approval fields until the document is approved."""
    revisions: tuple[Revision, ...] = ()
    """Revision history, oldest first."""


class Assumption(Strict):
    """Where the source document is silent or ambiguous, the value chosen, with its reason."""

    id: Id
    """Stable id other items refer to with their ``assumption`` key."""
    title: Text
    """Short title of the gap or contradiction."""
    statement: Text
    """What the source document says or leaves open, and the interpretation chosen."""
    value: Text
    """The value chosen (what the model encodes)."""
    kind: Literal["assumption", "contradiction"] = "assumption"
    """'assumption' (the document is silent) or 'contradiction' (it contradicts itself)."""
    seed_ref: Text | None = None
    """Where in the source document the gap or contradiction is (section numbers)."""
