"""The trace driver: one :class:`Walk` moves a packet hop by hop until it is delivered or blocked.

Every kind of hop has one forwarding function, registered with :func:`hop` under the
name a :class:`~analysis.forwarding.trace.Packet` carries in ``at``; the function looks
at the packet, records what allowed it (hops) or stopped it (blockers) in the walk's
trace, and returns the packet at its next place, or None when it is delivered or no
next hop exists. Like AWS Reachability Analyzer's *blocked path*, a filter that drops
the packet (SG, NACL, firewall rule) is recorded and the walk goes on as if it were
fixed, so every setting to change is reported; routing that has no next hop stops it.
A place visited twice with the same header is a loop (``LOOP``), and so is a path
longer than :data:`MAX_HOPS` hops.

The reply is traced by the same functions (``Walk.reply``): stateful hops (security
groups, NAT, the IGW's 1:1 NAT, Client VPN SNAT, stateful firewall rules) match the
session their request set up (:attr:`Walk.sessions`), stateless ones (NACLs, stateless
firewall rules, route tables) are evaluated again. A hard blocker of the reply is
reported as ``NO_RETURN_PATH`` with the reason.

When environments share a network (:mod:`analysis.graph.scope`), a hop that forwards into
another environment (a shared TGW's route to that environment's attachment, a public
address it owns) calls :meth:`Walk.enter`: the walk continues in that environment's graph,
and its hops and blockers name components there as ``env:id``.

Filters go through :meth:`Walk.nacl` and :meth:`Walk.sg`: a point query evaluates them;
the all-pairs matrix (:mod:`analysis.paths.allpairs`) passes a ``recorder`` that
collects the checks of a path instead, to decide them per port class with the same
predicates.
"""

from __future__ import annotations

from typing import Any, Callable

from analysis.forwarding import nacl as nacl_hop
from analysis.forwarding.trace import Header, Packet, Trace
from analysis.graph.build import EnvGraph
from analysis.graph.types import Eni, Net
from analysis.results import BLOCKER_CODES
from analysis.i18n import N_, Templates

__all__ = ["Walk", "hop", "HOPS", "run", "MAX_HOPS"]

MAX_HOPS = 64
"""Longest path walked (AWS Network Manager's route analysis stops at 64 hops as well)."""

HOPS: dict[str, Callable[["Walk", Packet], Packet | None]] = {}

REPLY_CODES = frozenset({"NO_RETURN_PATH", "FIREWALL_ASYMMETRIC_ROUTING"})
"""Codes that already say what is wrong with a reply (others become ``NO_RETURN_PATH`` on it)."""

T = Templates({
    "internet": N_("インターネット（パブリックアドレス）"),
    "public_of": N_("{node} のパブリックIP"),
    "no_return": N_("応答が戻れない: {message}"),
    "loop": N_("転送ループ: {where} に同じパケットが再び来た"),
    "too_long": N_("経路が {max} ホップを超える（転送ループの疑い）"),
})


def hop(name: str) -> Callable:
    """Register the forwarding function of hop kind ``name``."""

    def register(func: Callable[["Walk", Packet], Packet | None]) -> Callable:
        assert name not in HOPS, name
        HOPS[name] = func
        return func

    return register


class Walk:
    """One direction of one path: the graph, the trace, what is being reached, the sessions."""

    def __init__(self, eg: EnvGraph, trace: Trace, *, target: Eni | None = None, goal: tuple = (),
                 reply: bool = False, query: Callable[..., Any] | None = None, depth: int = 0,
                 country: str | None = None, sessions: list[tuple] | None = None, recorder: list | None = None,
                 home: str | None = None, queries: Callable[[str], Callable[..., Any]] | None = None):
        self.eg = eg
        """The graph of the environment the packet is in (changes when a path crosses environments)."""
        self.home = home if home is not None else eg.env
        """The environment the query was asked in (components elsewhere are named ``env:id``)."""
        self.queries = queries
        """Another environment's point query (a load balancer there asks its own), when paths may cross."""
        self.t = trace
        self.target = target
        """The ENI the request is for (forward), or None (an address, a service, a site)."""
        self.goal = goal
        """Where a reply is delivered: ``("eni", Eni)``, ``("internet",)``, ``("site", id)``, ``("cvpn", id)``."""
        self.reply = reply
        self.query = query
        """The point query a proxy (load balancer) asks for its own connection to a target."""
        self.depth = depth
        self.country = country
        self.sessions: list[tuple] = sessions if sessions is not None else []
        """Stateful hops of the request, in order: ``(kind, component, ...)``; the reply consumes them."""
        self.recorder = recorder
        self.delivered: Packet | None = None

    @property
    def plan(self):
        return self.eg.addresses

    @property
    def ask(self) -> Callable[..., Any] | None:
        """The point query of the environment the packet is in (for a load balancer's own connections)."""
        if self.eg.env != self.home and self.queries is not None:
            return self.queries(self.eg.env)
        return self.query

    def enter(self, env: str) -> EnvGraph:
        """The packet crosses into environment ``env`` (of the same scope): the walk goes on in its graph."""
        if env != self.eg.env:
            self.eg = self.eg.scope.graph(env)
        return self.eg

    def name(self, node: str) -> str:
        """How a hop names a component: its id, qualified ``env:id`` outside the home environment
        (a shared node is one resource of every environment, an actor the query's party: never qualified)."""
        if self.eg.env == self.home or node in ("internet", "") or node in self.eg.scope.shared \
                or node in self.eg.ix.actors:  # an actor is the query's own party
            # (a graph of another environment always has a scope: the walk entered it through one)
            return node
        return f"{self.eg.env}:{node}"

    # ------------------------------------------------------------ words
    def show(self, n: Net) -> str:
        """An address for messages: the internet and allocated public addresses read as names."""
        plan = self.plan
        if n == plan.internet:
            return T("internet")
        owner = plan.owner.get(n)
        if owner is not None and owner not in plan.written:
            return T("public_of", node=owner.node)
        return str(n)

    def where(self, node_id: str, *more: Any) -> str | None:
        return self.eg.where_id("nodes", node_id, *more)

    # ------------------------------------------------------------ results
    def block(self, code: str, node: str, message: str, loc: str | None = None) -> None:
        """Record a blocker; on the reply, a hard one is the reason the reply cannot come back."""
        if self.recorder is not None:
            self.recorder.append(("block", code))
        if self.reply and not BLOCKER_CODES[code][0] and code not in REPLY_CODES:
            code, message = "NO_RETURN_PATH", T("no_return", message=message)
        self.t.block(code, self.name(node), message, loc)

    def step(self, node: str, action: str, reason: str, loc: str | None = None) -> None:
        self.t.hop(self.name(node), action, reason, loc)

    def note(self, code: str) -> None:
        self.t.note(code)

    # ------------------------------------------------------------ filters
    def nacl(self, subnet: str, direction: str, h: Header) -> None:
        if self.recorder is not None:
            self.recorder.append(("nacl", subnet, direction, h.dst if direction == "outbound" else h.src, h.reply, h.eph))
            return
        nacl_hop.check(self, subnet, direction, h)

    def move(self, p: Packet, subnet: str | None) -> None:
        """The packet goes from the subnet it is in to ``subnet`` (None: out of every subnet):
        the NACLs are evaluated where it leaves and where it enters, never within one subnet."""
        if p.subnet == subnet:
            return
        if p.subnet is not None:
            self.nacl(p.subnet, "outbound", p.h)
        if subnet is not None:
            self.nacl(subnet, "inbound", p.h)

    # ------------------------------------------------------------ sessions
    def open(self, kind: str, node: str, *state: Any) -> None:
        """Record a stateful hop of the request: ``(kind, component, *state)``; the reply consumes it."""
        self.sessions.append((kind, self.name(node), *state))

    def session(self, kind: str, node: str) -> tuple | None:
        """The last session of ``kind`` at ``node`` that the reply has not consumed, if any."""
        key = self.name(node)
        for s in reversed(self.sessions):
            if s[0] == kind and s[1] == key:
                return s
        return None

    def consume(self, s: tuple) -> None:
        self.sessions.remove(s)


def run(w: Walk, p: Packet) -> Packet | None:
    """Move ``p`` until it is delivered (``w.delivered``) or stops; returns the last packet."""
    seen: set[tuple] = set()
    last = p
    for _ in range(MAX_HOPS):
        key = (w.eg.env, p.at, p.node, p.subnet, p.via, p.h)
        if key in seen:
            w.block("LOOP", p.node, T("loop", where=p.node))
            return last
        seen.add(key)
        last = p
        nxt = HOPS[p.at](w, p)
        if nxt is None:
            return last
        p = nxt
    w.block("LOOP", p.node, T("too_long", max=MAX_HOPS))
    return p
