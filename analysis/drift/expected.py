"""What the model says one account of one environment should contain, as comparable items.

Each :class:`Item` has a resource kind, the model id, plain attributes compared one by one
(``attrs``), sets compared element by element (``sets``: routes, rules, listener ports) and
the model path of each aspect for ``file:line``. References are model ids (an SG rule's peer
is ``sg:ecs-sg`` or a CIDR; a route's target is a node id or ``local``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.index import ModelIndex
from model.schema import Model, NodeKind

__all__ = ["Item", "expected_items", "sg_rule_text", "nacl_entry_text"]

_PROTO = {"tcp": "tcp", "udp": "udp", "all": "all"}


@dataclass(frozen=True)
class Item:
    kind: str
    model_id: str
    vpc: str | None = None
    """The model id of the VPC it sits in (None for regional resources)."""
    attrs: dict = field(default_factory=dict)
    sets: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)
    """Aspect (or '' for the item, or 'set:ELEMENT') -> model path for ``file:line``."""
    names: tuple[str, ...] = ()
    """Names a hand-built resource may carry instead of the tag (fallback matching)."""


def _ports(rule) -> str:
    if rule.protocol == "all":
        return ""
    if rule.port is None:
        return " 0-65535"
    if isinstance(rule.port, int):
        return f" {rule.port}"
    return f" {rule.port.start}-{rule.port.end}" if rule.port.start != rule.port.end else f" {rule.port.start}"


def sg_rule_text(direction: str, protocol: str, ports: str, peer: str) -> str:
    """One SG rule as the drift rows name it: ``inbound tcp 443 0.0.0.0/0``.

    >>> sg_rule_text("outbound", "tcp", " 5432", "sg:rds-sg")
    'outbound tcp 5432 sg:rds-sg'
    """
    return f"{direction} {protocol}{ports} {peer}"


def nacl_entry_text(direction: str, number: int, protocol: str, ports: str, cidr: str, action: str) -> str:
    return f"{direction} #{number} {protocol}{ports} {cidr} {action}"


def expected_items(model: Model, env: str, account: str) -> list[Item]:
    """Every comparable item the model puts in ``account`` of ``env``, in model order."""
    ix = ModelIndex(model)
    vpcs = {v.id for v in ix.vpcs_in(env) if v.account == account}
    out: list[Item] = []
    for i, vpc in enumerate(model.vpcs):
        if vpc.id in vpcs:
            out.append(Item("vpc", vpc.id, vpc.id, {"cidr": vpc.cidr}, {}, {"": ("vpcs", i), "cidr": ("vpcs", i, "cidr")},
                            (vpc.name,)))
    for i, s in enumerate(model.subnets):
        if s.vpc in vpcs:
            out.append(Item("subnet", s.id, s.vpc, {"cidr": s.cidr, "az": s.az}, {},
                            {"": ("subnets", i), "cidr": ("subnets", i, "cidr"), "az": ("subnets", i, "az")}, (s.name,)))
    for i, rt in enumerate(model.route_tables):
        if rt.vpc in vpcs:
            routes, where = set(), {"": ("route_tables", i)}
            for j, r in enumerate(rt.routes):
                dest = r.destination or ix.named_value(r.named, env) if r.named else r.destination
                text = f"{dest} -> {r.target}"
                routes.add(text)
                where[f"set:{text}"] = ("route_tables", i, "routes", j)
            out.append(Item("route-table", rt.id, rt.vpc, {}, {"routes": frozenset(routes),
                                                              "subnets": frozenset(rt.subnets)},
                            where | {"subnets": ("route_tables", i, "subnets")}, (rt.name,)))
    sg_vpcs: dict[str, set[str]] = {}
    for i, n in enumerate(model.nodes):
        if env not in n.at:
            continue
        loc = ix.locate(n.id, env)
        for sg in n.security_groups:
            if loc.vpc in vpcs:
                sg_vpcs.setdefault(sg, set()).add(loc.vpc)
        if loc.account == account or (loc.vpc in vpcs):
            out += _node_items(ix, env, i, n, loc)
    for i, sg in enumerate(model.security_groups):
        for vpc in sorted(sg_vpcs.get(sg.id, ())):
            rules, where = set(), {"": ("security_groups", i), "rules": ("security_groups", i, "rules")}
            for j, r in enumerate(sg.rules):
                if r.envs is not None and env not in r.envs:
                    continue
                peer = f"sg:{r.sg}" if r.sg else (r.cidr or ix.named_value(r.named, env))
                text = sg_rule_text(r.direction, _PROTO[r.protocol], _ports(r), peer)
                rules.add(text)
                where[f"set:{text}"] = ("security_groups", i, "rules", j)
            out.append(Item("security-group", sg.id, vpc, {}, {"rules": frozenset(rules)}, where,
                            (f"{env}-{sg.id}", sg.id, sg.name)))
    for i, nacl in enumerate(model.nacls):
        if nacl.vpc in vpcs:
            entries, where = set(), {"": ("nacls", i), "entries": ("nacls", i, "rules")}
            for j, r in enumerate(nacl.rules):
                text = nacl_entry_text(r.direction, r.number, _PROTO[r.protocol], _ports(r), r.cidr, r.action)
                entries.add(text)
                where[f"set:{text}"] = ("nacls", i, "rules", j)
            out.append(Item("network-acl", nacl.id, nacl.vpc, {}, {"entries": frozenset(entries),
                                                                   "subnets": frozenset(nacl.subnets)}, where))
    for i, rt in enumerate(model.tgw_route_tables):
        if rt.env == env and ix.locate(rt.tgw, env).account == account:
            out.append(Item("tgw-route-table", rt.id, None, {}, {
                "associations": frozenset(a for a in rt.associations if ix.nodes[a].kind is NodeKind.TGW_ATTACHMENT),
                "propagations": frozenset(a for a in rt.propagations if ix.nodes[a].kind is NodeKind.TGW_ATTACHMENT)},
                {"": ("tgw_route_tables", i), "associations": ("tgw_route_tables", i, "associations"),
                 "propagations": ("tgw_route_tables", i, "propagations")}, (rt.name,)))
    return out


def _node_items(ix: ModelIndex, env: str, i: int, n, loc) -> list[Item]:
    p = n.at[env]
    if p.status != "active" or p.site is not None:
        return []
    at = ("nodes", i, "at", env)
    base = {"": ("nodes", i)}
    if n.kind is NodeKind.IGW:
        return [Item("internet-gateway", n.id, loc.vpc, {}, {}, base, (n.label,))]
    if n.kind is NodeKind.NAT_GATEWAY:
        return [Item("nat-gateway", n.id, loc.vpc, {"subnet": p.subnets[0]}, {}, base | {"subnet": (*at, "subnets")},
                     (n.label,))]
    if n.kind is NodeKind.TGW:
        return [Item("transit-gateway", n.id, None, {}, {}, base, (n.label,))]
    if n.kind is NodeKind.TGW_ATTACHMENT:
        return [Item("tgw-attachment", n.id, loc.vpc, {}, {"subnets": frozenset(p.subnets)},
                     base | {"subnets": (*at, "subnets")}, (n.label,))]
    if n.kind is NodeKind.CLIENT_VPN and n.client_vpn:
        spec = n.client_vpn
        return [Item("client-vpn", n.id, loc.vpc, {
            "client_cidr": ix.named_value(spec.client_cidr, env), "transport": spec.transport,
            "vpn_port": spec.vpn_port}, {}, base | {k: ("nodes", i, "client_vpn", k) for k in
                                                    ("client_cidr", "transport", "vpn_port")}, (n.label,))]
    if n.kind is NodeKind.ALB and n.alb:
        listeners = frozenset(f"{li.protocol} {li.port}" for li in n.alb.listeners)
        return [Item("load-balancer", n.id, loc.vpc, {"scheme": n.alb.scheme},
                     {"listeners": listeners, "subnets": frozenset(p.subnets)},
                     base | {"scheme": ("nodes", i, "alb", "scheme"), "listeners": ("nodes", i, "alb", "listeners"),
                             "subnets": (*at, "subnets")}, (n.label,))]
    if n.kind is NodeKind.RDS and p.rds:
        r = p.rds
        attrs = {"instance_class": r.instance_class, "multi_az": r.multi_az, "engine": r.engine.lower(),
                 "engine_version": r.engine_version, "storage_gb": r.storage_gb,
                 "backup_retention_days": r.backup_retention_days, "encryption": r.encryption}
        return [Item("db-instance", n.id, loc.vpc, attrs, {},
                     base | {k: (*at, "rds", k) for k in (*attrs, "encryption")}, (n.label,))]
    if n.kind is NodeKind.ECS_SERVICE and p.fargate:
        f = p.fargate
        return [Item("ecs-service", n.id, loc.vpc, {"tasks": (f.tasks.min, f.tasks.max)}, {},
                     base | {"tasks": (*at, "fargate", "tasks")}, (f"{env}-{n.id}", n.id))]
    return []
