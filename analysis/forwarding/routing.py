"""Route tables: the ``router`` hop of a subnet, and local delivery inside a VPC.

The subnet's route table (or its VPC's main route table: the one the VPC names, else
AWS's default holding the local route only, noted ``ASSUMED_MAIN_ROUTE_TABLE``) picks the longest prefix containing the destination
(static before propagated on a tie, :class:`~analysis.graph.types.RouteSet`). A gateway
endpoint adds its service's prefix-list route to the tables it is associated with; it
wins over the default route for that service's addresses. The chosen target decides the
next hop: ``local`` delivers to the ENI that owns the destination inside the VPC; an
internet gateway, NAT gateway, TGW, peering connection, virtual private gateway, gateway
endpoint or firewall endpoint hands the packet to that hop's function.

On the reply, a destination with no route, or a route to a NAT gateway the request did
not use, means the reply cannot come back (``NO_RETURN_PATH``).
"""

from __future__ import annotations


from analysis.forwarding.trace import Packet, changed
from analysis.forwarding.walk import Walk, hop
from analysis.graph.filters import lookup
from analysis.graph.routes import is_default_main_rt
from analysis.graph.types import Eni, RouteSet
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["routes_of", "rt_name", "deliver_local", "ROUTE_TARGETS"]

T = Templates({
    "route": N_("ルートテーブル {rt}: {net} → {target}"),
    "pl_route": N_("ルートテーブル {rt}: プレフィックスリスト（{service}） → {target}"),
    "no_route": N_("ルートテーブル {rt} に {dst} へのルートがない"),
    "main": N_("main（VPC {vpc} のメインルートテーブル）"),
    "not_in_vpc": N_("{dst} はこのVPC内にない（local ルートのみ一致）"),
    "unmodelled": N_("ルートの転送先 {target} はモデル化されていない"),
    "absent": N_("NAT {target} はこの環境にない"),
    "wrong_igw": N_("IGW {target} はVPC {vpc} のInternet Gatewayではない"),
    "nat_other_vpc": N_("NAT Gatewayは同じVPC内の送信元のみ変換する"),
    "nat_edge": N_("NAT Gatewayはピアリング・VPN・Direct Connectから来た通信を変換しない（NGW_REQUIRES_SOURCE_IN_VPC）"),
    "other_way": N_("応答が戻れない: ルートテーブル {rt} の {net} → {target} は来た経路と異なる（{target} には往路のセッションがない）"),
    "no_way_back": N_("応答が戻れない: ルートテーブル {rt} に送信元 {dst} へ来た経路で戻るルートがない"),
    "subnet_received": N_("サブネット {subnet} の {dst}（モデルにノードがないアドレス）が {proto}/{port} を受信"),
})

ROUTE_TARGETS: dict = {}
"""Node kind -> the function that forwards a packet a route sends to a node of that kind."""


def routes_of(w: Walk, subnet: str) -> tuple[RouteSet, str]:
    """The route table ``subnet`` uses: its own, or its VPC's main route table."""
    rt = w.eg.subnet_rt[subnet]
    if is_default_main_rt(rt):
        w.note("ASSUMED_MAIN_ROUTE_TABLE")
    return w.eg.rt_routes[rt], rt


def rt_name(eg, rt: str) -> str:
    """How a message names a route table: its id, or the VPC's default main route table in words."""
    return T("main", vpc=rt.removesuffix(":main")) if is_default_main_rt(rt) else rt


@hop("router")
def router(w: Walk, p: Packet) -> Packet | None:
    eg, h = w.eg, p.h
    subnet = p.subnet
    vpc = eg.vpc_of_subnet(subnet)
    routes, rt = routes_of(w, subnet)
    e = lookup(routes, h.dst)
    ep = eg.links.endpoint_routes.get(rt, {}).get(h.service) if h.service is not None else None
    if ep is not None and (e is None or e.net.prefixlen == 0):
        w.step(subnet, "FORWARDED", T("pl_route", rt=rt, service=h.service, target=ep),
               w.where(ep, "endpoint", "route_tables"))
        return ROUTE_TARGETS["vpc-endpoint"](w, changed(p, rt=rt, route=None), vpc, ep)
    name = rt_name(eg, rt)
    if e is None:
        if w.reply:
            w.block("NO_RETURN_PATH", subnet, T("no_way_back", rt=name, dst=w.show(h.dst)), eg.rt_location.get(rt))
        else:
            w.block("NO_ROUTE", subnet, T("no_route", rt=name, dst=w.show(h.dst)), eg.rt_location.get(rt))
        return None
    w.step(subnet, "FORWARDED", T("route", rt=name, net=e.net, target=e.target), e.location)
    p = changed(p, rt=name, route=e)
    if e.target == "local":
        return deliver_local(w, p, vpc)
    node = eg.ix.nodes.get(e.target)
    if node is None or node.kind.value not in ROUTE_TARGETS:
        w.block("NO_ROUTE", subnet, T("unmodelled", target=e.target), e.location)
        return None
    return ROUTE_TARGETS[node.kind.value](w, p, vpc, e.target)


def _owner(w: Walk, vpc: str, dst) -> Eni | None:
    """The ENI in ``vpc`` that the destination address belongs to."""
    for e in (w.target, w.goal[1] if w.goal[:1] == ("eni",) else None, w.goal[4] if w.goal[:1] == ("cvpn",) else None):
        if e is not None and e.vpc == vpc and dst.subnet_of(e.net):
            return e
    owners = [e for e in w.eg.eni_at.get(dst, ()) if e.vpc == vpc]
    return owners[0] if len(owners) == 1 else None


def deliver_local(w: Walk, p: Packet, vpc: str) -> Packet | None:
    """The local route: to the ENI that owns the destination address inside the VPC."""
    eg, h = w.eg, p.h
    e = _owner(w, vpc, h.dst)
    if e is None:
        sub = next((s for s in eg.ix.subnets_of(vpc) if s.id in eg.subnet_net and h.dst.subnet_of(eg.subnet_net[s.id])),
                   None)
        if sub is not None and not w.reply and w.target is None:
            w.move(p, sub.id)
            w.step(sub.id, "RECEIVED", T("subnet_received", subnet=sub.id, dst=h.dst, proto=h.proto, port=h.port))
            w.delivered = changed(p, subnet=sub.id, az=eg.subnet_az[sub.id])
            return None
        w.block("NO_ROUTE", p.subnet, T("not_in_vpc", dst=w.show(h.dst)), p.route.location if p.route else None)
        return None
    w.move(p, e.subnet)
    return Packet("eni-in", e.node, e.subnet, e.az, h, p.sender, via=p.via or "local")


def _igw(w: Walk, p: Packet, vpc: str, target: str) -> Packet | None:
    if w.eg.igw_of_vpc(vpc) != target:
        w.block("NO_ROUTE", p.subnet, T("wrong_igw", target=target, vpc=vpc), p.route.location)
        return None
    w.move(p, None)
    return changed(p, at="igw-out", node=target, subnet=None)


def _nat(w: Walk, p: Packet, vpc: str, target: str) -> Packet | None:
    enis = w.eg.enis.get(target, ())
    if not enis:
        w.block("NO_ROUTE", p.subnet, T("absent", target=target), p.route.location)
        return None
    nat = enis[0]
    w.move(p, nat.subnet)
    if w.reply and w.session("nat", target) is None:
        w.block("NO_RETURN_PATH", p.subnet, T("other_way", rt=p.rt, net=p.route.net, target=target), p.route.location)
        return None
    if nat.vpc != vpc:
        w.block("NGW_REQUIRES_SOURCE_IN_VPC", target, T("nat_other_vpc"), w.where(target))
    elif p.via in ("peering", "vgw", "dx") and not w.reply:
        w.block("NGW_REQUIRES_SOURCE_IN_VPC", target, T("nat_edge"), w.where(target))
    return changed(p, at="nat", node=target, subnet=nat.subnet, az=nat.az)


ROUTE_TARGETS[NodeKind.IGW.value] = _igw
ROUTE_TARGETS[NodeKind.NAT_GATEWAY.value] = _nat
