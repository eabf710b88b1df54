"""Table rows for the network pages: subnets, security groups, route tables.

Each function returns plain values (strings, tuples); escaping happens in the templates
through the filters of :mod:`render.pages.markdown`. Rows follow the model's declaration
order, so the tables read like the seed's and are stable run to run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.index import ModelIndex
from model.schema import NodeKind, PortRange, SecurityGroup, SgRule
from render.pages.i18n import N_, _
from render.pages.markdown import Md, md_text

__all__ = [
    "subnet_header", "sg_header", "VpcTable", "SgTable", "subnet_tables", "sg_tables",
    "sg_short", "port_text", "route_tables_of", "tgw_tables_of", "routes_intro", "nacls_of", "nacl_header",
]

_DIRECTION = {"inbound": "Inbound", "outbound": "Outbound"}
_PROTOCOL = {"tcp": "TCP", "udp": "UDP", "all": N_("すべて")}


def subnet_header() -> tuple[str, ...]:
    """The subnet table's header: サブネット種別 | CIDR | AZ | 用途."""
    return (_("サブネット種別"), "CIDR", "AZ", _("用途"))


def sg_header(directions: set[str]) -> tuple[str, ...]:
    """A security group table's header; the peer column is named for the directions it holds
    (the source of an inbound rule, the destination of an outbound one, as AWS names them)."""
    peer = {frozenset({"inbound"}): _("ソース"), frozenset({"outbound"}): _("宛先")}.get(
        frozenset(directions), _("ソース／宛先"))
    return (_("方向"), _("プロトコル"), _("ポート"), peer, _("用途"))


@dataclass(frozen=True)
class VpcTable:
    """One VPC of one environment and its subnet rows (table 3.x)."""

    vpc_id: str
    name: str
    cidr: str
    account: str
    assumption: str | None
    rows: tuple[tuple[str, str, str, str], ...]


@dataclass(frozen=True)
class SgTable:
    """One security group in one environment: the rows of table 4.x."""

    env: str
    rows: tuple[tuple[str, ...], ...]
    env_only: tuple[int, ...] = field(default=())
    """Indexes of rows that exist only in some environments (e.g. POC-only VPN rows)."""
    header: tuple[str, ...] = ()
    """The table's header (:func:`sg_header` for the directions of its rules)."""

    @property
    def env_only_text(self) -> Md:
        """The environment-only rows in one line: 'Inbound 3000 VPN CIDR「Frontend」、...'."""
        return Md(_("、").join(
            f"{md_text(self.rows[i][0])} {md_text(self.rows[i][2])} {md_text(self.rows[i][3])}"
            + _("「{purpose}」").format(purpose=md_text(self.rows[i][4])) for i in self.env_only))


def subnet_tables(ix: ModelIndex, env: str) -> list[VpcTable]:
    """Tables 3.1 / 3.2: every VPC of ``env`` with サブネット種別 | CIDR | AZ | 用途."""
    tables = []
    for vpc in ix.vpcs_in(env):
        rows = tuple(
            (s.name, s.cidr, s.az, ix.subnet_purpose(s.id, env)) for s in ix.subnets_of(vpc.id)
        )
        tables.append(VpcTable(vpc.id, vpc.name, vpc.cidr, ix.accounts[vpc.account].name,
                               vpc.assumption, rows))
    return tables


def sg_short(ix: ModelIndex, sg: str) -> str:
    """How the seed names a peer group in a table: 'ECS Security Group' -> 'ECS SG'."""
    name = ix.security_groups[sg].name
    for suffix in (" Security Group", " security group", "Security Group"):
        if name.endswith(suffix) and name != suffix:
            return name[: -len(suffix)].rstrip() + " SG"
    return name


def port_text(port: int | PortRange | None) -> str:
    """'443', '1024-65535', or '-' for no port (protocol all)."""
    if port is None:
        return "-"
    if isinstance(port, PortRange):
        return str(port.start) if port.start == port.end else f"{port.start}-{port.end}"
    return str(port)


def _peer(ix: ModelIndex, rule: SgRule) -> str:
    """The other side of a rule: its source (inbound) or destination (outbound)."""
    if rule.sg:
        return sg_short(ix, rule.sg)
    if rule.named:
        return ix.named_cidrs[rule.named].label
    return rule.cidr or "-"


def sg_tables(ix: ModelIndex, group: SecurityGroup) -> list[SgTable]:
    """Per environment of ``group``: inbound rows, then outbound (or the seed's 'なし' row)."""
    tables = []
    for env in group.envs:
        rules = ix.sg_rules(group.id, env)
        rows: list[tuple[str, ...]] = []
        env_only: list[int] = []
        directions: set[str] = set()
        for direction in ("inbound", "outbound"):
            chosen = [r for r in rules if r.direction == direction]
            for r in chosen:
                if r.envs is not None and set(r.envs) != set(group.envs):
                    env_only.append(len(rows))
                rows.append((_DIRECTION[direction], _(_PROTOCOL[r.protocol]), port_text(r.port),
                             _peer(ix, r), r.purpose))
                directions.add(direction)
            if direction == "outbound" and not chosen and group.no_outbound_note:
                rows.append((_DIRECTION[direction], "-", "-", "-", group.no_outbound_note))
                directions.add(direction)
        tables.append(SgTable(env, tuple(rows), tuple(env_only), sg_header(directions)))
    return tables


def _target_label(ix: ModelIndex, target: str, env: str) -> str:
    if target == "local":
        return "local"
    if target in ix.nodes and env in ix.nodes[target].at:
        return f"{ix.label(target, env)} ({target})"
    return target


def _destination(ix: ModelIndex, env: str, destination: str | None, named: str | None) -> str:
    if named:
        value = ix.named_value(named, env)
        label = ix.named_cidrs[named].label
        return _("{value}（{label}）").format(value=value, label=label) if value else label
    return destination or "-"


_ACTION = {"allow": N_("許可"), "deny": N_("拒否")}


def nacls_of(ix: ModelIndex, vpc: str) -> list[dict]:
    """The VPC's network ACLs: associated subnets, and rules as AWS lists them (per direction in
    number order, ending with the implicit '*' rule that denies everything)."""
    out = []
    for n in (n for n in ix.model.nacls if n.vpc == vpc):
        rows = []
        for direction in ("inbound", "outbound"):
            for r in sorted((r for r in n.rules if r.direction == direction), key=lambda r: r.number):
                rows.append((str(r.number), _DIRECTION[direction], _(_PROTOCOL[r.protocol]), port_text(r.port),
                             r.cidr, _(_ACTION[r.action])))
            rows.append(("*", _DIRECTION[direction], _(_PROTOCOL["all"]), "-", "0.0.0.0/0", _(_ACTION["deny"])))
        out.append({"id": n.id, "subnets": [ix.subnets[s].name for s in n.subnets if s in ix.subnets], "rows": rows})
    return out


def nacl_header() -> tuple[str, ...]:
    """A network ACL table's header: ルール番号 | 方向 | プロトコル | ポート | CIDR | 許可／拒否."""
    return (_("ルール番号"), _("方向"), _("プロトコル"), _("ポート"), "CIDR", _("許可／拒否"))


def route_tables_of(ix: ModelIndex, env: str) -> list[dict]:
    """VPC route tables of ``env``, grouped by VPC in model order, with the VPC's network ACLs."""
    out = []
    for vpc in ix.vpcs_in(env):
        tables = []
        for rt in (t for t in ix.model.route_tables if t.vpc == vpc.id):
            subnets = [ix.subnets[s].name for s in rt.subnets if s in ix.subnets]
            rows = [(_destination(ix, env, r.destination, r.named), _target_label(ix, r.target, env))
                    for r in rt.routes]
            tables.append({"name": rt.name, "id": rt.id, "subnets": subnets, "rows": rows,
                           "assumption": rt.assumption})
        out.append({"name": vpc.name, "cidr": vpc.cidr, "tables": tables, "nacls": nacls_of(ix, vpc.id)})
    return out


def tgw_tables_of(ix: ModelIndex, env: str) -> list[dict]:
    """Transit Gateway route tables of ``env``: associations, propagations, static routes."""
    out = []
    for t in (t for t in ix.model.tgw_route_tables if t.env == env):
        def name(node: str) -> str:
            return ix.label(node, env) if node in ix.nodes and env in ix.nodes[node].at else node

        routes = [(r.destination, "blackhole" if r.blackhole else name(r.attachment or "-"))
                  for r in t.routes]
        out.append({"name": t.name, "id": t.id, "tgw": name(t.tgw),
                    "associations": [name(a) for a in t.associations],
                    "propagations": [name(p) for p in t.propagations],
                    "routes": routes, "assumption": t.assumption})
    return out


def routes_intro(ix: ModelIndex) -> str:
    """The route table page's opening sentence; it names Transit Gateway only when the model has one."""
    if ix.model.tgw_route_tables or any(n.kind is NodeKind.TGW for n in ix.model.nodes):
        text = _("VPCとTransit Gatewayのルートテーブルです。設計書にない経路は前提・仮定に根拠を示します。")
    else:
        text = _("VPCのルートテーブルです。設計書にない経路は前提・仮定に根拠を示します。")
    if ix.model.nacls:
        text += _("サブネットのネットワークACL（ステートレス。方向ごとに番号の小さい順に評価し、最初に一致したルールで決まる）も"
                  "VPCごとに示します。NACLの記載がないサブネットは既定のNACL（すべて許可）です。")
    return text
