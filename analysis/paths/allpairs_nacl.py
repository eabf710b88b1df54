"""NACL decisions per subnet pair, for the all-pairs class engine (:mod:`analysis.paths.allpairs`).

The point query (:mod:`analysis.paths.nacl_crossings`) checks a NACL at every subnet crossing of a
path. Between two interfaces inside the model's VPCs those crossings depend only on the
two subnets: the source subnet (outbound), the TGW attachment subnets in the source and
destination AZs when the path goes through the TGW and they differ from the instances'
subnets (inbound at the source side, outbound at the destination side), and the
destination subnet (inbound); none when both are in one subnet. :class:`NaclPairs`
answers "does every crossing admit the forward port and the whole reply range?" with
memoized per-crossing decisions, so the engine asks once per (port class, source subnet,
ephemeral range, destination subnet).

An empty NACL on the database subnet denies everything (its implicit ``*`` rule):

>>> from model.loader import Loaded, load_model
>>> from model.schema import Nacl
>>> from analysis.graph.build import build_graph
>>> m = load_model().model
>>> acl = Nacl(id="db-acl", vpc="poc-app-vpc", subnets=("poc-app-private-db-1",))
>>> pairs = NaclPairs(build_graph(Loaded.unlocated(m.model_copy(update={"nacls": (acl,)})), "poc"), "tcp")
>>> app, db = "poc-app-private-app-1", "poc-app-private-db-1"
>>> len(pairs.crossings(app, app)), len(pairs.crossings(app, db)), pairs.ok(5432, app, (32768, 60999), db)
(0, 1, False)
"""

from __future__ import annotations

from analysis.graph.filters import nacl_check, nacl_range
from analysis.graph.build import EnvGraph
from analysis.paths.nacl_crossings import attachment_subnet, ephemeral_of

__all__ = ["NaclPairs"]

_REVERSE = {"inbound": "outbound", "outbound": "inbound"}


class NaclPairs:
    """Memoized NACL verdicts for interface pairs of one environment and protocol."""

    def __init__(self, eg: EnvGraph, proto: str = "tcp"):
        self.eg, self.proto = eg, proto
        self._cross: dict[tuple[str, str], tuple] = {}
        self._fwd: dict[tuple, bool] = {}
        self._reply: dict[tuple, bool] = {}

    def eph(self, node: str) -> tuple[int, int]:
        """The ephemeral range of ``node``'s connections (by node kind)."""
        return ephemeral_of(self.eg, node)

    def crossings(self, ssub: str, dsub: str) -> tuple[tuple[str, str, object], ...]:
        """(subnet, forward direction, peer network) for every crossing that has a NACL."""
        key = (ssub, dsub)
        if key in self._cross:
            return self._cross[key]
        eg = self.eg
        out: list[tuple[str, str, object]] = []
        if ssub != dsub:
            snet, dnet = eg.subnet_net[ssub], eg.subnet_net[dsub]
            svpc, dvpc = eg.vpc_of_subnet(ssub), eg.vpc_of_subnet(dsub)
            out.append((ssub, "outbound", dnet))
            if svpc != dvpc:
                sa, da = eg.attachment_of_vpc(svpc), eg.attachment_of_vpc(dvpc)
                a = attachment_subnet(eg, sa, eg.ix.subnets[ssub].az) if sa else None
                if a is not None and a != ssub:
                    out.append((a, "inbound", snet))
                b = attachment_subnet(eg, da, eg.ix.subnets[dsub].az) if da else None
                if b is not None and b != dsub:
                    out.append((b, "outbound", dnet))
            out.append((dsub, "inbound", snet))
        self._cross[key] = result = tuple(c for c in out if c[0] in eg.nacl_of)
        return result

    def ok(self, port: int, ssub: str, eph: tuple[int, int], dsub: str) -> bool:
        """True if every crossing admits ``port`` forward and every port of ``eph`` back."""
        for sub, direction, peer in self.crossings(ssub, dsub):
            k = (sub, direction, peer, port)
            fwd = self._fwd.get(k)
            if fwd is None:
                fwd = self._fwd[k] = nacl_check(self.eg, sub, direction, self.proto, port, peer).allowed
            if not fwd:
                return False
            r = (sub, direction, peer, eph)
            back = self._reply.get(r)
            if back is None:
                runs = nacl_range(self.eg, sub, _REVERSE[direction], self.proto, eph[0], eph[1], peer)
                back = self._reply[r] = all(v.allowed for _, _, v in runs)
            if not back:
                return False
        return True
