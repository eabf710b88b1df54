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

from dataclasses import dataclass, field, fields
from typing import Any

from analysis.graph.types import Eni, Net, RouteEntry
from analysis.i18n import N_, Templates
from analysis.results import BLOCKER_CODES, NOTE_CODES, Blocker, Hop

__all__ = ["Trace", "Header", "Packet", "Templates", "changed", "EPHEMERAL_LINUX", "EPHEMERAL_WIDE", "EPHEMERAL_WINDOWS"]

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

    def __hash__(self) -> int:
        # a walk hashes the same header at every hop (its loop check): computed once
        state = self.__dict__
        value = state.get("_hash")
        if value is None:
            value = state["_hash"] = hash((self.proto, self.port, self.src, self.dst, self.eph, self.reply,
                                           self.service, self.src_sgs))
        return value

    def __getstate__(self) -> dict[str, Any]:
        # a string's hash differs between processes: a copy computes its own
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def reversed(self) -> "Header":
        """The reply's header: addresses swapped, to the client's ephemeral ports."""
        return changed(self, src=self.dst, dst=self.src, reply=True, src_sgs=())


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
        return changed(self, at=at, node=node, **changes)


_FIELDS = {cls: frozenset(f.name for f in fields(cls)) for cls in (Header, Packet)}


def changed(obj: Any, **changes: Any) -> Any:
    """A copy of the :class:`Packet` or :class:`Header` ``obj`` with ``changes``: what
    ``dataclasses.replace`` gives, without its introspection on every call (an all-pairs
    matrix makes tens of thousands of copies, and ``replace`` was a seventh of its time).

    >>> from analysis.graph.types import net
    >>> h = Header("tcp", 443, net("10.0.0.1/32"), net("10.0.1.1/32"), (1024, 65535))
    >>> changed(h, port=80) == Header("tcp", 80, h.src, h.dst, h.eph)
    True
    >>> changed(h, prot="udp")
    Traceback (most recent call last):
    TypeError: Header has no field prot
    """
    cls = type(obj)
    unknown = changes.keys() - _FIELDS[cls]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    copy = object.__new__(cls)
    state = copy.__dict__  # a frozen dataclass's fields live here; its __setattr__ refuses them
    state.update(obj.__dict__)
    state.update(changes)
    state.pop("_hash", None)  # a header's cached hash is of its old fields
    return copy


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
