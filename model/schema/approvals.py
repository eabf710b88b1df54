"""The approval record of the document: who decided on which version, when, and on which model.

A design document in a Japanese public body is approved (承認) or sent back (差戻し) by a
person in a role, on a date, for one version. An approved version is immutable: the model
it was approved on is named by the SHA-256 printed on the approval PDF's cover (the
digest of the model files the PDF carries, :mod:`model.archive`), so the record in the
repository and the paper in the records office name the same model. Entries are kept
oldest first; the decision of a version is its last entry.

>>> a = Approval(version="1.0", date="2025-10-10", approver="山田 太郎", role="情報政策課長",
...              decision="approved", model_sha256="0" * 64)
>>> a.decision_ja, a.who
('承認', '山田 太郎（情報政策課長）')
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import StringConstraints

from model.schema.base import Strict, Text

__all__ = ["Approval", "Sha256", "DECISIONS_JA"]

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""A SHA-256 digest as 64 lowercase hexadecimal digits."""

DECISIONS_JA = {"approved": "承認", "returned": "差戻し"}
"""How the pages and the PDF word each decision."""


class Approval(Strict):
    """One decision on one version of the document (承認 or 差戻し)."""

    version: Text
    """The document version decided on, e.g. '1.0' (the current version or one in the revision history)."""
    date: _dt.date
    """Date of the decision (YYYY-MM-DD)."""
    approver: Text
    """Who decided (person or post), e.g. '山田 太郎'."""
    role: Text
    """The approver's role or post, e.g. '情報政策課長'."""
    decision: Literal["approved", "returned"]
    """'approved' (承認: the version is final and immutable) or 'returned' (差戻し: changes are asked for)."""
    model_sha256: Sha256 | None = None
    """SHA-256 of the model the version was approved on, as printed on the approval PDF's cover
    (モデル識別子) and by 'archdoc check --approved'; required when the decision is 'approved'."""
    comment: Text | None = None
    """A remark recorded with the decision (e.g. the reason for sending it back)."""

    @property
    def decision_ja(self) -> str:
        return DECISIONS_JA[self.decision]

    @property
    def who(self) -> str:
        """'name（role）' as the approval block shows it."""
        return f"{self.approver}（{self.role}）"
