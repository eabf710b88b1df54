"""The migration table (an environment against its baseline), derived from the model — never typed by hand.

Each row here is an *aspect* of the model (how many accounts, where a VPC lives, how a
persona connects, whether a security service exists, ...) evaluated in both environments;
the wording of a value is fixed by the aspect, the value itself always comes from the model.
An aspect is a row only when its values differ (a table of changes has no "なし → なし" row).
After the aspects come every further difference the model holds (nodes present in one
environment only, spec fields, subnets, security group rules), so nothing that changes
between the environments is left out. Every word is a message of the ``model`` domain.

>>> from model.loader import load_model
>>> from model.index import ModelIndex
>>> rows = migration_rows(ModelIndex(load_model().model), "poc", "prod")
>>> [(r.item, r.before, r.after) for r in rows[:2]]
[('AWSアカウント', '1アカウント（2VPC）', '共有系 + 本番用（2アカウント）'), ('共有系VPC', '10.0.0.0/16', '共有系アカウントに移行')]
"""

from __future__ import annotations

from model.catalog import _, ngettext
from model.index import ModelIndex
from model.migration.differences import further_differences
from model.migration.row import ABSENT, OFF, ON, PRESENT, MigrationRow
from model.schema import NodeKind

__all__ = ["migration_rows", "SECURITY_SERVICE_KINDS"]

SECURITY_SERVICE_KINDS = (NodeKind.WAF, NodeKind.GUARDDUTY, NodeKind.CONFIG)
"""Services whose presence the migration table reports as なし / あり."""


def migration_rows(ix: ModelIndex, src: str, dst: str) -> list[MigrationRow]:
    """All rows: the aspects that differ first (in a fixed order), then every other difference."""
    rows: list[MigrationRow] = []
    covered: set[str] = set()
    rows.append(_row(_("AWSアカウント"), _accounts(ix, src), _accounts(ix, dst), "accounts, vpcs"))
    for role, name in _vpc_roles(ix, src):
        rows.append(_row(name, _vpc(ix, src, role, None), _vpc(ix, dst, role, src), f"vpcs[role={role}]"))
    for persona, label in _personas(ix, src, dst):
        before, ids_b = _connection(ix, src, persona)
        after, ids_a = _connection(ix, dst, persona)
        covered |= ids_b | ids_a
        rows.append(_row(_("ネットワーク接続（{persona}）").format(persona=label), before, after,
                         f"actors[persona={persona}].via"))
    for tgw in _common(ix, src, dst, NodeKind.TGW):
        covered.add(tgw)
        rows.append(_row(ix.nodes[tgw].label, _tgw(ix, src, tgw), _tgw(ix, dst, tgw), f"nodes[{tgw}] account"))
    rds = _first_with(ix, src, dst, "rds")
    if rds:
        rows.append(_row(_("RDS構成"), _rds(ix, src, lambda r: _az(r.multi_az)),
                         _rds(ix, dst, lambda r: _az(r.multi_az)), _("rds.multi_az（RDSごと）")))
        rows.append(_row(_("RDSインスタンス"), _rds(ix, src, lambda r: r.instance_class),
                         _rds(ix, dst, lambda r: r.instance_class), _("rds.instance_class（RDSごと）")))
    rows.append(_row("ECS Auto Scaling", _autoscaling(ix, src), _autoscaling(ix, dst),
                     _("fargate.autoscaling（サービスごと）")))
    for node in _security_services(ix, src, dst):
        covered.add(node)
        rows.append(_row(_name(ix, node), _presence(ix, src, node), _presence(ix, dst, node), f"nodes[{node}]"))
    before_dr, ids_b = _dr(ix, src)
    after_dr, ids_a = _dr(ix, dst)
    covered |= ids_b | ids_a
    rows.append(_row(_("DR対応"), before_dr, after_dr, "flows[kind=backup] across regions"))
    if rds:
        rows.append(_row(_("暗号化"), _rds(ix, src, lambda r: _onoff(r.encryption)),
                         _rds(ix, dst, lambda r: _onoff(r.encryption)), _("rds.encryption（RDSごと）")))
    rows = [r for r in rows if r.before != r.after]
    rows.extend(further_differences(ix, src, dst, covered))
    return rows


def _row(item: str, before: str, after: str, basis: str, seed: bool = True) -> MigrationRow:
    return MigrationRow(item, before, after, basis, seed)


def _onoff(flag: bool) -> str:
    return _(ON) if flag else _(OFF)


def _az(multi: bool) -> str:
    return "Multi-AZ" if multi else "Single-AZ"


def _name(ix: ModelIndex, node: str) -> str:
    n = ix.nodes[node]
    return n.short or n.label


def _accounts(ix: ModelIndex, env: str) -> str:
    accounts = ix.accounts_in(env)
    if len(accounts) == 1:
        vpcs = len(ix.vpcs_in(env))
        return ngettext("1アカウント（{vpcs}VPC）", "1アカウント（{vpcs}VPC）", vpcs).format(vpcs=vpcs)
    return " + ".join(a.role_label for a in accounts) + _("（{count}アカウント）").format(count=len(accounts))


def _vpc_roles(ix: ModelIndex, env: str) -> list[tuple[str, str]]:
    return [(v.role, v.role_name) for v in ix.vpcs_in(env)]


def _vpc(ix: ModelIndex, env: str, role: str, baseline: str | None) -> str:
    vpc = next((v for v in ix.vpcs_in(env) if v.role == role), None)
    if vpc is None:
        return _(ABSENT)
    if baseline is None:
        return vpc.cidr
    old = next((v for v in ix.vpcs_in(baseline) if v.role == role), None)
    if old is None or old.account == vpc.account:
        return vpc.cidr
    account = ix.accounts[vpc.account].short
    if old.cidr == vpc.cidr:
        return _("{account}に移行").format(account=account)
    return _("{cidr}（{account}）").format(cidr=vpc.cidr, account=account)


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
        return _("アカウント分離")
    if ix.envs[env].role == "verification":
        return _("{env}で検証済み").format(env=ix.envs[env].short)
    return _("同一アカウント")


def _first_with(ix: ModelIndex, src: str, dst: str, spec: str) -> str | None:
    for n in ix.model.nodes:
        if src in n.at and dst in n.at and getattr(n.at[src], spec) and getattr(n.at[dst], spec):
            return n.id
    return None


def per_component(values: list[tuple[str, str]], none: str | None = None) -> str:
    """One cell for several components: their common value, or the value most of them have
    followed by each exception ('有効（Backendは無効）'), so a summary never hides one that differs.

    >>> per_component([("Frontend", "有効"), ("Backend", "有効")])
    '有効'
    >>> per_component([("A", "有効"), ("B", "有効"), ("C", "無効")])
    '有効（Cは無効）'
    >>> per_component([("A", "db.m5.large"), ("B", "db.t3.micro")])
    'A: db.m5.large、B: db.t3.micro'
    """
    if not values:
        return _(ABSENT) if none is None else none
    counts = {v: sum(1 for _, x in values if x == v) for _, v in values}
    top = max(counts, key=lambda v: counts[v])
    if counts[top] == len(values):
        return top
    if counts[top] * 2 > len(values):
        others = _("、").join(_("{name}は{value}").format(name=name, value=v) for name, v in values if v != top)
        return _("{value}（{exceptions}）").format(value=top, exceptions=others)
    return _("、").join(_("{name}: {value}").format(name=name, value=v) for name, v in values)


def _autoscaling(ix: ModelIndex, env: str) -> str:
    return per_component([(ix.label(n.id, env), _onoff(n.at[env].fargate.autoscaling))
                          for n in ix.nodes_in(env) if n.at[env].fargate], none=_(OFF))


def _rds(ix: ModelIndex, env: str, value) -> str:
    return per_component([(ix.label(n.id, env), value(n.at[env].rds)) for n in ix.nodes_in(env) if n.at[env].rds])


def _security_services(ix: ModelIndex, src: str, dst: str) -> list[str]:
    return [
        n.id for n in ix.model.nodes
        if n.kind in SECURITY_SERVICE_KINDS and (src in n.at or dst in n.at)
    ]


def _presence(ix: ModelIndex, env: str, node: str) -> str:
    return _(PRESENT) if env in ix.nodes[node].at else _(ABSENT)


def _dr(ix: ModelIndex, env: str) -> tuple[str, set[str]]:
    """'<region>コピー（対象: ...／対象外: ...）' for every region that backup flows copy data into.

    The data stores of the environment (:meth:`~model.index.ModelIndex.data_stores`) outside
    that region are named as copied (a backup path from them reaches it) or not, so the row
    never hides a store that has no copy.
    """
    ids: set[str] = set()
    regions: list[str] = []
    for f in ix.flows_in(env):
        if f.kind.value != "backup" or f.source not in ix.nodes or f.target not in ix.nodes:
            continue
        a, b = ix.locate(f.source, env).region, ix.locate(f.target, env).region
        if a and b and a != b and b not in regions:
            regions.append(b)
    cells = []
    for region in regions:
        ids |= {n.id for n in ix.nodes_in(env) if ix.locate(n.id, env).region == region}
        stores = [n for n in ix.data_stores(env) if ix.locate(n.id, env).region != region
                  and not any(f.target == n.id and f.kind.value == "backup" for f in ix.flows_in(env))]
        copied = [n.id for n in stores if any(ix.locate(p[-1], env).region == region for p, _ in ix.backup_paths(n.id, env))]
        names = {True: [], False: []}
        for n in stores:
            names[n.id in copied].append(ix.described(n.id, env, ("engine",)))
        detail = _("／").join(_("{name}: {stores}").format(name=k, stores=_("、").join(v))
                              for k, v in ((_("対象"), names[True]), (_("対象外"), names[False])) if v)
        cell = _("{region}コピー").format(region=ix.regions[region].name)
        cells.append(cell + (_("（{detail}）").format(detail=detail) if detail else ""))
    return (", ".join(cells) or _(ABSENT)), ids
