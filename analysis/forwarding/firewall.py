"""AWS Network Firewall: a route to the firewall reaches its endpoint in the packet's AZ.

AWS (Network Firewall guide, "Stateless and stateful rules engines", "Avoiding asymmetric
routing"): stateless rules run first by priority (``pass``, ``drop``, or ``forward`` to
the stateful engine), then the stateless default action; stateful rules (strict order)
take the first match, then the stateful default. A drop is ``FIREWALL_RULES_RESTRICTION``.
A flow passed by the stateful engine is a session at *that endpoint*: its reply must come
back through the same endpoint. A reply through another endpoint, or one that bypasses
the firewall, finds no flow state and is dropped (``FIREWALL_ASYMMETRIC_ROUTING``); with a
TGW, appliance mode on the inspection VPC's attachment keeps both directions on one AZ.
Stateless rules are evaluated again on the reply. After inspection, the firewall
subnet's route table forwards the packet.
"""

from __future__ import annotations


from analysis.forwarding.routing import ROUTE_TARGETS
from analysis.forwarding.trace import Packet, changed
from analysis.forwarding.walk import Walk, hop
from analysis.graph.filters import proto_match
from analysis.graph.types import net, ports_of
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["rule_admits", "verdict", "decide"]

T = Templates({
    "no_endpoint": N_("Network Firewall {fw} にエンドポイントがない"),
    "other_az": N_("Network Firewall {fw} は {az} にエンドポイントがなく、{used} のエンドポイントを使う（AZをまたぐ）"),
    "pass": N_("Network Firewall {fw}（{subnet}, {az}）: {engine}ルール {rule}（{action}）"),
    "default": N_("Network Firewall {fw}（{subnet}, {az}）: {engine}の既定アクション（{action}）"),
    "session": N_("Network Firewall {fw}（{subnet}, {az}）: 往路のフローの応答として許可"),
    "drop": N_("Network Firewall {fw}（{subnet}）の{what} が {proto}/{port} {src} → {dst} を破棄"),
    "drop_rule": N_("{engine}ルール {rule}"),
    "drop_default": N_("{engine}の既定アクション"),
    "asymmetric": N_("Network Firewall {fw} の {subnet}（{az}）には往路のフローの状態がない（往路は {other}）。"
                  "ステートフルエンジンは片方向だけの通信を破棄する"),
    "bypass": N_("Network Firewall {fw} は往路だけを検査し、応答は {fw} を通らない（非対称ルーティング）"),
    "stateless": N_("ステートレス"),
    "stateful": N_("ステートフル"),
})


def rule_admits(r, h) -> bool:
    """True when firewall rule ``r`` matches header ``h`` (protocol, addresses, destination port)."""
    lo, hi = ports_of(r.port)
    ports = h.eph if h.reply else (h.port, h.port)  # a reply goes to the client's ephemeral ports
    return (proto_match(r.protocol, h.proto) and lo <= ports[0] and ports[1] <= hi
            and h.src.subnet_of(net(r.source)) and h.dst.subnet_of(net(r.destination)))


def _to_firewall(w: Walk, p: Packet, vpc: str, fw: str) -> Packet | None:
    subnets = w.eg.links.firewall_subnets.get(fw, {})
    if not subnets:
        w.block("NO_ROUTE", p.subnet, T("no_endpoint", fw=fw), p.route.location)
        return None
    az = w.eg.subnet_az[p.subnet]
    sub = subnets.get(az) or subnets[sorted(subnets)[0]]
    if az not in subnets:
        w.step(fw, "NOTE", T("other_az", fw=fw, az=az, used=w.eg.subnet_az[sub]), w.where(fw))
    w.move(p, sub)
    return changed(p, at="firewall", node=fw, subnet=sub, az=w.eg.subnet_az[sub])


def _stage(spec, engine: str, default: str, h):
    rules = [(k, r) for k, r in enumerate(spec.rules) if r.engine == engine]
    for k, r in sorted(rules, key=lambda kr: (kr[1].priority, kr[0])):
        if rule_admits(r, h):
            return r.action, r, ("rules", k)
    return default, None, (f"{engine}_default",)


def verdict(spec, h) -> tuple[str, object, str, tuple]:
    """(action, rule or None, engine, model keys of the deciding rule) of the firewall policy on ``h``."""
    action, r, keys = _stage(spec, "stateless", spec.stateless_default, h)
    if action != "forward":
        return action, r, "stateless", keys
    action, r, keys = _stage(spec, "stateful", spec.stateful_default, h)
    return action, r, "stateful", keys


def decide(eg, fw: str, h) -> str:
    """``pass`` or ``drop``: the firewall's decision on header ``h`` (no session state)."""
    return verdict(eg.ix.nodes[fw].firewall, h)[0]


@hop("firewall")
def firewall(w: Walk, p: Packet) -> Packet | None:
    spec = w.eg.ix.nodes[p.node].firewall
    fw, sub, az, h = p.node, p.subnet, p.az, p.h
    nxt = Packet("router", fw, sub, az, h, p.sender, via=p.via)
    if w.reply:
        mine = w.session("firewall", fw)
        if mine is not None and mine[2] == sub:
            w.consume(mine)
            w.step(fw, "MATCHED_SESSION", T("session", fw=fw, subnet=sub, az=az), w.where(fw))
            return nxt
        if mine is not None or _stateful(spec):
            other = mine[2] if mine is not None else "—"
            if mine is not None:
                w.consume(mine)  # the flow is broken here; not reported again as bypassed
            w.block("FIREWALL_ASYMMETRIC_ROUTING", fw, T("asymmetric", fw=fw, subnet=sub, az=az, other=other),
                    w.where(fw))
            return nxt
    if not w.reply and _stateful(spec):  # the flow's state (kept as if a drop were fixed: the reply is checked too)
        w.open("firewall", fw, sub)
    if w.recorder is not None:
        w.recorder.append(("firewall", fw, h))
        return nxt
    action, r, engine, keys = verdict(spec, h)
    loc = w.where(fw, "firewall", *keys)
    if action == "drop":
        what = T("drop_rule", engine=T(engine), rule=r.id) if r is not None else T("drop_default", engine=T(engine))
        w.block("FIREWALL_RULES_RESTRICTION", fw, T("drop", fw=fw, subnet=sub, what=what, proto=h.proto,
                                                   port=h.port, src=w.show(h.src), dst=w.show(h.dst)), loc)
    elif r is not None:
        w.step(fw, "PERMITTED", T("pass", fw=fw, subnet=sub, az=az, engine=T(engine), rule=r.id, action=action), loc)
    else:
        w.step(fw, "PERMITTED", T("default", fw=fw, subnet=sub, az=az, engine=T(engine), action=action), loc)
    return nxt


def _stateful(spec) -> bool:
    """A firewall whose stateless stage forwards to the stateful engine keeps flow state."""
    return spec.stateless_default == "forward" or any(r.engine == "stateless" and r.action == "forward"
                                                      for r in spec.rules)


def unmatched(w: Walk) -> None:
    """After the reply: a firewall the request passed statefully and the reply did not."""
    for s in [s for s in w.sessions if s[0] == "firewall"]:
        fw = s[1].rsplit(":", 1)[-1]  # the session names it as the walk did (env:id in another environment)
        if w.recorder is not None:
            w.recorder.append(("block", "FIREWALL_ASYMMETRIC_ROUTING"))
        w.t.block("FIREWALL_ASYMMETRIC_ROUTING", s[1], T("bypass", fw=s[1]), w.where(fw))


ROUTE_TARGETS[NodeKind.NETWORK_FIREWALL.value] = _to_firewall
