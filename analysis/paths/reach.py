"""Point queries: can a source reach a target on protocol/port in one environment, and why.

Sources are actors (by their ``site``: the internet, an on-premises site reached over
Direct Connect or VPN, or a Client VPN client) and nodes with addresses; targets are
nodes with addresses (ENIs, load balancers, NAT gateways, interface endpoints), AWS
service endpoints and the Client VPN endpoint. A node placed in several subnets is one
instance per subnet: the target is reached if *any* instance is; when the source's
instances disagree, the verdict is ``conditional`` with ``AZ_DEPENDENT`` naming the
failing AZs.

Each candidate (source instance x target instance x its private or public address) is
traced by the forwarding engine (:mod:`analysis.forwarding`), request and reply; the
best candidate is kept (reachable < conditional < fewest hard blockers; private address
first). :meth:`Reachability.reach_by_address` answers per address of the target, and
:meth:`Reachability.reach_ip` for one address (a node's, a site's or an internet host's).
An AWS service is reached at an interface endpoint of the source's VPC when one with
private DNS exists, else at its public endpoint (through a gateway endpoint's route when
the route table has one). The Direct Connect gateway is analysed *as if* associated
with the TGW although the seed says "Private VIF" (a transit VIF is required): the path
carries the note ``DXGW_PRIVATE_VIF_ASSUMED_TRANSIT`` and :mod:`analysis.review.aws`
reports the contradiction. A private path to an *internet-facing* ALB carries the note
``INTERNET_FACING_ALB_VIA_PRIVATE_IP``. An on-premises site's own internet access is not
modelled: its paths to AWS service endpoints are ``conditional`` with
``ONPREM_INTERNET_NOT_MODELED``.

>>> from model.loader import load_model
>>> from analysis.graph import build_graph
>>> poc = build_graph(load_model(), "poc")
>>> reach(poc, "business-user", "alb", 443).verdict
'reachable'
>>> reach(poc, "business-user", "rds", 5432).codes
('NO_PUBLIC_ADDRESS', 'SG_INGRESS_DENIED', 'NO_RETURN_PATH')
>>> reach(poc, "developer", "frontend", 3000).codes
('SG_INGRESS_DENIED',)
"""

from __future__ import annotations

from dataclasses import replace

from analysis.forwarding.engine import trace_path
from analysis.forwarding.nacl import ephemeral_of
from analysis.forwarding.trace import EPHEMERAL_WIDE, Header, Packet, Templates, Trace
from analysis.graph.build import SERVICE_KINDS, EnvGraph
from analysis.graph.types import Eni, Net
from analysis.paths.actors import actor_entry
from analysis.graph.addresses import is_public
from analysis.graph.types import net
from analysis.paths.candidates import Candidate, UnknownAddress, address_candidates, candidates
from analysis.results import Blocker, ReachResult, verdict_of
from model.errors import suggest
from model.schema import Actor, NodeKind

__all__ = ["Reachability", "reach", "reach_ip", "sources", "targets", "UnknownEndpoint", "UnknownAddress",
           "endpoint_ports", "listening_ports"]

_NOT_SOURCES = {NodeKind.NAT_GATEWAY, NodeKind.CLIENT_VPN, NodeKind.VPC_ENDPOINT}

T = Templates({
    "originated": "{node}（{subnet} {net}, {az}）",
    "disconnected": "{source} から {target} への経路がない",
    "az_dependent": "{az}（{subnet}）の {source} からは到達できない: {codes}",
})


class UnknownEndpoint(KeyError):
    """A source or target that is not a network endpoint in the environment (with suggestions)."""

    def __init__(self, what: str, name: str, env: str, choices: list[str]):
        self.what, self.name, self.env, self.choices = what, name, env, choices
        close = suggest(name, choices)
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(choices)}"
        super().__init__(f"{what} '{name}' is not a network endpoint in environment {env} ({hint})")

    def __str__(self) -> str:
        return self.args[0]


def sources(eg: EnvGraph) -> list[str]:
    """Actors of the environment, then nodes with addresses, in model order."""
    out = [a.id for a in eg.ix.actors_in(eg.env)]
    return out + [n for n in eg.enis if eg.node(n).kind not in _NOT_SOURCES]


def targets(eg: EnvGraph) -> list[str]:
    """Nodes with addresses, Client VPN endpoints and AWS service endpoints, in model order."""
    return [n.id for n in eg.ix.nodes_in(eg.env)
            if n.id in eg.enis or n.kind in SERVICE_KINDS or n.kind is NodeKind.CLIENT_VPN]


class Reachability:
    """Point queries over one environment, each answered once (results are immutable rows).

    The graph never changes, so a result can be reused by every consumer of one analysis
    (intents, findings, the matrix, the diff, a load balancer's own sub-queries).

    >>> from model.loader import load_model
    >>> from analysis.graph.build import build_graph
    >>> q = Reachability(build_graph(load_model(), "poc"))
    >>> q.reach("business-user", "alb", 443) is q.reach("business-user", "alb", 443)
    True
    """

    def __init__(self, eg: EnvGraph):
        self.eg = eg
        self.sources: tuple[str, ...] = tuple(sources(eg))
        self.targets: tuple[str, ...] = tuple(targets(eg))
        self._source_set, self._target_set = frozenset(self.sources), frozenset(self.targets)
        self._memo: dict[tuple, ReachResult] = {}

    @property
    def env(self) -> str:
        return self.eg.env

    def reach(self, source: str, target: str, port: int, protocol: str = "tcp", _depth: int = 0,
              _src: tuple[Net, tuple[str, ...]] | None = None) -> ReachResult:
        """Answer one query; raises :class:`UnknownEndpoint` for an unknown source or target.

        ``_src`` (load balancers preserving the client's address): the source address and the
        SGs that references may match, instead of the source's own.
        """
        key = (source, target, port, protocol, _depth, _src)
        result = self._memo.get(key)
        if result is None:
            self._check(source, target)
            result = self._memo[key] = _reach(self, source, target, port, protocol, _depth, _src, None)
        return result

    def reach_by_address(self, source: str, target: str, port: int, protocol: str = "tcp") -> tuple[ReachResult, ...]:
        """One result per address of ``target`` (its private address, then its public one if it has one)."""
        self._check(source, target)
        kinds = [m for m in ("private", "public") if any(c.mode == m for c in candidates(self.eg, target))]
        return tuple(_reach(self, source, target, port, protocol, 0, None, m) for m in kinds)

    def reach_ip(self, port: int, protocol: str = "tcp", **where) -> ReachResult:
        """One query by address: ``source``/``src_ip`` and ``target``/``dst_ip`` (see :func:`reach_ip`)."""
        return reach_ip(self, port, protocol, **where)

    def _check(self, source: str, target: str) -> None:
        if source not in self._source_set:
            raise UnknownEndpoint("source", source, self.env, list(self.sources))
        if target not in self._target_set:
            raise UnknownEndpoint("target", target, self.env, list(self.targets))


def reach(eg: EnvGraph, source: str, target: str, port: int, protocol: str = "tcp") -> ReachResult:
    """One query on its own (nothing cached across calls; an analysis uses :class:`Reachability`)."""
    return Reachability(eg).reach(source, target, port, protocol)


def endpoint_ports(eg: EnvGraph) -> list[int]:
    """Every port the model mentions in this environment (SG rules, listeners, target groups, flows)."""
    ports: set[int] = set()
    for refs in eg.rules.values():
        for r in refs:
            if r.ports[0] == r.ports[1]:
                ports.add(r.ports[0])
    for n in eg.ix.nodes_in(eg.env):
        if n.alb:
            ports.update(lst.port for lst in n.alb.listeners)
            ports.update(x.port for x in n.alb.target_groups)
        if n.nlb:
            ports.update(lst.port for lst in n.nlb.listeners)
            ports.update(x.port for x in n.nlb.target_groups)
    ports.update(f.port for f in eg.ix.flows_in(eg.env) if f.port is not None and f.protocol == "tcp")
    return sorted(ports)


def listening_ports(eg: EnvGraph, target: str) -> list[int]:
    """Ports ``target`` listens on: load balancer listeners and single-port inbound SG rules; 443
    for an AWS service endpoint; a Client VPN endpoint's VPN port."""
    node = eg.node(target)
    if node.kind is NodeKind.CLIENT_VPN and node.client_vpn is not None:
        return [node.client_vpn.vpn_port]
    if node.kind in SERVICE_KINDS or node.kind is NodeKind.CLIENT_VPN:
        return [443]
    ports: set[int] = set()
    if node.alb is not None:
        ports.update(lst.port for lst in node.alb.listeners)
    if node.nlb is not None:
        ports.update(lst.port for lst in node.nlb.listeners)
    for e in eg.enis.get(target, ())[:1]:
        for sg in e.sgs:
            for r in eg.rules.get(sg, ()):
                if r.direction == "inbound" and r.ports[0] == r.ports[1]:
                    ports.add(r.ports[0])
    return sorted(ports)


def _score(t: Trace, order: int) -> tuple:
    v = verdict_of(t.blockers)
    return ({"reachable": 0, "conditional": 1, "unreachable": 2}[v], t.hard, len(t.blockers), order)


def _result(eg, source, target, proto, port, t: Trace, extra=(), addrs=("", "")) -> ReachResult:
    blockers = tuple(t.blockers) + tuple(extra)
    return ReachResult(eg.env, source, target, proto, port, verdict_of(blockers), tuple(t.hops), blockers,
                       tuple(sorted(t.notes)), tuple(sorted(t.used)), addrs[0], addrs[1])


def _header(eg: EnvGraph, c: Candidate, proto: str, port: int, src: Net, eph, sgs=()) -> Header:
    return Header(proto, port, src, c.dst, eph, service=c.service, src_sgs=sgs)


def _actor_source(eg: EnvGraph, a: Actor) -> Net:
    """The address an actor's requests come from: its site's first CIDR, a VPN client's CIDR, or the internet."""
    site = eg.ix.sites.get(a.site)
    cvpn = next((eg.ix.nodes[v] for v in a.via if v in eg.ix.nodes and eg.ix.nodes[v].client_vpn), None)
    if a.vpn_client and cvpn is not None and eg.named(cvpn.client_vpn.client_cidr) is not None:
        return eg.named(cvpn.client_vpn.client_cidr)
    if site is not None and site.kind == "onprem" and site.cidrs:
        return net(site.cidrs[0])
    return eg.addresses.internet


def _actor(q: Reachability, a: Actor, target: str, port: int, proto: str, depth: int, cands,
           src: Net | None = None) -> ReachResult:
    eg = q.eg
    src = src if src is not None else _actor_source(eg, a)
    best = None
    for order, c in enumerate(cands):
        t = Trace()
        h = _header(eg, c, proto, port, eg.addresses.internet if c.mode == "public" and a.vpn_client else src,
                    EPHEMERAL_WIDE)
        entry = actor_entry(eg, t, a, target, h, c.mode, c.service is not None)
        if entry is None:
            continue
        first, goal = entry
        if goal[:1] == ("internet",):
            goal = ("internet", h.src)
        trace_path(eg, t, first, goal=goal, target=c.eni, forward_goal=c.goal, query=q.reach, depth=depth,
                   country=a.country)
        if best is None or _score(t, order) < best[0]:
            best = (_score(t, order), t, h)
    if best is None:
        t = Trace()
        t.block("DISCONNECTED", a.id, T("disconnected", source=a.id, target=target))
        return _result(eg, a.id, target, proto, port, t, addrs=("", str(cands[0].dst) if cands else ""))
    h = best[2]
    return _result(eg, a.id, target, proto, port, best[1], addrs=(str(h.src), str(h.dst)))


def _node(q: Reachability, source: str, target: str, port: int, proto: str, depth: int, src_override, cands_of):
    eg = q.eg
    per_source: list[tuple[Eni, Trace, Header]] = []
    for s in eg.enis[source]:
        best = None
        for order, c in enumerate(cands_of(s)):
            if c.mode == "public" and c.eni is not None and c.eni not in eg.addresses.has_public:
                continue
            src, sgs = src_override if src_override is not None else (s.net, s.sgs)
            h = _header(eg, c, proto, port, src, ephemeral_of(eg, source), sgs)
            t = Trace()
            t.hop(source, "ORIGINATED", T("originated", node=source, subnet=s.subnet, net=s.net, az=s.az),
                  eg.where_id("nodes", source))
            # a load balancer preserving the client's address: the reply goes back through it (not traced)
            goal = () if src_override is not None else ("eni", s)
            trace_path(eg, t, Packet("eni-out", s.node, s.subnet, s.az, h, s), goal=goal, target=c.eni,
                       forward_goal=c.goal, query=q.reach, depth=depth)
            if best is None or _score(t, order) < best[0]:
                best = (_score(t, order), t, h)
        if best is not None:
            per_source.append((s, best[1], best[2]))
    if not per_source:
        t = Trace()
        t.block("DISCONNECTED", source, T("disconnected", source=source, target=target))
        return _result(eg, source, target, proto, port, t)
    verdicts = {verdict_of(t.blockers) for _, t, _ in per_source}
    first = per_source[0]
    if len(verdicts) == 1:
        return _result(eg, source, target, proto, port, first[1], addrs=(str(first[2].src), str(first[2].dst)))
    good = min(per_source, key=lambda st: _score(st[1], 0))
    bad = [(s, t) for s, t, _ in per_source if verdict_of(t.blockers) == "unreachable"]
    extra = [Blocker("AZ_DEPENDENT", source, T("az_dependent", az=s.az, subnet=s.subnet, source=source,
                                               codes=", ".join(b.code for b in t.blockers)), t.blockers[0].location)
             for s, t in bad]
    return _result(eg, source, target, proto, port, good[1], extra, addrs=(str(good[2].src), str(good[2].dst)))


def _reach(q: Reachability, source: str, target: str, port: int, protocol: str, depth: int, src_override,
           mode: str | None) -> ReachResult:
    eg = q.eg
    actor = eg.ix.actors.get(source)
    if actor is not None:
        cands = [c for c in candidates(eg, target) if mode is None or c.mode == mode]
        return _actor(q, actor, target, port, protocol, depth, cands)
    return _node(q, source, target, port, protocol, depth, src_override,
                 lambda s: [c for c in candidates(eg, target, s) if mode is None or c.mode == mode])


def _address_source(q: Reachability, addr: Net) -> tuple[str, Actor | None]:
    """A source address: a node (its written or public IP, or the only node of a subnet), or a
    pseudo actor at the on-premises site or on the internet that has the address."""
    eg = q.eg
    plan = eg.addresses
    for node, enis in eg.enis.items():
        if node in q._source_set and any(e.net == addr or (plan.public.get(e) == addr and e in plan.has_public)
                                         for e in enis):
            return node, None
    for sub, n in eg.subnet_net.items():
        owners = {e.node for es in eg.enis.values() for e in es if e.subnet == sub and e.node in q._source_set}
        if addr.subnet_of(n) and len(owners) == 1:
            return owners.pop(), None
    site = next((s for s in eg.ix.model.sites if eg.env in s.envs and s.kind == "onprem"
                 and any(addr.subnet_of(net(c)) for c in s.cidrs)), None)
    if site is None and not is_public(addr):
        raise UnknownAddress(f"no node, subnet or site of environment {eg.env} has the address {addr}")
    name = str(addr)
    return name, Actor(id="address", label=name, role="-", envs=(eg.env,), site=site.id if site else "internet",
                       persona="address", persona_label=name)


def reach_ip(q: Reachability, port: int, protocol: str = "tcp", *, source: str | None = None,
             target: str | None = None, src_ip: Net | None = None, dst_ip: Net | None = None) -> ReachResult:
    """One query where the source and/or the destination is an address (issue 19).

    Raises :class:`UnknownEndpoint` for an unknown node or actor and
    :class:`~analysis.paths.candidates.UnknownAddress` for an address nothing in the model has.
    """
    eg = q.eg
    if target is not None:
        if target not in q._target_set:
            raise UnknownEndpoint("target", target, q.env, list(q.targets))
        name, cands_all = target, None
    else:
        name, cands_all = address_candidates(eg, dst_ip)
    cands_of = (lambda s: candidates(eg, target, s)) if cands_all is None else (lambda s: cands_all)
    if src_ip is not None:
        source, actor = _address_source(q, src_ip)
    else:
        if source not in q._source_set:
            raise UnknownEndpoint("source", source, q.env, list(q.sources))
        actor = eg.ix.actors.get(source)
    if actor is not None:
        r = _actor(q, actor, name, port, protocol, 0, cands_of(None), src_ip)
        return replace(r, source=source)
    return _node(q, source, name, port, protocol, 0, None, cands_of)
