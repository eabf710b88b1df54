"""Section 9 (POC → 本番移行時の変更点), derived from the model — never typed by hand.

The seed's table has 13 rows. Each row here is an *aspect* of the model (how many
accounts, where a VPC lives, how a persona connects, whether a security service exists,
...) evaluated in both environments; the wording of a value is fixed by the aspect, the
value itself always comes from the model. After the seed's rows come every further
difference the model holds (nodes present in one environment only, spec fields, subnets,
security group rules), so nothing that changes between the environments is left out.

>>> from model.loader import load_model
>>> from model.index import ModelIndex
>>> rows = migration_rows(ModelIndex(load_model().model), "poc", "prod")
>>> [(r.item, r.before, r.after) for r in rows[:2]]
[('AWSアカウント', '1アカウント（2VPC）', '共有系 + 本番用（2アカウント）'), ('共有系VPC', '10.0.0.0/16', '共有系アカウントに移行')]
"""

from __future__ import annotations

from model.index import ModelIndex
from model.migration.differences import further_differences
from model.migration.row import ABSENT, OFF, ON, PRESENT, MigrationRow
from model.schema import NodeKind

__all__ = ["migration_rows", "SECURITY_SERVICE_KINDS"]

SECURITY_SERVICE_KINDS = (NodeKind.WAF, NodeKind.GUARDDUTY, NodeKind.CONFIG)
"""Services whose presence section 9 reports as なし / あり."""


def migration_rows(ix: ModelIndex, src: str, dst: str) -> list[MigrationRow]:
    """All rows: the seed's aspects first (in the seed's order), then every other difference."""
    rows: list[MigrationRow] = []
    covered: set[str] = set()
    rows.append(_row("AWSアカウント", _accounts(ix, src), _accounts(ix, dst), "accounts, vpcs"))
    for role, name in _vpc_roles(ix, src):
        rows.append(_row(name, _vpc(ix, src, role, None), _vpc(ix, dst, role, src), f"vpcs[role={role}]"))
    for persona, label in _personas(ix, src, dst):
        before, ids_b = _connection(ix, src, persona)
        after, ids_a = _connection(ix, dst, persona)
        covered |= ids_b | ids_a
        rows.append(_row(f"ネットワーク接続（{label}）", before, after, f"actors[persona={persona}].via"))
    for tgw in _common(ix, src, dst, NodeKind.TGW):
        covered.add(tgw)
        rows.append(_row(ix.nodes[tgw].label, _tgw(ix, src, tgw), _tgw(ix, dst, tgw), f"nodes[{tgw}] account"))
    rds = _first_with(ix, src, dst, "rds")
    if rds:
        b, a = ix.placement(rds, src).rds, ix.placement(rds, dst).rds
        rows.append(_row("RDS構成", _az(b.multi_az), _az(a.multi_az), f"nodes[{rds}].rds.multi_az"))
        rows.append(_row("RDSインスタンス", b.instance_class, a.instance_class, f"nodes[{rds}].rds.instance_class"))
    rows.append(_row("ECS Auto Scaling", _autoscaling(ix, src), _autoscaling(ix, dst), "fargate.autoscaling"))
    for node in _security_services(ix, src, dst):
        covered.add(node)
        rows.append(_row(_name(ix, node), _presence(ix, src, node), _presence(ix, dst, node), f"nodes[{node}]"))
    before_dr, ids_b = _dr(ix, src)
    after_dr, ids_a = _dr(ix, dst)
    covered |= ids_b | ids_a
    rows.append(_row("DR対応", before_dr, after_dr, "flows[kind=backup] across regions"))
    if rds:
        b, a = ix.placement(rds, src).rds, ix.placement(rds, dst).rds
        rows.append(_row("暗号化", _onoff(b.encryption), _onoff(a.encryption), f"nodes[{rds}].rds.encryption"))
    rows.extend(further_differences(ix, src, dst, covered))
    return rows


def _row(item: str, before: str, after: str, basis: str, seed: bool = True) -> MigrationRow:
    return MigrationRow(item, before, after, basis, seed)


def _onoff(flag: bool) -> str:
    return ON if flag else OFF


def _az(multi: bool) -> str:
    return "Multi-AZ" if multi else "Single-AZ"


def _name(ix: ModelIndex, node: str) -> str:
    n = ix.nodes[node]
    return n.short or n.label


def _accounts(ix: ModelIndex, env: str) -> str:
    accounts = ix.accounts_in(env)
    if len(accounts) == 1:
        return f"1アカウント（{len(ix.vpcs_in(env))}VPC）"
    return " + ".join(a.role_label for a in accounts) + f"（{len(accounts)}アカウント）"


def _vpc_roles(ix: ModelIndex, env: str) -> list[tuple[str, str]]:
    return [(v.role, v.role_name) for v in ix.vpcs_in(env)]


def _vpc(ix: ModelIndex, env: str, role: str, baseline: str | None) -> str:
    vpc = next((v for v in ix.vpcs_in(env) if v.role == role), None)
    if vpc is None:
        return ABSENT
    if baseline is None:
        return vpc.cidr
    old = next((v for v in ix.vpcs_in(baseline) if v.role == role), None)
    if old is None or old.account == vpc.account:
        return vpc.cidr
    account = ix.accounts[vpc.account].short
    if old.cidr == vpc.cidr:
        return f"{account}に移行"
    return f"{vpc.cidr}（{account}）"


def _personas(ix: ModelIndex, src: str, dst: str) -> list[tuple[str, str]]:
    """Personas that enter through gateways (``via``) in both environments."""
    def entering(env: str) -> dict[str, str]:
        return {a.persona: a.persona_label for a in ix.actors_in(env) if a.via}
    before, after = entering(src), entering(dst)
    return [(p, label) for p, label in before.items() if p in after]


def _connection(ix: ModelIndex, env: str, persona: str) -> tuple[str, set[str]]:
    actor = next(a for a in ix.actors_in(env) if a.persona == persona and a.via)
    return " + ".join(_name(ix, n) for n in actor.via), set(actor.via)


def _common(ix: ModelIndex, src: str, dst: str, kind: NodeKind) -> list[str]:
    return [n.id for n in ix.model.nodes if n.kind == kind and src in n.at and dst in n.at]


def _tgw(ix: ModelIndex, env: str, tgw: str) -> str:
    """'アカウント分離' when the TGW lives in another account than the VPCs attached to it."""
    own = ix.locate(tgw, env).account
    attached = {
        ix.locate(n.id, env).account
        for n in ix.nodes_in(env) if n.kind == NodeKind.TGW_ATTACHMENT
    }
    if attached - {own}:
        return "アカウント分離"
    if ix.envs[env].role == "verification":
        return f"{ix.envs[env].short}で検証済み"
    return "同一アカウント"


def _first_with(ix: ModelIndex, src: str, dst: str, spec: str) -> str | None:
    for n in ix.model.nodes:
        if src in n.at and dst in n.at and getattr(n.at[src], spec) and getattr(n.at[dst], spec):
            return n.id
    return None


def _autoscaling(ix: ModelIndex, env: str) -> str:
    specs = [n.at[env].fargate for n in ix.nodes_in(env) if n.at[env].fargate]
    return _onoff(any(s.autoscaling for s in specs))


def _security_services(ix: ModelIndex, src: str, dst: str) -> list[str]:
    return [
        n.id for n in ix.model.nodes
        if n.kind in SECURITY_SERVICE_KINDS and (src in n.at or dst in n.at)
    ]


def _presence(ix: ModelIndex, env: str, node: str) -> str:
    return PRESENT if env in ix.nodes[node].at else ABSENT


def _dr(ix: ModelIndex, env: str) -> tuple[str, set[str]]:
    """'<region>コピー' for every backup flow that leaves its source's region."""
    copies: list[str] = []
    ids: set[str] = set()
    for f in ix.flows_in(env):
        if f.kind.value != "backup" or f.source not in ix.nodes or f.target not in ix.nodes:
            continue
        a, b = ix.locate(f.source, env).region, ix.locate(f.target, env).region
        if a and b and a != b:
            name = f"{ix.regions[b].name}コピー"
            ids |= {n.id for n in ix.nodes_in(env) if ix.locate(n.id, env).region == b}
            if name not in copies:
                copies.append(name)
    return (", ".join(copies) or ABSENT), ids
