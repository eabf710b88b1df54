"""All-pairs reachability over one environment: sources x targets x ports.

:func:`matrix` answers every (source, target, port) triple with :func:`analysis.paths.reach.reach`
(results are memoized per graph, so findings, the diff and the page share one pass).
:func:`relevant_ports` is the union of ports the model mentions (SG rules, listeners,
target groups, flows). For large synthetic models see :mod:`analysis.paths.allpairs`, which
evaluates equivalence classes instead of pairs.

>>> from analysis.loading import load
>>> from analysis.graph import build_graph
>>> m = matrix(build_graph(load(), "poc"), sources=["business-user"], targets=["alb"], ports=[443, 80])
>>> [(r.port, r.verdict) for r in m]
[(80, 'unreachable'), (443, 'reachable')]
"""

from __future__ import annotations

from analysis.graph import EnvGraph
from analysis.paths.reach import endpoint_ports, reach, sources as all_sources, targets as all_targets
from analysis.results import ReachResult

__all__ = ["matrix", "relevant_ports", "exposure_targets"]


def relevant_ports(eg: EnvGraph) -> list[int]:
    return endpoint_ports(eg)


def exposure_targets(eg: EnvGraph) -> list[str]:
    """Targets a matrix shows: every target except the parts of a collapsed parent and NAT gateways."""
    out = []
    for t in all_targets(eg):
        n = eg.node(t)
        if n.kind.value == "nat-gateway":
            continue
        out.append(t)
    return out


def matrix(eg: EnvGraph, sources: list[str] | None = None, targets: list[str] | None = None,
           ports: list[int] | None = None, protocol: str = "tcp") -> list[ReachResult]:
    """Every (source, target, port) result, sorted by source, target, port (self pairs skipped)."""
    srcs = all_sources(eg) if sources is None else sources
    tgts = exposure_targets(eg) if targets is None else targets
    prts = relevant_ports(eg) if ports is None else ports
    out = []
    for s in srcs:
        for t in tgts:
            if s == t:
                continue
            for p in sorted(prts):
                out.append(reach(eg, s, t, p, protocol))
    return sorted(out, key=lambda r: (r.source, r.target, r.port))
