"""The generic tail of the migration table: every difference between two environments that the
aspects (:mod:`model.migration.aspects`) do not already state.

Compared: nodes present in one environment only, per-environment spec fields of nodes
present in both (Fargate, RDS, batch), subnets (matched by VPC role and subnet name) and
their 用途, and security group rules that apply in one environment only.
"""

from __future__ import annotations

from model.catalog import _
from model.index import ModelIndex
from model.migration.row import ABSENT, OFF, ON, PRESENT, MigrationRow, N_
from model.schema import SgRule

__all__ = ["further_differences"]


_SPEC_LABELS = {
    "fargate": {"cpu": "CPU", "memory_mb": N_("メモリ(MB)"), "tasks": N_("タスク数"), "autoscaling": "Auto Scaling",
                "container_port": N_("コンテナポート")},
    "rds": {"engine_version": N_("エンジンバージョン"), "storage_gb": N_("ストレージ(GB)"),
            "storage_type": N_("ストレージ種別"), "storage_autoscaling": N_("ストレージAuto Scaling"),
            "backup_retention_days": N_("バックアップ保持(日)"), "encryption_note": N_("暗号化の補足"),
            "performance_insights": "Performance Insights", "subnet_group": N_("サブネットグループ"),
            "publicly_accessible": N_("パブリックアクセス")},
    "batch": {"cpu": "CPU", "memory_mb": N_("メモリ(MB)"), "timeout_hours": N_("タイムアウト(時間)")},
}
"""Field labels (msgids). Fields the aspects already report (multi_az, instance_class, encryption) are left out."""


def further_differences(ix: ModelIndex, src: str, dst: str, covered: set[str]):
    rows: list[MigrationRow] = []

    def add(item: str, before: str, after: str, basis: str) -> None:
        if before != after:
            rows.append(MigrationRow(item, before, after, basis, False))

    for n in ix.model.nodes:
        if n.id in covered or (src in n.at) == (dst in n.at):
            continue
        add(ix.described(n.id, dst if dst in n.at else src),
            _(PRESENT) if src in n.at else _(ABSENT), _(PRESENT) if dst in n.at else _(ABSENT), f"nodes[{n.id}]")
    for n in ix.model.nodes:
        if src not in n.at or dst not in n.at:
            continue
        for spec, labels in _SPEC_LABELS.items():
            a, b = getattr(n.at[src], spec), getattr(n.at[dst], spec)
            if a is None or b is None:
                continue
            for field, label in labels.items():
                add(f"{ix.facts.label(n.label, n.id, dst, ('engine',))} {_(label)}", _fmt(ix, getattr(a, field)),
                    _fmt(ix, getattr(b, field)),
                    f"nodes[{n.id}].{spec}.{field}")
    rows.extend(_subnet_rows(ix, src, dst))
    rows.extend(_sg_rows(ix, src, dst))
    return rows


def _fmt(ix: ModelIndex, value) -> str:
    if value is None:
        return _("記載なし")
    if isinstance(value, bool):
        return _(ON) if value else _(OFF)
    if isinstance(value, tuple):
        return ", ".join(ix.subnets[v].name if v in ix.subnets else str(v) for v in value)
    if hasattr(value, "min") and hasattr(value, "max"):
        return f"{value.min}-{value.max}"
    return str(value)


def _subnet_key(ix: ModelIndex, subnet_id: str) -> tuple[str, str]:
    s = ix.subnets[subnet_id]
    return ix.vpcs[s.vpc].role, s.name


def _subnet_rows(ix: ModelIndex, src: str, dst: str):
    def table(env: str) -> dict[tuple[str, str], str]:
        return {
            _subnet_key(ix, s.id): s.id
            for v in ix.vpcs_in(env) for s in ix.subnets_of(v.id)
        }

    before, after = table(src), table(dst)
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        role_name = next(v.role_name for v in ix.model.vpcs if v.role == key[0])
        item = f"{role_name} {key[1]}"
        b, a = before.get(key), after.get(key)
        vb = _subnet_cell(ix, b, src) if b else _(ABSENT)
        va = _subnet_cell(ix, a, dst) if a else _(ABSENT)
        if vb != va:
            rows.append(MigrationRow(item, vb, va, f"subnets[{a or b}]", False))
    return rows


def _subnet_cell(ix: ModelIndex, subnet: str, env: str) -> str:
    return _("{cidr}（{purpose}）").format(cidr=ix.subnets[subnet].cidr,
                                          purpose=ix.subnet_purpose(subnet, env) or _("用途なし"))


def _rule_text(ix: ModelIndex, rule: SgRule, env: str) -> str:
    peer = rule.cidr or (ix.named_cidrs[rule.named].label if rule.named else None)
    if rule.sg:
        peer = ix.security_groups[rule.sg].name
    port = "-" if rule.port is None else (
        str(rule.port) if isinstance(rule.port, int) else f"{rule.port.start}-{rule.port.end}")
    return f"{rule.direction} {rule.protocol.upper()} {port} {peer}"


def _sg_rows(ix: ModelIndex, src: str, dst: str):
    rows = []
    for sg in ix.model.security_groups:
        a = {_rule_text(ix, r, src): r for r in ix.sg_rules(sg.id, src)} if src in sg.envs else {}
        b = {_rule_text(ix, r, dst): r for r in ix.sg_rules(sg.id, dst)} if dst in sg.envs else {}
        for text, rule in list(a.items()) + [(t, r) for t, r in b.items() if t not in a]:
            if (text in a) != (text in b):
                rows.append(MigrationRow(_("{group}: {rule}（{purpose}）").format(group=sg.name, rule=text,
                                                                                 purpose=rule.purpose),
                                         _(PRESENT) if text in a else _(ABSENT),
                                         _(PRESENT) if text in b else _(ABSENT), f"security_groups[{sg.id}]", False))
    return rows
