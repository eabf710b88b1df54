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

__all__ = ["Approved", "MESSAGES", "CHANGES_PAGE", "banner", "approver_cells", "revision_rows", "decision_text",
           "changes_context", "SECTION_JA", "KIND_JA"]

CHANGES_PAGE = "changes.md"

MESSAGES = {
    "none": "第{version}版（{status}）：承認済みの版はありません",
    "approved": "第{version}版：{date} {who} 承認済み",
    "changed": "承認済み第{approved}版からの変更あり（現在 第{version}版・{status}）",
    "unchanged": "承認済み第{approved}版から設計の変更はありません（現在 第{version}版・{status}）",
    "link": "変更点",
    "title": "承認済み第{approved}版からの変更",
    "decision": "{decision} {date} {who}",
    "comment": "：{comment}",
}
"""Japanese texts of the banner and the changes page; ``{name}`` placeholders are filled from the record."""

SECTION_JA = {
    "document": "文書情報", "assumptions": "前提・仮定", "environments": "環境", "regions": "リージョン",
    "accounts": "アカウント", "sites": "拠点", "vpcs": "VPC", "subnets": "サブネット",
    "named_cidrs": "名前付きCIDR", "security_groups": "セキュリティグループ", "nacls": "ネットワークACL",
    "route_tables": "ルートテーブル", "tgw_route_tables": "TGWルートテーブル", "nodes": "コンポーネント",
    "actors": "利用者", "flows": "通信フロー", "views": "構成図", "intents": "到達性の意図",
}
"""Model sections as the changes page names them."""

KIND_JA = {
    "vpc": "VPC", "subnet": "サブネット", "node": "コンポーネント", "security-group": "セキュリティグループ",
    "sg-rule": "SGルール", "route-table": "ルートテーブル", "route": "ルート", "nacl": "ネットワークACL",
    "nacl-rule": "NACLルール", "migration": "移行表",
}
_ITEM_CHANGE = {"added": "追加", "removed": "削除", "changed": "変更"}
_CONFIG_CHANGE = {"only-from": "削除", "only-to": "追加", "changed": "変更"}
_FINDING_CHANGE = {"appeared": "新たに発生", "cleared": "解消"}
_VERDICT = {"reachable": "✓ 到達可能", "unreachable": "✗ 到達不可", "conditional": "△ 条件付き"}
_SEV = {"error": "エラー", "warning": "警告", "info": "情報"}


@dataclass(frozen=True)
class Approved:
    """The last approved version and how the current model compares with it."""

    approval: Approval
    diff: Any
    """An :class:`analysis.diff.revisions.RevisionDiff` (approved model -> current model)."""


def approver_cells(doc: Document) -> tuple[str, str]:
    """(承認者, 承認日) of the current version, or the placeholder until it is approved."""
    a = doc.approval
    return (a.who, a.date.isoformat()) if a else (doc.placeholder_text, doc.placeholder_text)


def decision_text(a: Approval) -> str:
    """'承認 2025-10-10 山田 太郎（情報政策課長）', with the comment after '：' when there is one."""
    text = MESSAGES["decision"].format(decision=a.decision_ja, date=a.date.isoformat(), who=a.who)
    return text + (MESSAGES["comment"].format(comment=a.comment) if a.comment else "")


def _decisions(doc: Document, version: str) -> str:
    return "、".join(decision_text(a) for a in doc.approvals if a.version == version)


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
        return {"state": "none", "text": MESSAGES["none"].format(**fill)}
    a = approved.approval
    fill.update(approved=a.version, date=a.date.isoformat(), who=a.who)
    if a.version == doc.version and approved.diff.same:
        state = "approved"
    else:
        state = "unchanged" if approved.diff.same else "changed"
    return {"state": state, "text": MESSAGES[state].format(**fill), "link": CHANGES_PAGE,
            "link_text": MESSAGES["link"]}


def _item_rows(loaded: Any, items: tuple[ItemChange, ...]) -> list[tuple]:
    rows = []
    for c in items:
        if c.section == "document":
            where = loaded.where("document", c.key) if hasattr(loaded, "where") else None
        elif c.change != "removed" and hasattr(loaded, "where_id"):
            where = loaded.where_id(c.section, c.key)
        else:
            where = None
        rows.append((SECTION_JA.get(c.section, c.section), c.key, _ITEM_CHANGE[c.change],
                     ", ".join(c.fields) or "—", where or "—"))
    return rows


def _env_name(ix: Any, env: str) -> str:
    e = ix.envs.get(env)
    return e.name if e is not None else env


def changes_context(loaded: Any, ix: Any, approved: Approved) -> dict[str, Any]:
    """Everything ``changes.md.j2`` shows: the two versions, the verdict and the change rows."""
    a, d = approved.approval, approved.diff
    envs = [{"name": _env_name(ix, e.env),
             "config": [(KIND_JA.get(c.kind, c.kind), c.key, _CONFIG_CHANGE[c.change], c.from_value or "—",
                         c.to_value or "—") for c in e.config],
             "reach": [(r.source, r.target, str(r.port), _VERDICT[r.from_verdict], _VERDICT[r.to_verdict],
                        r.to_reason if r.to_verdict != "reachable" else r.from_reason) for r in e.reach]}
            for e in d.envs]
    findings = [(_env_name(ix, f.finding.env), _FINDING_CHANGE[f.change], _SEV.get(f.finding.severity, f.finding.severity),
                 with_gloss(f.finding.code), ", ".join(f.finding.resources), f.finding.message) for f in d.findings]
    return {
        "title": MESSAGES["title"].format(approved=a.version),
        "summary": [("承認済みの版", f"第{a.version}版"), ("承認", decision_text(a)),
                    ("承認時のモデル識別子（SHA-256）", a.model_sha256 or "—"),
                    ("現在の版", f"第{ix.model.document.version}版（{ix.model.document.status}）"),
                    ("判定", "変更なし" if d.same else f"変更あり（モデルの{len(d.items)}項目）")],
        "same": d.same, "items": _item_rows(loaded, d.items), "envs": envs,
        "envs_added": [_env_name(ix, e) for e in d.envs_added], "envs_removed": list(d.envs_removed),
        "findings": findings,
    }
