"""References that must name a node of a particular kind (E058).

E050 says a referenced node exists; this says it is something the reference can be. A VPN
connection ends at a Transit Gateway or a virtual private gateway and at a customer gateway;
a TGW route table belongs to a TGW and lists its attachments (VPC attachments, VPN
connections, Direct Connect gateways); a DX gateway associates with a TGW or VGWs; a WAF web
ACL protects an ALB, an API Gateway or a CloudFront distribution; an intent's target is a node
(reachability answers for nodes and addresses, not for the people an actor stands for).
Without this check a NAT gateway named as a VPN's gateway validates, the analysis treats it
as a VGW and the CloudFormation export writes ``VpnGatewayId: !Ref NatGateway``.
"""

from __future__ import annotations

from typing import Iterator

from model.rules.registry import Ctx, RuleHit, rule
from model.schema import NodeKind

__all__: list[str] = []

K = NodeKind
_TGW_ATTACHMENTS = (K.TGW_ATTACHMENT, K.VPN_CONNECTION, K.DX_GATEWAY)


def _references(c: Ctx) -> Iterator[tuple[tuple, str, tuple[NodeKind, ...], str]]:
    """(path, node id, the kinds it may have, what the reference is) for every kind-bound reference."""
    for i, x in enumerate(c.m.nodes):
        p = ("nodes", i)
        if x.vpn is not None:
            yield p + ("vpn", "gateway"), x.vpn.gateway, (K.TGW, K.VGW), "the gateway of a VPN connection"
            yield (p + ("vpn", "customer_gateway"), x.vpn.customer_gateway, (K.CUSTOMER_GATEWAY,),
                   "the customer gateway of a VPN connection")
        if x.dx_gateway is not None:
            if x.dx_gateway.tgw:
                yield p + ("dx_gateway", "tgw"), x.dx_gateway.tgw, (K.TGW,), "the TGW of a Direct Connect gateway"
            for j, v in enumerate(x.dx_gateway.vgws):
                yield p + ("dx_gateway", "vgws", j), v, (K.VGW,), "a VGW of a Direct Connect gateway"
        if x.tgw_attachment is not None and x.tgw_attachment.tgw:
            yield p + ("tgw_attachment", "tgw"), x.tgw_attachment.tgw, (K.TGW,), "the TGW of an attachment"
        if x.waf is not None:
            yield (p + ("waf", "protects"), x.waf.protects, (K.ALB, K.API_GATEWAY, K.CLOUDFRONT),
                   "what a WAF web ACL protects")
    for i, t in enumerate(c.m.tgw_route_tables):
        p = ("tgw_route_tables", i)
        yield p + ("tgw",), t.tgw, (K.TGW,), "the TGW of a TGW route table"
        for key in ("associations", "propagations"):
            for j, a in enumerate(getattr(t, key)):
                yield p + (key, j), a, _TGW_ATTACHMENTS, f"a TGW route table's {key[:-1]}"
        for j, r in enumerate(t.routes):
            if r.attachment:
                yield p + ("routes", j, "attachment"), r.attachment, _TGW_ATTACHMENTS, "a TGW route's attachment"


@rule("E058", "a reference names a node of a kind it can be (a VPN's gateway: tgw or vgw; a TGW route table's "
              "attachments: tgw-attachment, vpn-connection or dx-gateway; a WAF protects an alb, api-gateway "
              "or cloudfront; an intent's target: a node, not an actor; ...)")
def reference_kinds(c: Ctx) -> Iterator[RuleHit]:
    for path, ident, kinds, what in _references(c):
        node = c.get("nodes", ident)
        if node is not None and node.kind not in kinds:  # an unknown id is E050's
            allowed = " or ".join(k.value for k in kinds)
            yield path, f"{what} must be a node of kind {allowed}; '{ident}' is of kind {node.kind.value}"
    for i, it in enumerate(c.m.intents):
        if c.get("nodes", it.target) is None and c.get("actors", it.target) is not None:
            yield (("intents", i, "target"), f"an intent's target must be a node (reachability answers for nodes "
                                             f"and addresses); '{it.target}' is an actor")
