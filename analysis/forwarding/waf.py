"""AWS WAF on a load balancer: request admission after the TCP connection is accepted (L7).

Rules are evaluated by priority: SQLi/XSS managed rules inspect payloads and never
block reachability; a rate-based rule is always reported as ``WAF_RATE_BASED_CONDITIONAL``;
a geo-match is decided from the actor's ``country`` for internet sources
(``WAF_GEO_UNDETERMINED``, conditional, when the actor has none). A private source
address (on-premises over Direct Connect, VPC-internal, Client VPN after SNAT) cannot be
geolocated: AWS WAF assigns it the country ``XX``, so a geo-allow rule that does not list
``XX`` blocks it (``WAF_GEO_BLOCKED``, HTTP 403). The web ACL's default action applies
when no rule allows.

>>> from model.loader import load_model
>>> from analysis.graph import build_graph
>>> [r.id for r in waf_rules(build_graph(load_model(), "prod"), "alb")]
['sqli', 'xss', 'rate-limit', 'geo-jp']
"""

from __future__ import annotations

from analysis.forwarding.trace import Packet
from analysis.graph.addresses import is_public
from analysis.graph.build import EnvGraph
from analysis.i18n import N_, Templates

__all__ = ["waf_rules", "waf"]

T = Templates({
    "inspect": N_("WAF {name}: ペイロードを検査（到達性は妨げない）"),
    "rate": N_("WAF {name}: 送信元IPごとに {limit} リクエスト/{window}秒を超えるとブロック（L7_CONDITIONAL）"),
    "xx_passes": N_("WAF {name}: 送信元 {src} はプライベートアドレスで国は XX。このルールではブロックされない"),
    "allow_rule": N_("{countries} 以外をブロックする"),
    "block_rule": N_("{countries} をブロックする"),
    "xx_blocked": N_("WAF {name}: 送信元 {src} はプライベートアドレスのため国を判定できず、WAFは国コード XX を割り当てる。"
                  "{rule}ルールによりブロック（HTTP 403）。対処: {src} をIPセットで許可するルールをこの地域制限より"
                  "高い優先度（小さい番号）で追加するか、{src} からの接続には内部ALBを使う"),
    "others": N_("{countries} 以外"),
    "undetermined": N_("WAF {name}: 送信元（インターネット）の国がモデルにない。{who} からの接続はブロックされる"),
    "country_ok": N_("WAF {name}: 国 {country} は許可"),
    "country_blocked": N_("WAF {name}: 国 {country} はブロック（HTTP 403）"),
    "default_block": N_("WAFの既定アクションがBlockで、許可するルールに一致しない"),
})


def waf_rules(eg: EnvGraph, alb: str):
    """The WAF rules protecting ``alb`` in this environment, by priority."""
    rules = []
    for n in eg.ix.nodes_in(eg.env):
        if n.waf is not None and n.waf.protects == alb:
            rules.extend(n.waf.rules)
    return sorted(rules, key=lambda r: (r.priority, r.id))


def _geo(w, n, r, loc, p: Packet) -> bool:
    """One geo-match rule; returns True when it allows the request explicitly."""
    countries = ", ".join(r.countries)
    src = p.h.src
    allow_rule = r.kind == "geo-allow"
    if not is_public(src):
        # WAF cannot geolocate a private address (on-premises over DX, VPC-internal): country XX
        if allow_rule == ("XX" in r.countries):
            w.step(n.id, "PERMITTED", T("xx_passes", name=r.name, src=src), loc)
            return allow_rule
        rule = T("allow_rule" if allow_rule else "block_rule", countries=countries)
        w.block("WAF_GEO_BLOCKED", n.id, T("xx_blocked", name=r.name, src=src, rule=rule), loc)
        return False
    country = w.country if src == w.plan.internet else None
    if country is None:
        who = T("others", countries=countries) if allow_rule else countries
        w.block("WAF_GEO_UNDETERMINED", n.id, T("undetermined", name=r.name, who=who), loc)
        return False
    if allow_rule == (country in r.countries):
        w.step(n.id, "PERMITTED", T("country_ok", name=r.name, country=country), loc)
        return allow_rule
    w.block("WAF_GEO_BLOCKED", n.id, T("country_blocked", name=r.name, country=country), loc)
    return False


def waf(w, lb: str, p: Packet) -> None:
    """Every web ACL protecting load balancer ``lb``, on the request ``p``."""
    eg = w.eg
    for n in eg.ix.nodes_in(eg.env):
        if n.waf is None or n.waf.protects != lb:
            continue
        wi = eg.loaded.index_of("nodes", n.id)
        allowed_by_rule = False
        for k, r in sorted(enumerate(n.waf.rules), key=lambda kr: (kr[1].priority, kr[1].id)):
            loc = eg.where("nodes", wi, "waf", "rules", k)
            if r.kind in ("managed-sqli", "managed-xss"):
                w.step(n.id, "PERMITTED", T("inspect", name=r.name), loc)
            elif r.kind == "rate-based":
                w.block("WAF_RATE_BASED_CONDITIONAL", n.id, T("rate", name=r.name, limit=r.limit,
                                                                window=r.window_seconds), loc)
            elif r.kind in ("geo-allow", "geo-block"):
                allowed_by_rule = _geo(w, n, r, loc, p) or allowed_by_rule
        if n.waf.default_action == "block" and not allowed_by_rule:
            w.block("WAF_DEFAULT_ACTION_BLOCK", n.id, T("default_block"), eg.where("nodes", wi, "waf", "default_action"))
