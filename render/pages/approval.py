"""The approval record on the pages: approver fields, the revision history, the banner, the changes page.

The model records each decision (``document.approvals``); the archdoc layer compares the
current model with the one the last approved version was approved on and hands the
result over (:class:`Approved`: the approval and the revision diff of
:mod:`analysis.diff.revisions`). This module words it: the approver and date of the
current version, a decision column for the revision history, the banner every site page
shows, and the rows of the changes page (``changes.md``). Every message is one template
with named placeholders (:data:`MESSAGES`).

>>> from model.loader import load_model
>>> doc = load_model().model.document
>>> banner(doc, None)["text"]
'第1.0版（承認待ち）：承認済みの版はありません'
>>> approver_cells(doc)
('（承認後に記入）', '（承認後に記入）')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from model.changes import ItemChange
from model.schema import Approval, Document
from render.pages.codes_ja import with_gloss
from render.pages.i18n import N_, _, ngettext

__all__ = ["Approved", "MESSAGES", "CHANGES_PAGE", "banner", "approver_cells", "revision_rows", "decision_text",
           "changes_context", "changes_title", "message", "who", "blank", "SECTION_JA", "KIND_JA"]

CHANGES_PAGE = "changes.md"


MESSAGES = {
    "none": N_("第{version}版（{status}）：承認済みの版はありません"),
    "approved": N_("第{version}版：{date} {who} 承認済み"),
    "changed": N_("承認済み第{approved}版からの変更あり（現在 第{version}版・{status}）"),
    "unchanged": N_("承認済み第{approved}版から設計の変更はありません（現在 第{version}版・{status}）"),
    "link": N_("変更点"),
    "title": N_("承認済み第{approved}版からの変更"),
    "decision": N_("{decision} {date} {who}"),
    "comment": N_("：{comment}"),
}
"""Texts of the banner and the changes page (msgids); ``{name}`` placeholders are filled from the record."""

SECTION_JA = {
    "document": N_("文書情報"), "assumptions": N_("前提・仮定"), "environments": N_("環境"),
    "regions": N_("リージョン"), "accounts": N_("アカウント"), "sites": N_("拠点"), "vpcs": "VPC",
    "subnets": N_("サブネット"), "named_cidrs": N_("名前付きCIDR"), "security_groups": N_("セキュリティグループ"),
    "nacls": N_("ネットワークACL"), "route_tables": N_("ルートテーブル"), "tgw_route_tables": N_("TGWルートテーブル"),
    "nodes": N_("コンポーネント"), "actors": N_("利用者"), "flows": N_("通信フロー"), "views": N_("構成図"),
    "intents": N_("到達性の意図"),
}
"""Model sections as the changes page names them (msgids)."""

KIND_JA = {
    "vpc": "VPC", "subnet": N_("サブネット"), "node": N_("コンポーネント"), "security-group": N_("セキュリティグループ"),
    "sg-rule": N_("SGルール"), "route-table": N_("ルートテーブル"), "route": N_("ルート"), "nacl": N_("ネットワークACL"),
    "nacl-rule": N_("NACLルール"), "migration": N_("移行表"),
}
_ITEM_CHANGE = {"added": N_("追加"), "removed": N_("削除"), "changed": N_("変更")}
_CONFIG_CHANGE = {"only-from": N_("削除"), "only-to": N_("追加"), "changed": N_("変更")}
_FINDING_CHANGE = {"appeared": N_("新たに発生"), "cleared": N_("解消")}
_VERDICT = {"reachable": N_("✓ 到達可能"), "unreachable": N_("✗ 到達不可"), "conditional": N_("△ 条件付き")}
_SEV = {"error": N_("エラー"), "warning": N_("警告"), "info": N_("情報")}
_DECISION = {"approved": N_("承認"), "returned": N_("差戻し")}


def message(key: str, **fill: object) -> str:
    """The text ``key`` of :data:`MESSAGES` in the document's language, filled in."""
    return _(MESSAGES[key]).format(**fill)


def changes_title(approved: str) -> str:
    """The changes page's title: '承認済み第1.0版からの変更'."""
    return message("title", approved=approved)


def who(a: Approval) -> str:
    """'name（role）' as the approval block shows it."""
    return _("{name}（{role}）").format(name=a.approver, role=a.role)


def _placeholder(doc: Document) -> str:
    """The approver placeholder: the model's own text, or the default in the document's language."""
    return doc.placeholder_text


def blank(doc: Document) -> str:
    """The text of an empty document field: the model's own, or the default in the document's language."""
    return doc.blank_text


@dataclass(frozen=True)
class Approved:
    """The last approved version and how the current model compares with it."""

    approval: Approval
    diff: Any
    """An :class:`analysis.diff.revisions.RevisionDiff` (approved model -> current model)."""


def approver_cells(doc: Document) -> tuple[str, str]:
    """(承認者, 承認日) of the current version, or the placeholder until it is approved."""
    a = doc.approval
    return (who(a), a.date.isoformat()) if a else (_placeholder(doc), _placeholder(doc))


def decision_text(a: Approval) -> str:
    """'承認 2025-10-10 山田 太郎（情報政策課長）', with the comment after '：' when there is one."""
    text = message("decision", decision=_(_DECISION[a.decision]), date=a.date.isoformat(), who=who(a))
    return text + (message("comment", comment=a.comment) if a.comment else "")


def _decisions(doc: Document, version: str) -> str:
    return _("、").join(decision_text(a) for a in doc.approvals if a.version == version)


def revision_rows(doc: Document) -> list[tuple[str, str, str, str, str]]:
    """The revision history with each version's decisions (承認 / 差戻し, date, who); a version
    decided on without a revision entry of its own gets a row of its own."""
    rows = [(r.version, r.date.isoformat(), r.author, r.summary, _decisions(doc, r.version) or "—")
            for r in doc.revisions]
    listed = {r.version for r in doc.revisions}
    for version in dict.fromkeys(a.version for a in doc.approvals):
        if version not in listed:
            rows.append((version, "—", "—", "—", _decisions(doc, version)))
    return rows


def banner(doc: Document, approved: Approved | None) -> dict[str, str]:
    """The site banner: which version is approved, and whether the model changed since.

    ``{"text", "state"}`` plus ``"link"`` (the changes page) when a version was approved;
    ``state`` is 'none', 'approved', 'changed' or 'unchanged' (the CSS class of the banner).
    """
    fill = {"version": doc.version, "status": doc.status}
    if approved is None:
        return {"state": "none", "text": message("none", **fill)}
    a = approved.approval
    fill.update(approved=a.version, date=a.date.isoformat(), who=who(a))
    if a.version == doc.version and approved.diff.same:
        state = "approved"
    else:
        state = "unchanged" if approved.diff.same else "changed"
    return {"state": state, "text": message(state, **fill), "link": CHANGES_PAGE,
            "link_text": message("link")}


def _item_rows(loaded: Any, items: tuple[ItemChange, ...]) -> list[tuple]:
    rows = []
    for c in items:
        if c.section == "document":
            where = loaded.where("document", c.key) if hasattr(loaded, "where") else None
        elif c.change != "removed" and hasattr(loaded, "where_id"):
            where = loaded.where_id(c.section, c.key)
        else:
            where = None
        rows.append((_(SECTION_JA[c.section]) if c.section in SECTION_JA else c.section, c.key,
                     _(_ITEM_CHANGE[c.change]),
                     ", ".join(c.fields) or "—", where or "—"))
    return rows


def _env_name(ix: Any, env: str) -> str:
    e = ix.envs.get(env)
    return e.name if e is not None else env


def changes_context(loaded: Any, ix: Any, approved: Approved) -> dict[str, Any]:
    """Everything ``changes.md.j2`` shows: the two versions, the verdict and the change rows."""
    a, d = approved.approval, approved.diff
    envs = [{"name": _env_name(ix, e.env),
             "config": [(_(KIND_JA[c.kind]) if c.kind in KIND_JA else c.kind, c.key, _(_CONFIG_CHANGE[c.change]),
                         c.from_value or "—", c.to_value or "—") for c in e.config],
             "reach": [(r.source, r.target, str(r.port), _(_VERDICT[r.from_verdict]), _(_VERDICT[r.to_verdict]),
                        r.to_reason if r.to_verdict != "reachable" else r.from_reason) for r in e.reach]}
            for e in d.envs]
    findings = [(_env_name(ix, f.finding.env), _(_FINDING_CHANGE[f.change]),
                 _(_SEV[f.finding.severity]) if f.finding.severity in _SEV else f.finding.severity,
                 with_gloss(f.finding.code), ", ".join(f.finding.resources), f.finding.message) for f in d.findings]
    return {
        "title": changes_title(a.version),
        "summary": [(_("承認済みの版"), _("第{version}版").format(version=a.version)), (_("承認"), decision_text(a)),
                    (_("承認時のモデル識別子（SHA-256）"), a.model_sha256 or "—"),
                    (_("現在の版"), _("第{version}版（{status}）").format(version=ix.model.document.version,
                                                                      status=ix.model.document.status)),
                    (_("判定"), _("変更なし") if d.same else
                     ngettext("変更あり（モデルの{count}項目）", "変更あり（モデルの{count}項目）",
                              len(d.items)).format(count=len(d.items)))],
        "same": d.same, "items": _item_rows(loaded, d.items), "envs": envs,
        "envs_added": [_env_name(ix, e) for e in d.envs_added], "envs_removed": list(d.envs_removed),
        "findings": findings,
    }
