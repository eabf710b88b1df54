"""How an actor's request enters the network: from the internet, from an on-premises site
over its connections (Direct Connect, site-to-site VPN), or as a Client VPN client.

Each function returns the first step of :func:`analysis.forwarding.engine.trace_path` (a
packet, or a function of the walk that emits the entry hops and returns one) and the goal
of the reply, or None when the actor cannot be the source of that kind of candidate (an
on-premises actor reaches public addresses only through its own internet access, outside
the model).
"""

from __future__ import annotations

from analysis.forwarding.entry import cvpn_eni, endpoint_graph, from_site, site_connections, through_cvpn, tunnelled
from analysis.forwarding.services import arrive_service
from analysis.forwarding.trace import Header, Packet, Trace
from analysis.graph.build import EnvGraph
from analysis.graph.types import net
from analysis.i18n import N_, Templates
from model.schema import Actor

__all__ = ["actor_entry", "vpn_endpoint", "note_private_path_to_public_alb", "T"]

T = Templates({
    "internet": N_("{label}（インターネット）"),
    "vpn_client": N_("{label}（VPNクライアント {client}）"),
    "onprem": N_("{label}（{site} {src}）"),
    "onprem_internet": N_("{site} のインターネット接続はモデル化されていない。{target} への到達は {site} のインターネット接続"
                       "（回線・プロキシ・ファイアウォール等、モデル外）に依存する"),
    "onprem_internet_hop": N_("{site} のインターネット接続（モデル外）を経由すると仮定"),
    "no_path": N_("{site} から {target} への経路はモデル化されていない"),
    "alb_private": N_("ALB {alb} はインターネット向けで、DNS名はパブリックアドレスに解決される。閉域経路（{path}）で接続するには、"
                   "ALBノードのプライベートIP（変わりうる）を返すプライベートDNS（Route 53 プライベートホストゾーン等）が必要。"
                   "TLS証明書の名前は利用するホスト名に合わせる（INTERNET_FACING_ALB_VIA_PRIVATE_IP）"),
    "path_dx": N_("Direct Connect・TGW"),
    "path_dx_only": N_("Direct Connect"),
    "path_cvpn": N_("Client VPN・TGW"),
    "path_cvpn_only": N_("Client VPN"),
    "path_vpn": N_("サイト間VPN"),
})


def note_private_path_to_public_alb(w, target: str, path: str) -> None:
    """A private path (DX or Client VPN over the TGW) to an internet-facing ALB works only by
    its node private IPs: its DNS name resolves to public addresses (a note, not a blocker)."""
    eg = w.eg
    tnode = eg.ix.nodes.get(target)
    if tnode is None or tnode.alb is None or tnode.alb.scheme != "internet-facing":
        return
    w.note("INTERNET_FACING_ALB_VIA_PRIVATE_IP")
    w.step(target, "NOTE", T("alb_private", alb=target, path=path), eg.where_id("nodes", target, "alb"))


def vpn_endpoint(eg: EnvGraph, a: Actor):
    """The Client VPN endpoint a VPN client actor connects through (the first in its ``via``), or None."""
    via = [eg.ix.nodes[v] for v in a.via if v in eg.ix.nodes and eg.env in eg.ix.nodes[v].at]
    return next((n for n in via if n.client_vpn), None) if a.vpn_client else None


def actor_entry(eg: EnvGraph, t: Trace, a: Actor, target: str, h: Header, mode: str, service: bool):
    """(first step, reply goal) of actor ``a``'s request ``h`` to ``target`` in ``mode``, or None."""
    site = eg.ix.sites.get(a.site)
    loc = eg.where_id("actors", a.id)
    cvpn = vpn_endpoint(eg, a)
    plan = eg.addresses
    if a.vpn_client and cvpn is not None:
        spec = cvpn.client_vpn
        ceg = endpoint_graph(eg, cvpn)
        client = ceg.named(spec.client_cidr)
        t.hop(a.id, "ORIGINATED", T("vpn_client", label=a.label, client=client), loc)
        if target == cvpn.id or not tunnelled(spec, h.dst, mode == "private"):
            # the VPN connection itself, or (split tunnel) a destination outside the pushed routes:
            # the client's own internet connection carries it, not the tunnel
            if target != cvpn.id and spec.split_tunnel is None:
                t.note("SPLIT_TUNNEL_ASSUMED")
            return Packet("internet", "internet", None, None, h), ("internet", h.src)

        def enter(w):
            p = through_cvpn(w, cvpn, h, a)
            # the path names a TGW only where the endpoint's VPC is attached to one
            via_tgw = any(ceg.vpc_of_subnet(s) in ceg.vpc_attachment for s in spec.associated_subnets
                          if s in ceg.subnet_net)
            note_private_path_to_public_alb(w, target, T("path_cvpn" if via_tgw else "path_cvpn_only"))
            return p
        return enter, ("cvpn", cvpn.id, a.id, client, cvpn_eni(ceg, cvpn))
    if site is not None and site.kind == "onprem":
        if mode == "public" and not service:
            return None
        t.hop(a.id, "ORIGINATED", T("onprem", label=a.label, site=site.name, src=h.src), loc)
        if mode == "public":
            # an AWS service's public endpoint: through the site's own internet access, not in the model
            t.block("ONPREM_INTERNET_NOT_MODELED", a.site, T("onprem_internet", site=site.name, target=target),
                    eg.where_id("sites", a.site))
            t.hop(a.site, "NOTE", T("onprem_internet_hop", site=site.name), eg.where_id("sites", a.site))

            def outside(w):
                arrive_service(w, target, Packet("service", target, None, None, h))
                return None
            return outside, ()
        conns = site_connections(eg, a.site, a.via)
        if not conns or service:
            t.block("NO_ROUTE", a.site, T("no_path", site=site.name, target=target), eg.where_id("sites", a.site))
            return (lambda w: None), ()

        def enter_site(w):
            p = from_site(w, conns, h)
            kind = eg.ix.nodes[conns[0]]
            path = ("path_dx" if kind.dx_gateway.tgw else "path_dx_only") if kind.dx_gateway else "path_vpn"
            note_private_path_to_public_alb(w, target, T(path))
            return p
        return enter_site, ("site", a.site)
    t.hop(a.id, "ORIGINATED", T("internet", label=a.label), loc)
    if mode != "public":
        return None
    return Packet("internet", "internet", None, None, h, via="" if service else "origin"), ("internet", plan.internet)
