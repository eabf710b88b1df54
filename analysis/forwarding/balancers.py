"""Load balancers (proxies) and what a destination itself admits after its security groups.

* **ALB** (a layer-7 proxy): the listener port decides what is accepted
  (``LISTENER_PORT_MISMATCH`` otherwise). An HTTP listener that redirects only answers with
  a redirect and does not reach the targets. A forwarding listener opens a *new*
  connection from the ALB's own ENIs and SGs to each target group's targets on the
  target-group port (a point query of its own); if none is reachable the listener cannot
  serve (``TARGET_UNREACHABLE``). WAF (:mod:`analysis.forwarding.waf`) runs before the
  targets. When the ingress SG drops the SYN nothing behind it runs (only a missing
  listener, a configuration fact, is still reported).
* **NLB** (a layer-4 proxy): listeners by protocol and port; its targets are reached by a
  new connection from the NLB's ENIs, or, with client IP preservation (on by default for
  instance targets and for UDP), with the client's own address as the source: the target's
  SGs and NACLs then see the client, and an SG rule that references the NLB's SG still
  matches (AWS: "Update the security groups for your Network Load Balancer").
* **NAT gateway**: accepts no connection started from outside (``NAT_INBOUND_NOT_ALLOWED``).
* **Interface endpoint**: delivers to its service when the endpoint policy allows.
"""

from __future__ import annotations

from analysis.forwarding.trace import Packet
from analysis.forwarding.waf import waf
from analysis.graph.build import EnvGraph
from analysis.graph.types import Eni
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["listener_for", "after_ingress"]

T = Templates({
    "no_listener": N_("{kind} {node} に {proto}/{port} のリスナーがない（{ports}）（ELBV2_LISTENER_PORT_RESTRICTION）"),
    "syn_dropped": N_("受信SGで接続（SYN）が破棄されるため、リスナー {listener}・WAF・ターゲットグループは評価しない"),
    "listener": N_("リスナー {protocol}:{port}（{action}）"),
    "redirect": N_("リダイレクト応答のみ（{protocol}:{port} へ）。ターゲットには届かない"),
    "target_ok": N_("ターゲットグループ {tg} → {target}:{port}（{how}、到達可）"),
    "target_bad": N_("ターゲットグループ {tg} → {target}:{port} に到達できない（{how}: {codes}）"),
    "new_connection": N_("{kind}から新しい接続"),
    "client_ip": N_("クライアントIPを保持（送信元 {src}）"),
    "no_target": N_("どのターゲットグループのターゲットにも{kind}から到達できない（ELBV2_LISTENER_REQUIRES_TG_ACCEPT）"),
    "nat_inbound": N_("NAT Gatewayは外から始まる接続を受け付けない"),
    "endpoint": N_("インターフェイスエンドポイント {node}（{service}）: エンドポイントポリシーで許可"),
    "endpoint_denied": N_("VPCエンドポイント {node} のエンドポイントポリシーが {service} へのリクエストを拒否"),
})


def listener_for(eg: EnvGraph, alb: str, port: int):
    """(index, listener) of the ALB's listener on ``port``, or (None, None)."""
    spec = eg.node(alb).alb
    for k, lst in enumerate(spec.listeners if spec else ()):
        if lst.port == port:
            return k, lst
    return None, None


def _targets(w, e: Eni, p: Packet, groups, kind: str, loc_of, listener_loc) -> None:
    """Each target group's targets by a point query of the load balancer's own; none reachable blocks."""
    ask = w.ask
    if w.depth > 2 or ask is None:
        return
    served = False
    for x, preserve in groups:
        src = (p.h.src, e.sgs) if preserve else None
        sub = ask(e.node, x.target, x.port, p.h.proto, _depth=w.depth + 1, _src=src)
        how = T("client_ip", src=w.show(p.h.src)) if preserve else T("new_connection", kind=kind)
        if sub.verdict != "unreachable":
            served = True
            w.t.used.update(sub.rules)
            w.step(e.node, "FORWARDED", T("target_ok", tg=x.id, target=x.target, port=x.port, how=how), loc_of(x))
        else:
            w.step(e.node, "NOTE", T("target_bad", tg=x.id, target=x.target, port=x.port, how=how,
                                     codes=", ".join(sub.codes)), loc_of(x))
    if groups and not served:
        w.block("TARGET_UNREACHABLE", e.node, T("no_target", kind=kind), listener_loc)


def _listener(w, e: Eni, p: Packet, kind: str, key: str, listeners, k, lst, denied: bool, action: str):
    """The listener's verdict: (goes on?, its model location)."""
    eg = w.eg
    ni = eg.loaded.index_of("nodes", e.node)
    if lst is None:
        ports = ", ".join(f"{x.protocol}:{x.port}" for x in listeners)
        w.block("LISTENER_PORT_MISMATCH", e.node, T("no_listener", kind=kind, node=e.node, proto=p.h.proto,
                                                    port=p.h.port, ports=ports), eg.where("nodes", ni, key, "listeners"))
        return False, None
    loc = eg.where("nodes", ni, key, "listeners", k)
    if denied:
        w.step(e.node, "NOTE", T("syn_dropped", listener=f"{lst.protocol}:{lst.port}"), loc)
        return False, loc
    w.step(e.node, "PERMITTED", T("listener", protocol=lst.protocol, port=lst.port, action=action), loc)
    return True, loc


def _alb(w, e: Eni, p: Packet, denied: bool) -> None:
    eg = w.eg
    spec = eg.node(e.node).alb
    k, lst = listener_for(eg, e.node, p.h.port)
    if p.h.proto != "tcp":
        k, lst = None, None
    go, loc = _listener(w, e, p, "ALB", "alb", spec.listeners, k, lst, denied, lst.action if lst else "")
    if not go:
        return
    waf(w, e.node, p)
    if lst.action == "redirect":
        w.step(e.node, "PERMITTED", T("redirect", protocol=lst.redirect_protocol, port=lst.redirect_port), loc)
        return
    index = {x.id: j for j, x in enumerate(spec.target_groups)}
    groups = [(spec.target_groups[index[g]], False) for g in lst.target_groups if g in index]
    ni = eg.loaded.index_of("nodes", e.node)
    _targets(w, e, p, groups, "ALB", lambda x: eg.where("nodes", ni, "alb", "target_groups", index[x.id]), loc)


_NLB_PROTOCOLS = {"TCP": ("tcp",), "TLS": ("tcp",), "UDP": ("udp",), "TCP_UDP": ("tcp", "udp")}


def _nlb(w, e: Eni, p: Packet, denied: bool) -> None:
    eg = w.eg
    spec = eg.node(e.node).nlb
    k, lst = next(((k, x) for k, x in enumerate(spec.listeners)
                   if x.port == p.h.port and p.h.proto in _NLB_PROTOCOLS[x.protocol]), (None, None))
    go, loc = _listener(w, e, p, "NLB", "nlb", spec.listeners, k, lst, denied, "forward")
    if not go:
        return
    index = {x.id: j for j, x in enumerate(spec.target_groups)}
    tg = spec.target_groups[index[lst.target_group]] if lst.target_group in index else None
    groups = [(tg, tg.client_ip_preserved(lst.protocol))] if tg is not None else []
    ni = eg.loaded.index_of("nodes", e.node)
    _targets(w, e, p, groups, "NLB", lambda x: eg.where("nodes", ni, "nlb", "target_groups", index[x.id]), loc)


def after_ingress(w, e: Eni, p: Packet, denied: bool = False) -> bool:
    """What the destination admits after its ingress SG; False when it accepts nothing (no delivery)."""
    node = w.eg.node(e.node)
    if node.alb is not None:
        _alb(w, e, p, denied)
    elif node.nlb is not None:
        _nlb(w, e, p, denied)
    elif node.kind is NodeKind.NAT_GATEWAY:
        w.block("NAT_INBOUND_NOT_ALLOWED", e.node, T("nat_inbound"), w.where(e.node))
        return False
    elif node.endpoint is not None:
        service = node.endpoint.service
        if node.endpoint.policy == "deny":
            w.block("VPCE_POLICY_DENIED", e.node, T("endpoint_denied", node=e.node, service=service),
                    w.where(e.node, "endpoint", "policy"))
        else:
            w.step(e.node, "PERMITTED", T("endpoint", node=e.node, service=service), w.where(e.node, "endpoint"))
    return True
