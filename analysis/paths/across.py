"""Questions across environments: a source of one environment, a target of another.

Environments are joined only where a network object serves both (a shared Transit Gateway,
Direct Connect gateway, Client VPN endpoint or VPN connection: :mod:`analysis.graph.scope`).
The path is walked by the same engine: it starts in the source's graph, and a hop that
forwards into the other environment (a shared TGW's route to its attachment, a public
address it owns) continues in that environment's graph; the reply comes back the same way.
Components outside the source's environment are named ``env:id`` in the hops. Two
environments that share no network object have no private path: to a private address the
answer is ``DISCONNECTED``, saying so. A target with a public address is still reached the
way AWS reaches it, over the internet: the source's environment is asked for a path out to
the internet, the target's for a path in from the internet, and the answer joins both (the
hops of the target's side named ``env:id``).

Endpoints are written ``env:id`` (:func:`split_endpoint`); the result names both so.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> r = reach_across(analyze(load_model()).network("poc"), "prod", "frontend", "rds", 5432)
>>> r.source, r.target, r.verdict, r.codes
('poc:frontend', 'prod:rds', 'unreachable', ('DISCONNECTED',))
>>> split_endpoint("prod:db", "stg"), split_endpoint("db", "stg")
(('prod', 'db'), ('stg', 'db'))
"""

from __future__ import annotations

from dataclasses import replace

from analysis.forwarding.trace import Trace
from analysis.graph.build import build_graph
from analysis.paths.candidates import UnknownEndpoint, candidates
from analysis.paths.query import ADDRESS_ACTOR, actor_query, node_query
from analysis.paths.reach import listening_ports, targets
from analysis.results import ReachResult, verdict_of
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["reach_across", "split_endpoint", "qualified", "cross_targets", "crossings", "crossing_hop"]

T = Templates({
    "apart": N_("環境 {env} と環境 {other} は共有するネットワーク（TGW・Direct Connect Gateway・Client VPNエンドポイント・"
             "VPN接続）がなく、{source} から {target} への閉域の経路はない（パブリックアドレスを持つ宛先へはインターネット"
             "経由の経路を確認する）"),
})


def split_endpoint(text: str, default_env: str | None) -> tuple[str | None, str]:
    """``env:id`` -> (env, id); a plain id belongs to ``default_env``."""
    env, sep, ident = text.partition(":")
    return (env, ident) if sep else (default_env, text)


def qualified(env: str, ident: str) -> str:
    """How a result names an endpoint of ``env``: ``env:id``."""
    return f"{env}:{ident}"


def _targets_of(q, env: str) -> tuple[str, ...]:
    """The targets of ``env`` (an environment outside ``q``'s scope gets a graph of its own to list them)."""
    eg = q.eg
    if eg.scope is not None and env in eg.scope.envs:
        return q.peer(env).targets
    return tuple(targets(build_graph(eg.loaded, env, eg.ix)))


def reach_across(q, target_env: str, source: str, target: str, port: int, protocol: str = "tcp",
                 mode: str | None = None) -> ReachResult:
    """Can ``source`` of ``q``'s environment reach ``target`` of ``target_env`` (``mode``: only its
    ``private`` or ``public`` address)? Raises :class:`UnknownEndpoint` for an unknown endpoint or
    environment."""
    if target_env not in q.eg.ix.envs:
        raise UnknownEndpoint("environment", target_env, q.env, list(q.eg.ix.envs))
    if source not in q._source_set:
        raise UnknownEndpoint("source", source, q.env, list(q.sources))
    if target_env == q.env and mode is None:
        return q.reach(source, target, port, protocol)
    key = ("across", source, target_env, target, port, protocol, mode)
    found = q._memo.get(key)
    if found is not None:
        return found
    choices = _targets_of(q, target_env)
    if target not in choices:
        raise UnknownEndpoint("target", target, target_env, list(choices))
    src_name, dst_name = qualified(q.env, source), qualified(target_env, target)
    scope = q.eg.scope
    over = None
    if (scope is None or target_env not in scope.envs) and mode != "private":
        over = _over_the_internet(q, target_env, source, target, port, protocol, dst_name)
    if over is not None:
        r = over
    elif scope is None or target_env not in scope.envs:
        t = Trace()
        where = q.eg.where_id("actors" if source in q.eg.ix.actors else "nodes", source)
        t.block("DISCONNECTED", src_name, T("apart", env=q.env, other=target_env, source=src_name, target=dst_name),
                where)
        r = ReachResult(q.env, src_name, dst_name, protocol, port, verdict_of(t.blockers), (), tuple(t.blockers))
    else:
        dst = q.peer(target_env).eg
        actor = q.eg.ix.actors.get(source)
        if actor is not None:
            cands = [c for c in candidates(dst, target) if mode is None or c.mode == mode]
            r = actor_query(q, actor, target, port, protocol, 0, cands, name=dst_name)
        else:
            r = node_query(q, source, dst_name, port, protocol, 0, None,
                           lambda s: [c for c in candidates(dst, target, s) if mode is None or c.mode == mode],
                           plan=dst.addresses)
        r = replace(r, source=src_name)
    q._memo[key] = r
    return r


def _other(q, env: str):
    """Point queries of an environment outside ``q``'s network scope (built once per query object)."""
    from analysis.paths.reach import Reachability

    key = ("env", env)
    if key not in q._memo:
        q._memo[key] = Reachability(build_graph(q.eg.loaded, env, q.eg.ix))
    return q._memo[key]


def _over_the_internet(q, env: str, source: str, target: str, port: int, protocol: str,
                       dst_name: str) -> ReachResult | None:
    """``source`` of ``q``'s environment to the public address of ``target`` in ``env``, two
    environments that share no network: out to the internet on the source's side, in from the
    internet on the target's (None when the target has no public address)."""
    other = _other(q, env)
    if not other.has_address(target, "public"):
        return None
    out = q.reach_ip(port, protocol, source=source, dst_ip=q.eg.addresses.internet) \
        if source not in q.eg.ix.actors or q.eg.ix.actors[source].site != "internet" else None
    inn = other.reach_ip(port, protocol, src_ip=other.eg.addresses.internet, target=target)

    def theirs(x):  # the address the target's side asks from is a host on the internet
        return replace(x, node=qualified(env, "internet" if x.node == ADDRESS_ACTOR else x.node))

    hops = (out.hops if out else ()) + tuple(theirs(h) for h in inn.hops)
    blockers = (out.blockers if out else ()) + tuple(theirs(b) for b in inn.blockers)
    return ReachResult(q.env, qualified(q.env, source), dst_name, protocol, port, verdict_of(blockers), hops,
                       blockers, tuple(sorted(set((out.notes if out else ()) + inn.notes))),
                       source_address=out.source_address if out else inn.source_address,
                       target_address=inn.target_address)


def cross_targets(q, env: str) -> list[tuple[str, int]]:
    """(target, port) of ``env`` a path from another environment could reach at a private address:
    nodes with interfaces (not NAT gateways, endpoints of AWS services or Client VPN), each on the
    ports it listens on."""
    other = q.peer(env)
    skip = (NodeKind.NAT_GATEWAY, NodeKind.CLIENT_VPN, NodeKind.VPC_ENDPOINT)
    return [(t, p) for t in other.targets if t in other.eg.enis and other.eg.node(t).kind not in skip
            for p in listening_ports(other.eg, t)]


def crossings(q, env: str, protocol: str = "tcp"):
    """Every private-address path from ``q``'s environment into ``env`` that works (reachable or
    conditional), sources in order, then targets and ports; nothing when the two share no network."""
    if q.eg.scope is None or env not in q.eg.scope.envs or env == q.env:
        return
    for s in q.sources:
        for t, p in cross_targets(q, env):
            r = reach_across(q, env, s, t, p, protocol, "private")
            if r.ok:
                yield r


def crossing_hop(r: ReachResult):
    """The hop where a cross-environment path enters the target's environment (None: it never does)."""
    env = r.target.partition(":")[0]
    prev = None
    for h in r.hops:
        if h.node.startswith(env + ":"):
            return prev
        prev = h
    return None
