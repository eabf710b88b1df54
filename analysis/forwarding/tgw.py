"""Transit Gateway: attachment, association, TGW route table, and the attachment subnet.

AWS (Transit Gateway guide, "How transit gateways work", "Transit gateway attachments to
a VPC", "Appliance in a shared services VPC"):

1. A subnet routes to the TGW; the packet reaches it only through the VPC attachment's
   subnet in the *sender's* AZ (``TGW_ROUTE_AZ_RESTRICTION``). Entering the attachment
   subnet from another subnet is checked by that subnet's inbound NACL.
2. The route table *associated with the ingress attachment* is looked up (none:
   ``TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION``; no route: ``TGW_RTB_NO_ROUTE``; blackhole:
   ``NULL_ROUTED``), longest prefix first, static before propagated.
3. To a VPC attachment: the packet leaves by the attachment's ENI in the AZ where it
   entered the TGW (a packet from Direct Connect or VPN has none: the destination's AZ), or
   another AZ if the attachment has no subnet there. With **appliance mode** the TGW keeps
   both directions of a flow on one ENI: the reply is sent to the ENI the request used.
   Then **that attachment subnet's route table** takes over (local, an appliance, a NAT
   gateway, a firewall endpoint: inspection and egress VPCs work this way); leaving the
   attachment subnet is checked by its outbound NACL.
4. To a Direct Connect gateway or VPN attachment: the packet goes on-premises.
5. A TGW shared by several environments (one resource in a network account,
   :mod:`analysis.graph.scope`): every environment's route tables of it are one set; a route
   to another environment's VPC attachment takes the packet into that environment, where its
   attachment subnet's route table takes over.

The TGW keeps no connection state: the reply is looked up in the table associated with
*its* ingress attachment.
"""

from __future__ import annotations

from analysis.forwarding.nacl import attachment_subnet
from analysis.forwarding.routing import ROUTE_TARGETS
from analysis.forwarding.trace import Packet
from analysis.forwarding.walk import Walk, hop
from analysis.graph.filters import lookup
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["attachment_of", "associated_table"]

T = Templates({
    "no_attachment": N_("VPC {vpc} にTGW {tgw} のアタッチメントがない"),
    "az": N_("{az} にアタッチメントのサブネットがなく、{node} はTGWに届かない"),
    "attach": N_("TGWアタッチメント {att}（{azs}）"),
    "no_assoc": N_("{att} に関連付けられたTGWルートテーブルがない"),
    "no_route": N_("TGWルートテーブル {rt} に {dst} へのルートがない"),
    "blackhole": N_("TGWルートテーブル {rt} の {net} はブラックホール"),
    "route": N_("TGWルートテーブル {rt}: {net} → {target}（{origin}）"),
    "unknown_target": N_("{target} はこの環境のTGWアタッチメントではない"),
    "cross": N_("共有TGW {tgw} のルートテーブル {rt}（{ingress} が関連付け）から環境 {env} のアタッチメント {att} へ（環境をまたぐ）"),
    "egress": N_("アタッチメント {att} からVPC {vpc} へ（{subnet}, {az}）"),
    "appliance": N_("アタッチメント {att} からVPC {vpc} へ（{subnet}, {az}、アプライアンスモード: 往路と同じENI）"),
})


def attachment_of(eg, vpc: str, tgw: str) -> str | None:
    """The attachment of ``vpc`` to ``tgw`` (the first in model order), if any."""
    for att, subnets in eg.attachments.items():
        if subnets and eg.vpc_of_subnet(subnets[0]) == vpc and eg.links.att_tgw.get(att, tgw) == tgw:
            return att
    return None


def associated_table(eg, att: str):
    """The TGW route table associated with attachment ``att``, if any."""
    return next((r for r in eg.tgw_rts.values() if att in r.associations), None)


def _to_tgw(w: Walk, p: Packet, vpc: str, tgw: str) -> Packet | None:
    eg = w.eg
    att = attachment_of(eg, vpc, tgw)
    if att is None:
        w.block("NO_ROUTE", p.subnet, T("no_attachment", vpc=vpc, tgw=tgw), p.route.location)
        return None
    az = eg.subnet_az[p.subnet]
    azs = eg.attachment_azs(att)
    if az not in azs:
        who = p.sender.node if p.sender is not None else p.subnet
        w.block("TGW_ROUTE_AZ_RESTRICTION", att, T("az", az=az, node=who), w.where(att))
    w.step(att, "FORWARDED", T("attach", att=att, azs=", ".join(azs)), w.where(att))
    asub = attachment_subnet(eg, att, az)
    w.move(p, asub)  # into the attachment subnet (its inbound NACL), not out of it towards the TGW
    return p.to("tgw", tgw, subnet=None, az=az, via=att)


def _egress_subnet(w: Walk, att: str, az: str | None) -> str:
    """The attachment ENI the TGW sends to: same AZ, else the destination's AZ, else the first."""
    eg = w.eg
    subnets = eg.attachments[att]
    by_az = {eg.subnet_az[s]: s for s in reversed(subnets)}
    dest = w.target if not w.reply else (w.goal[1] if w.goal[:1] == ("eni",) else None)
    for choice in (az, dest.az if dest is not None else None):
        if choice in by_az:
            return by_az[choice]
    return subnets[0]


def _crossing_location(eg, rt, ingress: str, other: str, loc):
    """Where a crossing into environment ``other`` is decided: the association of the ingress
    attachment when the table is the other environment's (a table shared by both), else the route."""
    i = eg.loaded.index_of("tgw_route_tables", rt.id)
    table = eg.ix.model.tgw_route_tables[i] if i is not None else None
    if table is None or table.env != other or eg.scope.attachment_env(ingress) in (None, other):
        return loc
    return eg.where("tgw_route_tables", i, "associations", table.associations.index(ingress))


def _into_vpc(w: Walk, p: Packet, att: str, loc, rt=None) -> Packet | None:
    eg = w.eg
    if not eg.attachments.get(att):
        other = eg.scope.attachment_env(att) if eg.scope is not None and p.node in eg.scope.shared_tgws else None
        if other is None:
            w.block("TGW_RTB_NO_ROUTE", p.node, T("unknown_target", target=att), loc)
            return None
        w.step(p.node, "FORWARDED", T("cross", tgw=p.node, rt=rt.id, ingress=p.via, env=other, att=att),
               _crossing_location(eg, rt, p.via, other, loc))
        eg = w.enter(other)  # the shared TGW delivers into the other environment's VPC
    vpc = eg.vpc_of_subnet(eg.attachments[att][0])
    key = "egress"
    if att in eg.links.appliance_mode:
        s = w.session("appliance", att)
        if w.reply and s is not None:
            w.consume(s)
            sub, key = s[2], "appliance"
        else:
            sub = _egress_subnet(w, att, p.az)
            if not w.reply:
                w.open("appliance", att, sub)
    else:
        sub = _egress_subnet(w, att, p.az)
    az = eg.subnet_az[sub]
    w.step(att, "FORWARDED", T(key, att=att, vpc=vpc, subnet=sub, az=az), w.where(att))
    # from the TGW into its attachment ENI: no NACL; the attachment subnet's route table takes over
    return Packet("router", att, sub, az, p.h, p.sender, via="tgw")


@hop("tgw")
def tgw(w: Walk, p: Packet) -> Packet | None:
    eg = w.eg
    ingress = p.via
    rt = associated_table(eg, ingress)
    if rt is None:
        w.block("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", ingress, T("no_assoc", att=ingress), w.where(ingress))
        return None
    e = lookup(rt.routes, p.h.dst)
    if e is None:
        w.block("TGW_RTB_NO_ROUTE", p.node, T("no_route", rt=rt.id, dst=w.show(p.h.dst)), rt.location)
        return None
    if e.blackhole:
        w.block("NULL_ROUTED", p.node, T("blackhole", rt=rt.id, net=e.net), e.location)
        return None
    loc = e.location or rt.location
    w.step(p.node, "FORWARDED", T("route", rt=rt.id, net=e.net, target=e.target, origin=e.origin), loc)
    node = eg.ix.nodes.get(e.target)
    if node is not None and node.dx_gateway is not None:
        return Packet("dx-out", e.target, None, None, p.h, p.sender, via="tgw")
    if node is not None and node.vpn is not None:
        return Packet("vpn-out", e.target, None, None, p.h, p.sender, via="tgw")
    return _into_vpc(w, p, e.target, loc, rt)


ROUTE_TARGETS[NodeKind.TGW.value] = _to_tgw
