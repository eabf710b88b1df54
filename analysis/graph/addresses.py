"""Addresses of one environment: nodes, sites and "the internet" as address sets.

A node's *private* address at a placement is its subnet's range (any address of the
subnet), or the one IP the model writes (``ips`` in the placement). Its *public* address
is the EIP or public IP the model writes (``public_ips``), or, when the node only says
``public_ip: true`` (or is an internet-facing load balancer or a Client VPN endpoint), an
address allocated here. Environments analysed together (:mod:`analysis.graph.scope`) are
allocated together (:func:`build_plans`).

**The internet** is the set "every public address that the design does not route
elsewhere": 0.0.0.0/0 minus the special-purpose ranges that are not globally routable
(RFC 1918, RFC 6598, link-local, documentation ranges, ... : :data:`NOT_GLOBAL`) and
minus every prefix the model writes. The engine computes with one member of that set,
the lowest public address outside every prefix the model writes (``/0`` aside): every
route, SG rule and NACL rule of the model treats it exactly as it treats any other
address of the set, so the verdict holds for the whole set. Addresses allocated for
public IPs that the model does not write come from the same free space, after it. No
address is a fixed constant: a model that uses 203.0.113.0/24 or any public /16 for an
on-premises site moves the witness elsewhere.

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> plan = build_graph(load_model(), "poc").addresses
>>> str(plan.internet)
'1.0.0.0/32'
>>> is_public(net("10.1.0.0/16")), is_public(net("8.8.8.0/24")), is_public(net("0.0.0.0/0"))
(False, True, False)
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.graph.types import Eni, Net, net

__all__ = ["NOT_GLOBAL", "is_public", "AddressPlan", "free_addresses", "build_plan", "build_plans"]

NOT_GLOBAL: tuple[Net, ...] = tuple(net(x) for x in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"))
"""IPv4 special-purpose ranges that are not globally routable (IANA registry): private
(RFC 1918), shared (RFC 6598), loopback, link-local, documentation, benchmarking,
multicast and reserved. An internet gateway routes none of them."""


@lru_cache(maxsize=65536)
def is_public(n: Net) -> bool:
    """True when every address of ``n`` is globally routable (and ``n`` is not 0.0.0.0/0).

    Cached: the internet gateway asks it of every packet it forwards (a sixth of the time of
    an all-pairs matrix went into these fifteen overlap tests), and networks are immutable."""
    if n.version != 4 or n.prefixlen == 0:
        return False
    return not any(n.overlaps(x) for x in NOT_GLOBAL)


def free_addresses(prefixes, count: int) -> list[Net]:
    """The ``count`` lowest public addresses (as /32) outside every prefix of ``prefixes``.

    Prefixes of length 0 are ignored (they cover everything, so nothing would be free).

    >>> [str(a) for a in free_addresses([net("1.0.0.0/24")], 2)]
    ['1.0.1.0/32', '1.0.1.1/32']
    """
    spans = sorted((int(p.network_address), int(p.broadcast_address))
                   for p in (*prefixes, *NOT_GLOBAL) if p.version == 4 and p.prefixlen > 0)
    out: list[Net] = []
    cursor = 0
    for lo, hi in spans + [(2 ** 32, 2 ** 32)]:
        while cursor < lo and len(out) < count:
            out.append(net(f"{ipaddress.IPv4Address(cursor)}/32"))
            cursor += 1
        if len(out) >= count:
            break
        cursor = max(cursor, hi + 1)
    return out


@dataclass(frozen=True)
class AddressPlan:
    """The addresses of one environment (see the module docstring)."""

    internet: Net
    """The member of "the internet" the engine computes with."""
    public: dict[Eni, Net]
    """Every ENI's public address: written, allocated (``public_ip``), or hypothetical (none)."""
    has_public: frozenset[Eni]
    """ENIs that really have a public address (an EIP, a public IP, an internet-facing load balancer)."""
    written: frozenset[Eni]
    """ENIs whose public address the model writes (shown as an address, not as a name)."""
    owner: dict[Net, Eni] = field(default_factory=dict)
    """Public address -> the ENI behind it (the internet routes it to that ENI's IGW)."""

    def public_of(self, eni: Eni) -> Net:
        return self.public[eni]

    def is_internet(self, n: Net) -> bool:
        return n == self.internet


def _modelled_prefixes(eg) -> list[Net]:
    """Every prefix the environment's model writes: networks, routes, rules, sites, written IPs."""
    out: list[Net] = [*eg.vpc_net.values(), *eg.subnet_net.values()]
    for rs in eg.rt_routes.values():
        out.extend(r.net for r in rs)
    for trt in eg.tgw_rts.values():
        out.extend(r.net for r in trt.routes)
    for refs in eg.rules.values():
        out.extend(r.peer_net for r in refs if r.peer_net is not None)
    for refs in eg.nacl_rules.values():
        out.extend(r.cidr for r in refs)
    for site in eg.ix.model.sites:
        if eg.env in site.envs:
            out.extend(net(c) for c in site.cidrs)
    for nc in eg.ix.model.named_cidrs:
        if eg.env in nc.values:
            out.append(net(nc.values[eg.env]))
    for n in eg.ix.nodes_in(eg.env):
        if n.dx_gateway is not None:
            out.extend(net(c) for c in n.dx_gateway.allowed_prefixes)
        if n.client_vpn is not None:
            out.extend(net(c) for c in n.client_vpn.routes)
            out.extend(net(a.destination) for a in n.client_vpn.authorization_rules)
        out.extend(net(a) for a in n.at[eg.env].public_ips)
        out.extend(net(a) for a in n.at[eg.env].ips)
    return out


def build_plan(eg) -> AddressPlan:
    """The address plan of graph ``eg`` (its ENIs in model order get public addresses)."""
    return build_plans([eg])[eg.env]


def _written(eg, enis: list[Eni]) -> dict[Eni, Net]:
    out: dict[Eni, Net] = {}
    for e in enis:
        p = eg.ix.nodes[e.node].at[eg.env]
        if p.public_ips and e.subnet in p.subnets:
            k = p.subnets.index(e.subnet)
            if k < len(p.public_ips):
                out[e] = net(p.public_ips[k])
    return out


def build_plans(graphs) -> dict[str, AddressPlan]:
    """The address plans of graphs analysed together (one network scope), environment -> plan.

    One witness address for the internet, outside every prefix any of them writes; public
    addresses allocated in graph order, then model order, so no two ENIs of the scope share
    one; each plan's ``owner`` knows every environment's public addresses (the internet
    delivers to whichever environment owns one).
    """
    enis = {eg.env: [e for es in eg.enis.values() for e in es] for eg in graphs}
    prefixes = [p for eg in graphs for p in _modelled_prefixes(eg)]
    free = free_addresses(prefixes, 1 + sum(len(v) for v in enis.values()))
    plans: dict[str, AddressPlan] = {}
    owner: dict[Net, Eni] = {}
    k = 1
    for eg in graphs:
        written = _written(eg, enis[eg.env])
        public: dict[Eni, Net] = {}
        for e in enis[eg.env]:
            public[e] = written.get(e, free[k])
            k += 1
        has = frozenset(e for e in enis[eg.env] if e.public or e in written)
        plans[eg.env] = AddressPlan(free[0], public, has, frozenset(written), owner)
        owner.update({a: e for e, a in public.items()})
    return plans
