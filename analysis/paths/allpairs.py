"""All-pairs interface reachability, for large models: the engine's paths, SGs by classes.

Asking :func:`analysis.paths.reach.reach` for every pair and port is quadratic in interfaces
times ports. This module computes the same verdict for *every* interface pair at once,
with one semantics: the forwarding engine's.

* **Paths**: interfaces with the same subnet, address and public address form a *group*;
  for every pair of groups the engine walks the request and its reply once
  (:class:`~analysis.paths.pairpaths.PairPaths`), deciding routing, gateways, TGW,
  peering and endpoints, and recording the port-dependent checks (NACL crossings, firewall
  rules) and the addresses the SGs see at each end.
* **Port classes**: the boundaries of every SG, NACL and firewall rule port range cut
  0–65535 into elementary intervals; one port per interval decides the interval.
* **Interface classes** (an *index* for the SG step only): interfaces with the same SG
  set, group and ephemeral range are a contiguous run of bits; sets of source interfaces
  are Python ints (bitsets). Per port class and destination class, the sources are
  ``egress & ingress & routed``: egress the members of SGs whose outbound rules admit the
  destination address (a CIDR containing it, or an SG it carries when SG references hold),
  ingress the sources the destination's inbound rules admit (their group's address inside
  a rule CIDR, or their SG referenced), routed the sources whose recorded path passes its
  NACL and firewall checks on that port and their ephemeral range. A path that translates
  an address (NAT, a public address) is decided per source group with the same SG
  predicate (:func:`analysis.graph.filters.sg_match`).

Scope: interfaces of workloads (not load balancers, NAT gateways, endpoints: what they
admit beyond SGs is answered by the point query); one verdict per interface pair (a point
query answers per node, over all its instances). ``tests/test_reach_scale.py`` and a
hypothesis property test check that every cell equals the point query.

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> ap = all_pairs(build_graph(load_model(), "poc"))
>>> ap.n_interfaces, ap.n_classes
(7, 3)
>>> index = {(e.node, e.subnet): i for i, e in enumerate(ap.enis)}
>>> app, db = index["frontend", "poc-app-private-app-1"], index["rds", "poc-app-private-db-1"]
>>> ap.reachable(app, db, 5432), ap.reachable(db, app, 3000)
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from analysis.forwarding.nacl import ephemeral_of
from analysis.graph.build import EnvGraph, Eni, no_gc, ports_of
from analysis.graph.filters import sg_match
from analysis.paths.pairpaths import PairPaths
from model.schema import NodeKind

__all__ = ["PortClass", "AllPairs", "all_pairs", "port_classes", "matrix_interfaces"]

_PROXIES = frozenset({NodeKind.ALB, NodeKind.NLB, NodeKind.NAT_GATEWAY, NodeKind.VPC_ENDPOINT, NodeKind.CLIENT_VPN})


@dataclass(frozen=True, order=True)
class PortClass:
    proto: str
    lo: int
    hi: int


def port_classes(eg: EnvGraph, proto: str = "tcp") -> list[PortClass]:
    """Elementary port intervals of ``proto`` cut by every SG, NACL and firewall rule boundary."""
    cuts = {0, 65536}
    for refs in eg.rules.values():
        for r in refs:
            if r.protocol in (proto, "all"):
                cuts.update((r.ports[0], r.ports[1] + 1))
    vpcs = set(eg.vpc_net)
    for nacl in eg.model.nacls:
        if nacl.vpc in vpcs:
            for r in nacl.rules:
                if r.protocol in (proto, "all"):
                    lo, hi = ports_of(r.port)
                    cuts.update((lo, hi + 1))
    for n in eg.ix.nodes_in(eg.env):
        for r in (n.firewall.rules if n.firewall else ()):
            if r.protocol in (proto, "all"):
                lo, hi = ports_of(r.port)
                cuts.update((lo, hi + 1))
    b = sorted(cuts)
    return [PortClass(proto, b[i], b[i + 1] - 1) for i in range(len(b) - 1)]


def matrix_interfaces(eg: EnvGraph) -> list[Eni]:
    """The interfaces the matrix covers: workloads' ENIs that carry security groups."""
    return [e for es in eg.enis.values() for e in es if e.sgs and eg.node(e.node).kind not in _PROXIES]


@dataclass
class AllPairs:
    env: str
    enis: list[Eni]
    classes: list[tuple[tuple[str, ...], str, int, int]]
    """(SG set, subnet, first interface index, size), in interface order."""
    ports: list[PortClass]
    masks: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)
    """(port class index, destination class index) -> bitset of source interfaces that reach it."""
    pairs: dict[PortClass, int] = field(default_factory=dict)

    @property
    def n_interfaces(self) -> int:
        return len(self.enis)

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    @property
    def total_pairs(self) -> int:
        return sum(self.pairs.values())

    def reachable(self, src: int, dst: int, port: int) -> bool:
        """Can interface ``src`` open a connection to interface ``dst`` on ``port``?"""
        pc = next(i for i, p in enumerate(self.ports) if p.lo <= port <= p.hi)
        d = self._class_of[dst]
        return bool(self.masks.get((pc, d), 0) >> src & 1)

    @cached_property
    def _class_of(self) -> list[int]:
        out = []
        for c, (_, _, _, size) in enumerate(self.classes):
            out += [c] * size
        return out


def all_pairs(eg: EnvGraph, proto: str = "tcp") -> AllPairs:
    """Every interface pair's reachability on every port class (see the module docstring)."""
    with no_gc():
        return _Engine(eg, proto).run()


class _Engine:
    def __init__(self, eg: EnvGraph, proto: str):
        self.eg, self.proto = eg, proto
        public = eg.addresses.has_public
        eph = {n: ephemeral_of(eg, n) for n in eg.enis}
        self.eph = eph
        gkey = lambda e: (e.subnet, e.net, e in public)  # noqa: E731
        self.gkey = gkey
        enis = sorted(matrix_interfaces(eg), key=lambda e: (e.sgs, gkey(e), eph[e.node], e.node))
        self.enis = enis
        classes: list[list] = []
        keys: list[tuple] = []
        for i, e in enumerate(enis):
            k = (e.sgs, gkey(e), eph[e.node])
            if keys and keys[-1] == k:
                classes[-1][3] += 1
            else:
                keys.append(k)
                classes.append([e.sgs, e.subnet, i, 1])
        self.classes = [tuple(c) for c in classes]
        self.keys = keys
        self.cmask = [((1 << size) - 1) << start for _, _, start, size in self.classes]
        self.rep: dict[tuple, Eni] = {}
        self.group_mask: dict[tuple, int] = {}
        self.src_mask: dict[tuple, int] = {}  # (group, ephemeral range) -> interfaces
        self.sg_members: dict[str, int] = {}
        self.vpc_mask: dict[str, int] = {}
        for c, (sgs, sub, start, _) in enumerate(self.classes):
            e, g = enis[start], keys[c][1]
            self.rep.setdefault(g, e)
            m = self.cmask[c]
            self.group_mask[g] = self.group_mask.get(g, 0) | m
            k = (g, keys[c][2])
            self.src_mask[k] = self.src_mask.get(k, 0) | m
            for sg in sgs:
                self.sg_members[sg] = self.sg_members.get(sg, 0) | m
            self.vpc_mask[e.vpc] = self.vpc_mask.get(e.vpc, 0) | m
        self.by_group: dict[tuple, list[tuple[tuple[int, int], int]]] = {}
        for (g, eph), m in self.src_mask.items():
            self.by_group.setdefault(g, []).append((eph, m))
        self.paths = PairPaths(eg, proto)

    def identity_mask(self, vpc: str) -> int:
        """Sources whose SGs a destination in ``vpc`` may reference: its VPC and peered VPCs."""
        m = self.vpc_mask.get(vpc, 0)
        for a, b in self.eg.links.peerings.values():
            if vpc in (a, b):
                m |= self.vpc_mask.get(b if a == vpc else a, 0)
        return m

    def run(self) -> AllPairs:
        eg = self.eg
        ports = port_classes(eg, self.proto)
        out = AllPairs(eg.env, self.enis, self.classes, ports)
        groups = list(self.rep)
        # the engine's path for every group pair: private address, and public when the destination has one
        fast: dict[tuple, list] = {g: [] for g in groups}   # untranslated paths: SG bitsets
        slow: dict[tuple, list] = {g: [] for g in groups}   # translated ones: decided per source group
        for gd in groups:
            d = self.rep[gd]
            for gs in groups:
                s = self.rep[gs]
                for mode in ("private", "public") if gd[2] else ("private",):
                    path = self.paths.path(s, d, mode)
                    if not path.ok:
                        continue
                    plain = mode == "private" and path.seen_src == s.net and path.seen_dst == d.net
                    (fast if plain else slow)[gd].append((gs, path))
        static = {g: _or(self.group_mask[gs] for gs, path in fast[g] if not path.checks) for g in groups}
        checked = {g: [(gs, path) for gs, path in fast[g] if path.checks] for g in groups}
        nets = {g: self.rep[g].net for g in groups}
        cidrs = {str(r.peer_net): r.peer_net for refs in eg.rules.values() for r in refs if r.peer_net is not None}
        contains = {k: _or(self.group_mask[g] for g, n in nets.items() if n.version == c.version and n.subnet_of(c))
                    for k, c in cidrs.items()}
        cidrs_of = {g: [k for k, c in cidrs.items() if n.version == c.version and n.subnet_of(c)] for g, n in nets.items()}
        compact = [(g, r.direction, r.ports[0], r.ports[1], str(r.peer_net) if r.peer_net is not None else None, r.peer_sg)
                   for g, refs in eg.rules.items() for r in refs if r.protocol in (self.proto, "all")]
        for pi, pc in enumerate(ports):
            out_cidr: dict[str, int] = {}
            out_sg: dict[str, int] = {}
            in_cidr: dict[str, int] = {}
            in_sg: dict[str, int] = {}
            for g, direction, lo, hi, peer_key, peer_sg in compact:
                if not (lo <= pc.lo and pc.hi <= hi):
                    continue
                if direction == "outbound":
                    members = self.sg_members.get(g, 0)
                    if members and peer_key is not None:
                        out_cidr[peer_key] = out_cidr.get(peer_key, 0) | members
                    elif members and peer_sg is not None:
                        out_sg[peer_sg] = out_sg.get(peer_sg, 0) | members
                elif peer_key is not None:
                    in_cidr[g] = in_cidr.get(g, 0) | contains[peer_key]
                elif peer_sg is not None:
                    in_sg[g] = in_sg.get(g, 0) | self.sg_members.get(peer_sg, 0)
            routed = {g: static[g] | self._routed(checked[g], pc.lo) for g in groups}
            count = 0
            for c, (sgs, _, start, size) in enumerate(self.classes):
                gd = self.keys[c][1]
                ok = 0
                if routed[gd]:
                    idm = self.identity_mask(self.enis[start].vpc)
                    ingress = egress = same = 0
                    for g in sgs:
                        ingress |= in_cidr.get(g, 0) | (in_sg.get(g, 0) & idm)
                        same |= out_sg.get(g, 0)
                    for k in cidrs_of[gd]:
                        egress |= out_cidr.get(k, 0)
                    ok = (egress | (same & idm)) & ingress & routed[gd]
                for gs, path in slow[gd]:
                    ok |= self._translated(gs, path, sgs, pc.lo)
                if ok:
                    out.masks[(pi, c)] = ok
                    count += ok.bit_count() * size
            if count:
                out.pairs[pc] = count
        return out

    def _routed(self, entries: list, port: int) -> int:
        """Sources whose recorded path to the group passes its NACL and firewall checks on ``port``."""
        m = 0
        for gs, path in entries:
            for eph, mask in self.by_group[gs]:
                if self.paths.passes(path, port, eph):
                    m |= mask
        return m

    def _translated(self, gs: tuple, path, dst_sgs: tuple[str, ...], port: int) -> int:
        """Sources of group ``gs`` over a path that translates addresses: each SG set decided directly."""
        eg = self.eg
        m = 0
        inbound = not dst_sgs or bool(sg_match(eg, dst_sgs, "inbound", self.proto, port, path.seen_src, (), False))
        if not inbound:
            return 0
        for eph, mask in self.by_group[gs]:
            if not self.paths.passes(path, port, eph):
                continue
            for c, (sgs, _, start, size) in enumerate(self.classes):
                cm = self.cmask[c] & mask
                if cm and sg_match(eg, sgs, "outbound", self.proto, port, path.seen_dst, (), False):
                    m |= cm
        return m


def _or(masks) -> int:
    m = 0
    for x in masks:
        m |= x
    return m
