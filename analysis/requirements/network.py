"""Network and operations requirements: who may call out, who gets the alarm, what stays apart.

* ``egress`` - every node with an interface in a subnet of the policy's tier: 'none' allows
  no outbound SG rule at all, 'vpc' only peers inside the environment's VPCs (or SG
  references), 'internet' anything, limited to ``ports`` outside the VPCs when given
  (``SG_EGRESS_TIER_POLICY``). A component's own ``egress`` replaces the environment's.
* ``alarms_notify`` - the environment has CloudWatch alarms and each reaches, along
  ``notification`` flows through components that exist now, a person's channel (an
  active ``email`` or ``chat`` node, of the required kinds): ``MONITORING_ALARMS_NOT_NOTIFIED``.
* ``must_not_reach`` - ``envs``: the two environments use no common account (a component of
  one placed in an account of the other shares that account's network; cross-environment
  paths are checked once environments sharing a network are analysed together):
  ``ENV_ISOLATION_BROKEN``. ``tiers``: no outside party (for an environment) or the
  component itself (for a component) reaches any node of the tier on a port it listens on
  (``TIER_ISOLATION_BROKEN``, with the reachability analysis).
"""

from __future__ import annotations

from typing import Iterator

from analysis.paths.reach import listening_ports
from analysis.requirements.rows import CheckContext, Outcome, check
from model.schema import FlowKind, Node, NodeKind

__all__ = ["tier_nodes", "alarm_channels", "accounts_used"]

_T = {
    "egress_none_ok": "送信ルールなし",
    "egress_rule": "SG {sg} の送信ルール「{purpose}」（{protocol}/{ports} → {peer}）",
    "egress_bad": "SG {sg} の送信ルール「{purpose}」（{protocol}/{ports} → {peer}）が方針（{policy}）を超える",
    "egress_ok": "送信ルールは方針の範囲内（{rules}）",
    "egress_empty": "この層にノードがない",
    "no_alarms": "アラーム（cloudwatch-alarms）がない",
    "alarm_ok": "{alarm} → {path}",
    "alarm_missing": "{alarm} から{channels}への通知経路がない{ignored}",
    "alarm_ignored": "（{nodes} は存在しない・将来対応のため数えない）",
    "isolated": "共通のアカウントなし（{env}: {mine} / {other}: {theirs}）",
    "shared": "{node} が{env}環境のアカウント {account} に置かれ、{other}環境と共有している",
    "tier_closed": "{sources} から{tier}層（{targets}）に到達できない",
    "tier_open": "{source} から{tier}層の {target}（{port}）に到達できる",
}
_EGRESS = {"none": "送信なし", "vpc": "VPC内のみ", "internet": "インターネット可"}
_CHANNELS = {"email": "メール", "chat": "チャット"}


def tier_nodes(c: CheckContext, tier: str) -> list[Node]:
    """Active nodes with an interface in a subnet of ``tier``."""
    ix = c.eg.ix
    return [n for n in c.nodes() if any(ix.subnets[e.subnet].tier == tier for e in c.eg.enis.get(n.id, ()))]


def _egress_components(c: CheckContext) -> list[Node | None]:
    return [None] + [n for n in c.nodes() if n.at[c.env].requirements.egress]


def _egress_expected(item) -> str:
    ports = f"（外部へは {', '.join(map(str, item.ports))} のみ）" if item.allow == "internet" and item.ports else ""
    return f"{item.tier}: {_EGRESS[item.allow]}{ports}"


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
            seen.append(_T["egress_rule"].format(**words))
            if not allowed and bad is None:
                bad = Outcome.broken(_T["egress_bad"].format(policy=_egress_expected(item), **words), r.location,
                                     "SG_EGRESS_TIER_POLICY")
    if bad is not None:
        return bad
    where = eg.sg_location.get(sgs[0]) if sgs else c.where_node(n.id)
    return Outcome.kept(_T["egress_ok"].format(rules="、".join(seen)) if seen else _T["egress_none_ok"], where)


@check("egress", "送信（アウトバウンド）の方針", _egress_components, _egress_expected, ("SG_EGRESS_TIER_POLICY",),
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
        yield "", Outcome.kept(_T["egress_empty"])
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
    return "アラームを" + ("・".join(_CHANNELS[k] for k in item.channels) or "人") + "に通知"


@check("alarms_notify", "アラームの通知", lambda c: [None], _alarm_expected, ("MONITORING_ALARMS_NOT_NOTIFIED",))
def alarms_notify(c: CheckContext, scope: None, item) -> Iterator[tuple[str, Outcome]]:
    alarms = [n for n in c.nodes() if n.kind is NodeKind.CLOUDWATCH_ALARMS]
    if not alarms:
        yield "", Outcome.broken(_T["no_alarms"], c.eg.where_id("environments", c.env), "MONITORING_ALARMS_NOT_NOTIFIED")
    wanted = set(item.channels) or {"email", "chat"}
    for a in alarms:
        reached, skipped = alarm_channels(c, a.id)
        kinds = {c.eg.ix.nodes[r].kind.value for r in reached}
        if (kinds >= wanted) if item.channels else kinds:
            yield a.id, Outcome.kept(_T["alarm_ok"].format(alarm=a.id, path=", ".join(reached)), c.where_node(a.id))
        else:
            ignored = _T["alarm_ignored"].format(nodes=", ".join(skipped)) if skipped else ""
            missing = "・".join(_CHANNELS[k] for k in sorted(wanted - kinds))
            yield a.id, Outcome.broken(_T["alarm_missing"].format(alarm=a.id, channels=missing, ignored=ignored),
                                       c.where_node(a.id), "MONITORING_ALARMS_NOT_NOTIFIED")


def accounts_used(c: CheckContext, env: str) -> dict[str, tuple[str, str]]:
    """Account id -> (component or '', where) for every account ``env`` owns or places a component in."""
    ix = c.eg.ix
    out = {a.id: ("", c.eg.where_id("accounts", a.id)) for a in ix.accounts_in(env)}
    for n in ix.nodes_in(env):
        account = ix.locate(n.id, env).account
        if account and account not in out:
            out[account] = (n.id, c.eg.where_id("nodes", n.id, "at", env, "account"))
    return out


def _isolation_components(c: CheckContext) -> list[Node | None]:
    return [None] + [n for n in c.nodes() if n.at[c.env].requirements.must_not_reach is not None]


def _isolation_expected(item) -> str:
    return "到達しない: " + ", ".join([*item.envs, *(f"{t}層" for t in item.tiers)])


def _tier(c: CheckContext, sources: list[str], tier: str) -> Outcome:
    targets = [n.id for n in tier_nodes(c, tier)]
    for s in sources:
        for t in targets:
            if t == s:
                continue
            for port in listening_ports(c.eg, t):
                r = c.net.reach(s, t, port)
                if r.ok:
                    rule = next((ref for sg, refs in c.eg.rules.items() for ref in refs
                                 if f"{sg}#{ref.index}" in r.rules and sg in c.eg.enis[t][0].sgs), None)
                    return Outcome.broken(_T["tier_open"].format(source=s, tier=tier, target=t, port=port),
                                          rule.location if rule else c.where_node(t), "TIER_ISOLATION_BROKEN")
    return Outcome.kept(_T["tier_closed"].format(sources=", ".join(sources), tier=tier, targets=", ".join(targets)))


@check("must_not_reach", "環境・層の分離", _isolation_components, _isolation_expected,
       ("ENV_ISOLATION_BROKEN", "TIER_ISOLATION_BROKEN"), inherit=False)
def isolation(c: CheckContext, scope: Node | None, item) -> Iterator[tuple[str, Outcome]]:
    if scope is None:
        mine = accounts_used(c, c.env)
        for other in item.envs:
            theirs = accounts_used(c, other)
            shared = sorted(set(mine) & set(theirs))
            if shared:
                a = shared[0]
                node, where = mine[a] if mine[a][0] else theirs[a]
                owner = c.eg.ix.accounts[a].env if a in c.eg.ix.accounts else "?"
                yield other, Outcome.broken(_T["shared"].format(node=node or a, env=owner, account=a,
                                                                other=other if owner == c.env else c.env),
                                            where, "ENV_ISOLATION_BROKEN")
            else:
                first = next(iter(mine.values()), ("", None))[1]
                yield other, Outcome.kept(_T["isolated"].format(env=c.env, mine=", ".join(mine), other=other,
                                                                theirs=", ".join(theirs)), first)
        sources = [a.id for a in c.eg.ix.actors_in(c.env)]
    else:
        sources = [scope.id]
    for tier in item.tiers:
        yield (scope.id if scope is not None else f"{tier}層"), _tier(c, sources, tier)
