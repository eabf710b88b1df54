"""The addresses a query may reach a target at: its candidates.

A node is reached at each of its instances (one per subnet), by its private address,
then by its public address (every ENI has one in the address plan; one the node does not
really have is tried only by internet actors, to explain ``NO_PUBLIC_ADDRESS``). An AWS
service is reached at its public endpoint, or, from a VPC with an interface endpoint for
it with private DNS, at the endpoint's ENIs (same AZ first).

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> [(c.eni.subnet, c.mode) for c in candidates(build_graph(load_model(), "prod"), "alb")]
[('prod-public-1', 'private'), ('prod-public-2', 'private'), ('prod-public-1', 'public'), ('prod-public-2', 'public')]
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.graph.build import SERVICE_KINDS, EnvGraph
from analysis.graph.types import Eni, Net
from model.schema import NodeKind

__all__ = ["Candidate", "candidates"]


@dataclass(frozen=True)
class Candidate:
    eni: Eni | None
    """The target instance (None: an AWS service's or the Client VPN endpoint's public side)."""
    mode: str
    """``private`` or ``public``: which address of the target."""
    dst: Net
    service: str | None = None
    """The service node the request is for, when it is an AWS service at its public endpoint."""


def candidates(eg: EnvGraph, target: str, source: Eni | None = None) -> list[Candidate]:
    """Every way ``target`` can be addressed (from ``source``'s VPC, for interface endpoints)."""
    node = eg.node(target)
    if node.kind in SERVICE_KINDS or node.kind is NodeKind.CLIENT_VPN:
        eps = eg.links.interface_endpoints.get((source.vpc, target), ()) if source is not None else ()
        enis = [e for ep in eps for e in eg.enis.get(ep, ())]
        enis.sort(key=lambda e: e.az != source.az)
        if enis:
            return [Candidate(e, "private", e.net) for e in enis]
        return [Candidate(None, "public", eg.addresses.internet, target)]
    enis = eg.enis[target]
    plan = eg.addresses
    return [Candidate(e, "private", e.net) for e in enis] + [Candidate(e, "public", plan.public[e]) for e in enis]
