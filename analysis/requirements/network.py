"""Network and operations requirements: who may call out, who gets the alarm.

* ``egress`` - every node with an interface in a subnet of the policy's tier: 'none' allows
  no outbound SG rule at all, 'vpc' only peers inside the environment's VPCs (or SG
  references), 'internet' anything, limited to ``ports`` outside the VPCs when given
  (``SG_EGRESS_TIER_POLICY``). A component's own ``egress`` replaces the environment's.
* ``alarms_notify`` - the environment has CloudWatch alarms and each reaches, along
  ``notification`` flows through components that exist now, a person's channel (an
  active ``email`` or ``chat`` node, of the required kinds): ``MONITORING_ALARMS_NOT_NOTIFIED``.

``must_not_reach`` (environments and tiers kept apart) is :mod:`analysis.requirements.isolation`.
"""

from __future__ import annotations

from typing import Iterator

from analysis.requirements.rows import CheckContext, Outcome, check
from analysis.i18n import N_, Templates, _
from model.schema import FlowKind, Node, NodeKind

__all__ = ["tier_nodes", "alarm_channels"]

_T = Templates({
    "egress_none_ok": N_("送信ルールなし"),
    "egress_rule": N_("SG {sg} の送信ルール「{purpose}」（{protocol}/{ports} → {peer}）"),
    "egress_bad": N_("SG {sg} の送信ルール「{purpose}」（{protocol}/{ports} → {peer}）が方針（{policy}）を超える"),
    "egress_ok": N_("送信ルールは方針の範囲内（{rules}）"),
    "egress_empty": N_("この層にノードがない"),
    "no_alarms": N_("アラーム（cloudwatch-alarms）がない"),
    "alarm_ok": "{alarm} → {path}",
    "alarm_missing": N_("{alarm} から{channels}への通知経路がない{ignored}"),
    "alarm_ignored": N_("（{nodes} は存在しない・将来対応のため数えない）"),
})
_EGRESS = {"none": N_("送信なし"), "vpc": N_("VPC内のみ"), "internet": N_("インターネット可")}
_CHANNELS = {"email": N_("メール"), "chat": N_("チャット")}


def tier_nodes(c: CheckContext, tier: str) -> list[Node]:
    """Active nodes with an interface in a subnet of ``tier``."""
    ix = c.eg.ix
    return [n for n in c.nodes() if any(ix.subnets[e.subnet].tier == tier for e in c.eg.enis.get(n.id, ()))]


def _egress_components(c: CheckContext) -> list[Node | None]:
    return [None] + [n for n in c.nodes() if n.at[c.env].requirements.egress]


def _egress_expected(item) -> str:
    ports = _("（外部へは {ports} のみ）").format(ports=', '.join(map(str, item.ports))) if item.allow == "internet" and item.ports else ""
    return f"{item.tier}: {_(_EGRESS[item.allow])}{ports}"


def _egress_of(c: CheckContext, n: Node, item) -> Outcome:
    eg = c.eg
    inside = list(eg.vpc_net.values())
    seen, bad = [], None
    sgs = eg.enis[n.id][0].sgs if n.id in eg.enis else ()
    for sg in sgs:
        for r in eg.rules.get(sg, ()):
            if r.direction != "outbound":
                continue
            peer = r.peer_sg or str(r.peer_net)
            words = {"sg": sg, "purpose": r.rule.purpose, "protocol": r.protocol,
                     "ports": f"{r.ports[0]}" if r.ports[0] == r.ports[1] else f"{r.ports[0]}-{r.ports[1]}", "peer": peer}
            outside = r.peer_sg is None and not any(r.peer_net is not None and r.peer_net.subnet_of(v) for v in inside)
            allowed = (item.allow == "internet" and (not outside or not item.ports
                                                     or set(range(r.ports[0], r.ports[1] + 1)) <= set(item.ports))
                       or item.allow == "vpc" and not outside)
            seen.append(_T.text("egress_rule").format(**words))
            if not allowed and bad is None:
                bad = Outcome.broken(_T.text("egress_bad").format(policy=_egress_expected(item), **words), r.location,
                                     "SG_EGRESS_TIER_POLICY")
    if bad is not None:
        return bad
    where = eg.sg_location.get(sgs[0]) if sgs else c.where_node(n.id)
    return Outcome.kept(_T.text("egress_ok").format(rules=_("、").join(seen)) if seen else _T.text("egress_none_ok"), where)


@check("egress", N_("送信（アウトバウンド）の方針"), _egress_components, _egress_expected, ("SG_EGRESS_TIER_POLICY",),
       inherit=False)
def egress(c: CheckContext, scope: Node | None, item) -> Iterator[tuple[str, Outcome]]:
    nodes = tier_nodes(c, item.tier)
    if scope is not None:
        if scope in nodes:
            yield scope.id, _egress_of(c, scope, item)
        return
    own = [n for n in nodes if n.at[c.env].requirements.egress]
    rest = [n for n in nodes if n not in own]
    if not nodes:
        yield "", Outcome.kept(_T.text("egress_empty"))
    for n in rest:
        yield n.id, _egress_of(c, n, item)


def alarm_channels(c: CheckContext, alarm: str) -> tuple[list[str], list[str]]:
    """(active person channels reached from ``alarm``, nodes on the way that do not exist now)."""
    active = {n.id for n in c.nodes()}
    ix, flows = c.eg.ix, [f for f in c.eg.ix.flows_in(c.env) if f.kind is FlowKind.NOTIFICATION]
    reached, skipped, frontier, seen = [], [], [alarm], {alarm}
    while frontier:
        cur = frontier.pop(0)
        for f in flows:
            if f.source != cur or f.target in seen or f.target not in ix.nodes:
                continue
            seen.add(f.target)
            if f.target not in active:
                skipped.append(f.target)
            elif ix.nodes[f.target].kind in (NodeKind.EMAIL, NodeKind.CHAT):
                reached.append(f.target)
            else:
                frontier.append(f.target)
    return reached, skipped


def _alarm_expected(item) -> str:
    return _("アラームを{channels}に通知").format(channels=_("・").join(_(_CHANNELS[k]) for k in item.channels) or _("人"))


@check("alarms_notify", N_("アラームの通知"), lambda c: [None], _alarm_expected, ("MONITORING_ALARMS_NOT_NOTIFIED",))
def alarms_notify(c: CheckContext, scope: None, item) -> Iterator[tuple[str, Outcome]]:
    alarms = [n for n in c.nodes() if n.kind is NodeKind.CLOUDWATCH_ALARMS]
    if not alarms:
        yield "", Outcome.broken(_T.text("no_alarms"), c.eg.where_id("environments", c.env), "MONITORING_ALARMS_NOT_NOTIFIED")
    wanted = set(item.channels) or {"email", "chat"}
    for a in alarms:
        reached, skipped = alarm_channels(c, a.id)
        kinds = {c.eg.ix.nodes[r].kind.value for r in reached}
        if (kinds >= wanted) if item.channels else kinds:
            yield a.id, Outcome.kept(_T.text("alarm_ok").format(alarm=a.id, path=", ".join(reached)), c.where_node(a.id))
        else:
            ignored = _T.text("alarm_ignored").format(nodes=", ".join(skipped)) if skipped else ""
            missing = _("・").join(_(_CHANNELS[k]) for k in sorted(wanted - kinds))
            yield a.id, Outcome.broken(_T.text("alarm_missing").format(alarm=a.id, channels=missing, ignored=ignored),
                                       c.where_node(a.id), "MONITORING_ALARMS_NOT_NOTIFIED")
