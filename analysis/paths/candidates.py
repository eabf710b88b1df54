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

from analysis.graph.addresses import is_public
from model.errors import suggest
from analysis.graph.build import SERVICE_KINDS, EnvGraph
from analysis.graph.types import Eni, Net, net
from model.schema import NodeKind

__all__ = ["Candidate", "candidates", "address_candidates", "UnknownAddress", "UnknownEndpoint"]


class UnknownEndpoint(KeyError):
    """A source or target that is not a network endpoint in the environment (with suggestions)."""

    def __init__(self, what: str, name: str, env: str, choices: list[str]):
        self.what, self.name, self.env, self.choices = what, name, env, choices
        close = suggest(name, choices)
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(choices)}"
        super().__init__(f"{what} '{name}' is not a network endpoint in environment {env} ({hint})")

    def __str__(self) -> str:
        return self.args[0]


class UnknownAddress(ValueError):
    """An address no node, subnet or site of the environment has (and that is not public)."""


@dataclass(frozen=True)
class Candidate:
    eni: Eni | None
    """The target instance (None: an AWS service's or the Client VPN endpoint's public side)."""
    mode: str
    """``private`` or ``public``: which address of the target."""
    dst: Net
    service: str | None = None
    """The service node the request is for, when it is an AWS service at its public endpoint."""
    goal: tuple = ()
    """Where the request is delivered when it is not an ENI: ``("internet", address)``, ``("site", id)``."""


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


def address_candidates(eg: EnvGraph, addr: Net) -> tuple[str, list[Candidate]]:
    """(a name for the target, its candidates) of one destination address (issue 19):
    a node's written private IP or its public IP; an address of a subnet (its only node
    there, else the subnet itself); an on-premises site's address; a public address the
    model does not know (a host on the internet). Raises :class:`UnknownAddress` otherwise.
    """
    plan = eg.addresses
    for enis in eg.enis.values():
        for e in enis:
            if e.net == addr:
                return e.node, [Candidate(e, "private", addr)]
            if plan.public.get(e) == addr and e in plan.has_public:
                return e.node, [Candidate(e, "public", addr)]
    for sub, n in eg.subnet_net.items():
        if addr.subnet_of(n):
            owners = [e for es in eg.enis.values() for e in es if e.subnet == sub]
            if len(owners) == 1:
                return owners[0].node, [Candidate(owners[0], "private", addr)]
            return str(addr), [Candidate(None, "private", addr)]
    for site in eg.ix.model.sites:
        if eg.env in site.envs and site.kind == "onprem" and any(addr.subnet_of(net(c)) for c in site.cidrs):
            return str(addr), [Candidate(None, "private", addr, goal=("site", site.id))]
    if is_public(addr):
        return str(addr), [Candidate(None, "public", addr, goal=("internet", addr))]
    raise UnknownAddress(f"no node, subnet or site of environment {eg.env} has the address {addr}")
