"""AWS constraints that need the whole model: route targets, peering, addresses, required specs.

* ``E027`` - a route's target must be reachable from the route table's VPC (AWS rejects
  the route otherwise): an IGW, VGW, NAT gateway, Network Firewall endpoint or appliance
  instance *of that VPC*, a peering connection *of that VPC*, a TGW the VPC is attached
  to, a gateway endpoint of that VPC's route tables. Other kinds cannot be route targets.
* ``E028`` - a peering connection joins two VPCs whose CIDRs do not overlap (AWS refuses
  to create it).
* ``E029`` - a route to a peering connection covers only the peer VPC's CIDR: peering is
  not transitive and allows no edge-to-edge routing, so anything else is dropped.
* ``E033`` - connectivity nodes carry their spec (``vpc-peering``: ``peering``, ...).
* ``E034`` - written addresses: one per placement subnet at most, a private IP inside its
  subnet, a public IP that is a public address.

>>> from model.rules.registry import RULES
>>> [r.code for r in RULES if r.func.__module__ == __name__]
['E027', 'E028', 'E029', 'E033', 'E034']
"""

from __future__ import annotations

import ipaddress
from typing import Iterator

from model.rules.network import net
from model.rules.registry import Ctx, RuleHit, rule
from model.schema import NodeKind

__all__ = ["route_targets", "peering_overlap", "peering_transit", "required_specs", "written_addresses"]

_REQUIRED = {NodeKind.VPC_PEERING: "peering", NodeKind.VPC_ENDPOINT: "endpoint", NodeKind.VPN_CONNECTION: "vpn",
             NodeKind.CUSTOMER_GATEWAY: "customer_gateway", NodeKind.NETWORK_FIREWALL: "firewall",
             NodeKind.NLB: "nlb"}


def _vpc_of(c: Ctx, node, env: str) -> str | None:
    p = node.at.get(env)
    if p is None:
        return None
    if p.vpc:
        return p.vpc
    subnet = c.get("subnets", p.subnets[0]) if p.subnets else None
    return subnet.vpc if subnet else None


def _attached(c: Ctx, vpc: str, env: str, tgw: str) -> bool:
    """The VPC has an attachment in ``env`` (to ``tgw``, when the attachment says which)."""
    for n in c.m.nodes:
        if n.kind is NodeKind.TGW_ATTACHMENT and _vpc_of(c, n, env) == vpc:
            named = n.tgw_attachment.tgw if n.tgw_attachment else (n.part_of if c.get("nodes", n.part_of) else None)
            if named in (None, tgw) or c.get("nodes", named).kind is not NodeKind.TGW:
                return True
    return False


def _target_problem(c: Ctx, target, vpc: str, env: str) -> str | None:
    kind = target.kind
    if env not in target.at:
        return f"route target '{target.id}' does not exist in env '{env}'"
    if kind is NodeKind.TGW:
        return None if _attached(c, vpc, env, target.id) else f"VPC '{vpc}' has no attachment to TGW '{target.id}'"
    if kind is NodeKind.VPC_PEERING:
        pair = (target.peering.requester, target.peering.accepter) if target.peering else ()
        return None if vpc in pair else f"peering connection '{target.id}' does not connect VPC '{vpc}'"
    if kind is NodeKind.VPC_ENDPOINT:
        return None if target.endpoint and target.endpoint.type == "gateway" else \
            f"'{target.id}' is not a gateway endpoint (only gateway endpoints are route targets)"
    if kind in (NodeKind.IGW, NodeKind.VGW, NodeKind.NAT_GATEWAY, NodeKind.NETWORK_FIREWALL, NodeKind.EC2_INSTANCE):
        where = _vpc_of(c, target, env)
        placed = c.get("vpcs", where)
        if placed is not None and placed.env != env:
            return None  # a placement in another environment's VPC is E051
        if where != vpc:
            return f"{kind.value} '{target.id}' is in VPC '{where}', not in the route table's VPC '{vpc}'"
        return None
    return f"a {kind.value} node ('{target.id}') cannot be a route target"


@rule("E027", "a route's target is reachable from its route table's VPC (its IGW, NAT, VGW, peering, TGW attachment, ...)")
def route_targets(c: Ctx) -> Iterator[RuleHit]:
    for i, rt in enumerate(c.m.route_tables):
        vpc = c.get("vpcs", rt.vpc)
        if vpc is None:
            continue
        for j, r in enumerate(rt.routes):
            target = c.get("nodes", r.target)
            if r.target == "local" or target is None:
                continue  # a dangling target is E050
            problem = _target_problem(c, target, rt.vpc, vpc.env)
            if problem:
                yield ("route_tables", i, "routes", j, "target"), problem


def _peerings(c: Ctx):
    for i, n in enumerate(c.m.nodes):
        if n.peering is not None:
            a, b = c.get("vpcs", n.peering.requester), c.get("vpcs", n.peering.accepter)
            if a is not None and b is not None:
                yield i, n, a, b


@rule("E028", "a VPC peering connection joins VPCs whose CIDRs do not overlap")
def peering_overlap(c: Ctx) -> Iterator[RuleHit]:
    for i, n, a, b in _peerings(c):
        na, nb = net(a.cidr), net(b.cidr)
        if na and nb and na.version == nb.version and na.overlaps(nb):
            yield ("nodes", i, "peering"), (f"peering connection '{n.id}' joins VPC '{a.id}' {na} and VPC '{b.id}' "
                                            f"{nb}, which overlap (AWS refuses the peering)")


@rule("E029", "a route to a peering connection stays inside the peer VPC's CIDR (peering is not transitive)")
def peering_transit(c: Ctx) -> Iterator[RuleHit]:
    peers = {n.id: (a, b) for _, n, a, b in _peerings(c)}
    for i, rt in enumerate(c.m.route_tables):
        for j, r in enumerate(rt.routes):
            if r.target not in peers or not r.destination:
                continue
            a, b = peers[r.target]
            peer = b if a.id == rt.vpc else a if b.id == rt.vpc else None
            dest, peer_net = net(r.destination), net(peer.cidr) if peer else None
            if dest and peer_net and (dest.version != peer_net.version or not dest.subnet_of(peer_net)):
                yield ("route_tables", i, "routes", j, "destination"), (
                    f"route {dest} → '{r.target}' leaves the peer VPC '{peer.id}' {peer_net}: peering carries only "
                    f"traffic to the peer VPC (no transitive or edge-to-edge routing)")


@rule("E033", "a connectivity node carries its spec (vpc-peering: peering, vpc-endpoint: endpoint, vpn-connection: vpn, ...)")
def required_specs(c: Ctx) -> Iterator[RuleHit]:
    for i, n in enumerate(c.m.nodes):
        key = _REQUIRED.get(n.kind)
        if key is not None and getattr(n, key) is None:
            yield ("nodes", i, "kind"), f"a '{n.kind.value}' node needs its '{key}' spec"


@rule("E034", "written addresses: at most one per placement subnet, private IPs inside their subnet, public IPs public")
def written_addresses(c: Ctx) -> Iterator[RuleHit]:
    for i, n in enumerate(c.m.nodes):
        for env, p in n.at.items():
            for key in ("ips", "public_ips"):
                values = getattr(p, key)
                if len(values) > len(p.subnets):
                    yield ("nodes", i, "at", env, key), f"{len(values)} {key} for {len(p.subnets)} subnets"
                for k, text in enumerate(values):
                    try:
                        addr = ipaddress.ip_address(text)
                    except ValueError:
                        yield ("nodes", i, "at", env, key, k), f"'{text}' is not an IPv4 address"
                        continue
                    subnet = c.get("subnets", p.subnets[k]) if k < len(p.subnets) else None
                    inside = net(subnet.cidr) if subnet else None
                    if key == "ips" and inside is not None and addr not in inside:
                        yield ("nodes", i, "at", env, key, k), f"{addr} is outside subnet '{subnet.id}' {inside}"
                    if key == "public_ips" and not addr.is_global:
                        yield ("nodes", i, "at", env, key, k), f"{addr} is not a public address"

