"""Result rows of the reachability analysis: frozen, sortable, JSON-ready.

A query answers with one :class:`ReachResult`: the verdict, the path hop by hop
(:class:`Hop`, Batfish step vocabulary) and, when the path is blocked or conditional,
*every* blocker on the best candidate path (:class:`Blocker`, AWS Reachability
Analyzer style codes), each pointing at the model line to change.

>>> b = Blocker("SG_INGRESS_DENIED", "rds-sg", "拒否", "model/data/shared.yaml:58")
>>> r = ReachResult("poc", "business-user", "rds", "tcp", 5432, "unreachable", (), (b,))
>>> r.codes
('SG_INGRESS_DENIED',)
>>> r.to_dict()["blockers"][0]["location"]
'model/data/shared.yaml:58'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

__all__ = ["Hop", "Blocker", "ReachResult", "Finding", "SEVERITIES", "Verdict", "ACTIONS", "CONDITIONAL_CODES",
           "HARD_CODES", "verdict_of"]

Verdict = Literal["reachable", "unreachable", "conditional"]

ACTIONS = ("ORIGINATED", "FORWARDED", "PERMITTED", "TRANSFORMED", "RECEIVED", "NOTE")
"""Hop actions (Batfish StepAction names; NOTE carries an assumption flag on the path)."""

HARD_CODES = (
    "NO_ROUTE", "NULL_ROUTED", "SG_INGRESS_DENIED", "SG_EGRESS_DENIED", "NACL_DENIED",
    "NO_PUBLIC_ADDRESS", "NO_RETURN_PATH", "LISTENER_PORT_MISMATCH", "WAF_GEO_BLOCKED",
    "CVPN_AUTHORIZATION_RULE_MISSING", "CVPN_ROUTE_MISSING", "DXGW_ALLOWED_PREFIX_RESTRICTION",
    "TGW_RTB_NO_ROUTE", "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "TGW_ROUTE_AZ_RESTRICTION",
    "NAT_INBOUND_NOT_ALLOWED", "NGW_REQUIRES_SOURCE_IN_VPC", "SERVICE_PORT_RESTRICTION",
    "ALB_INTERNAL_SCHEME", "TARGET_UNREACHABLE", "DISCONNECTED", "NAMED_CIDR_UNDEFINED", "CVPN_TRANSPORT_MISMATCH",
)
"""Codes that make a path unreachable."""

CONDITIONAL_CODES = ("WAF_RATE_BASED_CONDITIONAL", "WAF_GEO_UNDETERMINED", "AZ_DEPENDENT", "NACL_EPHEMERAL_PARTIAL",
                     "ONPREM_INTERNET_NOT_MODELED")
"""Codes that make a path conditional: it works until a condition outside the model holds."""


@dataclass(frozen=True, order=True)
class Hop:
    """One step of a path: which component did what, why, and where that is written."""

    node: str
    action: str
    reason: str
    location: str | None = None


@dataclass(frozen=True, order=True)
class Blocker:
    """One setting that stops (or conditions) the path, with its stable code."""

    code: str
    node: str
    message: str
    location: str | None = None

    @property
    def conditional(self) -> bool:
        return self.code in CONDITIONAL_CODES


@dataclass(frozen=True, order=True)
class ReachResult:
    """The answer to "can ``source`` reach ``target`` on ``protocol``/``port`` in ``env``"."""

    env: str
    source: str
    target: str
    protocol: str
    port: int
    verdict: Verdict
    hops: tuple[Hop, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)
    """Assumption flags that apply to this path (ASSUMED_DEFAULT_NACL, ...), sorted."""
    rules: tuple[str, ...] = field(default=(), compare=False)
    """SG rules that admitted a hop of this path, as ``sg-id#index`` (index into the SG's rules)."""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.blockers)

    @property
    def ok(self) -> bool:
        """True unless unreachable (a conditional path works below its condition)."""
        return self.verdict != "unreachable"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hops"] = [asdict(h) for h in self.hops]
        d["blockers"] = [asdict(b) | {"conditional": b.conditional} for b in self.blockers]
        d["notes"] = list(self.notes)
        d.pop("rules", None)
        return d


def verdict_of(blockers: tuple[Blocker, ...] | list[Blocker]) -> Verdict:
    """'unreachable' if any hard blocker, 'conditional' if only conditional ones, else 'reachable'.

    >>> verdict_of([Blocker("WAF_RATE_BASED_CONDITIONAL", "waf", "")])
    'conditional'
    >>> verdict_of([])
    'reachable'
    """
    if any(not b.conditional for b in blockers):
        return "unreachable"
    return "conditional" if blockers else "reachable"


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Finding:
    """One design problem: stable code, severity, where, what (Japanese) and how to fix it."""

    env: str
    severity: str
    code: str
    resources: tuple[str, ...]
    message: str
    location: str | None = None
    fix: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["resources"] = list(self.resources)
        return d
