"""AWS service constraints as small rules, one function per constraint.

Each rule takes an :class:`~analysis.graph.EnvGraph` and yields
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
* ``DXGW_TGW_REQUIRES_TRANSIT_VIF`` - a DX gateway associated with a TGW needs a transit VIF.
* ``NAMED_CIDR_UNDEFINED`` - a named CIDR used in this environment has no value here.

>>> from analysis.loading import load
>>> from analysis.graph import build_graph
>>> sorted({f.code for f in aws_findings(build_graph(load(), "poc"))})
['ALB_SUBNETS_SINGLE_AZ', 'CVPN_SINGLE_SUBNET', 'RDS_SUBNET_GROUP_SINGLE_AZ']
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from analysis.graph.filters import lookup
from analysis.graph import PUBLIC_ADDR, EnvGraph
from analysis.results import Finding
from model.schema import NodeKind

__all__ = ["aws_findings", "AWS_RULES"]


def _f(eg: EnvGraph, sev: str, code: str, res, msg: str, loc, fix: str) -> Finding:
    return Finding(eg.env, sev, code, tuple(res), msg, loc, fix)


def _routes_to_igw(eg: EnvGraph, subnet: str) -> bool:
    rt = eg.subnet_rt.get(subnet)
    e = lookup(eg.rt_routes.get(rt, ()), PUBLIC_ADDR)
    return e is not None and e.target in eg.ix.nodes and eg.ix.nodes[e.target].kind is NodeKind.IGW


def alb_rules(eg: EnvGraph) -> Iterator[Finding]:
    for n in eg.ix.nodes_in(eg.env):
        if n.alb is None:
            continue
        p = n.at[eg.env]
        azs = sorted({eg.ix.subnets[s].az for s in p.subnets})
        if len(azs) < 2:
            yield _f(eg, "error", "ALB_SUBNETS_SINGLE_AZ", [n.id, *p.subnets],
                     f"ALB {n.id} のサブネットが {len(azs)} AZ（{', '.join(azs)}）のみ。ALBには2つ以上のAZのサブネットが必要",
                     eg.where_id("nodes", n.id, "at", eg.env, "subnets"),
                     "別のAZのパブリックサブネット（例: Public Subnet 2）をALBのサブネットに追加する")
        if n.alb.scheme == "internet-facing":
            for s in p.subnets:
                if not _routes_to_igw(eg, s):
                    yield _f(eg, "error", "ALB_INTERNET_FACING_NO_IGW_ROUTE", [n.id, s],
                             f"インターネット向けALB {n.id} のサブネット {s} にIGWへのルートがない",
                             eg.rt_location.get(eg.subnet_rt.get(s)), "サブネットのルートテーブルに 0.0.0.0/0 → IGW を追加する")
        for j, tg in enumerate(n.alb.target_groups):
            tnode = eg.ix.nodes.get(tg.target)
            if tnode is None or eg.env not in tnode.at:
                continue
            fg = tnode.at[eg.env].fargate
            if fg is not None and fg.container_port != tg.port:
                yield _f(eg, "error", "ALB_TARGET_PORT_MISMATCH", [n.id, tg.target],
                         f"ターゲットグループ {tg.id} のポート {tg.port} が {tg.target} のコンテナポート {fg.container_port} と異なる",
                         eg.where_id("nodes", n.id, "alb", "target_groups", j), "ターゲットグループのポートをコンテナポートに合わせる")


def rds_rules(eg: EnvGraph) -> Iterator[Finding]:
    for n in eg.ix.nodes_in(eg.env):
        spec = n.at[eg.env].rds
        if spec is None:
            continue
        azs = sorted({eg.ix.subnets[s].az for s in spec.subnet_group if s in eg.ix.subnets})
        if len(azs) < 2:
            yield _f(eg, "error", "RDS_SUBNET_GROUP_SINGLE_AZ", [n.id, *spec.subnet_group],
                     f"RDS {n.id} のDBサブネットグループが {len(azs)} AZ（{', '.join(azs)}）のみ。"
                     "DBサブネットグループは2つ以上のAZのサブネットが必要（Single-AZでも同様）",
                     eg.where_id("nodes", n.id, "at", eg.env, "rds", "subnet_group"),
                     "別のAZにDBサブネット（例: Private Subnet DB 2）を作り、サブネットグループに加える")


def nat_rules(eg: EnvGraph) -> Iterator[Finding]:
    for n in eg.ix.nodes_in(eg.env):
        if n.kind is not NodeKind.NAT_GATEWAY:
            continue
        for s in n.at[eg.env].subnets:
            if not _routes_to_igw(eg, s):
                yield _f(eg, "error", "NAT_NOT_IN_PUBLIC_SUBNET", [n.id, s],
                         f"NAT Gateway {n.id} のサブネット {s} にIGWへのルートがない（パブリックサブネットに置く必要がある）",
                         eg.where_id("nodes", n.id), "NATをIGWへのルートがあるパブリックサブネットに置く")


def tgw_rules(eg: EnvGraph) -> Iterator[Finding]:
    for att, subnets in eg.attachments.items():
        per_az = Counter(eg.ix.subnets[s].az for s in subnets)
        for az, count in sorted(per_az.items()):
            if count > 1:
                yield _f(eg, "error", "TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ", [att], f"TGWアタッチメント {att} が {az} に "
                         f"{count} 個のサブネットを持つ（AZごとに1つ）", eg.where_id("nodes", att), "AZごとにサブネットを1つにする")
        if not subnets:
            continue
        vpc = eg.vpc_of_subnet(subnets[0])
        azs = set(eg.attachment_azs(att))
        for node, enis in eg.enis.items():
            missing = sorted({e.az for e in enis if e.vpc == vpc and e.az not in azs})
            if missing:
                yield _f(eg, "warning", "TGW_ATTACH_AZ_NOT_COVERED", [att, node],
                         f"{node} は {', '.join(missing)} にあるが、TGWアタッチメント {att} はそのAZにサブネットがない。"
                         "そのAZの {node} はTGWを使えない（TGW_ROUTE_AZ_RESTRICTION）".replace("{node}", node),
                         eg.where_id("nodes", att), f"{', '.join(missing)} のサブネットをアタッチメントに追加する")


def cvpn_rules(eg: EnvGraph) -> Iterator[Finding]:
    for n in eg.ix.nodes_in(eg.env):
        spec = n.client_vpn
        if spec is None:
            continue
        client = eg.named(spec.client_cidr)
        if client is None:
            yield _f(eg, "error", "NAMED_CIDR_UNDEFINED", [n.id, spec.client_cidr],
                     f"Client VPNのクライアントCIDR {spec.client_cidr} に環境 {eg.env} の値がない",
                     eg.where_id("named_cidrs", spec.client_cidr), "named_cidrs の values にこの環境の値を追加する")
        else:
            if not 12 <= client.prefixlen <= 22:
                yield _f(eg, "error", "CVPN_CLIENT_CIDR_SIZE", [n.id], f"クライアントCIDR {client} は /12〜/22 の範囲外",
                         eg.where_id("named_cidrs", spec.client_cidr), "/12〜/22 のCIDRにする")
            vpcs = {eg.vpc_of_subnet(s) for s in spec.associated_subnets}
            for v in sorted(vpcs):
                if client.overlaps(eg.vpc_net[v]):
                    yield _f(eg, "error", "CVPN_CLIENT_CIDR_OVERLAP", [n.id, v], f"クライアントCIDR {client} がVPC {v}"
                             f"（{eg.vpc_net[v]}）と重なる", eg.where_id("named_cidrs", spec.client_cidr), "重ならないCIDRにする")
        if len(spec.associated_subnets) < 2:
            yield _f(eg, "warning", "CVPN_SINGLE_SUBNET", [n.id, *spec.associated_subnets],
                     f"Client VPN {n.id} の関連付けサブネットが1つだけ（そのAZの障害で接続できなくなる、冗長性なし）",
                     eg.where_id("nodes", n.id, "client_vpn", "associated_subnets"), "別のAZのサブネットも関連付ける")


def dx_rules(eg: EnvGraph) -> Iterator[Finding]:
    for n in eg.ix.nodes_in(eg.env):
        spec = n.dx_gateway
        if spec is None or "transit" in spec.vif.lower():
            continue
        yield _f(eg, "error", "DXGW_TGW_REQUIRES_TRANSIT_VIF", [n.id, spec.tgw],
                 f"Direct Connect Gateway {n.id} をTGW {spec.tgw} に関連付けるにはTransit VIFが必要だが、設計書は「{spec.vif}」と記載"
                 "（c-dx-private-vif）。到達性は関連付け済みとして解析した",
                 eg.where_id("nodes", n.id, "dx_gateway", "vif"), "VIFの種類をTransit VIFに改める（設計書2.1の修正）")


def named_rules(eg: EnvGraph) -> Iterator[Finding]:
    for sg, refs in eg.rules.items():
        for r in refs:
            if r.rule.named and r.peer_net is None:
                yield _f(eg, "error", "NAMED_CIDR_UNDEFINED", [sg, r.rule.named],
                         f"SG {sg} のルール「{r.rule.purpose}」の {r.rule.named} に環境 {eg.env} の値がなく、一致しない",
                         r.location, "named_cidrs に値を追加するか、ルールを envs で限定する")


AWS_RULES = (alb_rules, rds_rules, nat_rules, tgw_rules, cvpn_rules, dx_rules, named_rules)


def aws_findings(eg: EnvGraph) -> list[Finding]:
    return [f for rule in AWS_RULES for f in rule(eg)]
