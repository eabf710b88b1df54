"""All-pairs interface reachability by equivalence classes, for large models.

Asking :func:`analysis.paths.reach.reach` for every pair and port is quadratic in interfaces
times ports. This module computes the same verdict for *every* interface pair at once:

* **Port classes**: the boundaries of all SG rule port ranges cut 0–65535 into elementary
  intervals; every rule covers an interval entirely or not at all, so one port per
  interval decides for the whole interval.
* **Interface classes**: interfaces with the same (SG set, subnet) behave identically
  (same rules, same address range, same route table). Interfaces are numbered so that a
  class is a contiguous run of bits; sets of source interfaces are Python ints (bitsets).
* **Routes**: forward and return feasibility is computed per (route table, AZ) group pair
  with the same longest-prefix lookups the point query uses (local route; TGW with
  attachment AZs, the associated TGW route table, and the return route).
* Then, per port class and destination class, the source bitset is
  ``egress-admits & ingress-admits & routable``: egress-admits is the union of the member
  sets of SGs with an outbound rule whose peer matches the destination (CIDR containing
  its subnet, or an SG it carries in the same VPC), ingress-admits the union of the peer
  sets of the destination SGs' inbound rules.

* **NACLs** (when the model has any): port classes are also cut at every NACL rule
  boundary; interfaces are further grouped by the ephemeral range of their node kind
  (:func:`analysis.paths.nacl_crossings.ephemeral_of`), and a (source subnet, ephemeral range,
  destination subnet) pair passes when every crossing the point query checks (source
  subnet out, TGW attachment subnets, destination subnet in; none within one subnet)
  admits the forward port *and* the whole reply range. A partially admitted reply range
  is conditional in the point query and counts as not reachable here.

Scope: ENI-to-ENI traffic inside the model's VPCs (local and TGW routing), stateful SGs
and stateless NACLs. Paths through IGW/NAT/ALB/WAF/VPN/DX are answered by the point
query. Tests check that both engines agree on synthetic models, with and without NACLs.

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> ap = all_pairs(build_graph(load_model(), "poc"))
>>> ap.n_interfaces, ap.n_classes
(9, 5)
>>> index = {(e.node, e.subnet): i for i, e in enumerate(ap.enis)}
>>> app, db = index["frontend", "poc-app-private-app-1"], index["rds", "poc-app-private-db-1"]
>>> ap.reachable(app, db, 5432), ap.reachable(db, app, 3000)
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from analysis.graph.filters import lookup
from analysis.graph.build import EnvGraph, Eni, Net, no_gc, ports_of
from analysis.paths.allpairs_nacl import NaclPairs

__all__ = ["PortClass", "AllPairs", "all_pairs", "port_classes"]


@dataclass(frozen=True, order=True)
class PortClass:
    proto: str
    lo: int
    hi: int


def port_classes(eg: EnvGraph, proto: str = "tcp") -> list[PortClass]:
    """Elementary port intervals of ``proto`` cut by every rule boundary."""
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
    b = sorted(cuts)
    return [PortClass(proto, b[i], b[i + 1] - 1) for i in range(len(b) - 1)]


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
        """Can interface ``src`` open a TCP connection to interface ``dst`` on ``port``?"""
        pc = next(i for i, p in enumerate(self.ports) if p.lo <= port <= p.hi)
        d = self._class_of[dst]
        return bool(self.masks.get((pc, d), 0) >> src & 1)

    @cached_property
    def _class_of(self) -> list[int]:
        out = []
        for c, (_, _, _, size) in enumerate(self.classes):
            out += [c] * size
        return out


def _route_ok(eg: EnvGraph, s: Eni, d: Eni) -> bool:
    srt, drt = eg.subnet_rt.get(s.subnet), eg.subnet_rt.get(d.subnet)
    if srt is None or drt is None:
        return s.vpc == d.vpc
    f, b = lookup(eg.rt_routes[srt], d.net), lookup(eg.rt_routes[drt], s.net)
    if f is None or b is None:
        return False
    if s.vpc == d.vpc:
        return f.target == "local" and b.target == "local"
    kind = lambda x: eg.ix.nodes[x].kind.value if x in eg.ix.nodes else x  # noqa: E731
    if kind(f.target) != "tgw" or kind(b.target) != "tgw":
        return False
    sa, da = eg.attachment_of_vpc(s.vpc), eg.attachment_of_vpc(d.vpc)
    if sa is None or da is None or s.az not in eg.attachment_azs(sa) or d.az not in eg.attachment_azs(da):
        return False
    for ingress, dest, want in ((sa, d.net, da), (da, s.net, sa)):
        rt = next((r for r in eg.tgw_rts.values() if ingress in r.associations), None)
        e = lookup(rt.routes, dest) if rt else None
        if e is None or e.blackhole or e.target != want:
            return False
    return True


def all_pairs(eg: EnvGraph, proto: str = "tcp") -> AllPairs:
    """Every interface pair's reachability on every port class (see the module docstring)."""
    with no_gc():
        return _all_pairs(eg, proto)


def _all_pairs(eg: EnvGraph, proto: str) -> AllPairs:
    nacls = NaclPairs(eg, proto) if eg.nacl_of else None
    eph = {n: nacls.eph(n) for n in eg.enis} if nacls else {}
    enis = sorted((e for es in eg.enis.values() for e in es if e.sgs),
                  key=lambda e: (e.sgs, e.subnet, eph.get(e.node, (0, 0)), e.node))
    classes: list[tuple[tuple[str, ...], str, int, int]] = []
    for i, e in enumerate(enis):
        prev = enis[classes[-1][2]] if classes else None
        if prev is not None and prev.sgs == e.sgs and prev.subnet == e.subnet and eph.get(prev.node) == eph.get(e.node):
            sgs, sub, start, size = classes[-1]
            classes[-1] = (sgs, sub, start, size + 1)
        else:
            classes.append((e.sgs, e.subnet, i, 1))
    cmask = [((1 << size) - 1) << start for _, _, start, size in classes]
    sg_members: dict[str, int] = {}
    subnet_mask: dict[str, int] = {}
    vpc_mask: dict[str, int] = {}
    for c, (sgs, sub, start, _) in enumerate(classes):
        for g in sgs:
            sg_members[g] = sg_members.get(g, 0) | cmask[c]
        subnet_mask[sub] = subnet_mask.get(sub, 0) | cmask[c]
        vpc = enis[start].vpc
        vpc_mask[vpc] = vpc_mask.get(vpc, 0) | cmask[c]
    # routes per (route table, AZ) group, expanded to subnets
    first: dict[str, Eni] = {}
    for _, sub, start, _ in classes:
        first.setdefault(sub, enis[start])
    rep: dict[tuple, Eni] = {}
    for sub, e in first.items():
        rep.setdefault((eg.subnet_rt.get(sub), e.az, e.vpc), e)
    group_of = {sub: (eg.subnet_rt.get(sub), eg.ix.subnets[sub].az, eg.vpc_of_subnet(sub)) for sub in subnet_mask}
    group_ok = {(a, b): _route_ok(eg, rep[a], rep[b]) for a in rep for b in rep}
    routable: dict[str, int] = {}
    for dsub in subnet_mask:
        m = 0
        for ssub, smask in subnet_mask.items():
            if group_ok[(group_of[ssub], group_of[dsub])]:
                m |= smask
        routable[dsub] = m
    src_mask: dict[tuple[str, tuple[int, int]], int] = {}
    if nacls is not None:  # sources by (subnet, ephemeral range): the NACL decision's inputs
        for c, (_, sub, start, _) in enumerate(classes):
            k = (sub, eph[enis[start].node])
            src_mask[k] = src_mask.get(k, 0) | cmask[c]
    # peers: which subnets each CIDR contains; CIDRs keyed by text (cheap to hash)
    nets: dict[str, Net] = {sub: eg.subnet_net[sub] for sub in subnet_mask}
    all_cidrs = {str(r.peer_net): r.peer_net for refs in eg.rules.values() for r in refs if r.peer_net is not None}
    contains = {k: sum_or(subnet_mask[s] for s, sn in nets.items() if sn.version == n.version and sn.subnet_of(n))
                for k, n in all_cidrs.items()}
    cidrs_of_subnet = {s: [k for k, n in all_cidrs.items() if sn.version == n.version and sn.subnet_of(n)]
                       for s, sn in nets.items()}
    compact = [(g, r.direction, r.ports[0], r.ports[1], str(r.peer_net) if r.peer_net is not None else None, r.peer_sg)
               for g, refs in eg.rules.items() for r in refs if r.protocol in (proto, "all")]
    ports = port_classes(eg, proto)
    out = AllPairs(eg.env, enis, classes, ports)
    for pi, pc in enumerate(ports):
        out_cidr: dict[str, int] = {}
        out_sg: dict[str, int] = {}
        in_cidr: dict[str, int] = {}
        in_sg: dict[str, int] = {}
        for g, direction, lo, hi, peer_key, peer_sg in compact:
            if not (lo <= pc.lo and pc.hi <= hi):
                continue
            if direction == "outbound":
                members = sg_members.get(g, 0)
                if not members:
                    continue
                if peer_key is not None:
                    out_cidr[peer_key] = out_cidr.get(peer_key, 0) | members
                elif peer_sg is not None:
                    out_sg[peer_sg] = out_sg.get(peer_sg, 0) | members
            elif peer_key is not None:
                in_cidr[g] = in_cidr.get(g, 0) | contains[peer_key]
            elif peer_sg is not None:
                in_sg[g] = in_sg.get(g, 0) | sg_members.get(peer_sg, 0)
        if not (out_cidr or out_sg) or not (in_cidr or in_sg):
            continue
        reach_of = routable if nacls is None else _nacl_routable(nacls, pc.lo, src_mask, routable, group_ok, group_of)
        count = 0
        for c, (sgs, sub, start, size) in enumerate(classes):
            vm = vpc_mask[enis[start].vpc]
            ingress = 0
            for g in sgs:
                ingress |= in_cidr.get(g, 0) | (in_sg.get(g, 0) & vm)
            if not ingress:
                continue
            egress = 0
            for n in cidrs_of_subnet[sub]:
                egress |= out_cidr.get(n, 0)
            same = 0
            for g in sgs:
                same |= out_sg.get(g, 0)
            ok = (egress | (same & vm)) & ingress & reach_of[sub]
            if ok:
                out.masks[(pi, c)] = ok
                count += ok.bit_count() * size
        if count:
            out.pairs[pc] = count
    return out


def _nacl_routable(nacls: NaclPairs, port: int, src_mask: dict, routable: dict[str, int], group_ok: dict,
                   group_of: dict) -> dict[str, int]:
    """Per destination subnet, the sources that are routable *and* pass every NACL crossing on ``port``."""
    out = {}
    for dsub, allowed in routable.items():
        m = 0
        for (ssub, eph), smask in src_mask.items():
            if smask & allowed and group_ok[(group_of[ssub], group_of[dsub])] and nacls.ok(port, ssub, eph, dsub):
                m |= smask
        out[dsub] = m
    return out


def sum_or(masks) -> int:
    m = 0
    for x in masks:
        m |= x
    return m
