"""Reachability differences: every (source, target, port) whose verdict changes between two networks.

Sources are actors matched by ``persona`` (the POC developer plays the city staff) and
nodes by id; targets are nodes by id; ports are the union of the ports both sides
mention (SG rules, listeners, target groups, flows). Each side gives its reason (codes
and the message of the first hard blocker, or of the first condition when there is
none). The two sides may be two environments of one model or one environment of two
revisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.matrix import exposure_targets
from analysis.paths.reach import Reachability, endpoint_ports

__all__ = ["ReachDiff", "reach_diff"]


@dataclass(frozen=True, order=True)
class ReachDiff:
    source: str
    target: str
    port: int
    from_source: str
    to_source: str
    from_verdict: str
    to_verdict: str
    from_reason: str
    to_reason: str


def _source_keys(q: Reachability) -> dict[str, str]:
    keys: dict[str, str] = {}
    for s in q.sources:
        a = q.eg.ix.actors.get(s)
        keys.setdefault(f"persona:{a.persona}" if a else s, s)
    return keys


def _reason(r) -> str:
    if not r.blockers:
        return r.verdict
    # an unreachable path is explained by its first hard blocker, not by a condition before it
    first = next((b for b in r.blockers if not b.conditional), r.blockers[0])
    return f"{', '.join(r.codes)}: {first.message}"


def reach_diff(qa: Reachability, qb: Reachability) -> tuple[ReachDiff, ...]:
    """Every connection whose verdict differs from ``qa`` to ``qb``, sorted."""
    a, b = qa.eg, qb.eg
    ka, kb = _source_keys(qa), _source_keys(qb)
    ta, tb = set(exposure_targets(a, qa.targets)), set(exposure_targets(b, qb.targets))
    ports = sorted(set(endpoint_ports(a)) | set(endpoint_ports(b)))
    rows = []
    for key in sorted(set(ka) & set(kb)):
        for t in sorted(ta & tb):
            if t in (ka[key], kb[key]):
                continue
            for p in ports:
                ra, rb = qa.reach(ka[key], t, p), qb.reach(kb[key], t, p)
                if ra.verdict != rb.verdict:
                    rows.append(ReachDiff(key, t, p, ka[key], kb[key], ra.verdict, rb.verdict, _reason(ra), _reason(rb)))
    return tuple(sorted(rows))
