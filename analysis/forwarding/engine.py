"""One path, both directions: the request walked to its destination, then its reply back.

:func:`trace_path` runs a :class:`~analysis.forwarding.walk.Walk` from a first packet
until the request is delivered or stops; when it was delivered (even past filters that
drop it: the blocked path is completed), the reply starts where the request ended, with
the addresses swapped and to the client's ephemeral ports, and is walked by the same hop
functions until it reaches the origin (``goal``). Stateful hops consume the sessions the
request set up; a stateful firewall the reply did not pass is an asymmetric path.
"""

from __future__ import annotations

from typing import Callable

# the hop modules register their forwarding functions with the walk
from analysis.forwarding import balancers, edges, endpoints, eni, firewall, gateways, routing, tgw  # noqa: F401
from analysis.forwarding.entry import from_site, site_connections
from analysis.forwarding.trace import Packet, Trace, changed
from analysis.forwarding.walk import Walk, run
from analysis.graph.build import EnvGraph

__all__ = ["trace_path", "reply_start"]


def reply_start(w: Walk, back: Walk) -> Packet | None:
    """Where the reply of the delivered request ``w.delivered`` starts (hops of the way in go to ``back``)."""
    p = w.delivered
    h = p.h.reversed()
    if p.at == "eni-in":
        e = w.target
        return Packet("eni-out", e.node, e.subnet, e.az, changed(h, src_sgs=e.sgs), e)
    gwe = next((s for s in reversed(w.sessions) if s[0] == "gateway-endpoint"), None)
    if gwe is not None:
        return Packet("gateway-endpoint-back", gwe[1].rsplit(":", 1)[-1], None, None, h)
    if p.at == "router":  # delivered to an address of a subnet that no node of the model owns
        return Packet("router", p.node, p.subnet, p.az, h)
    if p.at in ("dx-out", "vpn-out"):
        site = w.eg.ix.sites.get(_site_of(w, p))
        return from_site(back, site_connections(w.eg, site.id), h) if site is not None else None
    return Packet("internet", "internet", None, None, h)


def _site_of(w: Walk, p: Packet) -> str | None:
    from analysis.forwarding.edges import connection_site
    return connection_site(w.eg, p.node)


def trace_path(eg: EnvGraph, t: Trace, first: Packet | Callable[[Walk], Packet | None], *, goal: tuple,
               target=None, forward_goal: tuple = (), query=None, depth: int = 0, country: str | None = None,
               recorder: list | None = None, home: str | None = None, queries=None) -> Walk:
    """Walk the request from ``first`` (a packet, or a function of the walk that enters the model
    and returns one), then its reply back to ``goal`` (none: no reply traced); returns the request's walk.

    ``eg`` is the graph the request starts in, ``home`` the environment the query was asked in
    (default ``eg``'s); the reply starts in the graph where the request was delivered."""
    w = Walk(eg, t, target=target, goal=forward_goal, query=query, depth=depth, country=country, recorder=recorder,
             home=home, queries=queries)
    p = first(w) if callable(first) else first
    if p is not None:
        run(w, p)
    if w.delivered is None or not goal:
        return w
    t.direction = "reply"
    back = Walk(w.eg, t, goal=goal, reply=True, sessions=w.sessions, query=query, depth=depth, recorder=recorder,
                home=w.home, queries=queries)
    start = reply_start(w, back)
    if start is not None:
        run(back, start)
        if back.delivered is not None:
            firewall.unmatched(back)
    t.direction = "forward"
    return w
