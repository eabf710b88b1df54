"""One network graph per environment, built once from the model.

:func:`build_graph` resolves everything a query needs (subnet CIDRs, route tables with
their routes as networks, TGW route tables with propagated routes, NACLs, the ENIs of
every node with their security groups, SG rules with peers resolved for the environment)
and records the topology as a :class:`networkx.DiGraph`: ENI -> subnet, subnet -> route
target (one edge per route), gateways -> ``internet``, TGW attachments <-> TGW, the
on-premises site -> DX gateway -> TGW, Client VPN -> associated subnet. Queries
(:mod:`analysis.paths.reach`) are pure functions over the resulting :class:`EnvGraph`.

>>> from analysis.loading import load
>>> eg = build_graph(load(), "poc")
>>> eg.g.has_edge("poc-app-private-app-1", "nat-a")
True
>>> [str(r.net) + "->" + str(r.target) for r in eg.tgw_rts["poc-tgw-rt"].routes]
['10.0.0.0/16->tgw-attach-shared', '10.1.0.0/16->tgw-attach-app']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from analysis.graph.types import (  # re-exported: query modules import them from here
    PUBLIC_ADDR, SERVICE_KINDS, Eni, Net, RouteEntry, RuleRef, TgwRt, net, no_gc, ports_of,
)
from analysis.loading import Source, from_model
from model.index import ModelIndex
from model.schema import Model, Node, NodeKind

__all__ = ["EnvGraph", "Eni", "RouteEntry", "TgwRt", "RuleRef", "build_graph", "graphs",
           "SERVICE_KINDS", "PUBLIC_ADDR", "net", "ports_of", "no_gc"]

@dataclass
class EnvGraph:
    """Everything a query needs for one environment, resolved once."""

    env: str
    ix: ModelIndex
    src: Source
    g: nx.DiGraph = field(default_factory=nx.DiGraph)
    subnet_net: dict[str, Net] = field(default_factory=dict)
    subnet_rt: dict[str, str] = field(default_factory=dict)
    rt_routes: dict[str, tuple[RouteEntry, ...]] = field(default_factory=dict)
    rt_location: dict[str, str | None] = field(default_factory=dict)
    vpc_net: dict[str, Net] = field(default_factory=dict)
    enis: dict[str, tuple[Eni, ...]] = field(default_factory=dict)
    rules: dict[str, tuple[RuleRef, ...]] = field(default_factory=dict)
    sg_location: dict[str, str | None] = field(default_factory=dict)
    tgw_rts: dict[str, TgwRt] = field(default_factory=dict)
    attachments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """TGW VPC attachment id -> its subnets."""
    nacl_of: dict[str, str] = field(default_factory=dict)
    memo: dict = field(default_factory=dict, repr=False)
    """Query results (results are immutable and the graph never changes after building)."""

    @property
    def model(self) -> Model:
        return self.ix.model

    def node(self, node_id: str) -> Node:
        return self.ix.nodes[node_id]

    def where(self, *keys: Any) -> str | None:
        return self.src.where(*keys)

    def where_id(self, section: str, item_id: str, *more: Any) -> str | None:
        return self.src.where_id(section, item_id, *more)

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
        key = ("#att-of-vpc", vpc)
        if key not in self.memo:
            self.memo[key] = next((att for att, subnets in self.attachments.items()
                                   if subnets and self.vpc_of_subnet(subnets[0]) == vpc), None)
        return self.memo[key]

    def attachment_azs(self, att: str) -> tuple[str, ...]:
        key = ("#att-azs", att)
        if key not in self.memo:
            self.memo[key] = tuple(sorted({self.ix.subnets[s].az for s in self.attachments.get(att, ())}))
        return self.memo[key]

    def igw_of_vpc(self, vpc: str) -> str | None:
        for n in self.ix.nodes_in(self.env):
            if n.kind is NodeKind.IGW and n.at[self.env].vpc == vpc:
                return n.id
        return None

    def named(self, named_id: str) -> Net | None:
        nc = self.ix.named_cidrs.get(named_id)
        value = nc.values.get(self.env) if nc else None
        return net(value) if value else None


def _route_tables(eg: EnvGraph) -> None:
    m, env = eg.model, eg.env
    vpcs = {v.id for v in eg.ix.vpcs_in(env)}
    for i, rt in enumerate(m.route_tables):
        if rt.vpc not in vpcs:
            continue
        entries = []
        for j, r in enumerate(rt.routes):
            dest = net(r.destination) if r.destination else (eg.named(r.named) if r.named else None)
            if dest is None:
                continue
            entries.append(RouteEntry(dest, r.target, "static", eg.where("route_tables", i, "routes", j)))
        # every route table has the local route (one per VPC CIDR), even if not written
        if not any(e.target == "local" for e in entries):
            entries.append(RouteEntry(eg.vpc_net[rt.vpc], "local", "local", eg.where("route_tables", i)))
        eg.rt_routes[rt.id] = tuple(entries)
        eg.rt_location[rt.id] = eg.where("route_tables", i)
        for s in rt.subnets:
            eg.subnet_rt[s] = rt.id
            for e in entries:
                eg.g.add_edge(s, e.target if e.target != "local" else rt.vpc, kind="route",
                              dest=str(e.net), route_table=rt.id)


def _tgw(eg: EnvGraph) -> None:
    m, env, ix = eg.model, eg.env, eg.ix
    for n in ix.nodes_in(env):
        if n.kind is NodeKind.TGW_ATTACHMENT:
            eg.attachments[n.id] = tuple(n.at[env].subnets)
            for s in n.at[env].subnets:
                eg.g.add_edge(s, n.id, kind="attachment-eni")
            eg.g.add_edge(n.id, "tgw", kind="attachment")
            eg.g.add_edge("tgw", n.id, kind="attachment")
        if n.kind is NodeKind.DX_GATEWAY and n.dx_gateway:
            eg.g.add_edge(n.dx_gateway.site, n.id, kind="direct-connect", vif=n.dx_gateway.vif)
            eg.g.add_edge(n.id, n.dx_gateway.tgw, kind="dxgw-association")
            eg.g.add_edge(n.dx_gateway.tgw, n.id, kind="dxgw-association")
    for i, rt in enumerate(m.tgw_route_tables):
        if rt.env != env:
            continue
        routes: list[RouteEntry] = []
        for j, r in enumerate(rt.routes):
            routes.append(RouteEntry(net(r.destination), r.attachment or "blackhole", "static",
                                     eg.where("tgw_route_tables", i, "routes", j), r.blackhole))
        for att in rt.propagations:
            loc = eg.where("tgw_route_tables", i, "propagations")
            if att in eg.attachments and eg.attachments[att]:
                vpc = eg.vpc_of_subnet(eg.attachments[att][0])
                routes.append(RouteEntry(eg.vpc_net[vpc], att, "propagated", loc))
            elif att in ix.nodes and ix.nodes[att].dx_gateway:
                site = ix.sites.get(ix.nodes[att].dx_gateway.site)
                for c in (site.cidrs if site else ()):
                    routes.append(RouteEntry(net(c), att, "propagated", loc))
        eg.tgw_rts[rt.id] = TgwRt(rt.id, tuple(rt.associations), tuple(routes),
                                  eg.where("tgw_route_tables", i))


def _enis(eg: EnvGraph) -> None:
    env, ix = eg.env, eg.ix
    for n in ix.nodes_in(env):
        p = n.at[env]
        if not p.subnets or n.kind is NodeKind.TGW_ATTACHMENT:
            if n.kind is NodeKind.IGW and p.vpc:
                eg.g.add_edge(n.id, "internet", kind="igw")
                eg.g.add_edge("internet", n.id, kind="igw")
            continue
        sgs = tuple(g for g in n.security_groups if env in ix.security_groups[g].envs)
        # an internet-facing ALB's nodes have public addresses; an internal one never does
        public = (n.alb.scheme == "internet-facing") if n.alb is not None else n.public_ip
        eg.enis[n.id] = tuple(
            Eni(n.id, s, ix.subnets[s].vpc, ix.subnets[s].az, eg.subnet_net[s], sgs, public)
            for s in p.subnets)
        for s in p.subnets:
            eg.g.add_edge(n.id, s, kind="eni")
            eg.g.add_edge(s, n.id, kind="eni")
        if n.client_vpn:
            for s in n.client_vpn.associated_subnets:
                eg.g.add_edge(n.id, s, kind="cvpn-association")


def _rules(eg: EnvGraph) -> None:
    for gi, sg in enumerate(eg.model.security_groups):
        if eg.env not in sg.envs:
            continue
        eg.sg_location[sg.id] = eg.where("security_groups", gi)
        refs = []
        for ri, r in enumerate(sg.rules):
            if r.envs is not None and eg.env not in r.envs:
                continue
            peer = net(r.cidr) if r.cidr else (eg.named(r.named) if r.named else None)
            refs.append(RuleRef(sg.id, ri, r.direction, r.protocol, ports_of(r.port), peer, r.sg, r,
                                eg.where("security_groups", gi, "rules", ri)))
        eg.rules[sg.id] = tuple(refs)


def build_graph(ix: ModelIndex | Model | Source, env: str, src: Source | None = None) -> EnvGraph:
    """Build the graph of ``env`` (accepts a :class:`ModelIndex`, a ``Model`` or a :class:`Source`)."""
    if isinstance(ix, Source):
        src, ix = ix, ModelIndex(ix.model)
    elif isinstance(ix, Model):
        ix = ModelIndex(ix)
    if src is None:
        src = from_model(ix.model)
    if env not in ix.envs:
        raise KeyError(env)
    key = ("#graph", env)
    cached = src._cache.get(key)
    if cached is not None and cached.ix.model is ix.model:
        return cached  # one graph per environment and loaded model: the page, findings and check share it
    with no_gc():
        eg = _build(ix, env, src)
    src._cache[key] = eg
    return eg


def _build(ix: ModelIndex, env: str, src: Source) -> EnvGraph:
    eg = EnvGraph(env, ix, src)
    eg.g.add_node("internet", kind="internet")
    for v in ix.vpcs_in(env):
        eg.vpc_net[v.id] = net(v.cidr)
        eg.g.add_node(v.id, kind="vpc")
        for s in ix.subnets_of(v.id):
            eg.subnet_net[s.id] = net(s.cidr)
            eg.g.add_node(s.id, kind="subnet", az=s.az, vpc=v.id)
            eg.g.add_edge(s.id, v.id, kind="in-vpc")
            eg.g.add_edge(v.id, s.id, kind="local")
    for i, nacl in enumerate(eg.model.nacls):
        if nacl.vpc in eg.vpc_net:
            for s in nacl.subnets:
                eg.nacl_of[s] = nacl.id
    _route_tables(eg)
    _tgw(eg)
    _enis(eg)
    _rules(eg)
    return eg


def graphs(src: Source | Model) -> dict[str, EnvGraph]:
    """One :class:`EnvGraph` per environment of the model, in model order."""
    if isinstance(src, Model):
        src = from_model(src)
    ix = ModelIndex(src.model)
    return {e: build_graph(ix, e, src) for e in ix.envs}
