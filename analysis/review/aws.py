"""AWS service constraints as small rules, one function per constraint.

Each rule is registered (:mod:`analysis.review.registry`) with its code, takes a
:class:`~analysis.review.registry.ReviewContext` and yields
:class:`~analysis.results.Finding` rows. The constraints (AWS documentation):

* ``ALB_SUBNETS_SINGLE_AZ`` - an Application Load Balancer needs subnets in at least two AZs.
* ``ALB_INTERNET_FACING_NO_IGW_ROUTE`` - an internet-facing ALB's subnets need a route to an IGW.
* ``ALB_TARGET_PORT_MISMATCH`` - a target group's port differs from the target's container port.
* ``RDS_SUBNET_GROUP_SINGLE_AZ`` - a DB subnet group must cover at least two AZs (even Single-AZ).
* ``NAT_NOT_IN_PUBLIC_SUBNET`` - a public NAT gateway must sit in a subnet routed to an IGW.
* ``TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ`` - a VPC attachment takes one subnet per AZ.
* ``TGW_ATTACH_AZ_NOT_COVERED`` - resources in an AZ without an attachment subnet cannot use the TGW.
* ``CVPN_CLIENT_CIDR_SIZE`` / ``CVPN_CLIENT_CIDR_OVERLAP`` / ``CVPN_SINGLE_SUBNET`` -
  Client VPN client CIDR must be /12–/22 and not overlap the VPC; one subnet = no HA.
* ``CVPN_FULL_TUNNEL_NO_INTERNET`` - with full tunnel (split tunnel off, or a 0.0.0.0/0 route)
  every client request enters the endpoint, so the clients' internet access needs a route
  covering the internet, an authorization rule covering it, and from every associated subnet
  a route to an internet gateway or a NAT gateway (Client VPN guide, "Access to the internet").
* ``DXGW_TGW_REQUIRES_TRANSIT_VIF`` - a DX gateway associated with a TGW needs a transit VIF.
* ``NAMED_CIDR_UNDEFINED`` - a named CIDR used in this environment has no value here.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> from analysis.review.registry import RULES
>>> mine = {c for r in RULES if r.name.startswith("analysis.review.aws.") for c in r.codes}
>>> sorted({f.code for f in analyze(load_model()).findings if f.env == "poc" and f.code in mine})
['ALB_SUBNETS_SINGLE_AZ', 'CVPN_SINGLE_SUBNET', 'RDS_SUBNET_GROUP_SINGLE_AZ']
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from analysis.forwarding.entry import assumption_ref, authorizing_rules, full_tunnel
from analysis.forwarding.routing import rt_name
from analysis.graph.build import EnvGraph
from analysis.graph.filters import lookup
from analysis.graph.types import net
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import N_, Templates, _
from model.schema import NodeKind

__all__: list[str] = []  # rules register themselves


def _routes_to_igw(eg: EnvGraph, subnet: str) -> bool:
    rt = eg.subnet_rt.get(subnet)
    e = lookup(eg.rt_routes[rt], eg.addresses.internet) if rt in eg.rt_routes else None
    return e is not None and e.target in eg.ix.nodes and eg.ix.nodes[e.target].kind is NodeKind.IGW


@rule(("ALB_SUBNETS_SINGLE_AZ", "error", "an Application Load Balancer has subnets in fewer than two AZs", "ELB.13"))
def alb_single_az(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.alb is None:
            continue
        p = n.at[eg.env]
        azs = sorted({eg.ix.subnets[s].az for s in p.subnets})
        if len(azs) < 2:
            yield ctx.finding("ALB_SUBNETS_SINGLE_AZ", [n.id, *p.subnets],
                              _("ALB {id} のサブネットが {count} AZ（{azs}）のみ。ALBには2つ以上のAZのサブネットが必要").format(id=n.id, count=len(azs), azs=', '.join(azs)),
                              eg.where_id("nodes", n.id, "at", eg.env, "subnets"),
                              _other_az_fix(eg, p.subnets, public=n.alb.scheme == "internet-facing"))


def _other_az_fix(eg: EnvGraph, subnets, public: bool = False, db: bool = False) -> str:
    """How to add a second AZ, naming a subnet of the same VPC and tier in another AZ when the model has one."""
    own = [eg.ix.subnets[s] for s in subnets if s in eg.ix.subnets]
    azs, tiers = {s.az for s in own}, {s.tier for s in own}
    other = next((s for v in sorted({s.vpc for s in own}) for s in eg.ix.subnets_of(v)
                  if s.az not in azs and s.tier in tiers), None)
    if db:
        return (_("別のAZのDBサブネット（例: {subnet}）をサブネットグループに加える").format(subnet=other.name) if other
                else _("別のAZにDBサブネットを作り、サブネットグループに加える"))
    if other is None:
        return _("別のAZにパブリックサブネットを作り、ALBのサブネットに追加する") if public else \
            _("別のAZにサブネットを作り、ALBのサブネットに追加する")
    return (_("別のAZのパブリックサブネット（例: {subnet}）をALBのサブネットに追加する") if public
            else _("別のAZのサブネット（例: {subnet}）をALBのサブネットに追加する")).format(subnet=other.name)


@rule(("ALB_INTERNET_FACING_NO_IGW_ROUTE", "error", "a subnet of an internet-facing ALB has no route to an IGW"))
def alb_internet_facing_igw(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.alb is None or n.alb.scheme != "internet-facing":
            continue
        for s in n.at[eg.env].subnets:
            if not _routes_to_igw(eg, s):
                yield ctx.finding("ALB_INTERNET_FACING_NO_IGW_ROUTE", [n.id, s],
                                  _("インターネット向けALB {id} のサブネット {s} にIGWへのルートがない").format(id=n.id, s=s),
                                  eg.rt_location.get(eg.subnet_rt.get(s)),
                                  _("サブネットのルートテーブルに 0.0.0.0/0 → IGW を追加する"))


@rule(("ALB_TARGET_PORT_MISMATCH", "error", "a target group's port differs from its target's container port"))
def alb_target_port(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.alb is None:
            continue
        for j, tg in enumerate(n.alb.target_groups):
            tnode = eg.ix.nodes.get(tg.target)
            if tnode is None or eg.env not in tnode.at:
                continue
            fg = tnode.at[eg.env].fargate
            if fg is not None and fg.container_port != tg.port:
                yield ctx.finding("ALB_TARGET_PORT_MISMATCH", [n.id, tg.target],
                                  _("ターゲットグループ {id} のポート {port} が {target} のコンテナポート {container_port} と異なる").format(id=tg.id, port=tg.port, target=tg.target, container_port=fg.container_port),
                                  eg.where_id("nodes", n.id, "alb", "target_groups", j),
                                  _("ターゲットグループのポートをコンテナポートに合わせる"))


@rule(("RDS_SUBNET_GROUP_SINGLE_AZ", "error", "a DB subnet group covers fewer than two AZs"))
def rds_subnet_group(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        spec = n.at[eg.env].rds
        if spec is None:
            continue
        azs = sorted({eg.ix.subnets[s].az for s in spec.subnet_group if s in eg.ix.subnets})
        if len(azs) < 2:
            yield ctx.finding("RDS_SUBNET_GROUP_SINGLE_AZ", [n.id, *spec.subnet_group],
                              _("RDS {id} のDBサブネットグループが {count} AZ（{azs}）のみ。DBサブネットグループは2つ以上のAZのサブネットが必要（Single-AZでも同様）").format(id=n.id, count=len(azs), azs=', '.join(azs)),
                              eg.where_id("nodes", n.id, "at", eg.env, "rds", "subnet_group"),
                              _other_az_fix(eg, spec.subnet_group, db=True))


@rule(("NAT_NOT_IN_PUBLIC_SUBNET", "error", "a NAT gateway sits in a subnet without a route to an IGW"))
def nat_public_subnet(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.kind is not NodeKind.NAT_GATEWAY:
            continue
        for s in n.at[eg.env].subnets:
            if not _routes_to_igw(eg, s):
                yield ctx.finding("NAT_NOT_IN_PUBLIC_SUBNET", [n.id, s],
                                  _("NAT Gateway {id} のサブネット {s} にIGWへのルートがない（パブリックサブネットに置く必要がある）").format(id=n.id, s=s),
                                  eg.where_id("nodes", n.id), _("NATをIGWへのルートがあるパブリックサブネットに置く"))


@rule(("TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ", "error", "a TGW VPC attachment has more than one subnet in an AZ"))
def tgw_subnets_per_az(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for att, subnets in eg.attachments.items():
        per_az = Counter(eg.ix.subnets[s].az for s in subnets)
        for az, count in sorted(per_az.items()):
            if count > 1:
                yield ctx.finding("TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ", [att], _("TGWアタッチメント {att} が {az} に {count} 個のサブネットを持つ（AZごとに1つ）").format(att=att, az=az, count=count), eg.where_id("nodes", att),
                                  _("AZごとにサブネットを1つにする"))


@rule(("TGW_ATTACH_AZ_NOT_COVERED", "warning", "a node sits in an AZ where its VPC's TGW attachment has no subnet"))
def tgw_az_coverage(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for att, subnets in eg.attachments.items():
        if not subnets:
            continue
        vpc = eg.vpc_of_subnet(subnets[0])
        azs = set(eg.attachment_azs(att))
        for node, enis in eg.enis.items():
            missing = sorted({e.az for e in enis if e.vpc == vpc and e.az not in azs})
            if missing:
                yield ctx.finding("TGW_ATTACH_AZ_NOT_COVERED", [att, node],
                                  _("{node} は {missing} にあるが、TGWアタッチメント {att} はそのAZにサブネットがない。そのAZの {node} はTGWを使えない（TGW_ROUTE_AZ_RESTRICTION）").format(node=node, missing=', '.join(missing), att=att),
                                  eg.where_id("nodes", att), _("{missing} のサブネットをアタッチメントに追加する").format(missing=', '.join(missing)))


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


@rule(("DXGW_TGW_REQUIRES_TRANSIT_VIF", "error", "a Direct Connect gateway associated with a TGW is not on a transit VIF"))
def dx_transit_vif(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        spec = n.dx_gateway
        if spec is None or spec.tgw is None or "transit" in spec.vif.lower():
            continue
        yield ctx.finding("DXGW_TGW_REQUIRES_TRANSIT_VIF", [n.id, spec.tgw],
                          _("Direct Connect Gateway {id} をTGW {tgw} に関連付けるにはTransit VIFが必要だが、設計書は「{vif}」と記載{assumption}。到達性は関連付け済みとして解析した").format(
                              id=n.id, tgw=spec.tgw, vif=spec.vif, assumption=assumption_ref(eg, spec.assumption or n.assumption)),
                          eg.where_id("nodes", n.id, "dx_gateway", "vif"), _vif_fix(eg, spec.assumption or n.assumption))


def _vif_fix(eg: EnvGraph, assumption: str | None) -> str:
    ref = eg.ix.assumptions[assumption].seed_ref if assumption in eg.ix.assumptions else None
    return (_("VIFの種類をTransit VIFに改める（設計書{ref}の修正）").format(ref=ref) if ref
            else _("VIFの種類をTransit VIFに改める（設計書の修正）"))


@rule(("NAMED_CIDR_UNDEFINED", "error", "a named CIDR used in an environment has no value there"))
def named_cidr_defined(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        spec = n.client_vpn
        if spec is not None and eg.named(spec.client_cidr) is None:
            yield ctx.finding("NAMED_CIDR_UNDEFINED", [n.id, spec.client_cidr],
                              _("Client VPNのクライアントCIDR {client_cidr} に環境 {env} の値がない").format(client_cidr=spec.client_cidr, env=eg.env),
                              eg.where_id("named_cidrs", spec.client_cidr), _("named_cidrs の values にこの環境の値を追加する"))
    for sg, refs in eg.rules.items():
        for r in refs:
            if r.rule.named and r.peer_net is None:
                yield ctx.finding("NAMED_CIDR_UNDEFINED", [sg, r.rule.named],
                                  _("SG {sg} のルール「{purpose}」の {named} に環境 {env} の値がなく、一致しない").format(sg=sg, purpose=r.rule.purpose, named=r.rule.named, env=eg.env),
                                  r.location, _("named_cidrs に値を追加するか、ルールを envs で限定する"))
