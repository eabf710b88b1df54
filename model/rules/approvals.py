"""Rules of the approval record (``document.approvals``): a record a records office can trust.

E070: an entry names a version the document has (the current version or one in the
revision history), so a typo cannot approve a version nobody wrote. E071: an approved
version is immutable, so after its approval no further decision on it is recorded (a
change makes a new version). E072: an approval names the model it was given on
(``model_sha256``, printed on the approval PDF's cover), and a decision to send a version
back names none (it approves no model).
"""

from __future__ import annotations

from typing import Iterator

from model.errors import did_you_mean
from model.rules.registry import Ctx, RuleHit, rule

__all__ = ["approval_versions_exist", "approved_versions_immutable", "approval_names_its_model"]


@rule("E070", "an approval names a version of the document (the current version or one in the revision history)")
def approval_versions_exist(c: Ctx) -> Iterator[RuleHit]:
    doc = c.m.document
    versions = [doc.version, *(r.version for r in doc.revisions)]
    for i, a in enumerate(doc.approvals):
        if a.version not in versions:
            yield (("document", "approvals", i, "version"),
                   f"approval of unknown version '{a.version}'{did_you_mean(a.version, versions)}; versions: "
                   + ", ".join(dict.fromkeys(versions)))


@rule("E071", "a version is approved at most once and no decision on it follows its approval (an approved version is immutable)")
def approved_versions_immutable(c: Ctx) -> Iterator[RuleHit]:
    approved_at: dict[str, int] = {}
    for i, a in enumerate(c.m.document.approvals):
        if a.version in approved_at:
            first = c.where(("document", "approvals", approved_at[a.version]))
            yield (("document", "approvals", i),
                   f"version '{a.version}' was already approved ({first}); an approved version is immutable: "
                   "record changes as a new version (document.version and a revision entry)")
        elif a.decision == "approved":
            approved_at[a.version] = i


@rule("E072", "an approval records the model_sha256 it was given on; a decision to send back records none")
def approval_names_its_model(c: Ctx) -> Iterator[RuleHit]:
    for i, a in enumerate(c.m.document.approvals):
        if a.decision == "approved" and a.model_sha256 is None:
            yield (("document", "approvals", i),
                   f"the approval of version '{a.version}' needs model_sha256: the モデル識別子 on the approved "
                   "PDF's cover (also printed by 'archdoc check --approved FILE.pdf')")
        elif a.decision == "returned" and a.model_sha256 is not None:
            yield (("document", "approvals", i, "model_sha256"),
                   f"version '{a.version}' was sent back (returned): it approves no model, so it records no "
                   "model_sha256")
