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
* Client VPN endpoints: :mod:`analysis.review.client_vpn`.
* ``DXGW_TGW_REQUIRES_TRANSIT_VIF`` - a DX gateway associated with a TGW needs a transit VIF.
* ``NAMED_CIDR_UNDEFINED`` - a named CIDR used in this environment has no value here.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> from analysis.review.registry import RULES
>>> mine = {c for r in RULES if r.name.startswith("analysis.review.aws.") for c in r.codes}
>>> sorted({f.code for f in analyze(load_model()).findings if f.env == "poc" and f.code in mine})
['ALB_SUBNETS_SINGLE_AZ', 'RDS_SUBNET_GROUP_SINGLE_AZ']
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from analysis.forwarding.entry import assumption_ref
from analysis.graph.build import EnvGraph
from analysis.graph.filters import lookup
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import _
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
