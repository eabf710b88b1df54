"""Document metadata and the assumptions archdoc records where the source document is silent or contradicts itself."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from model.catalog import _
from model.schema.approvals import Approval
from model.schema.base import Id, Strict, Text

__all__ = ["Document", "Revision", "Stamp", "Assumption", "RECORD_FIELDS"]

RECORD_FIELDS = ("version", "status", "approvals", "stamps")
"""Document fields that record where the document stands, not what it says: they change when a
version is approved or a new one begins, so comparing a model with the approved one leaves them out."""


class Revision(Strict):
    version: Text
    """Version this revision produced, e.g. '1.0'."""
    date: _dt.date
    """Date of the revision (YYYY-MM-DD)."""
    author: Text
    """Who made the revision (person or role)."""
    summary: Text
    """What changed in this revision."""


class Stamp(Strict):
    """One box of the approval block (e.g. prepared / reviewed / approved): the role, and who stamped
    it when."""

    role: Text
    """The role the box is for, in the document's language, e.g. 'Prepared', 'Reviewed', 'Approved'
    (in Japanese: '作成', '審査', '承認')."""
    name: Text | None = None
    """Who stamped (person or post); empty until stamped."""
    date: _dt.date | None = None
    """When it was stamped (YYYY-MM-DD); empty until stamped."""


class Document(Strict):
    title: Text
    """Title of the document (site name, PDF title)."""
    language: Literal["ja", "en"] = "ja"
    """Language of every generated word (page titles, table headers, diagram legends, finding and
    reachability messages, the PDF cover, the site's theme): 'ja' (default) or 'en'. The model's own
    text (labels, purposes, notes) is shown as written; JSON outputs keep their English codes."""
    version: Text
    """Current version of the document, e.g. '1.0'."""
    status: Text
    """Approval status as the organisation words it, e.g. 'Draft', 'Pending approval' ('承認待ち')."""
    created: _dt.date
    """Date the document was first created (YYYY-MM-DD)."""
    approval_placeholder: Text | None = None
    """Text shown in the approver and approval date fields until the current version is approved;
    empty: the document language's ('（承認後に記入）', '(to be entered after approval)')."""
    approvals: tuple[Approval, ...] = ()
    """The approval record, oldest first: each decision (承認 / 差戻し) on a version, by whom, when and on
    which model. The current version is approved when its last entry approves it; the pages, the PDF's
    approval block and the revision history show it, and 'archdoc build' refuses a model that differs
    from the one an approved version was approved on."""
    revisions: tuple[Revision, ...] = ()
    """Revision history, oldest first."""
    number: Text | None = None
    """文書番号 (document number) as the organisation files it; empty until assigned."""
    organization: Text | None = None
    """The organisation that issues the document (組織名); empty when the source does not say."""
    stamps: tuple[Stamp, ...] = ()
    """Boxes of the approval block, in order (e.g. prepared, reviewed, approved); empty: no stamp boxes."""
    blank: Text | None = None
    """Text shown in an empty field of the document information (number, organisation, a stamp's name or
    date); empty: the document language's ('（未記入）', '(not entered)')."""

    @property
    def placeholder_text(self) -> str:
        """:attr:`approval_placeholder`, or the current language's when the model leaves it empty."""
        return self.approval_placeholder or _("（承認後に記入）")

    @property
    def blank_text(self) -> str:
        """:attr:`blank`, or the current language's when the model leaves it empty."""
        return self.blank or _("（未記入）")

    def decision_of(self, version: str) -> Approval | None:
        """The decision on ``version``: its last entry in :attr:`approvals` (None: not decided)."""
        return next((a for a in reversed(self.approvals) if a.version == version), None)

    @property
    def approval(self) -> Approval | None:
        """The approval of the current version, when its decision is 'approved' (else None)."""
        decided = self.decision_of(self.version)
        return decided if decided is not None and decided.decision == "approved" else None

    @property
    def last_approved(self) -> Approval | None:
        """The most recent approval of any version (None: no version was ever approved)."""
        return next((a for a in reversed(self.approvals) if a.decision == "approved"), None)


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
