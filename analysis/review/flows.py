"""Findings that need paths: flows, listeners, exposure, intents and the CI/CD pipeline.

* ``FLOW_NOT_ADMITTED`` (error) - a drawn flow that no route/SG/NACL admits on its port; an
  arrow with no port from a node whose own code sends (an application's logs or metrics) is
  checked on the ports its target listens on (:func:`~analysis.paths.reach.flow_ports`).
  A flow from or to a transit component (IGW, WAF, TGW attachment, ...) is admitted if a
  reachable path from an origin (the flow's source, or any actor when the source is
  transit) to a target (the flow's target, or any target when it is transit) passes
  through both ends.
* ``ALB_LISTENER_NOT_ADMITTED`` (warning) - a listener port that no source reaches.
* ``FARGATE_IMAGE_PULL_NO_EGRESS`` (error) - an ECS service/task cannot reach ECR on 443
  (from any of its subnets, or from those of one AZ: ``AZ_DEPENDENT``).
* ``INTERNET_EXPOSED_UNINTENDED`` (warning) - an internet actor reaches a node port that no
  ``reach`` intent and no drawn flow declares (the intended public ALB is not reported; a
  redirect-only listener exposes nothing).
* ``INTENT_VIOLATED`` (error) / ``INTENT_KNOWN_VIOLATION`` (warning).
* ``PIPELINE_APPROVAL_BYPASS`` (error) - in the pipeline flows of an environment, a branch
  reaches a step guarded by an approval without passing the approval.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> [f.resources for f in analyze(load_model()).findings if f.code == "PIPELINE_APPROVAL_BYPASS"]
[('main', 'push', 'approval')]
"""

from __future__ import annotations

from typing import Iterator

from analysis.forwarding.balancers import listener_for
from analysis.graph.types import SERVICE_KINDS
from analysis.i18n import _
from analysis.paths.reach import UnknownEndpoint, endpoint_ports, flow_ports
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from model.schema import FlowKind, NodeKind

__all__: list[str] = []  # rules register themselves


def _flow_ok(ctx: ReviewContext, f, protocol: str, ports: tuple[int, ...]) -> tuple[bool, tuple[str, ...]]:
    eg, q = ctx.eg, ctx.net
    srcs = [f.source] if f.source in q.sources else [a.id for a in eg.ix.actors_in(eg.env)]
    tgts = [f.target] if f.target in q.targets else list(q.targets)
    codes: set[str] = set()
    for port in ports:
        for s in srcs:
            for t in tgts:
                if s == t:
                    continue
                try:
                    r = q.reach(s, t, port, protocol)
                except UnknownEndpoint:
                    continue
                nodes = {r.source, r.target} | {h.node for h in r.hops}
                if f.source in nodes and f.target in nodes:
                    # an arrow to a load balancer is admitted when the request reaches it; its
                    # targets' failure is the balancer's own finding (ALB_TARGET_NOT_ADMITTED)
                    if r.ok or (r.front_leg_ok and t == f.target):
                        return True, ()
                    codes.update(r.codes)
    return False, tuple(sorted(codes))


@rule(("FLOW_NOT_ADMITTED", "error", "a drawn flow has no path that routes and filters admit (on its port, or a "
                                     "port its target listens on)"))
def flows_admitted(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for i, f in enumerate(eg.model.flows):
        if eg.env not in f.envs:
            continue
        protocol, ports = flow_ports(eg, f)
        if not ports:
            continue
        ok, codes = _flow_ok(ctx, f, protocol, ports)
        if not ok:
            yield ctx.finding("FLOW_NOT_ADMITTED", (f.source, f.target),
                              _("構成図の矢印 {source} → {target}（{protocol}/{port}）を通す経路がない（{codes}）").format(
                                  source=f.source, target=f.target, protocol=protocol,
                                  port=", ".join(map(str, ports)), codes=", ".join(codes) or _("経路なし")),
                              eg.where("flows", i), _("阻害要因（archdoc reach で確認）のSG・ルートを直すか、図から矢印を外す"))


@rule(("ALB_LISTENER_NOT_ADMITTED", "warning", "no source reaches an ALB listener's port"))
def listeners_admitted(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.alb is None or n.id not in eg.enis:
            continue
        for k, lst in enumerate(n.alb.listeners):
            results = [ctx.net.reach(s, n.id, lst.port) for s in ctx.net.sources if s != n.id]
            if not any(r.front_leg_ok for r in results):  # a listener whose targets fail is reached
                codes = sorted({c for r in results for c in r.codes})
                yield ctx.finding("ALB_LISTENER_NOT_ADMITTED", (n.id,),
                              _("ALB {id} のリスナー {protocol}:{port} にどの送信元も到達できない（{codes}）").format(id=n.id, protocol=lst.protocol, port=lst.port, codes=', '.join(codes)),
                              eg.where_id("nodes", n.id, "alb", "listeners", k),
                              _("ALBのSGに {port} の受信ルールを追加するか、リスナーを削除する").format(port=lst.port))


@rule(("FARGATE_IMAGE_PULL_NO_EGRESS", "error", "an ECS service or task cannot reach ECR on 443 (from some AZ)"))
def image_pull(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    ecr = next((n.id for n in eg.ix.nodes_in(eg.env) if n.kind is NodeKind.ECR), None)
    if ecr is None:
        return
    for n in eg.ix.nodes_in(eg.env):
        if n.kind in (NodeKind.ECS_SERVICE, NodeKind.ECS_TASK) and n.id in eg.enis:
            r = ctx.net.reach(n.id, ecr, 443)
            if r.verdict == "unreachable" or "AZ_DEPENDENT" in r.codes:  # tasks of one AZ cannot start
                where = _("一部のAZの") if r.verdict != "unreachable" else ""
                yield ctx.finding("FARGATE_IMAGE_PULL_NO_EGRESS", (n.id, ecr),
                              _("{where}{id} からECR（443）に到達できず、イメージを取得できない（{codes}）").format(where=where, id=n.id, codes=', '.join(r.codes)),
                              r.blockers[0].location if r.blockers else None, _("NATへのルートと送信ルール 443 を用意する"))


@rule(("INTERNET_EXPOSED_UNINTENDED", "warning", "an internet actor reaches a node port no intent or flow declares"))
def internet_exposure(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    internet = [a.id for a in eg.ix.actors_in(eg.env)
                if (s := eg.ix.sites.get(a.site)) is not None and s.kind == "internet" and not a.vpn_client]
    declared = {(it.source, it.target, it.port) for it in eg.model.intents
                if it.env == eg.env and it.expect == "reach" and it.target_env in (None, eg.env)}
    declared |= {(f.source, f.target, f.port) for f in eg.ix.flows_in(eg.env) if f.port is not None}
    for t in ctx.net.targets:
        if t not in eg.enis or eg.node(t).kind in (NodeKind.NAT_GATEWAY, NodeKind.CLIENT_VPN):
            continue
        if eg.node(t).kind in SERVICE_KINDS:  # a VPC Lambda's ENIs accept nothing: the internet reaches
            continue                          # its regional Invoke API, which IAM guards, not the network
        for a in internet:
            for p in endpoint_ports(eg):
                r = ctx.net.reach(a, t, p)
                lst = listener_for(eg, t, p)[1] if eg.node(t).alb is not None else None
                if lst is not None and lst.action == "redirect":
                    continue  # a redirect-only listener exposes nothing behind it
                if r.verdict != "unreachable" and (a, t, p) not in declared:
                    yield ctx.finding("INTERNET_EXPOSED_UNINTENDED", (t,),
                                  _("インターネットの {a} から {t} の {p} に到達できるが、意図（intents）に宣言されていない").format(a=a, t=t, p=p),
                                  eg.where_id("nodes", t), _("意図どおりなら intents に reach を追加し、違うならSGを絞る"))


@rule(("INTENT_VIOLATED", "error", "an intent the model does not expect to break is broken"),
      ("INTENT_KNOWN_VIOLATION", "warning", "an intent is broken as the source document states it (known_violation)"),
      ("INTENT_KNOWN_VIOLATION_STALE", "info", "an intent marked known_violation now holds"))
def intents_hold(ctx: ReviewContext) -> Iterator[Finding]:
    for r in ctx.intents:
        if r.status == "violated":
            yield ctx.finding("INTENT_VIOLATED", (r.id, r.source, r.target_name),
                          _("意図「{statement}」に反する: {source} → {target_name} {protocol}/{port} は {verdict}（{codes}）").format(statement=r.statement, source=r.source, target_name=r.target_name, protocol=r.protocol, port=r.port, verdict=r.verdict, codes=', '.join(r.codes) or '—'), r.location, _("阻害要因の設定を直す（archdoc reach で確認）"))
        elif r.status == "known-violation":
            yield ctx.finding("INTENT_KNOWN_VIOLATION", (r.id, r.source, r.target_name),
                          _("意図「{statement}」は設計書のままでは満たされない（既知: {known_violation}）（{codes}）").format(statement=r.statement, known_violation=r.known_violation, codes=', '.join(r.codes)), r.location, _("設計書の修正後に known_violation を外す"))
        elif r.stale_known_violation:
            yield ctx.finding("INTENT_KNOWN_VIOLATION_STALE", (r.id,),
                          _("意図 {id} は満たされているが known_violation が残っている").format(id=r.id), r.location, _("known_violation を外す"))


@rule(("PIPELINE_APPROVAL_BYPASS", "error", "a pipeline branch reaches a guarded step without its approval"))
def pipeline_approval(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    index = {(f.source, f.target): i for i, f in enumerate(eg.model.flows)
             if eg.env in f.envs and f.kind is FlowKind.PIPELINE}
    kinds = {n: eg.ix.nodes[n].kind for edge in index for n in edge if n in eg.ix.nodes}
    approvals = [n for n, k in kinds.items() if k is NodeKind.APPROVAL]
    branches = sorted(n for n, k in kinds.items() if k is NodeKind.GIT_BRANCH)
    if not approvals or not branches:
        return
    import networkx as nx  # here, not at the top: this rule alone needs it (0.1-0.2 s to import)

    g = nx.DiGraph()
    g.add_edges_from(index)
    for ap in sorted(approvals):
        guarded = sorted(g.successors(ap))
        open_g = g.copy()
        open_g.remove_node(ap)
        for b in branches:
            for step in guarded:
                if step in open_g and b in open_g and nx.has_path(open_g, b, step):
                    path = nx.shortest_path(open_g, b, step)
                    edge = index.get((path[-2], path[-1]))
                    yield ctx.finding("PIPELINE_APPROVAL_BYPASS", (b, step, ap),
                                  _("パイプラインで {b} から {step} へ承認（{ap}）を通らずに進める: {path}").format(b=b, step=step, ap=ap, path=' → '.join(path)),
                                  eg.where("flows", edge) if edge is not None else None,
                                  _("{path} → {step} の矢印を {ap} 経由だけにする（この環境で直接の矢印を外す）").format(path=path[-2], step=step, ap=ap))
