"""Walk one candidate path hop by hop, collecting what allowed each hop and every blocker.

A walk does not stop at the first drop: like AWS Reachability Analyzer's *blocked
path*, it assumes the blocked step were fixed and goes on, so the caller gets every
setting to change. It stops only where the next hop is unknown (no route).

The walk is private machinery of :mod:`analysis.paths.reach`; its steps mirror AWS:

* ENI egress SG -> subnet route table (longest prefix) -> local / IGW (needs a public
  address, 1:1 NAT) / NAT gateway (SNAT to its EIP, NAT subnet must route to the IGW) /
  TGW (attachment AZ, associated TGW route table, egress attachment AZ);
* arrival: NACL, ingress SG (SG references match private, same-VPC peers only),
  ALB listener, WAF, ALB -> target-group targets as a new connection from the ALB; when
  the ingress SG drops the SYN, nothing behind it is evaluated (only a missing listener
  is still reported, a configuration fact), so no WAF condition joins a blocked path;
* return path: the destination subnet must route the reply back the way it came;
* NACLs (:mod:`analysis.paths.nacl_crossings`) wherever the packet leaves or enters a subnet: the
  source subnet, the NAT gateway's subnet, the TGW attachment subnets (when they differ
  from the instance's), the destination subnet; never within one subnet. Each crossing
  also checks the stateless reply on the client's ephemeral ports (:attr:`Packet.eph`).
"""

from __future__ import annotations

from analysis.graph.build import PUBLIC_ADDR, EnvGraph, Eni, Net, RouteEntry, RouteSet
from analysis.graph.filters import lookup, proto_match, sg_match
from analysis.paths.destinations import after_ingress
from analysis.paths.nacl_crossings import EPHEMERAL_WIDE, attachment_subnet, enter, leave
from analysis.paths.trace import Packet, Trace, show

__all__ = ["from_eni", "via_tgw", "tgw_return", "arrive", "from_internet"]


def _sg_names(eg: EnvGraph, sgs: tuple[str, ...]) -> str:
    return ", ".join(sgs) or "（なし）"


def _routes(eg: EnvGraph, t: Trace, subnet: str) -> tuple[RouteSet, str | None]:
    rt = eg.subnet_rt.get(subnet)
    if rt is None:
        t.note("ASSUMED_MAIN_ROUTE_TABLE")
        vpc = eg.vpc_of_subnet(subnet)
        return RouteSet([RouteEntry(eg.vpc_net[vpc], "local", "local", None)]), None
    return eg.rt_routes[rt], rt


def _kind(eg: EnvGraph, node_id: str) -> str:
    n = eg.ix.nodes.get(node_id)
    return n.kind.value if n else node_id


def from_eni(eg: EnvGraph, t: Trace, s: Eni, p: Packet, arrive_public) -> None:
    """Send from ENI ``s``; ``arrive_public(t, src, eph=None)`` finishes a path that reached the internet."""
    tg = p.target
    same_vpc = tg is not None and p.dst == tg.net and tg.vpc == s.vpc
    peer_sgs = tg.sgs if tg is not None and p.dst == tg.net else ()
    if s.sgs:
        hits = sg_match(eg, s.sgs, "outbound", p.proto, p.port, p.dst, peer_sgs, same_vpc)
        if hits:
            h = hits[0]
            t.hop(s.node, "PERMITTED", f"SG {h.sg} 送信ルール「{h.rule.purpose}」", h.location)
            t.used.add(f"{h.sg}#{h.index}")
        else:
            empty = not any(r.direction == "outbound" for g in s.sgs for r in eg.rules.get(g, ()))
            why = "送信ルールが1つもない（新しい送信接続はすべて拒否）" if empty else \
                f"{p.proto}/{p.port} → {show(p.dst)} を許可する送信ルールがない"
            t.block("SG_EGRESS_DENIED", s.node, f"SG {_sg_names(eg, s.sgs)}: {why}", eg.sg_location.get(s.sgs[0]))
    routes, rt = _routes(eg, t, s.subnet)
    e = lookup(routes, p.dst)
    if e is None:
        t.block("NO_ROUTE", s.subnet, f"ルートテーブル {rt} に {show(p.dst)} へのルートがない",
                eg.rt_location.get(rt) if rt else None)
        return
    t.hop(s.subnet, "FORWARDED", f"ルートテーブル {rt}: {e.net} → {e.target}", e.location)
    if not (e.target == "local" and tg is not None and tg.subnet == s.subnet):
        leave(eg, t, s.subnet, p, p.dst, p.eph)
    kind = _kind(eg, e.target)
    if e.target == "local":
        if tg is None or tg.vpc != s.vpc or p.dst != tg.net:
            t.block("NO_ROUTE", s.subnet, f"{p.dst} はこのVPC内にない（local ルートのみ一致）", e.location)
            return
        arrive(eg, t, tg, p, s.net, s.sgs, True, s, arrive_public)
        back = lookup(_routes(eg, t, tg.subnet)[0], s.net)
        if back is None or back.target != "local":
            _no_return(eg, t, tg.subnet, s.net)
    elif kind == "igw":
        if not s.public:
            t.block("NO_PUBLIC_ADDRESS", s.node, f"{s.node} にパブリックIPがなく、IGW経由で送信できない"
                    "（IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS）", eg.where_id("nodes", s.node))
        t.hop(e.target, "TRANSFORMED", "IGW: プライベートIP → パブリックIP（1:1 NAT）")
        arrive_public(t, PUBLIC_ADDR)
    elif kind == "nat-gateway":
        nat = eg.enis.get(e.target, ())
        if not nat:
            t.block("NO_ROUTE", s.subnet, f"NAT {e.target} はこの環境にない", e.location)
            return
        if nat[0].vpc != s.vpc:
            t.block("NGW_REQUIRES_SOURCE_IN_VPC", e.target, "NAT Gatewayは同じVPC内の送信元のみ変換する",
                    eg.where_id("nodes", e.target))
        if not nat[0].public:
            t.block("NO_PUBLIC_ADDRESS", e.target, f"NAT {e.target} にEIPがない", eg.where_id("nodes", e.target))
        if nat[0].subnet != s.subnet:
            enter(eg, t, nat[0].subnet, p, s.net, p.eph)
        t.hop(e.target, "TRANSFORMED", f"SNAT: 送信元 {s.net} → NAT {e.target} のEIP", eg.where_id("nodes", e.target))
        leave(eg, t, nat[0].subnet, p, p.dst, EPHEMERAL_WIDE)
        nroutes, nrt = _routes(eg, t, nat[0].subnet)
        ne = lookup(nroutes, p.dst)
        if ne is None or _kind(eg, ne.target) != "igw":
            t.block("NO_ROUTE", nat[0].subnet, f"NATのサブネットのルートテーブル {nrt} に {show(p.dst)} → IGW のルートがない",
                    eg.rt_location.get(nrt) if nrt else None)
            return
        t.hop(nat[0].subnet, "FORWARDED", f"ルートテーブル {nrt}: {ne.net} → {ne.target}", ne.location)
        arrive_public(t, PUBLIC_ADDR, EPHEMERAL_WIDE)
    elif kind == "tgw":
        att = eg.attachment_of_vpc(s.vpc)
        if att is None:
            t.block("NO_ROUTE", s.subnet, f"VPC {s.vpc} にTGWアタッチメントがない", e.location)
            return
        if s.az not in eg.attachment_azs(att):
            t.block("TGW_ROUTE_AZ_RESTRICTION", att, f"{s.az} にアタッチメントのサブネットがなく、{s.node} はTGWに届かない",
                    eg.where_id("nodes", att))
        t.hop(att, "FORWARDED", f"TGWアタッチメント {att}（{', '.join(eg.attachment_azs(att))}）",
              eg.where_id("nodes", att))
        asub = attachment_subnet(eg, att, s.az)
        if asub is not None and asub != s.subnet:
            enter(eg, t, asub, p, s.net, p.eph)
        out = via_tgw(eg, t, att, p)
        if out is None:
            return
        arrive(eg, t, tg, p, s.net, s.sgs, False, None, arrive_public)
        tgw_return(eg, t, tg, s.net, att, out)
    else:
        t.block("NO_ROUTE", s.subnet, f"ルートの転送先 {e.target} はモデル化されていない", e.location)


def via_tgw(eg: EnvGraph, t: Trace, ingress: str, p: Packet) -> str | None:
    """Forward through the TGW from attachment ``ingress``; returns the egress VPC attachment."""
    rt = next((r for r in eg.tgw_rts.values() if ingress in r.associations), None)
    if rt is None:
        t.block("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", ingress, f"{ingress} に関連付けられたTGWルートテーブルがない",
                eg.where_id("nodes", ingress))
        return None
    e = lookup(rt.routes, p.dst)
    if e is None:
        t.block("TGW_RTB_NO_ROUTE", "tgw", f"TGWルートテーブル {rt.id} に {p.dst} へのルートがない", rt.location)
        return None
    if e.blackhole:
        t.block("NULL_ROUTED", "tgw", f"TGWルートテーブル {rt.id} の {e.net} はブラックホール", e.location)
        return None
    t.hop("tgw", "FORWARDED", f"TGWルートテーブル {rt.id}: {e.net} → {e.target}（{e.origin}）", e.location or rt.location)
    tg = p.target
    if e.target not in eg.attachments or tg is None or eg.attachment_of_vpc(tg.vpc) != e.target:
        t.block("TGW_RTB_NO_ROUTE", "tgw", f"{e.target} は宛先のVPCへのアタッチメントではない", e.location or rt.location)
        return None
    if tg.az not in eg.attachment_azs(e.target):
        t.block("TGW_ROUTE_AZ_RESTRICTION", e.target, f"{tg.az} にアタッチメントのサブネットがなく、TGWから {tg.node} に届かない",
                eg.where_id("nodes", e.target))
    t.hop(e.target, "FORWARDED", f"アタッチメント {e.target} からVPC {tg.vpc} へ（local ルート）", eg.where_id("nodes", e.target))
    asub = attachment_subnet(eg, e.target, tg.az)
    if asub is not None and asub != tg.subnet:
        leave(eg, t, asub, p, p.dst, p.eph)
    return e.target


def tgw_return(eg: EnvGraph, t: Trace, tg: Eni, src: Net, ingress: str, egress: str) -> None:
    """The reply from ``tg`` to ``src`` must go back through the TGW to ``ingress``."""
    routes, rt = _routes(eg, t, tg.subnet)
    back = lookup(routes, src)
    if back is None or _kind(eg, back.target) != "tgw":
        _no_return(eg, t, tg.subnet, src)
        return
    trt = next((r for r in eg.tgw_rts.values() if egress in r.associations), None)
    e = lookup(trt.routes, src) if trt else None
    if e is None or e.blackhole or e.target != ingress:
        t.block("NO_RETURN_PATH", "tgw", f"TGWルートテーブル{(' ' + trt.id) if trt else ''}に応答先 {src} → {ingress} のルートがない",
                trt.location if trt else None)


def _no_return(eg: EnvGraph, t: Trace, subnet: str, src: Net) -> None:
    rt = eg.subnet_rt.get(subnet)
    t.block("NO_RETURN_PATH", subnet, f"応答が戻れない: ルートテーブル {rt} に送信元 {show(src)} へ来た経路で戻るルートがない",
            eg.rt_location.get(rt) if rt else None)


def from_internet(eg: EnvGraph, t: Trace, tg: Eni, p: Packet, src: Net, arrive_public) -> None:
    """Inbound from the internet to ENI ``tg`` through its VPC's IGW."""
    node = eg.node(tg.node)
    if node.alb is not None and node.alb.scheme == "internal":
        t.block("ALB_INTERNAL_SCHEME", tg.node, "内部ALBはインターネットから到達できない", eg.where_id("nodes", tg.node, "alb"))
    elif not tg.public:
        t.block("NO_PUBLIC_ADDRESS", tg.node, f"{tg.node} にパブリックアドレスがない（IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS）",
                eg.where_id("nodes", tg.node))
    igw = eg.igw_of_vpc(tg.vpc)
    if igw is None:
        t.block("NO_ROUTE", tg.vpc, f"VPC {tg.vpc} にInternet Gatewayがない", eg.where_id("vpcs", tg.vpc))
        return
    t.hop(igw, "TRANSFORMED", "IGW: パブリックIP → プライベートIP（1:1 NAT）", eg.where_id("nodes", igw))
    arrive(eg, t, tg, p, src, (), False, None, arrive_public)
    back = lookup(_routes(eg, t, tg.subnet)[0], src)
    if back is None or back.target != igw:
        _no_return(eg, t, tg.subnet, src)


def _client_cidr_rules(eg: EnvGraph, sgs: tuple[str, ...], p: Packet) -> list:
    """Inbound rules of ``sgs`` whose peer is a Client VPN client CIDR and that would admit ``p`` from it."""
    clients = [c for n in eg.ix.nodes_in(eg.env) if n.client_vpn is not None
               for c in (eg.named(n.client_vpn.client_cidr),) if c is not None]
    return [r for sg in sgs for r in eg.rules.get(sg, ())
            if r.direction == "inbound" and proto_match(r.protocol, p.proto) and r.ports[0] <= p.port <= r.ports[1]
            and r.peer_net is not None and r.peer_net.prefixlen > 0
            and any(c.version == r.peer_net.version and c.overlaps(r.peer_net) for c in clients)]


def arrive(eg: EnvGraph, t: Trace, tg: Eni, p: Packet, src: Net, src_sgs: tuple[str, ...], same_vpc: bool,
           src_eni: Eni | None, arrive_public) -> None:
    """Ingress at ENI ``tg``: NACL, SG, then what the target itself admits (ALB listener, WAF)."""
    if src_eni is None or src_eni.subnet != tg.subnet:
        enter(eg, t, tg.subnet, p, src, p.eph)
    denied = False
    if tg.sgs:
        hits = sg_match(eg, tg.sgs, "inbound", p.proto, p.port, src, src_sgs, same_vpc)
        if hits:
            h = hits[0]
            t.hop(tg.node, "PERMITTED", f"SG {h.sg} 受信ルール「{h.rule.purpose}」", h.location)
            t.used.add(f"{h.sg}#{h.index}")
        else:
            extra = ""
            if "CVPN_SNAT_SOURCE_IS_ENI" in t.notes:
                vpn = _client_cidr_rules(eg, tg.sgs, p)
                if vpn:
                    extra = (f"（Client VPNはクライアントCIDRをENIアドレスに変換するため、VPN CIDRの行"
                             f"「{'」「'.join(r.rule.purpose for r in vpn)}」は一致しない）")
            denied = True
            t.block("SG_INGRESS_DENIED", tg.node, f"SG {_sg_names(eg, tg.sgs)} に {p.proto}/{p.port} を送信元 {show(src)}"
                    f"{'（SG ' + ', '.join(src_sgs) + '）' if src_sgs and same_vpc else ''} から許可する受信ルールがない{extra}",
                    eg.sg_location.get(tg.sgs[0]))
    after_ingress(eg, t, tg, p, src, arrive_public, denied)
