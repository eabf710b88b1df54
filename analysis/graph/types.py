"""The value types of an environment graph: networks, ENIs, routes, resolved SG rules.

Kept apart from :mod:`analysis.graph` (which builds the graph) because every query
module uses them; they are small, frozen and hashable so results can be cached.
"""

from __future__ import annotations

import gc
import ipaddress
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from model.schema import NodeKind, SgRule

__all__ = ["Net", "Eni", "RouteEntry", "RouteSet", "TgwRt", "RuleRef", "NaclRuleRef", "SERVICE_KINDS",
           "net", "ports_of", "no_gc"]

Net = ipaddress.IPv4Network
SERVICE_KINDS = frozenset({
    NodeKind.S3, NodeKind.SES, NodeKind.ECR, NodeKind.COGNITO, NodeKind.CLOUDWATCH,
    NodeKind.CLOUDWATCH_LOGS, NodeKind.CLOUDWATCH_METRICS, NodeKind.SECRETS_MANAGER,
    NodeKind.DYNAMODB, NodeKind.SQS, NodeKind.LAMBDA, NodeKind.API_GATEWAY, NodeKind.CLOUDFRONT,
})
"""AWS services reached at public HTTPS endpoints (regional; CloudFront at the edge), or at an
interface endpoint in the VPC. A Lambda function is invoked through the Lambda API whether or
not it is attached to a VPC: its ENIs there only send its own requests."""


class _Remembered:
    """A network that computes its hash and its text once: a walk hashes and compares the same
    few addresses at every hop (its loop check, the caches it consults) and words them in every
    message, and :mod:`ipaddress` computes both from the integers each time. Equal to, and
    hashed like, the plain :mod:`ipaddress` network; a copy (pickle) computes its own."""

    @cached_property
    def _hash_once(self) -> int:
        return super().__hash__()

    @cached_property
    def _text_once(self) -> str:
        return super().__str__()

    def __hash__(self) -> int:
        return self._hash_once

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, _Remembered) and hash(self) != hash(other):
            return False  # the usual answer, without comparing the addresses
        return super().__eq__(other)

    def __str__(self) -> str:
        return self._text_once

    def __repr__(self) -> str:
        return f"IPv{self.version}Network({str(self)!r})"  # as ipaddress shows it


class _Net4(_Remembered, ipaddress.IPv4Network):
    pass


class _Net6(_Remembered, ipaddress.IPv6Network):
    pass


@lru_cache(maxsize=65536)
def net(text: str) -> Net:
    """Parse a CIDR leniently (host bits allowed); cached, networks are immutable.

    >>> net("10.0.1.7/24"), net("10.0.1.0/24") == ipaddress.ip_network("10.0.1.0/24")
    (IPv4Network('10.0.1.0/24'), True)
    >>> hash(net("2001:db8::/32")) == hash(ipaddress.ip_network("2001:db8::/32")), str(net("2001:db8::1/32"))
    (True, '2001:db8::/32')
    >>> net("10.0.0.300/8")
    Traceback (most recent call last):
    ValueError: '10.0.0.300/8' does not appear to be an IPv4 or IPv6 network
    """
    for kind in (_Net4, _Net6):
        try:
            return kind(text, strict=False)
        except (ipaddress.AddressValueError, ipaddress.NetmaskValueError):
            pass
    raise ValueError(f"{text!r} does not appear to be an IPv4 or IPv6 network")


@contextmanager
def no_gc():
    """Pause the cyclic garbage collector while building many small immutable objects.

    Building a large graph allocates hundreds of thousands of objects and no cycles; the
    collector's generational passes then cost as much as the build itself.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def ports_of(port: Any) -> tuple[int, int]:
    """(low, high) of a rule's port: an int, a range, or None (all ports)."""
    if port is None:
        return (0, 65535)
    if isinstance(port, int):
        return (port, port)
    return (port.start, port.end)


@dataclass(frozen=True)
class Eni:
    """Where a node has addresses: one entry per subnet it is placed in."""

    node: str
    subnet: str
    vpc: str
    az: str
    net: Net
    """The private address: the one the model writes (/32), else the subnet's range."""
    sgs: tuple[str, ...]
    public: bool
    """Has a public address (EIP, public IP, internet-facing load balancer node)."""


@dataclass(frozen=True)
class RouteEntry:
    net: Net
    target: str
    origin: str
    location: str | None
    blackhole: bool = False


class RouteSet:
    """The routes of one VPC or TGW route table, with an index for longest-prefix match.

    The index (prefix length -> network -> best entry, static before propagated) makes a
    lookup one dict probe per distinct prefix length instead of a scan of the table.

    >>> rs = RouteSet([RouteEntry(net("10.0.0.0/16"), "local", "local", None),
    ...                RouteEntry(net("0.0.0.0/0"), "igw", "static", None)])
    >>> rs.lookup(net("10.0.1.0/24")).target, rs.lookup(net("8.8.8.8/32")).target
    ('local', 'igw')
    """

    __slots__ = ("entries", "_index")

    def __init__(self, entries):
        self.entries: tuple[RouteEntry, ...] = tuple(entries)
        by: dict[int, dict[int, dict[int, RouteEntry]]] = {}
        for r in self.entries:
            n = r.net
            table = by.setdefault(n.version, {}).setdefault(n.prefixlen, {})
            key = int(n.network_address) >> (n.max_prefixlen - n.prefixlen) if n.prefixlen else 0
            cur = table.get(key)
            if cur is None or (cur.origin == "propagated" and r.origin != "propagated"):
                table[key] = r
        self._index = {v: sorted(t.items(), reverse=True) for v, t in by.items()}

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"RouteSet({list(self.entries)!r})"

    def lookup(self, dest: Net) -> RouteEntry | None:
        """The most specific route containing all of ``dest`` (static wins a tie), or None."""
        d_addr, d_len = int(dest.network_address), dest.prefixlen
        bits = dest.max_prefixlen
        for plen, table in self._index.get(dest.version, ()):
            if plen > d_len:
                continue
            hit = table.get(d_addr >> (bits - plen) if plen else 0)
            if hit is not None:
                return hit
        return None


@dataclass(frozen=True)
class TgwRt:
    id: str
    associations: tuple[str, ...]
    routes: RouteSet
    location: str | None


@dataclass(frozen=True)
class NaclRuleRef:
    """A NACL rule resolved for evaluation: number, position in the model, ports and CIDR."""

    number: int
    index: int
    direction: str
    protocol: str
    action: str
    ports: tuple[int, int]
    cidr: Net
    location: str | None


@dataclass(frozen=True)
class RuleRef:
    """An SG rule resolved for one environment (peer is a network, an SG id, or None if undefined)."""

    sg: str
    index: int
    direction: str
    protocol: str
    ports: tuple[int, int]
    peer_net: Net | None
    peer_sg: str | None
    rule: SgRule
    location: str | None
