"""Point queries: can a source reach a target on protocol/port in one environment, and why.

Sources are actors (by their ``site``: the internet, an on-premises site reached over
Direct Connect or VPN, or a Client VPN client) and nodes with addresses; targets are
nodes with addresses (ENIs, load balancers, NAT gateways, interface endpoints), AWS
service endpoints and the Client VPN endpoint. A node placed in several subnets is one
instance per subnet: the target is reached if *any* instance is; when the source's
instances disagree, the verdict is ``conditional`` with ``AZ_DEPENDENT`` naming the
failing AZs.

Each candidate (source instance x target instance x its private or public address) is
traced by the forwarding engine (:mod:`analysis.forwarding`), request and reply; the
best candidate is kept (reachable < conditional < fewest hard blockers; private address
first). :meth:`Reachability.reach_by_address` answers per address of the target, and
:meth:`Reachability.reach_ip` for one address (a node's, a site's or an internet host's).
An AWS service is reached at an interface endpoint of the source's VPC when one with
private DNS exists, else at its public endpoint (through a gateway endpoint's route when
the route table has one). The Direct Connect gateway is analysed *as if* associated
with the TGW although the seed says "Private VIF" (a transit VIF is required): the path
carries the note ``DXGW_PRIVATE_VIF_ASSUMED_TRANSIT`` and :mod:`analysis.review.aws`
reports the contradiction. A private path to an *internet-facing* ALB carries the note
``INTERNET_FACING_ALB_VIA_PRIVATE_IP``. An on-premises site's own internet access is not
modelled: its paths to AWS service endpoints are ``conditional`` with
``ONPREM_INTERNET_NOT_MODELED``.

>>> from model.loader import load_model
>>> from analysis.graph import build_graph
>>> poc = build_graph(load_model(), "poc")
>>> reach(poc, "business-user", "alb", 443).verdict
'reachable'
>>> reach(poc, "business-user", "rds", 5432).codes
('NO_PUBLIC_ADDRESS', 'SG_INGRESS_DENIED', 'NO_RETURN_PATH')
>>> reach(poc, "developer", "frontend", 3000).codes
('SG_INGRESS_DENIED',)
"""

from __future__ import annotations

from analysis.graph.build import SERVICE_KINDS, EnvGraph
from analysis.graph.types import Net
from analysis.paths.candidates import UnknownAddress, UnknownEndpoint, candidates
from analysis.paths.query import query, reach_ip
from analysis.results import ReachResult
from model.schema import Flow, FlowKind, NodeKind

__all__ = ["Reachability", "reach", "reach_ip", "sources", "targets", "UnknownEndpoint", "UnknownAddress",
           "endpoint_ports", "listening_ports", "flow_ports", "SENDER_KINDS"]

_NOT_SOURCES = {NodeKind.NAT_GATEWAY, NodeKind.CLIENT_VPN, NodeKind.VPC_ENDPOINT}



def sources(eg: EnvGraph) -> list[str]:
    """Actors of the environment, then nodes with addresses, in model order."""
    out = [a.id for a in eg.ix.actors_in(eg.env)]
    return out + [n for n in eg.enis if eg.node(n).kind not in _NOT_SOURCES]


def targets(eg: EnvGraph) -> list[str]:
    """Nodes with addresses, Client VPN endpoints and AWS service endpoints, in model order."""
    return [n.id for n in eg.ix.nodes_in(eg.env)
            if n.id in eg.enis or n.kind in SERVICE_KINDS or n.kind is NodeKind.CLIENT_VPN]


class Reachability:
    """Point queries over one environment, each answered once (results are immutable rows).

    The graph never changes, so a result can be reused by every consumer of one analysis
    (intents, findings, the matrix, the diff, a load balancer's own sub-queries).

    >>> from model.loader import load_model
    >>> from analysis.graph.build import build_graph
    >>> q = Reachability(build_graph(load_model(), "poc"))
    >>> q.reach("business-user", "alb", 443) is q.reach("business-user", "alb", 443)
    True
    """

    def __init__(self, eg: EnvGraph):
        self.eg = eg
        self.sources: tuple[str, ...] = tuple(sources(eg))
        self.targets: tuple[str, ...] = tuple(targets(eg))
        self._source_set, self._target_set = frozenset(self.sources), frozenset(self.targets)
        self._memo: dict[tuple, ReachResult] = {}
        if eg.scope is not None:
            eg.scope.queries.setdefault(eg.env, self)  # the scope's other environments ask this one

    @property
    def env(self) -> str:
        return self.eg.env

    def peer(self, env: str) -> "Reachability":
        """The point queries of ``env`` in the same network scope (raises ``KeyError`` outside it)."""
        if env == self.env:
            return self
        found = self.eg.scope.queries.get(env) if self.eg.scope is not None else None
        return found if found is not None else Reachability(self.eg.scope.graph(env))

    def peer_reach(self, env: str):
        """``env``'s :meth:`reach` (a load balancer there asks its own connections)."""
        return self.peer(env).reach

    def reach(self, source: str, target: str, port: int, protocol: str = "tcp", _depth: int = 0,
              _src: tuple[Net, tuple[str, ...]] | None = None) -> ReachResult:
        """Answer one query; raises :class:`UnknownEndpoint` for an unknown source or target.

        ``_src`` (load balancers preserving the client's address): the source address and the
        SGs that references may match, instead of the source's own.
        """
        key = (source, target, port, protocol, _depth, _src)
        result = self._memo.get(key)
        if result is None:
            self._check(source, target)
            result = self._memo[key] = query(self, source, target, port, protocol, _depth, _src, None)
        return result

    def reach_by_address(self, source: str, target: str, port: int, protocol: str = "tcp") -> tuple[ReachResult, ...]:
        """One result per address of ``target`` (its private address, then its public one if it has one)."""
        self._check(source, target)
        kinds = [m for m in ("private", "public") if self.has_address(target, m)]
        return tuple(query(self, source, target, port, protocol, 0, None, m) for m in kinds)

    def has_address(self, target: str, mode: str) -> bool:
        """Does ``target`` have a ``private`` (or ``public``) address at all? A node without a
        public IP has none: the analysis still asks the internet for it (NO_PUBLIC_ADDRESS), but
        lists no address of it."""
        public = self.eg.addresses.has_public
        return target in self._target_set and any(
            c.mode == mode and (c.mode == "private" or c.eni is None or c.eni in public)
            for c in candidates(self.eg, target))

    def reach_ip(self, port: int, protocol: str = "tcp", **where) -> ReachResult:
        """One query by address: ``source``/``src_ip`` and ``target``/``dst_ip`` (see :func:`reach_ip`)."""
        return reach_ip(self, port, protocol, **where)

    def _check(self, source: str, target: str) -> None:
        if source not in self._source_set:
            raise UnknownEndpoint("source", source, self.env, list(self.sources))
        if target not in self._target_set:
            raise UnknownEndpoint("target", target, self.env, list(self.targets))


def reach(eg: EnvGraph, source: str, target: str, port: int, protocol: str = "tcp") -> ReachResult:
    """One query on its own (nothing cached across calls; an analysis uses :class:`Reachability`)."""
    return Reachability(eg).reach(source, target, port, protocol)


def endpoint_ports(eg: EnvGraph) -> list[int]:
    """Every port the model mentions in this environment (SG rules, listeners, target groups, flows)."""
    ports: set[int] = set()
    for refs in eg.rules.values():
        for r in refs:
            if r.ports[0] == r.ports[1]:
                ports.add(r.ports[0])
    for n in eg.ix.nodes_in(eg.env):
        if n.alb:
            ports.update(lst.port for lst in n.alb.listeners)
            ports.update(x.port for x in n.alb.target_groups)
        if n.nlb:
            ports.update(lst.port for lst in n.nlb.listeners)
            ports.update(x.port for x in n.nlb.target_groups)
    ports.update(f.port for f in eg.ix.flows_in(eg.env) if f.port is not None and f.protocol == "tcp")
    return sorted(ports)


def listening_ports(eg: EnvGraph, target: str) -> list[int]:
    """Ports ``target`` listens on: load balancer listeners and single-port inbound SG rules; 443
    for an AWS service endpoint; a Client VPN endpoint's VPN port."""
    node = eg.node(target)
    if node.kind is NodeKind.CLIENT_VPN and node.client_vpn is not None:
        return [node.client_vpn.vpn_port]
    if node.kind in SERVICE_KINDS or node.kind is NodeKind.CLIENT_VPN:
        return [443]
    ports: set[int] = set()
    if node.alb is not None:
        ports.update(lst.port for lst in node.alb.listeners)
    if node.nlb is not None:
        ports.update(lst.port for lst in node.nlb.listeners)
    for e in eg.enis.get(target, ())[:1]:
        for sg in e.sgs:
            for r in eg.rules.get(sg, ()):
                if r.direction == "inbound" and r.ports[0] == r.ports[1]:
                    ports.add(r.ports[0])
    return sorted(ports)


SENDER_KINDS = frozenset(k for k in NodeKind if k.name in {
    "ECS_SERVICE", "ECS_TASK", "ECS_EC2_SERVICE", "EC2_INSTANCE", "AUTOSCALING_GROUP", "LAMBDA"})
"""Kinds whose own code sends from their ENIs: an arrow from them is their packets (logs and
metrics an application ships, API calls), unlike an arrow from a managed service (an ALB's or
RDS's metrics, a backup), which AWS delivers outside the design's network."""

SERVICE_DELIVERED = frozenset(
    (k, f) for k in NodeKind if k.name == "LAMBDA" for f in FlowKind if f.name in {"LOGS", "METRICS"})
"""(source kind, arrow kind) pairs that AWS delivers itself although the source sends from its
ENIs: a Lambda function's logs and metrics leave through the Lambda service, not the function's
VPC ENIs (a VPC function with no NAT and no endpoint still logs), unlike ECS's awslogs driver."""


def flow_ports(eg: EnvGraph, flow: Flow) -> tuple[str, tuple[int, ...]]:
    """(protocol, ports) a drawn flow is checked on: its own port; for an arrow with no port
    from a node that sends from its ENIs (:data:`SENDER_KINDS`), every port its target listens
    on (443 for an AWS service endpoint: the cell the reachability matrix shows); else none."""
    protocol = flow.protocol or "tcp"
    if flow.port is not None:
        return protocol, (flow.port,)
    source, target = eg.ix.nodes.get(flow.source), eg.ix.nodes.get(flow.target)
    if (source is None or target is None or source.kind not in SENDER_KINDS or flow.source not in eg.enis
            or flow.kind is FlowKind.PIPELINE or (source.kind, flow.kind) in SERVICE_DELIVERED
            or eg.env not in target.at):
        return protocol, ()
    return protocol, tuple(listening_ports(eg, flow.target))
