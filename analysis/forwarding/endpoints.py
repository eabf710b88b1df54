"""VPC endpoints: gateway endpoints (a prefix-list route) and the way back from them.

AWS (PrivateLink guide, "Gateway endpoints"): a gateway endpoint adds a route for its
service's prefix list to the route tables it is associated with; it carries only traffic
from the VPC's own ENIs (not from peering, VPN, Direct Connect or a TGW:
``VPCE_GATEWAY_SOURCE_NOT_IN_VPC``), over TCP (``VPCE_GATEWAY_PROTOCOL_RESTRICTION``),
and its endpoint policy authorises the request (``VPCE_POLICY_DENIED`` when it denies).
The service answers through the endpoint, which delivers the reply in the VPC.

Interface endpoints are ENIs with security groups in the VPC's subnets: a source in the
endpoint's VPC with private DNS on reaches the service *at* the endpoint (the point
query picks it as the target), and :mod:`analysis.forwarding.balancers` delivers there.
"""

from __future__ import annotations


from analysis.forwarding.routing import ROUTE_TARGETS, deliver_local
from analysis.forwarding.services import arrive_service
from analysis.forwarding.trace import Packet, changed
from analysis.forwarding.walk import Walk, hop
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__: list[str] = []

T = Templates({
    "gateway": N_("ゲートウェイエンドポイント {ep}（{service}）"),
    "foreign_source": N_("ゲートウェイエンドポイント {ep} はVPC内のENIからの通信だけを運ぶ（{via} 経由の通信は不可）"),
    "protocol": N_("ゲートウェイエンドポイント {ep} はTCPだけを運ぶ（{proto} は不可）"),
    "policy": N_("VPCエンドポイント {node} のエンドポイントポリシーが {service} へのリクエストを拒否"),
    "back": N_("ゲートウェイエンドポイント {ep} からVPC {vpc} へ（local ルート）"),
})


def _gateway(w: Walk, p: Packet, vpc: str, ep: str) -> Packet | None:
    spec = w.eg.ix.nodes[ep].endpoint
    h = p.h
    if p.via in ("tgw", "peering", "vgw", "dx") and not w.reply:
        w.block("VPCE_GATEWAY_SOURCE_NOT_IN_VPC", ep, T("foreign_source", ep=ep, via=p.via), w.where(ep))
    if h.proto != "tcp":
        w.block("VPCE_GATEWAY_PROTOCOL_RESTRICTION", ep, T("protocol", ep=ep, proto=h.proto), w.where(ep))
    if spec.policy == "deny":
        w.block("VPCE_POLICY_DENIED", ep, T("policy", node=ep, service=spec.service), w.where(ep, "endpoint", "policy"))
    w.step(ep, "FORWARDED", T("gateway", ep=ep, service=spec.service), w.where(ep, "endpoint"))
    w.move(p, None)
    w.open("gateway-endpoint", ep, vpc)
    service = h.service or spec.service
    arrive_service(w, service, changed(p, at="service", node=service, subnet=None))
    return None


@hop("gateway-endpoint-back")
def gateway_back(w: Walk, p: Packet) -> Packet | None:
    """The service's reply comes back through the gateway endpoint into its VPC."""
    s = w.session("gateway-endpoint", p.node)
    vpc = s[2] if s is not None else w.eg.ix.nodes[p.node].at[w.eg.env].vpc
    if s is not None:
        w.consume(s)
    w.step(p.node, "FORWARDED", T("back", ep=p.node, vpc=vpc), w.where(p.node))
    return deliver_local(w, changed(p, subnet=None, via="endpoint"), vpc)


ROUTE_TARGETS[NodeKind.VPC_ENDPOINT.value] = _gateway
