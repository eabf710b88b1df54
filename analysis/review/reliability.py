"""Reliability basics any design should get right, decided from the model alone.

* ``NAT_CROSS_AZ_DEPENDENCY`` (warning) - private subnets of one AZ send their internet
  traffic (0.0.0.0/0) to a NAT gateway in another AZ: that AZ's failure cuts them off, and
  the traffic pays for crossing AZs. Only subnets holding something that may call out
  count (a node whose security groups allow outbound traffic beyond private ranges): a
  database subnet that never calls out does not depend on the NAT gateway. AWS's guidance is one NAT gateway per AZ, each used by
  the subnets of its own AZ. Silent where the environment declares it need not survive the
  loss of an AZ (``requirements.survive_az_loss: false``).
* ``ALB_NO_HTTPS_LISTENER`` (warning) - an internet-facing load balancer has no HTTPS
  listener: everything it serves crosses the internet unencrypted.

Multi-AZ databases and services in production environments are decided by the requirement
checks (:mod:`analysis.requirements.availability`): an environment marked production is held
to Multi-AZ where its document states nothing (``RDS_5_MULTI_AZ``, ``ECS_SERVICE_SINGLE_AZ``).

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> [f.code for f in analyze(load_model()).findings if f.code in ("NAT_CROSS_AZ_DEPENDENCY", "ALB_NO_HTTPS_LISTENER")]
[]
"""

from __future__ import annotations

from typing import Iterator

from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import N_, Templates, _
from model.schema import NodeKind

__all__: list[str] = []  # rules register themselves

_T = Templates({
    "cross_nat": N_("{nat}（{nat_az}）を {azs} のサブネット {subnets} がインターネットへの出口（0.0.0.0/0）に使っている。"
                 "{nat_az} の障害でこれらのサブネットはインターネットに出られなくなり、AZ間の通信料金もかかる"),
    "cross_nat_fix": N_("AZごとにNAT Gatewayを置き、各サブネットのルートテーブルで同じAZのNAT Gatewayを指す"),
    "no_https": N_("インターネット向けロードバランサー {lb} にHTTPSリスナーがない（リスナー: {listeners}）。"
                "通信が暗号化されずにインターネットを通る"),
    "no_https_fix": N_("証明書を設定したHTTPS（443）リスナーを追加し、HTTPはHTTPSへリダイレクトする"),
})


def _calls_out(eg, sgs: tuple[str, ...]) -> bool:
    """True when an outbound rule of ``sgs`` admits a destination beyond private address ranges."""
    return any(r.direction == "outbound" and r.peer_net is not None and not r.peer_net.is_private
               for sg in sgs for r in eg.rules.get(sg, ()))


@rule(("NAT_CROSS_AZ_DEPENDENCY", "warning",
       "private subnets of one AZ reach the internet through a NAT gateway in another AZ", "WA REL10-BP01"))
def nat_cross_az(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    declared = eg.ix.envs[ctx.env].requirements.survive_az_loss
    if declared is not None and not declared.value:
        return
    calling = {e.subnet for enis in eg.enis.values() for e in enis if _calls_out(eg, e.sgs)}
    users: dict[str, list[tuple[str, str]]] = {}
    for subnet, rt in sorted(eg.subnet_rt.items()):
        if subnet not in calling:
            continue
        route = eg.rt_routes[rt].lookup(eg.addresses.internet) if rt in eg.rt_routes else None
        nat = eg.ix.nodes.get(route.target) if route is not None else None
        if nat is None or nat.kind is not NodeKind.NAT_GATEWAY or ctx.env not in nat.at:
            continue
        nat_azs = {eg.ix.subnets[s].az for s in nat.at[ctx.env].subnets}
        az = eg.ix.subnets[subnet].az
        if nat_azs and az not in nat_azs:
            users.setdefault(nat.id, []).append((subnet, az))
    for nat_id, subnets in sorted(users.items()):
        nat = eg.ix.nodes[nat_id]
        words = {"nat": nat_id, "nat_az": ", ".join(sorted({eg.ix.subnets[s].az for s in nat.at[ctx.env].subnets})),
                 "azs": ", ".join(sorted({az for _, az in subnets})), "subnets": ", ".join(s for s, _ in subnets)}
        first_rt = eg.subnet_rt[subnets[0][0]]
        yield ctx.finding("NAT_CROSS_AZ_DEPENDENCY", [nat_id, *(s for s, _ in subnets)], _T.text("cross_nat").format(**words),
                          eg.rt_location.get(first_rt), _T.text("cross_nat_fix"))


@rule(("ALB_NO_HTTPS_LISTENER", "warning", "an internet-facing load balancer has no HTTPS listener", "WA SEC09-BP02"))
def alb_https(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for n in eg.ix.nodes_in(ctx.env):
        if n.alb is None or n.alb.scheme != "internet-facing":
            continue
        if not any(lst.protocol == "HTTPS" for lst in n.alb.listeners):
            listeners = ", ".join(f"{lst.protocol}:{lst.port}" for lst in n.alb.listeners) or _("なし")
            yield ctx.finding("ALB_NO_HTTPS_LISTENER", [n.id], _T.text("no_https").format(lb=n.id, listeners=listeners),
                              eg.where_id("nodes", n.id, "alb", "listeners"), _T.text("no_https_fix"))
