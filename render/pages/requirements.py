"""Rows of the requirements page (``docs/requirements.md``): the document's promises, kept or not.

One section per environment: a count per status, then one row per requirement and
component (broken first, then not decidable, then kept) with the promise in the document's words, what the configuration says, and both
lines (``要件`` where the requirement is written, ``構成`` the configuration that decides
it). The analysis computes the rows (:class:`analysis.requirements.RequirementRow`) and
hands them over through ``requirements_of(env)``; nothing here imports :mod:`analysis`.

>>> STATUS["broken"], STATUS["not-decidable"]
('✗ 満たさない', '? 判定不能')
"""

from __future__ import annotations

from typing import Any, Protocol

from model.index import ModelIndex

__all__ = ["requirement_sections", "RequirementRows", "STATUS", "KEY_LABELS"]

STATUS = {"kept": "✓ 満たす", "broken": "✗ 満たさない", "not-decidable": "? 判定不能"}
KEY_LABELS = {
    "multi_az": "Multi-AZ", "survive_az_loss": "1つのAZの障害で止まらない", "min_tasks_per_service": "最小タスク数",
    "autoscaling": "Auto Scaling", "encryption_at_rest": "保存時の暗号化", "backup_retention_days": "バックアップ保持期間",
    "rpo": "RPO", "rto": "RTO", "dr": "DRコピー", "egress": "送信の方針", "alarms_notify": "アラームの通知",
    "must_not_reach": "分離",
}
"""The requirement keys of :class:`model.schema.Requirements` in words (the table's 要件 column)."""


class RequirementRows(Protocol):
    """What the page needs of the analysis (an :class:`analysis.analyze.Analysis`)."""

    def requirements_of(self, env: str) -> tuple[Any, ...]: ...


def _subject(ix: ModelIndex, env: str, component: str) -> str:
    if not component:
        return ix.envs[env].name
    if component in ix.nodes and env in ix.nodes[component].at:
        return f"{ix.label(component, env)}（{component}）"
    return ix.envs[component].name if component in ix.envs else component


def _where(r: Any) -> str:
    return f"要件 {r.requirement_location or '—'}\n構成 {r.config_location or '—'}"


def _section(ix: ModelIndex, analysis: RequirementRows, env: str) -> dict[str, Any]:
    order = ["broken", "not-decidable", "kept"]  # the analysis' order within each status
    rows = sorted(analysis.requirements_of(env), key=lambda r: order.index(r.status))
    return {
        "env": ix.envs[env],
        "counts": {s: sum(r.status == s for r in rows) for s in STATUS},
        "rows": [(STATUS[r.status], f"{KEY_LABELS.get(r.key, r.key)}: {r.expected}", _subject(ix, env, r.component),
                  f"{r.statement}（{r.seed_ref}）", r.reason + (f"［{r.code}］" if r.code else ""), _where(r))
                 for r in rows],
    }


def requirement_sections(ix: ModelIndex, analysis: RequirementRows) -> list[dict[str, Any]]:
    """One section per environment, in model order (an environment without requirements has no rows)."""
    return [_section(ix, analysis, env) for env in ix.envs]
