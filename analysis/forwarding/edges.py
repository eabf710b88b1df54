"""VPC peering, virtual private gateways, site-to-site VPN and Direct Connect.

* **Peering** (VPC Peering guide, "VPC peering basics"): a route sends the packet to the
  peering connection, which carries it only when its source is inside the sending VPC and
  its destination inside the peer VPC (``PCX_REQUIRES_ADDRESS_IN_VPC_CIDR``): peering is
  not transitive and allows no edge-to-edge routing (no use of the peer's IGW, NAT, VPN,
  DX or gateway endpoint). The peer VPC delivers locally; its own route table must route
  the reply back (the reply is traced like any packet).
* **Virtual private gateway** (Site-to-Site VPN guide, "How AWS Site-to-Site VPN works"):
  outbound, only traffic from the VPC's own ENIs leaves through it
  (``VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS``), to the VPN connection or DX gateway whose
  on-premises prefixes cover the destination; inbound, it delivers to the VPC locally.
* **VPN connection** and **Direct Connect gateway** towards the site: the packet reaches
  the on-premises network when the site's CIDRs contain its destination.
"""

from __future__ import annotations


from analysis.forwarding.routing import ROUTE_TARGETS, deliver_local
from analysis.forwarding.services import arrive_site
from analysis.forwarding.trace import Packet, changed
from analysis.forwarding.walk import Walk, hop
from analysis.graph.types import net
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["site_prefixes", "connection_site"]

T = Templates({
    "pcx_foreign": N_("ピアリング接続 {pcx} はVPC {vpc} に接続していない"),
    "pcx_transit": N_("ピアリング接続 {pcx} は送信元がVPC {vpc}（{own}）内、宛先がVPC {peer}（{peer_net}）内の通信だけを運ぶ。"
                   "{src} → {dst} は運ばれない（推移的ルーティング・エッジ間ルーティング不可）"),
    "pcx": N_("VPCピアリング {pcx}: VPC {vpc} → VPC {peer}"),
    "vgw_foreign": N_("仮想プライベートゲートウェイ {vgw} はVPC {vpc} にアタッチされていない"),
    "vgw_transit": N_("仮想プライベートゲートウェイ {vgw} はVPC内のENIから送られた通信だけを送る（{via} 経由の通信は不可）"),
    "vgw": N_("仮想プライベートゲートウェイ {vgw} → {conn}"),
    "vgw_no_conn": N_("仮想プライベートゲートウェイ {vgw} のどの接続（VPN・Direct Connect）も {dst} を運ばない"),
    "vgw_in": N_("仮想プライベートゲートウェイ {vgw} からVPC {vpc} へ（local ルート）"),
    "vgw_not_vpc": N_("{dst} はVPC {vpc} のアドレスではない（VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS）"),
    "dx": "Direct Connect {dx} → {site}",
    "vpn": N_("サイト間VPN {vpn}（トンネル {tunnels} 本）→ {site}"),
    "not_at_site": N_("{site} のCIDR（{cidrs}）に {dst} が含まれない"),
})


def connection_site(eg, conn: str) -> str | None:
    """The on-premises site behind a DX gateway or VPN connection."""
    node = eg.ix.nodes.get(conn)
    if node is None:
        return None
    if node.dx_gateway is not None:
        return node.dx_gateway.site
    if conn in eg.links.vpns:
        return eg.links.vpns[conn][2] or None
    return None


def site_prefixes(eg, site_id: str | None):
    site = eg.ix.sites.get(site_id) if site_id else None
    return [net(c) for c in (site.cidrs if site else ())]


def _peering(w: Walk, p: Packet, vpc: str, pcx: str) -> Packet | None:
    eg, h = w.eg, p.h
    pair = eg.links.peerings.get(pcx)
    if pair is None or vpc not in pair:
        w.block("NO_ROUTE", p.subnet, T("pcx_foreign", pcx=pcx, vpc=vpc), p.route.location)
        return None
    peer = pair[1] if pair[0] == vpc else pair[0]
    own, other = eg.vpc_net.get(vpc), eg.vpc_net.get(peer)
    if own is None or other is None or not h.src.subnet_of(own) or not h.dst.subnet_of(other):
        w.block("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pcx, T("pcx_transit", pcx=pcx, vpc=vpc, own=own, peer=peer,
                                                            peer_net=other, src=w.show(h.src), dst=w.show(h.dst)),
                p.route.location)
        return None
    w.step(pcx, "FORWARDED", T("pcx", pcx=pcx, vpc=vpc, peer=peer), w.where(pcx))
    w.move(p, None)
    return deliver_local(w, changed(p, subnet=None, via="peering"), peer)


def _connections_of_vgw(eg, vgw: str) -> list[str]:
    out = [v for v, (_, gw, _) in eg.links.vpns.items() if gw == vgw]
    out += [dx for dx, vgws in eg.links.dx_vgws.items() if vgw in vgws]
    return out


def _vgw(w: Walk, p: Packet, vpc: str, vgw: str) -> Packet | None:
    eg, h = w.eg, p.h
    if eg.links.vgw_of_vpc.get(vpc) != vgw:
        w.block("NO_ROUTE", p.subnet, T("vgw_foreign", vgw=vgw, vpc=vpc), p.route.location)
        return None
    if p.via in ("tgw", "peering", "vgw", "igw") and not w.reply:
        w.block("VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS", vgw, T("vgw_transit", vgw=vgw, via=p.via), w.where(vgw))
    conns = _connections_of_vgw(eg, vgw)
    conn = next((c for c in conns if any(h.dst.subnet_of(x) for x in site_prefixes(eg, connection_site(eg, c)))), None)
    if conn is None:
        w.block("NO_ROUTE", vgw, T("vgw_no_conn", vgw=vgw, dst=w.show(h.dst)), w.where(vgw))
        return None
    w.move(p, None)
    w.step(vgw, "FORWARDED", T("vgw", vgw=vgw, conn=conn), w.where(vgw))
    kind = "dx-out" if eg.ix.nodes[conn].dx_gateway is not None else "vpn-out"
    return Packet(kind, conn, None, None, h, p.sender, via="vgw")


@hop("vgw-in")
def vgw_in(w: Walk, p: Packet) -> Packet | None:
    """From on-premises into the VGW's VPC: delivered by the local route."""
    eg = w.eg
    vpc = eg.ix.nodes[p.node].at[eg.env].vpc
    if vpc not in eg.vpc_net or not p.h.dst.subnet_of(eg.vpc_net[vpc]):
        w.block("NO_ROUTE", p.node, T("vgw_not_vpc", dst=w.show(p.h.dst), vpc=vpc), w.where(p.node))
        return None
    w.step(p.node, "FORWARDED", T("vgw_in", vgw=p.node, vpc=vpc), w.where(p.node))
    return deliver_local(w, changed(p, subnet=None, via="vgw"), vpc)


def _to_site(w: Walk, p: Packet, key: str, **values) -> Packet | None:
    eg = w.eg
    site = connection_site(eg, p.node)
    name = eg.ix.sites[site].name if site in eg.ix.sites else site
    w.step(p.node, "FORWARDED", T(key, site=name, **values), w.where(p.node))
    prefixes = site_prefixes(eg, site)
    if not any(p.h.dst.subnet_of(x) for x in prefixes):
        w.block("NO_ROUTE", p.node, T("not_at_site", site=name, cidrs=", ".join(map(str, prefixes)),
                                      dst=w.show(p.h.dst)), eg.where_id("sites", site) if site else None)
        return None
    arrive_site(w, site, p)
    return None


@hop("dx-out")
def dx_out(w: Walk, p: Packet) -> Packet | None:
    return _to_site(w, p, "dx", dx=p.node)


@hop("vpn-out")
def vpn_out(w: Walk, p: Packet) -> Packet | None:
    spec = w.eg.ix.nodes[p.node].vpn
    return _to_site(w, p, "vpn", vpn=p.node, tunnels=spec.tunnels)


ROUTE_TARGETS[NodeKind.VPC_PEERING.value] = _peering
ROUTE_TARGETS[NodeKind.VGW.value] = _vgw
