"""The internet, internet gateways and NAT gateways.

* ``igw-out``: an internet gateway translates a private address 1:1 to the public address
  of the same ENI (IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: no public IP, no internet), and
  passes a source that NAT already made public. It routes only public destinations: a
  private or special-purpose destination (RFC 1918, RFC 6598, link-local, ...) is dropped
  (``IGW_PRIVATE_DESTINATION``), as AWS does.
* ``internet``: a public address belongs to an ENI of the model (routed to its VPC's IGW),
  to an AWS service endpoint, or to some host of the internet.
* ``igw-in``: the IGW translates a public address back to the private address of the ENI
  behind it (IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: no public address, no way in; an
  internal load balancer has none), then the VPC delivers it locally.
* ``nat``: a NAT gateway translates the source of a new connection from its own VPC
  (traffic from a TGW attachment counts: centralised egress; from peering, VPN or Direct
  Connect it does not: ``NGW_REQUIRES_SOURCE_IN_VPC``) to its EIP, then its subnet's route
  table takes over. A reply is translated back by the session; a reply routed to a NAT
  gateway its request did not use cannot come back (the client would see another address).
"""

from __future__ import annotations


from analysis.forwarding.services import arrive_service, arrive_site
from analysis.forwarding.trace import EPHEMERAL_WIDE, Packet, changed
from analysis.forwarding.walk import Walk, hop
from analysis.graph.addresses import is_public
from analysis.graph.types import net
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["enter_igw"]

T = Templates({
    "internet": N_("インターネット"),
    "no_igw": N_("VPC {vpc} にInternet Gatewayがない"),
    "internal": N_("内部{kind}はインターネットから到達できない"),
    "no_public_in": N_("{node} にパブリックアドレスがない（IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS）"),
    "dnat": N_("IGW: 宛先 パブリックIP {public} → プライベートIP {private}（1:1 NAT）"),
    "snat": N_("IGW: 送信元 プライベートIP {private} → パブリックIP {public}（1:1 NAT）"),
    "pass": N_("IGW {igw}: 送信元 {src} のままインターネットへ"),
    "no_public_out": N_("{node} にパブリックIPがなく、IGW経由で送信できない（IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS）"),
    "no_eip": N_("NAT {node} にEIPがない"),
    "foreign_source": N_("送信元 {src} はVPC {vpc} のENIのアドレスではなく、IGWは変換しない（IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS）"),
    "private_dst": N_("宛先 {dst} はパブリックアドレスではなく、Internet Gatewayはインターネットへ送らない"
                   "（IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS）"),
    "nowhere": N_("インターネット上に {dst} の宛先がモデルにない"),
    "host": N_("インターネット上のホスト {dst} が {proto}/{port} を受信"),
    "actor_reply": N_("インターネット上の送信元 {dst} が応答を受信"),
    "nat_snat": N_("SNAT: 送信元 {src} → NAT {node} のEIP"),
    "nat_private_snat": N_("SNAT: 送信元 {src} → NAT {node} のプライベートIP"),
    "nat_back": N_("SNATの逆変換: 宛先 NAT {node} → {dst}"),
    "nat_stray_plain": N_("{node} には往路のセッションがない"),
    "stray": N_("応答が戻れない: {message}"),
    "nat_inbound": N_("NAT Gatewayは外から始まる接続を受け付けない"),
    "cvpn_back": N_("応答: 宛先 ENIアドレス → VPNクライアント {client}"),
    "cvpn_received": N_("{actor} が応答を受信"),
})


@hop("internet")
def internet(w: Walk, p: Packet) -> Packet | None:
    h, plan = p.h, w.plan
    if p.via != "origin":
        w.step("internet", "FORWARDED", T("internet"))
    if h.service is not None and not w.reply:
        arrive_service(w, h.service, p)
        return None
    owner = plan.owner.get(h.dst)
    if owner is not None:
        return enter_igw(w, p, owner)
    if w.reply and w.goal[:1] == ("internet",) and h.dst == w.goal[1]:
        w.step("internet", "RECEIVED", T("actor_reply", dst=w.show(h.dst)))
        w.delivered = p
        return None
    site = next((s for s in w.eg.ix.model.sites if w.eg.env in s.envs and s.kind == "onprem"
                 and any(h.dst.subnet_of(net(c)) for c in s.cidrs)), None)
    if site is not None:
        arrive_site(w, site.id, p)
        return None
    if not w.reply and w.goal[:1] == ("internet",) and h.dst == w.goal[1]:
        w.step("internet", "RECEIVED", T("host", dst=w.show(h.dst), proto=h.proto, port=h.port))
        w.delivered = p
        return None
    w.block("NO_ROUTE", "internet", T("nowhere", dst=w.show(h.dst)))
    return None


def enter_igw(w: Walk, p: Packet, owner) -> Packet | None:
    """The internet hands a packet for ``owner``'s public address to the IGW of its VPC (in
    another environment of the scope when that environment owns the address)."""
    if owner.vpc not in w.eg.vpc_net and w.eg.scope is not None:
        other = w.eg.scope.env_of_vpc(owner.vpc)
        if other is not None:
            w.enter(other)
    igw = w.eg.igw_of_vpc(owner.vpc)
    if igw is None:
        w.block("NO_ROUTE", owner.vpc, T("no_igw", vpc=owner.vpc), w.eg.where_id("vpcs", owner.vpc))
        return None
    return Packet("igw-in", igw, None, None, p.h, owner, via="igw")


@hop("igw-in")
def igw_in(w: Walk, p: Packet) -> Packet | None:
    owner, plan = p.sender, w.plan
    node = w.eg.node(owner.node)
    lb = node.alb or node.nlb
    if not w.reply:
        if lb is not None and lb.scheme == "internal":
            w.block("ALB_INTERNAL_SCHEME", owner.node, T("internal", kind="ALB" if node.alb else "NLB"),
                    w.where(owner.node, "alb" if node.alb else "nlb"))
        elif owner not in plan.has_public:
            w.block("NO_PUBLIC_ADDRESS", owner.node, T("no_public_in", node=owner.node), w.where(owner.node))
    w.step(p.node, "TRANSFORMED", T("dnat", public=w.show(p.h.dst), private=owner.net), w.where(p.node))
    h = changed(p.h, dst=owner.net)
    nxt = Packet("nat" if node.kind is NodeKind.NAT_GATEWAY else "eni-in", owner.node, None, None, h, p.sender,
                 via="igw")
    w.move(nxt, owner.subnet)
    return changed(nxt, subnet=owner.subnet, az=owner.az, sender=None)


@hop("igw-out")
def igw_out(w: Walk, p: Packet) -> Packet | None:
    h, s, plan = p.h, p.sender, w.plan
    vpc = w.eg.ix.nodes[p.node].at[w.eg.env].vpc
    if is_public(h.src):
        w.step(p.node, "FORWARDED", T("pass", igw=p.node, src=w.show(h.src)), w.where(p.node))
    else:
        if s is None or s.vpc != vpc:
            w.block("NO_PUBLIC_ADDRESS", p.node, T("foreign_source", src=w.show(h.src), vpc=vpc), w.where(p.node))
        elif w.eg.node(s.node).kind is NodeKind.NAT_GATEWAY:
            w.block("NO_PUBLIC_ADDRESS", s.node, T("no_eip", node=s.node), w.where(s.node))
        elif s not in plan.has_public and not w.reply:
            w.block("NO_PUBLIC_ADDRESS", s.node, T("no_public_out", node=s.node), w.where(s.node))
        if s is not None and s in plan.public:
            h = changed(h, src=plan.public[s], src_sgs=())
        w.step(p.node, "TRANSFORMED", T("snat", private=w.show(p.h.src), public=w.show(h.src)), w.where(p.node))
    if not is_public(h.dst):
        w.block("IGW_PRIVATE_DESTINATION", p.node, T("private_dst", dst=w.show(h.dst)),
                p.route.location if p.route is not None else w.where(p.node))
        return None
    return Packet("internet", "internet", None, None, h)


@hop("nat")
def nat(w: Walk, p: Packet) -> Packet | None:
    eni = w.eg.enis[p.node][0]
    h, plan = p.h, w.plan
    public = plan.public[eni] if eni in plan.has_public else None
    if w.reply:
        s = w.session("nat", p.node)
        if s is None or h.dst not in (public, eni.net):
            w.block("NO_RETURN_PATH", p.node, T("stray", message=T("nat_stray_plain", node=p.node)), w.where(p.node))
            return None
        w.consume(s)
        _, _, src, eph = s
        w.step(p.node, "TRANSFORMED", T("nat_back", node=p.node, dst=w.show(src)), w.where(p.node))
        return Packet("router", p.node, eni.subnet, eni.az, changed(h, dst=src, eph=eph), p.sender, via="nat")
    if h.dst in (public, eni.net):
        w.block("NAT_INBOUND_NOT_ALLOWED", p.node, T("nat_inbound"), w.where(p.node))
        return None
    w.step(p.node, "TRANSFORMED", T("nat_snat" if public is not None else "nat_private_snat", src=w.show(h.src),
                                    node=p.node), w.where(p.node))
    w.open("nat", p.node, h.src, h.eph)
    h2 = changed(h, src=public if public is not None else eni.net, eph=EPHEMERAL_WIDE, src_sgs=())
    return Packet("router", p.node, eni.subnet, eni.az, h2, eni, via="nat")


@hop("cvpn-in")
def cvpn_in(w: Walk, p: Packet) -> Packet | None:
    """A reply reaches the Client VPN ENI: the session translates it back to the VPN client."""
    _, cvpn, actor, client, _eni = w.goal
    s = w.session("cvpn", cvpn)
    if s is not None:
        w.consume(s)
    w.step(cvpn, "TRANSFORMED", T("cvpn_back", client=client))
    w.step(actor, "RECEIVED", T("cvpn_received", actor=actor))
    w.delivered = p
    return None
