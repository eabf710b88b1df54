"""The point query's work: every candidate traced by the forwarding engine, the best kept.

:func:`query` answers one (source, target, port, protocol) for
:class:`analysis.paths.reach.Reachability` (which caches it): an actor's request enters
through :mod:`analysis.paths.actors`, a node's leaves each of its ENIs; each candidate of the
target (:mod:`analysis.paths.candidates`) is traced, request and reply
(:func:`analysis.forwarding.engine.trace_path`), and the best trace is kept (reachable <
conditional < fewest hard blockers; private address first). A node whose instances disagree
gets ``AZ_DEPENDENT``. :func:`reach_ip` asks about one address instead of a node.

``q`` is the :class:`~analysis.paths.reach.Reachability` asking: its ``reach`` is the query a
load balancer uses for its own connections, ``_source_set``/``_target_set`` the endpoints.
"""

from __future__ import annotations

from dataclasses import replace

from analysis.forwarding.engine import trace_path
from analysis.forwarding.nacl import ephemeral_of
from analysis.forwarding.trace import EPHEMERAL_WIDE, Header, Packet, Trace
from analysis.graph.addresses import is_public
from analysis.graph.build import EnvGraph
from analysis.graph.types import Eni, Net, net
from analysis.forwarding.entry import endpoint_graph, tunnelled
from analysis.paths.actors import actor_entry, vpn_endpoint
from analysis.paths.candidates import Candidate, UnknownAddress, UnknownEndpoint, address_candidates, candidates
from analysis.results import Blocker, ReachResult, verdict_of
from analysis.i18n import N_, Templates
from model.schema import Actor

__all__ = ["query", "reach_ip", "address_source", "actor_query", "node_query", "ADDRESS_ACTOR"]

ADDRESS_ACTOR = "address"
"""The id of the pseudo actor that stands for a source address no node has (a site's or the internet's)."""

T = Templates({
    "originated": N_("{node}（{subnet} {net}, {az}）"),
    "disconnected": N_("{source} から {target} への経路がない"),
    "az_dependent": N_("{az}（{subnet}）の {source} からは到達できない: {codes}"),
})


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
    client = endpoint_graph(eg, cvpn).named(cvpn.client_vpn.client_cidr) if a.vpn_client and cvpn is not None else None
    if client is not None:
        return client
    if site is not None and site.kind == "onprem" and site.cidrs:
        return net(site.cidrs[0])
    return eg.addresses.internet


def _request_source(eg: EnvGraph, a: Actor, target: str, c: Candidate, src: Net) -> Net:
    """Where a VPN client's request comes from: the client CIDR inside the tunnel, its own public
    address outside it (:func:`~analysis.forwarding.entry.tunnelled`)."""
    if not a.vpn_client:
        return src
    cvpn = vpn_endpoint(eg, a)
    if cvpn is None:
        return eg.addresses.internet if c.mode == "public" else src
    inside = target != cvpn.id and tunnelled(cvpn.client_vpn, c.dst, c.mode == "private")
    return src if inside else eg.addresses.internet


def _queries(q):
    """Another environment's point queries, when the scope joins several (None: one environment)."""
    return q.peer_reach if q.eg.scope is not None and q.eg.scope.joined else None


def actor_query(q, a: Actor, target: str, port: int, proto: str, depth: int, cands,
                src: Net | None = None, name: str | None = None) -> ReachResult:
    """``name``: the target as the result names it (``env:id`` across environments)."""
    eg = q.eg
    name = name or target
    src = src if src is not None else _actor_source(eg, a)
    best = None
    for order, c in enumerate(cands):
        t = Trace()
        h = _header(eg, c, proto, port, _request_source(eg, a, target, c, src), EPHEMERAL_WIDE)
        entry = actor_entry(eg, t, a, target, h, c.mode, c.service is not None)
        if entry is None:
            continue
        first, goal = entry
        if goal[:1] == ("internet",):
            goal = ("internet", h.src)
        trace_path(eg, t, first, goal=goal, target=c.eni, forward_goal=c.goal, query=q.reach, depth=depth,
                   country=a.country, queries=_queries(q))
        if best is None or _score(t, order) < best[0]:
            best = (_score(t, order), t, h)
    if best is None:
        t = Trace()
        t.block("DISCONNECTED", a.id, T("disconnected", source=a.id, target=name))
        return _result(eg, a.id, name, proto, port, t, addrs=("", str(cands[0].dst) if cands else ""))
    h = best[2]
    return _result(eg, a.id, name, proto, port, best[1], addrs=(str(h.src), str(h.dst)))


def node_query(q, source: str, target: str, port: int, proto: str, depth: int, src_override, cands_of,
               plan=None, enis: list[Eni] | None = None):
    """``plan``: the address plan of the target's environment (default the source's); ``enis``:
    the source's interfaces to send from (default all of them)."""
    eg = q.eg
    plan = plan if plan is not None else eg.addresses
    per_source: list[tuple[Eni, Trace, Header]] = []
    for s in (enis if enis is not None else eg.enis[source]):
        best = None
        for order, c in enumerate(cands_of(s)):
            if c.mode == "public" and c.eni is not None and c.eni not in plan.has_public:
                continue
            src, sgs = src_override if src_override is not None else (s.net, s.sgs)
            h = _header(eg, c, proto, port, src, ephemeral_of(eg, source), sgs)
            t = Trace()
            t.hop(source, "ORIGINATED", T("originated", node=source, subnet=s.subnet, net=s.net, az=s.az),
                  eg.where_id("nodes", source))
            # a load balancer preserving the client's address: the reply goes back through it (not traced)
            goal = () if src_override is not None else ("eni", s)
            trace_path(eg, t, Packet("eni-out", s.node, s.subnet, s.az, h, s), goal=goal, target=c.eni,
                       forward_goal=c.goal, query=q.reach, depth=depth, queries=_queries(q))
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


def query(q, source: str, target: str, port: int, protocol: str, depth: int, src_override,
           mode: str | None) -> ReachResult:
    eg = q.eg
    actor = eg.ix.actors.get(source)
    if actor is not None:
        cands = [c for c in candidates(eg, target) if mode is None or c.mode == mode]
        return actor_query(q, actor, target, port, protocol, depth, cands)
    return node_query(q, source, target, port, protocol, depth, src_override,
                 lambda s: [c for c in candidates(eg, target, s) if mode is None or c.mode == mode])


def address_source(q, addr: Net) -> tuple[str, Actor | None, list[Eni] | None]:
    """A source address: a node (its written or public IP, or the only node of a subnet, sending
    from exactly that address), or a pseudo actor at the on-premises site or on the internet
    that has the address. The third item: the node's interfaces to send from."""
    eg = q.eg
    plan = eg.addresses
    for node, enis in eg.enis.items():
        if node not in q._source_set:
            continue
        mine = [e for e in enis if e.net == addr or (plan.public.get(e) == addr and e in plan.has_public)]
        if mine:
            return node, None, mine
    for sub, n in eg.subnet_net.items():
        if not addr.subnet_of(n):
            continue
        owners = sorted({e.node for es in eg.enis.values() for e in es if e.subnet == sub and e.node in q._source_set})
        if len(owners) == 1:
            # the model gives the node no address of its own here: it sends from the one asked
            # about, so rules that name that address (a NACL's /32) apply to it
            mine = [replace(e, net=addr) for e in eg.enis[owners[0]] if e.subnet == sub and addr.subnet_of(e.net)]
            if mine:
                return owners[0], None, mine
            written = ", ".join(str(e.net) for e in eg.enis[owners[0]] if e.subnet == sub)
            raise UnknownAddress(f"{addr} is in subnet {sub}, but its only node {owners[0]} has the address {written}")
        if owners:
            raise UnknownAddress(f"{addr} is in subnet {sub}, which holds several nodes ({', '.join(owners)}): "
                                 f"ask with --from NODE, or write the node's address in the model")
    site = next((s for s in eg.ix.model.sites if eg.env in s.envs and s.kind == "onprem"
                 and any(addr.subnet_of(net(c)) for c in s.cidrs)), None)
    if site is None and not is_public(addr):
        raise UnknownAddress(f"no node, subnet or site of environment {eg.env} has the address {addr}")
    name = str(addr)
    return name, Actor(id=ADDRESS_ACTOR, label=name, role="-", envs=(eg.env,),
                       site=site.id if site else "internet", persona="address", persona_label=name), None


def reach_ip(q, port: int, protocol: str = "tcp", *, source: str | None = None,
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
    enis = None
    if src_ip is not None:
        source, actor, enis = address_source(q, src_ip)
    else:
        if source not in q._source_set:
            raise UnknownEndpoint("source", source, q.env, list(q.sources))
        actor = eg.ix.actors.get(source)
    if actor is not None:
        r = actor_query(q, actor, name, port, protocol, 0, cands_of(None), src_ip)
        return replace(r, source=source)
    return node_query(q, source, name, port, protocol, 0, None, cands_of, enis=enis)
