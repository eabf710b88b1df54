"""Destinations outside the VPCs: AWS service endpoints, the Client VPN endpoint, sites.

* **AWS service endpoints** (S3, SES, ECR, Cognito, CloudWatch, Secrets Manager, ...):
  regional public HTTPS endpoints, TCP 443 only (``SERVICE_PORT_RESTRICTION``). They are
  reached over the internet (an IGW, through NAT or a public IP), through a gateway
  endpoint's prefix-list route (S3, DynamoDB), or at an interface endpoint in the VPC.
* **Client VPN endpoint** (its public side): accepts only its spec's ``transport`` and
  ``vpn_port`` (UDP 443 in the seed), ``CVPN_TRANSPORT_MISMATCH`` otherwise.
* **Sites** (on-premises networks): the path ends at the site's router; what is behind it
  is outside the model.

>>> T("tunnel", transport="UDP 443")
'Client VPN トンネル（UDP 443）'
"""

from __future__ import annotations

from analysis.forwarding.trace import Packet
from analysis.i18n import N_, Templates

__all__ = ["arrive_service", "vpn_transport", "arrive_site"]

T = Templates({
    "cvpn_transport": N_("Client VPNエンドポイントは {transport} でのみ接続を受け付ける（{proto}/{port} は不可）"),
    "cvpn_received": N_("Client VPNエンドポイント（パブリック）が {proto}/{port} を受信"),
    "https_only": N_("{label} のエンドポイントは HTTPS（TCP 443）のみ"),
    "service_received": N_("{label}（{region} のリージョナルHTTPSエンドポイント）"),
    "tunnel": N_("Client VPN トンネル（{transport}）"),
    "site_received": N_("{site}（{dst}、オンプレミスの機器はモデル外）が {proto}/{port} を受信"),
    "site_reply": N_("{site} の送信元が応答を受信"),
})


def vpn_transport(spec) -> str:
    """The endpoint's VPN transport as text, from its spec (e.g. ``UDP 443``)."""
    return f"{spec.transport.upper()} {spec.vpn_port}"


def arrive_service(w, node_id: str, p: Packet) -> None:
    """The request reaches an AWS service's public endpoint (or the Client VPN endpoint)."""
    eg = w.eg
    node = eg.node(node_id)
    region = eg.ix.placement(node_id, eg.env).region or "?"
    h = p.h
    if node.kind.value == "client-vpn":
        spec = node.client_vpn
        if spec is not None and (h.proto != spec.transport or h.port != spec.vpn_port):
            ni = eg.loaded.index_of("nodes", node_id)
            w.block("CVPN_TRANSPORT_MISMATCH", node_id, T("cvpn_transport", transport=vpn_transport(spec),
                                                          proto=h.proto, port=h.port),
                    eg.where("nodes", ni, "client_vpn", "transport"))
        w.step(node_id, "RECEIVED", T("cvpn_received", proto=h.proto, port=h.port))
        w.delivered = p
        return
    if h.proto != "tcp" or h.port != 443:
        w.block("SERVICE_PORT_RESTRICTION", node_id, T("https_only", label=node.label), w.where(node_id))
    w.step(node_id, "RECEIVED", T("service_received", label=node.label, region=region))
    w.delivered = p


def arrive_site(w, site_id: str, p: Packet) -> None:
    """The packet reaches an on-premises site (a request to one of its addresses, or a reply)."""
    site = w.eg.ix.sites.get(site_id)
    name = site.name if site is not None else site_id
    if w.reply:
        w.step(site_id, "RECEIVED", T("site_reply", site=name))
    else:
        w.step(site_id, "RECEIVED", T("site_received", site=name, dst=w.show(p.h.dst), proto=p.h.proto, port=p.h.port))
    w.delivered = p
