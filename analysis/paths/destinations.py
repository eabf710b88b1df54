"""What a destination itself admits once a packet reaches it.

* **ALB** (a proxy): the listener port decides what is accepted
  (``LISTENER_PORT_MISMATCH`` otherwise). An HTTP listener that redirects only answers
  with a redirect and does not reach the targets. A forwarding listener opens a *new*
  connection from the ALB's own ENIs and SG to each target group's targets on the
  target-group port; if none of them is reachable the listener cannot serve
  (``TARGET_UNREACHABLE``).
* **WAF** protecting the ALB (L7, evaluated by priority): SQLi/XSS managed rules inspect
  payloads and never block reachability; a rate-based rule is always reported as
  ``WAF_RATE_BASED_CONDITIONAL``; a geo-match is decided from the actor's ``country`` for
  internet sources (``WAF_GEO_UNDETERMINED``, conditional, when the actor has none). A
  private source address (on-premises over Direct Connect, VPC-internal, Client VPN after
  SNAT) cannot be geolocated: AWS WAF assigns it the country ``XX``, so a geo-allow rule
  that does not list ``XX`` blocks it (``WAF_GEO_BLOCKED``, HTTP 403).
* **Client VPN endpoint**: accepts only its spec's ``transport``/``vpn_port`` (UDP 443 in
  the seed), ``CVPN_TRANSPORT_MISMATCH`` otherwise.
* **AWS service endpoints** (S3, SES, ECR, Cognito, CloudWatch, Secrets Manager):
  regional public HTTPS endpoints, TCP 443 only.

>>> from model.loader import load_model
>>> from analysis.graph import build_graph
>>> [r.id for r in waf_rules(build_graph(load_model(), "prod"), "alb")]
['sqli', 'xss', 'rate-limit', 'geo-jp']
"""

from __future__ import annotations

from analysis.graph.build import PUBLIC_ADDR, EnvGraph, Eni, Net
from analysis.paths.trace import Packet, Trace

__all__ = ["after_ingress", "arrive_service", "waf_rules", "listener_for", "vpn_transport"]


def waf_rules(eg: EnvGraph, alb: str):
    """The WAF rules protecting ``alb`` in this environment, by priority."""
    rules = []
    for n in eg.ix.nodes_in(eg.env):
        if n.waf is not None and n.waf.protects == alb:
            rules.extend(n.waf.rules)
    return sorted(rules, key=lambda r: (r.priority, r.id))


def _waf(eg: EnvGraph, t: Trace, alb: str, p: Packet, src: Net) -> None:
    for n in eg.ix.nodes_in(eg.env):
        if n.waf is None or n.waf.protects != alb:
            continue
        wi = eg.loaded.index_of("nodes", n.id)
        allowed_by_rule = False
        for k, r in sorted(enumerate(n.waf.rules), key=lambda kr: (kr[1].priority, kr[1].id)):
            loc = eg.where("nodes", wi, "waf", "rules", k)
            if r.kind in ("managed-sqli", "managed-xss"):
                t.hop(n.id, "PERMITTED", f"WAF {r.name}: ペイロードを検査（到達性は妨げない）", loc)
            elif r.kind == "rate-based":
                t.block("WAF_RATE_BASED_CONDITIONAL", n.id, f"WAF {r.name}: 送信元IPごとに {r.limit} リクエスト/"
                        f"{r.window_seconds}秒を超えるとブロック（L7_CONDITIONAL）", loc)
            elif r.kind in ("geo-allow", "geo-block"):
                countries = ", ".join(r.countries)
                if src != PUBLIC_ADDR:
                    # WAF cannot geolocate a private address (on-premises over DX, VPC-internal): country XX
                    inside = "XX" in r.countries
                    if (r.kind == "geo-allow") == inside:
                        t.hop(n.id, "PERMITTED", f"WAF {r.name}: 送信元 {src} はプライベートアドレスで国は XX。"
                              f"このルールではブロックされない", loc)
                        allowed_by_rule = allowed_by_rule or r.kind == "geo-allow"
                        continue
                    rule_text = f"{countries} 以外をブロックする" if r.kind == "geo-allow" else f"{countries} をブロックする"
                    t.block("WAF_GEO_BLOCKED", n.id, f"WAF {r.name}: 送信元 {src} はプライベートアドレスのため国を判定できず、"
                            f"WAFは国コード XX を割り当てる。{rule_text}ルールによりブロック（HTTP 403）。対処: "
                            f"{src} をIPセットで許可するルールをこの地域制限より高い優先度（小さい番号）で追加するか、"
                            "職員用に内部ALBを使う", loc)
                    continue
                if p.country is None:
                    who = f"{countries} 以外" if r.kind == "geo-allow" else countries
                    t.block("WAF_GEO_UNDETERMINED", n.id, f"WAF {r.name}: 送信元（インターネット）の国がモデルにない。"
                            f"{who} からの接続はブロックされる", loc)
                    continue
                inside = p.country in r.countries
                if (r.kind == "geo-allow") == inside:
                    t.hop(n.id, "PERMITTED", f"WAF {r.name}: 国 {p.country} は許可", loc)
                    allowed_by_rule = allowed_by_rule or r.kind == "geo-allow"
                else:
                    t.block("WAF_GEO_BLOCKED", n.id, f"WAF {r.name}: 国 {p.country} はブロック（HTTP 403）", loc)
        if n.waf.default_action == "block" and not allowed_by_rule:
            t.block("WAF_DEFAULT_ACTION_BLOCK", n.id, "WAFの既定アクションがBlockで、許可するルールに一致しない",
                    eg.where("nodes", wi, "waf", "default_action"))


def listener_for(eg: EnvGraph, alb: str, port: int):
    spec = eg.node(alb).alb
    for k, lst in enumerate(spec.listeners if spec else ()):
        if lst.port == port:
            return k, lst
    return None, None


def _alb(eg: EnvGraph, t: Trace, tg: Eni, p: Packet, src: Net, denied: bool = False) -> None:
    ni = eg.loaded.index_of("nodes", tg.node)
    k, lst = listener_for(eg, tg.node, p.port)
    if lst is None or p.proto != "tcp":
        ports = ", ".join(f"{x.protocol}:{x.port}" for x in eg.node(tg.node).alb.listeners)
        t.block("LISTENER_PORT_MISMATCH", tg.node, f"ALB {tg.node} に {p.proto}/{p.port} のリスナーがない（{ports}）"
                "（ELBV2_LISTENER_PORT_RESTRICTION）", eg.where("nodes", ni, "alb", "listeners"))
        return
    loc = eg.where("nodes", ni, "alb", "listeners", k)
    if denied:
        t.hop(tg.node, "NOTE", f"受信SGで接続（SYN）が破棄されるため、リスナー {lst.protocol}:{lst.port}・WAF・"
              "ターゲットグループは評価しない", loc)
        return
    t.hop(tg.node, "PERMITTED", f"リスナー {lst.protocol}:{lst.port}（{lst.action}）", loc)
    _waf(eg, t, tg.node, p, src)
    if lst.action == "redirect":
        t.hop(tg.node, "PERMITTED", f"リダイレクト応答のみ（{lst.redirect_protocol}:{lst.redirect_port} へ）。"
              "ターゲットには届かない", loc)
        return
    if p.depth > 2 or p.query is None:
        return
    tgs = {x.id: (j, x) for j, x in enumerate(eg.node(tg.node).alb.target_groups)}
    served = False
    for tgid in lst.target_groups:
        j, x = tgs.get(tgid, (None, None))
        if x is None:
            continue
        sub = p.query(tg.node, x.target, x.port, "tcp", _depth=p.depth + 1)
        tloc = eg.where("nodes", ni, "alb", "target_groups", j)
        if sub.verdict != "unreachable":
            served = True
            t.used.update(sub.rules)
            t.hop(tg.node, "FORWARDED", f"ターゲットグループ {x.id} → {x.target}:{x.port}（ALBから新しい接続、到達可）", tloc)
        else:
            t.hop(tg.node, "NOTE", f"ターゲットグループ {x.id} → {x.target}:{x.port} に到達できない"
                  f"（{', '.join(sub.codes)}）", tloc)
    if lst.target_groups and not served:
        t.block("TARGET_UNREACHABLE", tg.node, "どのターゲットグループのターゲットにもALBから到達できない"
                "（ELBV2_LISTENER_REQUIRES_TG_ACCEPT）", loc)


def vpn_transport(spec) -> str:
    """The endpoint's VPN transport as text, from its spec (e.g. ``UDP 443``)."""
    return f"{spec.transport.upper()} {spec.vpn_port}"


def after_ingress(eg: EnvGraph, t: Trace, tg: Eni, p: Packet, src: Net, arrive_public, denied: bool = False) -> None:
    """What the target admits after its ingress SG; ``denied``: the SG dropped the SYN (nothing behind it runs)."""
    node = eg.node(tg.node)
    if node.alb is not None:
        _alb(eg, t, tg, p, src, denied)
    elif node.kind.value == "nat-gateway":
        t.block("NAT_INBOUND_NOT_ALLOWED", tg.node, "NAT Gatewayは外から始まる接続を受け付けない",
                eg.where_id("nodes", tg.node))
        return
    t.hop(tg.node, "RECEIVED", f"{tg.node}（{tg.subnet}, {tg.az}）が {p.proto}/{p.port} を受信")


def arrive_service(eg: EnvGraph, t: Trace, node_id: str, p: Packet) -> None:
    node = eg.node(node_id)
    region = eg.ix.placement(node_id, eg.env).region or "?"
    if node.kind.value == "client-vpn":
        spec = node.client_vpn
        if spec is not None and (p.proto != spec.transport or p.port != spec.vpn_port):
            ni = eg.loaded.index_of("nodes", node_id)
            t.block("CVPN_TRANSPORT_MISMATCH", node_id, f"Client VPNエンドポイントは {vpn_transport(spec)} でのみ接続を"
                    f"受け付ける（{p.proto}/{p.port} は不可）", eg.where("nodes", ni, "client_vpn", "transport"))
        t.hop(node_id, "RECEIVED", f"Client VPNエンドポイント（パブリック）が {p.proto}/{p.port} を受信")
        return
    if p.proto != "tcp" or p.port != 443:
        t.block("SERVICE_PORT_RESTRICTION", node_id, f"{node.label} のエンドポイントは HTTPS（TCP 443）のみ",
                eg.where_id("nodes", node_id))
    t.hop(node_id, "RECEIVED", f"{node.label}（{region} のリージョナルHTTPSエンドポイント）")
