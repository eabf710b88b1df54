"""The filters of a path: security groups, network ACLs and route lookups.

Pure functions over an :class:`~analysis.graph.EnvGraph`:

* :func:`sg_match` - stateful, allow-only SG evaluation of one direction. A peer is a
  CIDR (or a named CIDR valued for the environment) that must *contain* the packet's
  address range, or another SG whose members are matched only when they are addressed by
  their *private* address in the same VPC (AWS: SG references match private IPs; traffic
  through NAT, a proxy or the Client VPN SNAT carries the translator's identity). An SG
  without outbound rules allows no new outbound connection.
* :func:`nacl_check` - stateless, numbered-rule evaluation (ascending number, first match
  wins, implicit final deny); a subnet without a NACL uses the default NACL (allow all),
  which the caller records as ``ASSUMED_DEFAULT_NACL``. :func:`nacl_range` decides a whole
  port range (the ephemeral ports of return traffic) as runs of equal decisions.
* :func:`lookup` - longest-prefix match over a VPC or TGW route table.

>>> from model.loader import load_model
>>> from analysis.graph import build_graph, net
>>> eg = build_graph(load_model(), "poc")
>>> lookup(eg.rt_routes["poc-app-private-a-rt"], net("10.0.1.0/24")).target
'tgw'
>>> m = sg_match(eg, ("rds-sg",), "inbound", "tcp", 5432, net("10.1.11.0/24"), ("ecs-sg",), True)
>>> [r.rule.purpose for r in m]
['PostgreSQL']
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.graph.build import EnvGraph, Net, RouteEntry, RouteSet, RuleRef

__all__ = ["sg_match", "nacl_check", "nacl_range", "lookup", "NaclVerdict", "proto_match"]


def proto_match(rule_proto: str, proto: str) -> bool:
    return rule_proto == "all" or rule_proto == proto


def sg_match(eg: EnvGraph, sgs: tuple[str, ...], direction: str, proto: str, port: int,
             peer: Net, peer_sgs: tuple[str, ...], private_same_vpc: bool) -> tuple[RuleRef, ...]:
    """Rules of ``sgs`` (in ``direction``) that admit the peer; empty tuple = denied.

    ``peer`` is the other side's address range as seen at this ENI; ``peer_sgs`` the SGs
    of the other side's ENI, usable only if ``private_same_vpc``.
    """
    hits = []
    for sg in sgs:
        for r in eg.rules.get(sg, ()):
            if r.direction != direction or not proto_match(r.protocol, proto):
                continue
            if not r.ports[0] <= port <= r.ports[1]:
                continue
            if r.peer_net is not None and peer.version == r.peer_net.version and peer.subnet_of(r.peer_net):
                hits.append(r)
            elif r.peer_sg is not None and private_same_vpc and r.peer_sg in peer_sgs:
                hits.append(r)
    return tuple(hits)


@dataclass(frozen=True)
class NaclVerdict:
    """The decision of a subnet's NACL for one packet: the rule that matched, or the implicit deny."""

    allowed: bool
    nacl: str | None
    rule_number: int | None
    location: str | None

    @property
    def default(self) -> bool:
        return self.nacl is None


def nacl_check(eg: EnvGraph, subnet: str, direction: str, proto: str, port: int, peer: Net) -> NaclVerdict:
    """Evaluate the subnet's NACL for one packet: ascending rule number, first match wins, else deny.

    ``peer`` is the other end (the source for inbound rules, the destination for outbound
    ones); a rule matches when its CIDR contains the whole ``peer`` range.
    """
    nacl_id = eg.nacl_of.get(subnet)
    if nacl_id is None:
        return NaclVerdict(True, None, None, None)
    for r in eg.nacl_rules[nacl_id]:
        if r.direction != direction or not proto_match(r.protocol, proto) or not r.ports[0] <= port <= r.ports[1]:
            continue
        if peer.version == r.cidr.version and peer.subnet_of(r.cidr):
            return NaclVerdict(r.action == "allow", nacl_id, r.number, r.location)
    return NaclVerdict(False, nacl_id, None, eg.nacl_location[nacl_id])


def nacl_range(eg: EnvGraph, subnet: str, direction: str, proto: str, lo: int, hi: int,
               peer: Net) -> tuple[tuple[int, int, NaclVerdict], ...]:
    """The NACL decision for every port of ``lo..hi``, as maximal runs ``(low, high, verdict)``.

    The range is cut at every rule boundary, so one port per piece decides the piece.
    Used for stateless return traffic, whose destination port is any of the client's
    ephemeral ports.
    """
    nacl_id = eg.nacl_of.get(subnet)
    if nacl_id is None:
        return ((lo, hi, NaclVerdict(True, None, None, None)),)
    cuts = {lo, hi + 1}
    for r in eg.nacl_rules[nacl_id]:
        cuts.update(x for x in (r.ports[0], r.ports[1] + 1) if lo < x <= hi)
    b = sorted(cuts)
    out: list[tuple[int, int, NaclVerdict]] = []
    for x, y in zip(b, b[1:]):
        v = nacl_check(eg, subnet, direction, proto, x, peer)
        if out and out[-1][2] == v and out[-1][1] + 1 == x:
            out[-1] = (out[-1][0], y - 1, v)
        else:
            out.append((x, y - 1, v))
    return tuple(out)


def lookup(routes: RouteSet, dest: Net) -> RouteEntry | None:
    """Longest-prefix match: the most specific route containing all of ``dest``; static wins ties."""
    return routes.lookup(dest)
