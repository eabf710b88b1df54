"""Rows of the requirements page (``docs/requirements.md``): the document's promises, kept or not.

One section per environment: a count per status, then one row per requirement and
component (broken first, then not decidable, then kept) with the promise in the document's words, what the configuration says, and both
lines (``要件`` where the requirement is written, ``構成`` the configuration that decides
it). The analysis computes the rows (:class:`analysis.requirements.RequirementRow`) and
hands them over through ``requirements_of(env)``; nothing here imports :mod:`analysis`.

>>> _(STATUS["broken"]), _(STATUS["not-decidable"])
('✗ 満たさない', '? 判定不能')
"""

from __future__ import annotations

from typing import Any, Protocol

from model.index import ModelIndex
from render.pages.i18n import N_, _

__all__ = ["requirement_sections", "RequirementRows", "STATUS", "KEY_LABELS"]

STATUS = {"kept": N_("✓ 満たす"), "broken": N_("✗ 満たさない"), "not-decidable": N_("? 判定不能")}
KEY_LABELS = {
    "multi_az": "Multi-AZ", "survive_az_loss": N_("1つのAZの障害で止まらない"), "min_tasks_per_service": N_("最小タスク数"),
    "autoscaling": "Auto Scaling", "encryption_at_rest": N_("保存時の暗号化"),
    "backup_retention_days": N_("バックアップ保持期間"), "rpo": "RPO", "rto": "RTO", "dr": N_("DRコピー"),
    "egress": N_("送信の方針"), "alarms_notify": N_("アラームの通知"), "must_not_reach": N_("分離"),
}
"""The requirement keys of :class:`model.schema.Requirements` in words (the table's 要件 column; msgids)."""


class RequirementRows(Protocol):
    """What the page needs of the analysis (an :class:`analysis.analyze.Analysis`)."""

    def requirements_of(self, env: str) -> tuple[Any, ...]: ...


def _subject(ix: ModelIndex, env: str, component: str) -> str:
    if not component:
        return ix.envs[env].name
    if component in ix.nodes and env in ix.nodes[component].at:
        return _("{label}（{id}）").format(label=ix.label(component, env), id=component)
    return ix.envs[component].name if component in ix.envs else component


def _where(r: Any) -> str:
    return _("要件 {requirement}\n構成 {config}").format(requirement=r.requirement_location or "—",
                                                      config=r.config_location or "—")


def _section(ix: ModelIndex, analysis: RequirementRows, env: str) -> dict[str, Any]:
    order = ["broken", "not-decidable", "kept"]  # the analysis' order within each status
    rows = sorted(analysis.requirements_of(env), key=lambda r: order.index(r.status))
    return {
        "env": ix.envs[env],
        "counts": {s: sum(r.status == s for r in rows) for s in STATUS},
        "rows": [(_(STATUS[r.status]), f"{_(KEY_LABELS[r.key]) if r.key in KEY_LABELS else r.key}: {r.expected}",
                  _subject(ix, env, r.component), _("{statement}（{ref}）").format(statement=r.statement, ref=r.seed_ref),
                  r.reason + (_("［{code}］").format(code=r.code) if r.code else ""), _where(r))
                 for r in rows],
    }


def requirement_sections(ix: ModelIndex, analysis: RequirementRows) -> list[dict[str, Any]]:
    """One section per environment, in model order (an environment without requirements has no rows)."""
    return [_section(ix, analysis, env) for env in ix.envs]
