"""Design-time AWS controls: the Security Hub (FSBP) and reviewer checks a design model can decide.

Each rule carries the AWS control it stands for (README lists them). Exposure the design
declares on purpose is not reported: a world-open port that an intent or flow from an
internet party declares, a listener the design redirects.

* ``ELB_1_HTTP_TO_HTTPS`` (ELB.1) - an ALB's HTTP listener forwards instead of redirecting to HTTPS.
* ``ALB_TARGET_NOT_ADMITTED`` - the load balancer cannot reach a target group's port or its
  health-check port (target SG, NACL or route), checked with the reachability analysis.
* ``PRIVATE_SUBNET_ROUTES_TO_IGW`` - a subnet of a private tier, or one that holds a
  database, sends 0.0.0.0/0 to an internet gateway.
* ``EC2_19_HIGH_RISK_PORT_OPEN`` (EC2.19) / ``EC2_18_UNRESTRICTED_PORT`` (EC2.18) - an inbound
  rule from 0.0.0.0/0 on a high-risk port / on a port other than 80 and 443, not declared.
* ``ECS_2_PUBLIC_IP`` (ECS.2), ``RDS_2_PUBLIC_ACCESS`` (RDS.2), ``S3_8_BLOCK_PUBLIC_ACCESS`` (S3.8).
* ``CLOUDWATCH_15_ALARM_ACTIONS`` (CloudWatch.15) - an alarm notifies no one; where the
  environment requires alarm notification, ``MONITORING_ALARMS_NOT_NOTIFIED`` reports it instead.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> from analysis.review.registry import RULES
>>> mine = {c for r in RULES if r.name.startswith("analysis.review.controls.") for c in r.codes}
>>> sorted({f.code for f in analyze(load_model()).findings if f.code in mine})
[]
"""

from __future__ import annotations

from typing import Iterator

from analysis.requirements.network import alarm_channels
from analysis.requirements.rows import CheckContext
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.review.requirements import rows_of
from analysis.i18n import N_, Templates, _
from model.schema import NodeKind

__all__ = ["HIGH_RISK_PORTS", "AUTHORIZED_PORTS", "DATA_KINDS"]

HIGH_RISK_PORTS = (20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500,
                   5601, 8080, 8088, 8888, 9200, 9300)
"""The ports Security Hub EC2.19 treats as high risk when open to the world."""
AUTHORIZED_PORTS = (80, 443)
"""The ports Security Hub EC2.18 allows open to the world by default (``authorizedTcpPorts``)."""
DATA_KINDS = frozenset({NodeKind.RDS})
"""Node kinds that hold data: their subnets must not route to an internet gateway."""

_T = Templates({
    "elb1": N_("ALB {alb} のリスナー {protocol}:{port} がHTTPSへリダイレクトせず転送している"),
    "tg": N_("ALB {alb} からターゲットグループ {tg} の {target} へ{what} {port} で到達できない（{codes}）"),
    "tg_traffic": N_("トラフィックポート"),
    "tg_health": N_("ヘルスチェックポート"),
    "igw": N_("サブネット {subnet}（{why}）のルート 0.0.0.0/0 がインターネットゲートウェイ {igw} を向いている"),
    "igw_tier": N_("{tier}層"),
    "igw_data": N_("{nodes} を置く"),
    "open": N_("SG {sg} のルール「{purpose}」が 0.0.0.0/0 から {protocol}/{ports} を許可している（{which}）"),
    "open_high": N_("高リスクのポート {hits}"),
    "open_other": N_("80・443以外"),
    "ecs2": N_("{node} にパブリックIPが割り当てられる"),
    "rds2": N_("RDS {node} がパブリックアクセス可能（publicly_accessible: true）"),
    "s3_8": N_("S3バケット {node} のパブリックアクセスブロックが無効"),
    "cw15": N_("アラーム {alarm} の通知がどこにも届かない{ignored}"),
})


@rule(("ELB_1_HTTP_TO_HTTPS", "warning", "an ALB HTTP listener forwards instead of redirecting to HTTPS", "ELB.1"))
def http_redirect(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        for k, lst in enumerate(n.alb.listeners if n.alb is not None else ()):
            if lst.protocol == "HTTP" and lst.action == "forward":
                yield ctx.finding("ELB_1_HTTP_TO_HTTPS", (n.id,), _T.text("elb1").format(alb=n.id, protocol=lst.protocol,
                                                                                     port=lst.port),
                                  eg.where_id("nodes", n.id, "alb", "listeners", k),
                                  _("HTTPリスナーをHTTPS:443へのリダイレクトにする"))


@rule(("ALB_TARGET_NOT_ADMITTED", "error",
       "the load balancer cannot reach a target group's port or health-check port (SG, NACL, route)"))
def targets_admitted(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.alb is None or n.id not in eg.enis:
            continue
        for j, tg in enumerate(n.alb.target_groups):
            if tg.target not in eg.enis:
                continue
            checks = [(tg.port, _T.text("tg_traffic"), ("alb", "target_groups", j, "port"))]
            hc = n.alb.health_check.port
            if hc is not None and hc != tg.port:
                checks.append((hc, _T.text("tg_health"), ("alb", "health_check", "port")))
            for port, what, keys in checks:
                r = ctx.net.reach(n.id, tg.target, port)
                if not r.ok:
                    where = r.blockers[0].location if r.blockers else eg.where_id("nodes", n.id, *keys)
                    yield ctx.finding("ALB_TARGET_NOT_ADMITTED", (n.id, tg.id, tg.target),
                                      _T.text("tg").format(alb=n.id, tg=tg.id, target=tg.target, what=what, port=port,
                                                      codes=", ".join(r.codes)),
                                      where, _("{target} のSGにALBのSGから {port} の受信を、ALBのSGに送信を許可する").format(target=tg.target, port=port))


@rule(("PRIVATE_SUBNET_ROUTES_TO_IGW", "error",
       "a subnet of a private tier, or one holding a database, routes 0.0.0.0/0 to an internet gateway"))
def private_igw(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for subnet in sorted(eg.subnet_net):
        rt = eg.subnet_rt.get(subnet)
        route = eg.rt_routes[rt].lookup(eg.addresses.internet) if rt in eg.rt_routes else None
        target = eg.ix.nodes.get(route.target) if route is not None else None
        if target is None or target.kind is not NodeKind.IGW:
            continue
        tier = eg.ix.subnets[subnet].tier
        data = [n.id for n in eg.ix.nodes_in_subnet(subnet, eg.env) if n.kind in DATA_KINDS]
        if tier == "public" and not data:
            continue
        why = _T.text("igw_data").format(nodes=", ".join(data)) if data else _T.text("igw_tier").format(tier=tier)
        yield ctx.finding("PRIVATE_SUBNET_ROUTES_TO_IGW", (subnet, target.id),
                          _T.text("igw").format(subnet=subnet, why=why, igw=target.id), route.location,
                          _("0.0.0.0/0 をNAT Gatewayに向けるか削除する（データ層はVPC内のみ）"))


def _declared_open(ctx: ReviewContext, sg: str, lo: int, hi: int) -> set[int]:
    """Ports in lo..hi that an intent or flow from an internet party to a member of ``sg`` declares."""
    eg = ctx.eg
    internet = {a.id for a in eg.ix.actors_in(eg.env) if (s := eg.ix.sites.get(a.site)) and s.kind == "internet"}
    members = eg.sg_members.get(sg, frozenset())
    wanted = [(i.source, i.target, i.port) for i in eg.model.intents if i.env == eg.env and i.expect == "reach"]
    wanted += [(f.source, f.target, f.port) for f in eg.ix.flows_in(eg.env) if f.port is not None]
    return {p for s, t, p in wanted if s in internet and t in members and lo <= p <= hi}


@rule(("EC2_19_HIGH_RISK_PORT_OPEN", "error", "an SG admits a high-risk port from 0.0.0.0/0 that no intent declares",
       "EC2.19"),
      ("EC2_18_UNRESTRICTED_PORT", "warning", "an SG admits a port other than 80/443 from 0.0.0.0/0 that no intent declares",
       "EC2.18"))
def world_open(ctx: ReviewContext) -> Iterator[Finding]:
    for sg, refs in ctx.eg.rules.items():
        for r in refs:
            if r.direction != "inbound" or r.peer_net is None or r.peer_net.prefixlen != 0:
                continue
            lo, hi = r.ports
            declared = _declared_open(ctx, sg, lo, hi)
            high = [p for p in HIGH_RISK_PORTS if lo <= p <= hi and p not in declared]
            other = hi - lo + 1 - sum(lo <= p <= hi for p in {*AUTHORIZED_PORTS, *declared, *high})
            words = {"sg": sg, "purpose": r.rule.purpose, "protocol": r.protocol,
                     "ports": f"{lo}" if lo == hi else f"{lo}-{hi}"}
            if high:
                hits = ", ".join(map(str, high[:5])) + ("…" if len(high) > 5 else "")
                yield ctx.finding("EC2_19_HIGH_RISK_PORT_OPEN", (sg,),
                                  _T.text("open").format(which=_T.text("open_high").format(hits=hits), **words), r.location,
                                  _("送信元を必要な範囲（ALBのSG・社内のCIDR）に絞る。公開が意図なら intents に宣言する"))
            elif other > 0:
                yield ctx.finding("EC2_18_UNRESTRICTED_PORT", (sg,), _T.text("open").format(which=_T.text("open_other"), **words),
                                  r.location, _("送信元を絞る。公開が意図なら intents に宣言する"))


@rule(("ECS_2_PUBLIC_IP", "error", "an ECS service or task is assigned a public IP address", "ECS.2"),
      ("RDS_2_PUBLIC_ACCESS", "error", "an RDS instance is publicly accessible", "RDS.2"),
      ("S3_8_BLOCK_PUBLIC_ACCESS", "error", "an S3 bucket does not block public access", "S3.8"))
def public_access(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        p = n.at[eg.env]
        if n.kind in (NodeKind.ECS_SERVICE, NodeKind.ECS_TASK) and n.public_ip:
            yield ctx.finding("ECS_2_PUBLIC_IP", (n.id,), _T.text("ecs2").format(node=n.id), eg.where_id("nodes", n.id, "public_ip"),
                              _("public_ip: false にし、送信はNAT Gateway（またはVPCエンドポイント）を通す"))
        if p.rds is not None and p.rds.publicly_accessible:
            yield ctx.finding("RDS_2_PUBLIC_ACCESS", (n.id,), _T.text("rds2").format(node=n.id),
                              eg.where_id("nodes", n.id, "at", eg.env, "rds", "publicly_accessible"),
                              _("publicly_accessible: false にする"))
        if p.s3 is not None and not p.s3.block_public_access:
            yield ctx.finding("S3_8_BLOCK_PUBLIC_ACCESS", (n.id,), _T.text("s3_8").format(node=n.id),
                              eg.where_id("nodes", n.id, "at", eg.env, "s3", "block_public_access"),
                              _("block_public_access: true にする（公開配信はCloudFront経由にする）"))


@rule(("CLOUDWATCH_15_ALARM_ACTIONS", "warning", "a CloudWatch alarm notifies no one (no notification flow reaches a person)",
       "CloudWatch.15"))
def alarm_actions(ctx: ReviewContext) -> Iterator[Finding]:
    if any(r.key == "alarms_notify" and r.declared for r in rows_of(ctx)):
        return  # the requirement's own check (MONITORING_ALARMS_NOT_NOTIFIED) reports it
    c = CheckContext(ctx.eg, ctx.net)
    for a in c.nodes():
        if a.kind is NodeKind.CLOUDWATCH_ALARMS:
            reached, skipped = alarm_channels(c, a.id)
            if not reached:
                ignored = _("（{skipped} は存在しない・将来対応）").format(skipped=', '.join(skipped)) if skipped else ""
                yield ctx.finding("CLOUDWATCH_15_ALARM_ACTIONS", (a.id,), _T.text("cw15").format(alarm=a.id, ignored=ignored),
                                  c.where_node(a.id), _("アラーム → SNS → メール等の通知フロー（notification）を追加する"))
