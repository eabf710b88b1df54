"""AWS constraints of Client VPN endpoints, one function per constraint (Client VPN
administrator guide):

* ``CVPN_CLIENT_CIDR_SIZE`` / ``CVPN_CLIENT_CIDR_OVERLAP`` / ``CVPN_SINGLE_SUBNET`` -
  Client VPN client CIDR must be /12–/22 and not overlap the VPC; one subnet = no HA.
* ``CVPN_FULL_TUNNEL_NO_INTERNET`` - with full tunnel (split tunnel off, or a 0.0.0.0/0 route)
  every client request enters the endpoint, so the clients' internet access needs a route
  covering the internet, an authorization rule covering it, and from every associated subnet
  a route to an internet gateway or a NAT gateway (Client VPN guide, "Access to the internet").

A shared endpoint is reviewed once, in the environment whose subnets it is associated with.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> sorted({f.code for f in analyze(load_model()).findings if f.env == "poc" and f.code.startswith("CVPN_")})
['CVPN_SINGLE_SUBNET']
"""

from __future__ import annotations

from typing import Iterator

from analysis.forwarding.entry import authorizing_rules, full_tunnel
from analysis.forwarding.routing import rt_name
from analysis.graph.build import EnvGraph
from analysis.graph.filters import lookup
from analysis.graph.types import net
from analysis.i18n import N_, Templates, _
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from model.schema import NodeKind

__all__: list[str] = []  # rules register themselves


def _owns(eg: EnvGraph, cvpn) -> bool:
    """The endpoint's associated subnets are in this environment (a shared endpoint is reviewed once, where it sits)."""
    return cvpn.client_vpn.associated_subnets[0] in eg.subnet_net


@rule(("CVPN_CLIENT_CIDR_SIZE", "error", "a Client VPN client CIDR is outside /12-/22"),
      ("CVPN_CLIENT_CIDR_OVERLAP", "error", "a Client VPN client CIDR overlaps an associated VPC"))
def cvpn_client_cidr(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        spec = n.client_vpn
        client = eg.named(spec.client_cidr) if spec is not None and _owns(eg, n) else None
        if client is None:
            continue
        if not 12 <= client.prefixlen <= 22:
            yield ctx.finding("CVPN_CLIENT_CIDR_SIZE", [n.id], _("クライアントCIDR {client} は /12〜/22 の範囲外").format(client=client),
                              eg.where_id("named_cidrs", spec.client_cidr), _("/12〜/22 のCIDRにする"))
        for v in sorted({eg.vpc_of_subnet(s) for s in spec.associated_subnets}):
            if client.overlaps(eg.vpc_net[v]):
                yield ctx.finding("CVPN_CLIENT_CIDR_OVERLAP", [n.id, v], _("クライアントCIDR {client} がVPC {v}（{vpc_net}）と重なる").format(client=client, v=v, vpc_net=eg.vpc_net[v]), eg.where_id("named_cidrs", spec.client_cidr),
                                  _("重ならないCIDRにする"))


@rule(("CVPN_SINGLE_SUBNET", "warning", "a Client VPN endpoint is associated with one subnet only (no HA)"))
def cvpn_single_subnet(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        spec = n.client_vpn
        if spec is not None and _owns(eg, n) and len(spec.associated_subnets) < 2:
            yield ctx.finding("CVPN_SINGLE_SUBNET", [n.id, *spec.associated_subnets],
                              _("Client VPN {id} の関連付けサブネットが1つだけ（そのAZの障害で接続できなくなる、冗長性なし）").format(id=n.id),
                              eg.where_id("nodes", n.id, "client_vpn", "associated_subnets"), _("別のAZのサブネットも関連付ける"))


T = Templates({
    "tunnel": N_("Client VPN {node} はフルトンネル（スプリットトンネル無効）で、クライアントの通信はすべてエンドポイントに入るが、"
              "{missing}。クライアントはインターネットに出られない"),
    "no_route": N_("インターネット（0.0.0.0/0）へのルートがない"),
    "no_auth": N_("インターネット（0.0.0.0/0）を許可する認可ルールがない"),
    "no_exit": N_("関連付けサブネット {subnet} のルートテーブル{rt} にインターネットゲートウェイ・NAT Gatewayへのルートがない"),
    "blocked": N_("VPNクライアント {actor} からインターネットへの経路が止まる（{message}）"),
    "fix_route": N_("client_vpn.routes に 0.0.0.0/0 を追加する（スプリットトンネルにするなら split_tunnel: true）"),
    "fix_auth": N_("client_vpn.authorization_rules に 0.0.0.0/0 を追加する"),
    "fix_exit": N_("{subnet} のルートテーブルに 0.0.0.0/0 → インターネットゲートウェイまたはNAT Gateway"
                "への経路を用意する"),
    "fix_exit_tgw": N_("{subnet} のルートテーブルに 0.0.0.0/0 → インターネットゲートウェイまたはNAT Gateway（集約する場合はTGW）"
                    "への経路を用意する"),
})


def _fix_exit(eg: EnvGraph, subnet: str) -> str:
    """The fix names a TGW (central egress) only where the VPC has a TGW attachment."""
    return T("fix_exit_tgw" if eg.vpc_of_subnet(subnet) in eg.vpc_attachment else "fix_exit", subnet=subnet)


def _exit_gap(ctx: ReviewContext, n) -> tuple[str, str | None, str] | None:
    """What stops a VPN client of endpoint ``n`` from reaching an internet host, traced by the
    engine (tunnel, SNAT, the associated subnet's routes to an IGW, a NAT gateway or a central
    egress), or None; without a VPN client actor, the associated subnets' own routes decide."""
    eg, witness = ctx.eg, ctx.eg.addresses.internet
    actor = next((a for a in eg.ix.actors_in(eg.env) if a.vpn_client and n.id in a.via), None)
    if actor is not None:
        r = ctx.net.reach_ip(443, "tcp", source=actor.id, dst_ip=witness)
        hard = next((b for b in r.blockers if not b.conditional), None)
        sub = n.client_vpn.associated_subnets[0]
        return None if hard is None else (T("blocked", actor=actor.id, message=hard.message), hard.location,
                                          _fix_exit(eg, sub))
    for sub in n.client_vpn.associated_subnets:
        rt = eg.subnet_rt.get(sub)
        e = lookup(eg.rt_routes[rt], witness) if rt in eg.rt_routes else None
        node = eg.ix.nodes.get(e.target) if e is not None else None
        if node is None or node.kind not in (NodeKind.IGW, NodeKind.NAT_GATEWAY):
            where = (e.location if e is not None else eg.rt_location.get(rt)) or eg.where_id("subnets", sub)
            return T("no_exit", subnet=sub, rt=f" {rt_name(eg, rt)}" if rt else ""), where, _fix_exit(eg, sub)
    return None


def _internet_gap(ctx: ReviewContext, n) -> tuple[str, str | None, str] | None:
    """(what is missing, where, fix) for a full-tunnel endpoint's clients to reach the internet, or None."""
    eg = ctx.eg
    spec, witness = n.client_vpn, eg.addresses.internet
    if not any(witness.subnet_of(net(r)) for r in spec.routes):
        return T("no_route"), eg.where_id("nodes", n.id, "client_vpn", "routes"), T("fix_route")
    if not authorizing_rules(spec, witness):
        return T("no_auth"), eg.where_id("nodes", n.id, "client_vpn", "authorization_rules"), T("fix_auth")
    return _exit_gap(ctx, n)


@rule(("CVPN_FULL_TUNNEL_NO_INTERNET", "warning",
       "a full-tunnel Client VPN endpoint gives its clients no way to the internet (route, authorization, IGW/NAT)"))
def cvpn_full_tunnel(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.client_vpn is None or not full_tunnel(n.client_vpn) or not _owns(eg, n):
            continue
        gap = _internet_gap(ctx, n)
        if gap is not None:
            yield ctx.finding("CVPN_FULL_TUNNEL_NO_INTERNET", (n.id,), T("tunnel", node=n.id, missing=gap[0]), gap[1],
                              gap[2])
