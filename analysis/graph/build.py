"""The network of one environment, resolved once from the model: :func:`build_graph`.

An :class:`EnvGraph` holds everything a path query needs, already resolved: subnet CIDRs,
route tables as :class:`~analysis.graph.types.RouteSet` (with the implicit local route),
TGW route tables with propagated routes, NACL rules in evaluation order, the ENIs of every
node with their security groups, SG rules with peers resolved for the environment, and
where each of them is written (``file:line`` through :meth:`model.loader.Loaded.where`).
It is frozen: queries never change it, and their caches live elsewhere
(:class:`analysis.paths.reach.Reachability`).

>>> from model.loader import load_model
>>> eg = build_graph(load_model(), "poc")
>>> eg.rt_routes["poc-app-private-a-rt"].lookup(net("0.0.0.0/0")).target
'nat-a'
>>> [str(r.net) + "->" + str(r.target) for r in eg.tgw_rts["poc-tgw-rt"].routes]
['10.0.0.0/16->tgw-attach-shared', '10.1.0.0/16->tgw-attach-app']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from analysis.graph.addresses import AddressPlan, build_plan
from analysis.graph.links import Links, build_links
from analysis.graph.routes import default_main_rt, is_default_main_rt, named_net, onprem_prefixes, route_tables
from analysis.graph.scope import scope_of
from analysis.graph.types import (SERVICE_KINDS, Eni, NaclRuleRef, Net, RouteEntry, RouteSet, RuleRef, TgwRt, net,
                                  no_gc, ports_of)
from model.index import ModelIndex
from model.loader import Loaded
from model.schema import Model, Node, NodeKind

__all__ = ["EnvGraph", "build_graph", "Eni", "RouteEntry", "RouteSet", "TgwRt", "RuleRef", "NaclRuleRef",
           "SERVICE_KINDS", "Net", "net", "ports_of", "no_gc", "NO_ENI_KINDS", "tgw_tables", "default_main_rt",
           "is_default_main_rt"]

NO_ENI_KINDS = frozenset({NodeKind.TGW_ATTACHMENT, NodeKind.NETWORK_FIREWALL})
"""Kinds placed in subnets that are not network endpoints (their ENIs are forwarding hops)."""


@dataclass(frozen=True)
class EnvGraph:
    """Everything a query needs for one environment, resolved once (see the module docstring)."""

    env: str
    ix: ModelIndex
    loaded: Loaded
    vpc_net: dict[str, Net]
    subnet_net: dict[str, Net]
    subnet_rt: dict[str, str]
    """Subnet -> the route table it uses: its explicit association, else its VPC's main route table."""
    main_rt: dict[str, str]
    """VPC -> its main route table: the one the VPC names, else AWS's default (:func:`default_main_rt`)."""
    rt_routes: dict[str, RouteSet]
    rt_location: dict[str, str | None]
    tgw_rts: dict[str, TgwRt]
    attachments: dict[str, tuple[str, ...]]
    """TGW VPC attachment id -> its subnets."""
    vpc_attachment: dict[str, str]
    """VPC -> its TGW attachment."""
    nacl_of: dict[str, str]
    """Subnet -> its NACL (absent: the default NACL, which allows everything)."""
    nacl_rules: dict[str, tuple[NaclRuleRef, ...]]
    """NACL id -> its rules in evaluation order (ascending number)."""
    nacl_location: dict[str, str | None]
    enis: dict[str, tuple[Eni, ...]]
    rules: dict[str, tuple[RuleRef, ...]]
    sg_location: dict[str, str | None]
    igws: dict[str, str]
    """VPC -> its internet gateway."""
    links: Links
    """Gateways and connections: TGW attachments, peering, VPN, endpoints, firewalls."""
    scope: Any = field(default=None, compare=False, repr=False)
    """The :class:`~analysis.graph.scope.Scope` this graph belongs to: the environments analysed
    with it (itself alone unless a shared network object joins others)."""

    @cached_property
    def addresses(self) -> AddressPlan:
        """Public addresses of the ENIs and the internet's witness address (issue 19); allocated
        with the other environments of the scope when it joins several."""
        if self.scope is not None and self.scope.joined:
            return self.scope.plans[self.env]
        return build_plan(self)

    @cached_property
    def eni_at(self) -> dict[Net, tuple[Eni, ...]]:
        """Private address -> the ENIs that have it (a written IP: one; a subnet's range: all its nodes)."""
        out: dict[Net, list[Eni]] = {}
        for enis in self.enis.values():
            for e in enis:
                out.setdefault(e.net, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def subnet_az(self) -> dict[str, str]:
        return {s: self.ix.subnets[s].az for s in self.subnet_net}

    @property
    def model(self) -> Model:
        return self.ix.model

    def node(self, node_id: str) -> Node:
        return self.ix.nodes[node_id]

    def where(self, *keys: Any) -> str | None:
        return self.loaded.where(*keys)

    def where_id(self, section: str, item_id: str, *more: Any) -> str | None:
        return self.loaded.where_id(section, item_id, *more)

    @cached_property
    def sg_members(self) -> dict[str, frozenset[str]]:
        """SG id -> nodes whose ENIs carry it."""
        out: dict[str, set[str]] = {}
        for node, enis in self.enis.items():
            for e in enis:
                for sg in e.sgs:
                    out.setdefault(sg, set()).add(node)
        return {k: frozenset(v) for k, v in out.items()}

    def vpc_of_subnet(self, subnet: str) -> str:
        return self.ix.subnets[subnet].vpc

    def attachment_of_vpc(self, vpc: str) -> str | None:
        return self.vpc_attachment.get(vpc)

    @cached_property
    def _attachment_azs(self) -> dict[str, tuple[str, ...]]:
        return {att: tuple(sorted({self.ix.subnets[s].az for s in subnets}))
                for att, subnets in self.attachments.items()}

    def attachment_azs(self, att: str) -> tuple[str, ...]:
        return self._attachment_azs.get(att, ())

    def igw_of_vpc(self, vpc: str) -> str | None:
        return self.igws.get(vpc)

    def named(self, named_id: str) -> Net | None:
        nc = self.ix.named_cidrs.get(named_id)
        value = nc.values.get(self.env) if nc else None
        return net(value) if value else None


def tgw_tables(ix: ModelIndex, env: str, scope) -> list[tuple[int, Any]]:
    """(index, table) of the TGW route tables ``env`` sees: its own, and every table of a TGW
    that is shared with it (whichever environment the table serves)."""
    shared = scope.shared_tgws if scope is not None and scope.joined else frozenset()
    return [(i, rt) for i, rt in enumerate(ix.model.tgw_route_tables)
            if rt.env == env or (rt.tgw in shared and env in ix.nodes[rt.tgw].at and rt.env in scope.envs)]


def _foreign_vpc_net(ix: ModelIndex, att: str, scope) -> Net | None:
    """The VPC CIDR of another environment's attachment of a shared TGW (propagated into a table)."""
    env = scope.attachment_env(att) if scope is not None else None
    if env is None:
        return None
    return net(ix.vpcs[ix.subnets[ix.nodes[att].at[env].subnets[0]].vpc].cidr)


def _tgw(ix: ModelIndex, env: str, loaded: Loaded, vpc_net: dict[str, Net], out: dict, scope=None) -> None:
    for n in ix.nodes_in(env):
        if n.kind is NodeKind.TGW_ATTACHMENT:
            subnets = tuple(n.at[env].subnets)
            out["attachments"][n.id] = subnets
            if subnets:
                out["vpc_attachment"].setdefault(ix.subnets[subnets[0]].vpc, n.id)
    for i, rt in tgw_tables(ix, env, scope):
        routes: list[RouteEntry] = []
        for j, r in enumerate(rt.routes):
            routes.append(RouteEntry(net(r.destination), r.attachment or "blackhole", "static",
                                     loaded.where("tgw_route_tables", i, "routes", j), r.blackhole))
        loc = loaded.where("tgw_route_tables", i, "propagations")
        for att in rt.propagations:
            subnets = out["attachments"].get(att)
            foreign = _foreign_vpc_net(ix, att, scope) if not subnets else None
            if subnets:
                routes.append(RouteEntry(vpc_net[ix.subnets[subnets[0]].vpc], att, "propagated", loc))
            elif foreign is not None:
                routes.append(RouteEntry(foreign, att, "propagated", loc))
            else:
                for c in onprem_prefixes(ix, att):
                    routes.append(RouteEntry(c, att, "propagated", loc))
        out["tgw_rts"][rt.id] = TgwRt(rt.id, tuple(rt.associations), RouteSet(routes),
                                      loaded.where("tgw_route_tables", i))


def _nacls(ix: ModelIndex, loaded: Loaded, vpc_net: dict[str, Net], out: dict) -> None:
    for i, nacl in enumerate(ix.model.nacls):
        if nacl.vpc not in vpc_net:
            continue
        for s in nacl.subnets:
            out["nacl_of"][s] = nacl.id
        refs = [NaclRuleRef(r.number, k, r.direction, r.protocol, r.action, ports_of(r.port), net(r.cidr),
                            loaded.where("nacls", i, "rules", k)) for k, r in enumerate(nacl.rules)]
        out["nacl_rules"][nacl.id] = tuple(sorted(refs, key=lambda r: (r.number, r.index)))
        out["nacl_location"][nacl.id] = loaded.where("nacls", i)


def _enis(ix: ModelIndex, env: str, subnet_net: dict[str, Net], out: dict) -> None:
    for n in ix.nodes_in(env):
        p = n.at[env]
        if n.kind is NodeKind.IGW and p.vpc:
            out["igws"].setdefault(p.vpc, n.id)
        subnets, groups = p.subnets, n.security_groups
        if n.client_vpn is not None:
            # the endpoint's ENIs are in its associated subnets (the placement may only name the VPC)
            subnets = tuple(x for x in (subnets or n.client_vpn.associated_subnets) if x in subnet_net)
        if p.ecs_ec2 is not None and p.ecs_ec2.network_mode != "awsvpc" and p.ecs_ec2.capacity in ix.nodes:
            # bridge / host mode: the tasks use the instances' ENIs, so the instances' SGs apply
            cap = ix.nodes[p.ecs_ec2.capacity]
            subnets = subnets or (cap.at[env].subnets if env in cap.at else ())
            groups = cap.security_groups
        if not subnets or n.kind in NO_ENI_KINDS or (n.endpoint is not None and n.endpoint.type == "gateway"):
            continue
        sgs = tuple(g for g in groups if env in ix.security_groups[g].envs)
        # an internet-facing load balancer's nodes have public addresses; an internal one never does;
        # a Client VPN endpoint's ENIs always have one (clients connect to them; full-tunnel traffic leaves by them)
        lb = n.alb or n.nlb
        public = (lb.scheme == "internet-facing") if lb is not None else (
            n.public_ip or bool(p.public_ips) or n.kind is NodeKind.CLIENT_VPN)
        ips = dict(zip(p.subnets, p.ips))
        out["enis"][n.id] = tuple(Eni(n.id, s, ix.subnets[s].vpc, ix.subnets[s].az,
                                      net(ips[s] + "/32") if s in ips else subnet_net[s], sgs, public)
                                  for s in subnets)


def _rules(ix: ModelIndex, env: str, loaded: Loaded, out: dict) -> None:
    for gi, sg in enumerate(ix.model.security_groups):
        if env not in sg.envs:
            continue
        out["sg_location"][sg.id] = loaded.where("security_groups", gi)
        refs = []
        for ri, r in enumerate(sg.rules):
            if r.envs is not None and env not in r.envs:
                continue
            peer = net(r.cidr) if r.cidr else (named_net(ix, env, r.named) if r.named else None)
            refs.append(RuleRef(sg.id, ri, r.direction, r.protocol, ports_of(r.port), peer, r.sg, r,
                                loaded.where("security_groups", gi, "rules", ri)))
        out["rules"][sg.id] = tuple(refs)


def build_graph(loaded: Loaded, env: str, ix: ModelIndex | None = None, scope=None) -> EnvGraph:
    """Resolve environment ``env`` of ``loaded`` (raises ``KeyError`` for an unknown environment).

    ``ix``: the model's index when the caller already has one (it is shared, not rebuilt).
    ``scope``: the :class:`~analysis.graph.scope.Scope` the graph belongs to (None: the
    environment's own, found with :func:`~analysis.graph.scope.network_scopes`).
    """
    ix = ix if ix is not None else ModelIndex(loaded.model)
    if env not in ix.envs:
        raise KeyError(env)
    if scope is None:
        scope = scope_of(loaded, ix, env, build_graph)
    with no_gc():
        vpc_net = {v.id: net(v.cidr) for v in ix.vpcs_in(env)}
        subnet_net = {s.id: net(s.cidr) for v in vpc_net for s in ix.subnets_of(v)}
        out: dict[str, dict] = {k: {} for k in ("subnet_rt", "main_rt", "rt_routes", "rt_location", "tgw_rts", "attachments",
                                                 "vpc_attachment", "nacl_of", "nacl_rules", "nacl_location", "enis",
                                                 "rules", "sg_location", "igws")}
        route_tables(ix, env, loaded, vpc_net, out)
        _tgw(ix, env, loaded, vpc_net, out, scope)
        _nacls(ix, loaded, vpc_net, out)
        _enis(ix, env, subnet_net, out)
        _rules(ix, env, loaded, out)
        links = build_links(ix, env, {s: ix.subnets[s].az for s in subnet_net}, [t for _, t in tgw_tables(ix, env, scope)])
        g = EnvGraph(env, ix, loaded, vpc_net, subnet_net, links=links, scope=scope, **out)
        scope.adopt(g)
        return g
