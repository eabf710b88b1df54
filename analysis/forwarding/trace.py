"""What a walk carries: the packet (location + header), the trace of hops and blockers, and
the message templates every hop words its reasons with.

A :class:`Packet` is where the packet is (the kind of hop that handles it next, the
component, the subnet and AZ it is in) and its :class:`Header` (addresses, protocol,
ports). Translations (IGW 1:1 NAT, NAT gateway SNAT, Client VPN SNAT) return a new
header; a packet never changes in place.

Messages are templates with named placeholders, one table per module
(:class:`analysis.i18n.Templates`), translated through the analysis catalog when filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from analysis.graph.types import Eni, Net, RouteEntry
from analysis.i18n import N_, Templates
from analysis.results import BLOCKER_CODES, NOTE_CODES, Blocker, Hop

__all__ = ["Trace", "Header", "Packet", "Templates", "EPHEMERAL_LINUX", "EPHEMERAL_WIDE", "EPHEMERAL_WINDOWS"]

EPHEMERAL_LINUX = (32768, 60999)
"""Linux clients (``ip_local_port_range`` default)."""
EPHEMERAL_WIDE = (1024, 65535)
"""NAT gateway, load balancers, Lambda, Client VPN, and clients whose operating system is unknown."""
EPHEMERAL_WINDOWS = (49152, 65535)
"""Windows Server 2008 and later."""


T = Templates({
    "unreached_end": N_("候補経路の終点（阻害要因のため届かない）: {reason}"),
})


@dataclass(frozen=True)
class Header:
    """The packet's header as the current hop sees it."""

    proto: str
    port: int
    """The service port: the destination port forward, the source port of a reply."""
    src: Net
    dst: Net
    eph: tuple[int, int]
    """The client's ephemeral (source) port range: the destination ports of a reply."""
    reply: bool = False
    service: str | None = None
    """The AWS service node the packet is addressed to (its public endpoint or prefix list)."""
    src_sgs: tuple[str, ...] = ()
    """The sender's security groups, while its private address is the source (SG references)."""

    def reversed(self) -> "Header":
        """The reply's header: addresses swapped, to the client's ephemeral ports."""
        return replace(self, src=self.dst, dst=self.src, reply=True, src_sgs=())


@dataclass(frozen=True)
class Packet:
    """A packet at one place of the network: the hop kind that handles it next and its header."""

    at: str
    node: str
    subnet: str | None
    az: str | None
    h: Header
    sender: Eni | None = None
    """The ENI that owns ``h.src`` (for the IGW's 1:1 NAT and SG references)."""
    via: str = ""
    """How the packet entered the current VPC (``eni``, ``tgw``, ``igw``, ``peering``, ``vgw``, ...)
    or, at a TGW, the ingress attachment."""
    rt: str | None = None
    route: RouteEntry | None = None
    """The route table and route that sent the packet here (for the messages of the next hop)."""

    def to(self, at: str, node: str, **changes: Any) -> "Packet":
        return replace(self, at=at, node=node, **changes)


@dataclass
class Trace:
    hops: list[Hop] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)
    direction: str = "forward"

    def hop(self, node: str, action: str, reason: str, loc: str | None = None) -> None:
        if action == "RECEIVED" and self.hard:
            # The trace is the best *candidate* path, walked on past its blockers so that
            # every blocker is reported; its last hop must not read as a delivery.
            action, reason = "NOTE", T("unreached_end", reason=reason)
        self.hops.append(Hop(node, action, reason, loc, self.direction))

    def note(self, code: str) -> None:
        """Flag an assumption the path relies on (a registered note code)."""
        if code not in NOTE_CODES:
            raise AssertionError(f"unregistered note code {code}")  # a bug: register it in analysis.results
        self.notes.add(code)

    def block(self, code: str, node: str, message: str, loc: str | None = None) -> None:
        if code not in BLOCKER_CODES:
            raise AssertionError(f"unregistered blocker code {code}")  # a bug: register it in analysis.results
        b = Blocker(code, node, message, loc)
        if b not in self.blockers:
            self.blockers.append(b)

    @property
    def hard(self) -> int:
        return sum(not b.conditional for b in self.blockers)
