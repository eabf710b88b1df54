"""The forwarding engine's path between two interfaces, recorded once and decided per port.

The all-pairs matrix (:mod:`analysis.paths.allpairs`) needs, for every pair of
interface groups (same subnet, address and public address), what the point query would
check on the way there and back. :class:`PairPaths` walks that path once with the
forwarding engine (:func:`analysis.forwarding.engine.trace_path`, request and reply) in
*recording* mode: routing, gateways, TGW, peering and endpoints are decided by the hop
functions as in a point query, while the checks that depend on the port or on the
client's ephemeral range - security groups, NACL crossings, firewall rules - are recorded
instead of decided. :meth:`PairPaths.passes` then decides the recorded NACL and firewall
checks for one port and one ephemeral range, with the same predicates the hops use
(:func:`analysis.graph.filters.nacl_check`, :func:`~analysis.graph.filters.nacl_range`,
:func:`analysis.forwarding.firewall.decide`), memoized per check.

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> eg = build_graph(load_model(), "poc")
>>> pp = PairPaths(eg)
>>> front, db = eg.enis["frontend"][0], eg.enis["rds"][0]
>>> path = pp.path(front, db, "private")
>>> path.ok, str(path.seen_dst), str(path.seen_src), path.identity
(True, '10.1.21.0/24', '10.1.11.0/24', True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from analysis.forwarding.engine import trace_path
from analysis.forwarding.firewall import decide
from analysis.forwarding.listening import listen_port
from analysis.forwarding.trace import Header, Packet, Trace
from analysis.graph.build import EnvGraph
from analysis.graph.filters import nacl_check, nacl_range
from analysis.graph.types import Eni, Net

__all__ = ["PairPath", "PairPaths", "SENTINEL"]

SENTINEL = (-1, -1)
"""The ephemeral range a recording starts with: replaced by the source class's range when decided."""


@dataclass(frozen=True)
class PairPath:
    ok: bool
    """No hop blocked the request or the reply (routing, gateways, TGW, peering, ...)."""
    seen_dst: Net | None
    """The destination address the source's outbound SG rules see."""
    seen_src: Net | None
    """The source address the destination's inbound SG rules see."""
    identity: bool
    """The destination's inbound SG references may match the source's SGs."""
    checks: tuple
    """Recorded NACL crossings and firewall inspections, in path order."""


class PairPaths:
    """Recorded paths between interface groups and their per-port decisions (see the module docstring)."""

    def __init__(self, eg: EnvGraph, proto: str = "tcp"):
        self.eg, self.proto = eg, proto
        self._paths: dict[tuple, PairPath] = {}
        self._memo: dict[tuple, bool] = {}

    def path(self, src: Eni, dst: Eni, mode: str) -> PairPath:
        """The recorded path from ``src`` to ``dst``'s private (or public) address."""
        key = (src.subnet, src.net, src in self.eg.addresses.has_public, dst.subnet, dst.net, mode)
        found = self._paths.get(key)
        if found is None:
            found = self._paths[key] = self._record(src, dst, mode)
        return found

    def _record(self, s: Eni, d: Eni, mode: str) -> PairPath:
        eg = self.eg
        addr = d.net if mode == "private" else eg.addresses.public[d]
        h = Header(self.proto, 0, s.net, addr, SENTINEL, src_sgs=s.sgs)
        rec: list = []
        trace_path(eg, Trace(), Packet("eni-out", s.node, s.subnet, s.az, h, s), goal=("eni", s), target=d,
                   recorder=rec)
        out = next((r for r in rec if r[0] == "sg-out"), None)
        inn = next((r for r in rec if r[0] == "sg-in"), None)
        delivered = inn is not None or not d.sgs
        ok = delivered and not any(r[0] == "block" for r in rec)
        return PairPath(ok, out[2] if out else addr, inn[2] if inn else None, bool(inn and inn[3]),
                        tuple(r for r in rec if r[0] in ("firewall", "listen")
                              or (r[0] == "nacl" and r[1] in self._at(r[1]).nacl_of)))

    def _at(self, subnet: str) -> EnvGraph:
        """The graph holding ``subnet``: this one, or another environment's of the scope a path crosses into."""
        eg = self.eg
        if subnet in eg.subnet_net or eg.scope is None or not eg.scope.joined:
            return eg
        env = eg.scope.env_of_subnet(subnet)
        return eg.scope.graph(env) if env is not None else eg

    def passes(self, path: PairPath, port: int, eph: tuple[int, int]) -> bool:
        """True if every recorded NACL and firewall check admits ``port`` forward and ``eph`` back."""
        for c in path.checks:
            key = (c, port, eph if c[-1] == SENTINEL or c[0] == "firewall" else None)
            ok = self._memo.get(key)
            if ok is None:
                ok = self._memo[key] = self._decide(c, port, eph)
            if not ok:
                return False
        return True

    def _decide(self, c: tuple, port: int, eph: tuple[int, int]) -> bool:
        if c[0] == "listen":  # a data store accepts its one port only (PORT_NOT_LISTENING)
            expected = listen_port(self.eg.ix, c[1], self.eg.env)
            return expected is None or expected == port
        if c[0] == "firewall":
            _, fw, h = c
            h = replace(h, port=port, eph=eph if h.eph == SENTINEL else h.eph)
            return decide(self.eg, fw, h) != "drop"
        _, subnet, direction, peer, reply, rec_eph = c
        eg = self._at(subnet)
        if not reply:
            return nacl_check(eg, subnet, direction, self.proto, port, peer).allowed
        lo, hi = eph if rec_eph == SENTINEL else rec_eph
        return all(v.allowed for _, _, v in nacl_range(eg, subnet, direction, self.proto, lo, hi, peer))
