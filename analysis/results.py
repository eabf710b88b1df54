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

__all__ = ["Hop", "Blocker", "ReachResult", "Finding", "SEVERITIES", "Verdict", "ACTIONS", "BLOCKER_CODES",
           "NOTE_CODES", "CONDITIONAL_CODES", "HARD_CODES", "verdict_of"]

Verdict = Literal["reachable", "unreachable", "conditional"]

ACTIONS = ("ORIGINATED", "FORWARDED", "PERMITTED", "TRANSFORMED", "MATCHED_SESSION", "RECEIVED", "NOTE")
"""Hop actions (Batfish StepAction names; MATCHED_SESSION: a stateful hop admits a reply by the
session its request set up; NOTE carries an assumption flag on the path)."""

BLOCKER_CODES: dict[str, tuple[bool, str]] = {
    # code: (conditional?, the AWS behaviour it stands for)
    "NO_ROUTE": (False, "no route table entry (longest prefix) takes the packet towards its destination"),
    "NULL_ROUTED": (False, "the matching TGW route is a blackhole route"),
    "LOOP": (False, "the packet comes back to a place it has been with the same header (or exceeds 64 hops)"),
    "IGW_PRIVATE_DESTINATION": (False, "an internet gateway routes public destinations only, not private or special-purpose ones"),
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": (False, "a peering connection carries only packets from its VPC to the peer VPC (not transitive)"),
    "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS": (False, "a virtual private gateway sends only traffic from its own VPC's ENIs"),
    "VPCE_GATEWAY_SOURCE_NOT_IN_VPC": (False, "a gateway endpoint carries only traffic from its own VPC's ENIs"),
    "VPCE_GATEWAY_PROTOCOL_RESTRICTION": (False, "a gateway endpoint carries TCP only"),
    "VPCE_POLICY_DENIED": (False, "the VPC endpoint's policy denies the request"),
    "FIREWALL_RULES_RESTRICTION": (False, "a Network Firewall rule (or default action) drops the packet"),
    "FIREWALL_ASYMMETRIC_ROUTING": (False, "a stateful firewall endpoint sees only one direction of the flow"),
    "SG_EGRESS_DENIED": (False, "no outbound rule of the source's security groups admits the packet"),
    "SG_INGRESS_DENIED": (False, "no inbound rule of the destination's security groups admits the packet"),
    "NACL_DENIED": (False, "a subnet's network ACL denies the packet where it enters or leaves the subnet"),
    "NO_PUBLIC_ADDRESS": (False, "an IGW path needs a public IP (or EIP) on the ENI; it has none"),
    "NO_RETURN_PATH": (False, "the reply cannot come back (no route back the way it came, or a stateless NACL drops it)"),
    "LISTENER_PORT_MISMATCH": (False, "the load balancer has no listener on the protocol and port"),
    "TARGET_UNREACHABLE": (False, "the load balancer reaches none of its listener's targets"),
    "ALB_INTERNAL_SCHEME": (False, "an internal load balancer has no public address"),
    "WAF_GEO_BLOCKED": (False, "a WAF geo-match rule blocks the source's country (private addresses are country XX)"),
    "WAF_DEFAULT_ACTION_BLOCK": (False, "the web ACL's default action blocks and no rule allows the request"),
    "CVPN_AUTHORIZATION_RULE_MISSING": (False, "no Client VPN authorization rule covers the destination"),
    "CVPN_ROUTE_MISSING": (False, "no Client VPN route covers the destination"),
    "CVPN_TRANSPORT_MISMATCH": (False, "the Client VPN endpoint accepts only its transport protocol and VPN port"),
    "DXGW_ALLOWED_PREFIX_RESTRICTION": (False, "the Direct Connect gateway's allowed prefixes do not cover the destination"),
    "TGW_RTB_NO_ROUTE": (False, "the TGW route table associated with the ingress attachment has no route"),
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": (False, "the TGW attachment is associated with no TGW route table"),
    "TGW_ROUTE_AZ_RESTRICTION": (False, "the TGW attachment has no subnet in the AZ of the source or destination"),
    "NAT_INBOUND_NOT_ALLOWED": (False, "a NAT gateway accepts no connection started from outside"),
    "NGW_REQUIRES_SOURCE_IN_VPC": (False, "a NAT gateway translates only sources in its own VPC"),
    "SERVICE_PORT_RESTRICTION": (False, "an AWS service endpoint answers HTTPS (TCP 443) only"),
    "PORT_NOT_LISTENING": (False, "the database, cache or file system listens on another port (its spec's, or its engine's default)"),
    "NAMED_CIDR_UNDEFINED": (False, "a named CIDR on the path has no value in this environment"),
    "DISCONNECTED": (False, "the source has no way at all towards the target in the model"),
    "UNKNOWN_ENDPOINT": (False, "an intent names a source or target that is not a network endpoint there"),
    "WAF_RATE_BASED_CONDITIONAL": (True, "a WAF rate-based rule blocks a source above its request rate"),
    "WAF_GEO_UNDETERMINED": (True, "a WAF geo-match rule applies and the source's country is not in the model"),
    "AZ_DEPENDENT": (True, "the path works from some AZs of the source and not from others"),
    "NACL_EPHEMERAL_PARTIAL": (True, "a stateless NACL admits the reply on part of the client's ephemeral ports only"),
    "ONPREM_INTERNET_NOT_MODELED": (True, "the path uses an on-premises site's own internet access, outside the model"),
}
"""Every blocker code with whether it only conditions the path, and what it stands for."""

NOTE_CODES: dict[str, str] = {
    "ASSUMED_DEFAULT_NACL": "a subnet on the path has no NACL in the model: the default NACL (allow all) is assumed",
    "ASSUMED_MAIN_ROUTE_TABLE": "a subnet on the path has no route table association and its VPC names no main route table: AWS's default main route table (local route only) is used",
    "CVPN_SNAT_SOURCE_IS_ENI": "Client VPN translates the client address to its ENI address before the VPC",
    "DXGW_PRIVATE_VIF_ASSUMED_TRANSIT": "the model names a private VIF; the DX gateway is analysed as associated with the TGW",
    "INTERNET_FACING_ALB_VIA_PRIVATE_IP": "a private path to an internet-facing ALB needs its private IPs (private DNS)",
    "SPLIT_TUNNEL_ASSUMED": "split tunnel is not stated and no route covers 0.0.0.0/0: a destination outside the Client VPN routes uses the client's own internet",
}
"""Assumption flags a path may carry (they change no verdict)."""

HARD_CODES = tuple(c for c, (cond, _) in BLOCKER_CODES.items() if not cond)
"""Codes that make a path unreachable."""

CONDITIONAL_CODES = tuple(c for c, (cond, _) in BLOCKER_CODES.items() if cond)
"""Codes that make a path conditional: it works until a condition outside the model holds."""


@dataclass(frozen=True, order=True)
class Hop:
    """One step of a path: which component did what, why, and where that is written."""

    node: str
    action: str
    reason: str
    location: str | None = None
    direction: str = "forward"
    """``forward`` (the request) or ``reply`` (the response, traced back by the same engine)."""


@dataclass(frozen=True, order=True)
class Blocker:
    """One setting that stops (or conditions) the path, with its stable code."""

    code: str
    node: str
    message: str
    location: str | None = None

    @property
    def conditional(self) -> bool:
        return BLOCKER_CODES[self.code][0]


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
    source_address: str = field(default="", compare=False)
    """The source address of the request (a CIDR: a node's subnet range or its IP, a site's CIDR,
    or the internet's witness address)."""
    target_address: str = field(default="", compare=False)
    """The destination address of the request (a private or public address of the target)."""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.blockers)

    @property
    def ok(self) -> bool:
        """True unless unreachable (a conditional path works below its condition)."""
        return self.verdict != "unreachable"

    @property
    def front_leg_ok(self) -> bool:
        """True if the request arrives, even when a load balancer on the way then reaches none of
        its targets (``TARGET_UNREACHABLE``: the client's connection ends at the balancer, which
        answers 503; the rules that let it in are used, and the cause is the target side)."""
        return self.ok or all(b.code == "TARGET_UNREACHABLE" for b in self.blockers if not b.conditional)

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
