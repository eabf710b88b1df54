"""Document metadata and the assumptions archdoc records where the seed is silent or contradicts itself."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from model.schema.base import Id, Strict, Text

__all__ = ["Document", "Revision", "Assumption"]


class Revision(Strict):
    version: Text
    date: _dt.date
    author: Text
    summary: Text


class Document(Strict):
    title: Text
    version: Text
    status: Text
    created: _dt.date
    approver: Text | None = None
    """承認者: empty until the document is approved (the seed leaves it blank)."""
    approval_date: _dt.date | None = None
    approval_placeholder: Text = "（承認後に記入）"
    revisions: tuple[Revision, ...] = ()


class Assumption(Strict):
    """Where the seed is silent or ambiguous, the value archdoc chose, with its reason."""

    id: Id
    title: Text
    statement: Text
    value: Text
    kind: Literal["assumption", "contradiction"] = "assumption"
    seed_ref: Text | None = None
    """Where in the seed the gap or contradiction is (section number)."""
