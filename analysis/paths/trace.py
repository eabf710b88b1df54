"""What a walk carries: the packet being delivered and the trace of hops and blockers so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from analysis.graph.build import PUBLIC_ADDR, Eni, Net
from analysis.paths.nacl_crossings import EPHEMERAL_WIDE
from analysis.results import BLOCKER_CODES, NOTE_CODES, Blocker, Hop

__all__ = ["Trace", "Packet", "show"]


@dataclass
class Trace:
    hops: list[Hop] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)

    def hop(self, node: str, action: str, reason: str, loc: str | None = None) -> None:
        if action == "RECEIVED" and self.hard:
            # The trace is the best *candidate* path, walked on past its blockers so that
            # every blocker is reported; its last hop must not read as a delivery.
            action, reason = "NOTE", f"候補経路の終点（阻害要因のため届かない）: {reason}"
        self.hops.append(Hop(node, action, reason, loc))

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


@dataclass(frozen=True)
class Packet:
    """What is being delivered: protocol, port, destination address and the target instance."""

    proto: str
    port: int
    dst: Net
    target: Eni | None
    country: str | None = None
    depth: int = 0
    eph: tuple[int, int] = EPHEMERAL_WIDE
    """The client's ephemeral port range, as seen by the current leg (the NAT gateway's after SNAT)."""
    query: Callable[..., Any] | None = field(default=None, compare=False, repr=False)
    """The point query a proxy (ALB) asks for its own new connection to a target."""


def show(n: Net) -> str:
    """An address range for messages; the representative public address reads as the internet."""
    return "インターネット（パブリックアドレス）" if n == PUBLIC_ADDR else str(n)
