"""All-pairs reachability over one environment: sources x targets x ports.

:func:`matrix` answers every (source, target, port) triple with one environment's
:class:`~analysis.paths.reach.Reachability` (results are cached there, so findings, the
diff and the page share one pass). :func:`port_matrix` is the table the reachability page
shows: one row per source, one column per (target, port it listens on), each cell the
result. :func:`cross_matrix` is the same table across two environments a shared network
object joins: the sources of one by the private addresses of the other's nodes (the
isolation section of the page). For large models see :mod:`analysis.paths.allpairs`: the same engine's paths per
pair of interface groups, with security groups decided by interface classes.

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> q = Reachability(build_graph(load_model(), "poc"))
>>> m = matrix(q, sources=["business-user"], targets=["alb"], ports=[443, 80])
>>> [(r.port, r.verdict) for r in m]
[(80, 'unreachable'), (443, 'reachable')]
>>> t = port_matrix(q)
>>> t.columns[:2], t.rows[0].source
((('client-vpn', 443), ('alb', 80)), 'business-user')
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.graph.build import SERVICE_KINDS, EnvGraph
from analysis.paths.across import cross_targets, reach_across
from analysis.paths.reach import Reachability, endpoint_ports, listening_ports
from analysis.results import ReachResult
from model.schema import NodeKind

__all__ = ["matrix", "exposure_targets", "port_matrix", "MatrixRow", "PortMatrix", "CrossMatrix", "cross_matrix"]


def exposure_targets(eg: EnvGraph, targets: tuple[str, ...] | list[str]) -> list[str]:
    """The targets a matrix or diff compares: every target except NAT gateways (they accept no
    connection from outside)."""
    return [t for t in targets if eg.node(t).kind is not NodeKind.NAT_GATEWAY]


def matrix(q: Reachability, sources: list[str] | None = None, targets: list[str] | None = None,
           ports: list[int] | None = None, protocol: str = "tcp") -> list[ReachResult]:
    """Every (source, target, port) result, sorted by source, target, port (self pairs skipped)."""
    srcs = list(q.sources) if sources is None else sources
    tgts = exposure_targets(q.eg, q.targets) if targets is None else targets
    prts = endpoint_ports(q.eg) if ports is None else ports
    out = []
    for s in srcs:
        for t in tgts:
            if s == t:
                continue
            for p in sorted(prts):
                out.append(q.reach(s, t, p, protocol))
    return sorted(out, key=lambda r: (r.source, r.target, r.port))


@dataclass(frozen=True)
class MatrixRow:
    source: str
    cells: tuple[ReachResult | None, ...]
    """One per column; None where the source is the target itself."""


@dataclass(frozen=True)
class PortMatrix:
    env: str
    columns: tuple[tuple[str, int], ...]
    """(target, port) pairs: every target with the ports it listens on."""
    rows: tuple[MatrixRow, ...]


def _columns(q: Reachability) -> list[tuple[str, int]]:
    cols = []
    for t in q.targets:
        n = q.eg.node(t)
        # a collapsed part (CloudWatch Metrics under CloudWatch) shows as its parent, except Logs
        if n.kind is NodeKind.NAT_GATEWAY or (n.part_of and n.kind in SERVICE_KINDS
                                              and n.kind is not NodeKind.CLOUDWATCH_LOGS):
            continue
        cols += [(t, p) for p in listening_ports(q.eg, t)]
    return cols


def port_matrix(q: Reachability) -> PortMatrix:
    """Sources (actors, then nodes) by (target, listening port) over TCP."""
    cols = tuple(_columns(q))
    rows = tuple(MatrixRow(s, tuple(None if s == t else q.reach(s, t, p) for t, p in cols)) for s in q.sources)
    return PortMatrix(q.env, cols, rows)


@dataclass(frozen=True)
class CrossMatrix:
    """Sources of ``source_env`` by (target, port) of ``target_env``, private addresses only."""

    source_env: str
    target_env: str
    shared: tuple[str, ...]
    """The shared network objects that join the two environments."""
    columns: tuple[tuple[str, int], ...]
    rows: tuple[MatrixRow, ...]

    @property
    def open(self) -> tuple[ReachResult, ...]:
        """The cells that reach (reachable or conditional), row by row."""
        return tuple(c for row in self.rows for c in row.cells if c is not None and c.ok)


def cross_matrix(q: Reachability, env: str, protocol: str = "tcp") -> CrossMatrix:
    """``q``'s sources by every private address and listening port of ``env``'s nodes (same scope)."""
    cols = tuple(cross_targets(q, env))
    rows = tuple(MatrixRow(s, tuple(reach_across(q, env, s, t, p, protocol, "private") for t, p in cols))
                 for s in q.sources)
    return CrossMatrix(q.env, env, q.eg.scope.shared, cols, rows)
