"""Point queries: can a source reach a target on protocol/port in one environment, and why.

Sources are actors (by their ``site``: the internet, an on-premises site reached over
Direct Connect, or a Client VPN client) and nodes with addresses; targets are nodes with
addresses (ENIs, the ALB, NAT gateways), AWS service endpoints and the Client VPN
endpoint. A node drawn per subnet (ECS services) is one instance per subnet: the target
is reached if *any* instance is; when the source's instances disagree, the verdict is
``conditional`` with ``AZ_DEPENDENT`` naming the failing AZs.

Each candidate (source instance x target instance x private/public address) is walked by
:mod:`analysis.paths`; the best candidate is kept (reachable < conditional < fewest hard
blockers; private address first). The Direct Connect gateway is analysed *as if*
associated with the TGW although the seed says "Private VIF" (a transit VIF is
required): the path carries the note ``DXGW_PRIVATE_VIF_ASSUMED_TRANSIT`` (assumption
``c-dx-private-vif``) and :mod:`analysis.review.findings` reports the contradiction. An
on-premises path to an *internet-facing* ALB over DX/TGW carries the note
``INTERNET_FACING_ALB_VIA_PRIVATE_IP``: its DNS name resolves to public addresses, so the
private path needs the ALB nodes' private IPs (private DNS) and matching TLS names. An
on-premises site's own internet access is not modelled: its paths to AWS service
endpoints are ``conditional`` with ``ONPREM_INTERNET_NOT_MODELED``.

>>> from model.loader import load_model
>>> from analysis.graph import build_graph
>>> poc = build_graph(load_model(), "poc")
>>> reach(poc, "business-user", "alb", 443).verdict
'reachable'
>>> reach(poc, "business-user", "rds", 5432).codes
('NO_PUBLIC_ADDRESS', 'SG_INGRESS_DENIED', 'NO_RETURN_PATH')
>>> reach(poc, "developer", "frontend", 3000).codes
('SG_INGRESS_DENIED',)
"""

from __future__ import annotations

from dataclasses import replace

from analysis.graph.build import PUBLIC_ADDR, SERVICE_KINDS, EnvGraph, Eni, net
from analysis.paths.trace import Packet, Trace
from analysis.paths.walk import arrive, from_eni, from_internet, tgw_return, via_tgw
from analysis.results import Blocker, ReachResult, verdict_of
from analysis.paths.nacl_crossings import ephemeral_of
from analysis.paths.destinations import arrive_service, vpn_transport
from model.errors import suggest
from model.schema import Actor, NodeKind

__all__ = ["Reachability", "reach", "sources", "targets", "UnknownEndpoint", "endpoint_ports", "listening_ports"]

_NOT_SOURCES = {NodeKind.NAT_GATEWAY, NodeKind.CLIENT_VPN}


class UnknownEndpoint(KeyError):
    """A source or target that is not a network endpoint in the environment (with suggestions)."""

    def __init__(self, what: str, name: str, env: str, choices: list[str]):
        self.what, self.name, self.env, self.choices = what, name, env, choices
        close = suggest(name, choices)
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(choices)}"
        super().__init__(f"{what} '{name}' is not a network endpoint in environment {env} ({hint})")

    def __str__(self) -> str:
        return self.args[0]


def sources(eg: EnvGraph) -> list[str]:
    """Actors of the environment, then nodes with addresses, in model order."""
    out = [a.id for a in eg.ix.actors_in(eg.env)]
    return out + [n for n in eg.enis if eg.node(n).kind not in _NOT_SOURCES]


def targets(eg: EnvGraph) -> list[str]:
    """Nodes with addresses, Client VPN endpoints and AWS service endpoints, in model order."""
    return [n.id for n in eg.ix.nodes_in(eg.env)
            if n.id in eg.enis or n.kind in SERVICE_KINDS or n.kind is NodeKind.CLIENT_VPN]


class Reachability:
    """Point queries over one environment, each answered once (results are immutable rows).

    The graph never changes, so a result can be reused by every consumer of one analysis
    (intents, findings, the matrix, the diff, the ALB's own sub-queries).

    >>> from model.loader import load_model
    >>> from analysis.graph.build import build_graph
    >>> q = Reachability(build_graph(load_model(), "poc"))
    >>> q.reach("business-user", "alb", 443) is q.reach("business-user", "alb", 443)
    True
    """

    def __init__(self, eg: EnvGraph):
        self.eg = eg
        self.sources: tuple[str, ...] = tuple(sources(eg))
        self.targets: tuple[str, ...] = tuple(targets(eg))
        self._source_set, self._target_set = frozenset(self.sources), frozenset(self.targets)
        self._memo: dict[tuple, ReachResult] = {}

    @property
    def env(self) -> str:
        return self.eg.env

    def reach(self, source: str, target: str, port: int, protocol: str = "tcp", _depth: int = 0) -> ReachResult:
        """Answer one query; raises :class:`UnknownEndpoint` for an unknown source or target."""
        key = (source, target, port, protocol, _depth)
        result = self._memo.get(key)
        if result is None:
            result = self._memo[key] = _reach(self, source, target, port, protocol, _depth)
        return result


def endpoint_ports(eg: EnvGraph) -> list[int]:
    """Every port the model mentions in this environment (SG rules, listeners, target groups, flows)."""
    ports: set[int] = set()
    for refs in eg.rules.values():
        for r in refs:
            if r.ports[0] == r.ports[1]:
                ports.add(r.ports[0])
    for n in eg.ix.nodes_in(eg.env):
        if n.alb:
            ports.update(lst.port for lst in n.alb.listeners)
            ports.update(x.port for x in n.alb.target_groups)
    ports.update(f.port for f in eg.ix.flows_in(eg.env) if f.port is not None and f.protocol == "tcp")
    return sorted(ports)


def listening_ports(eg: EnvGraph, target: str) -> list[int]:
    """Ports ``target`` listens on: ALB listeners and single-port inbound SG rules; 443 for an
    AWS service endpoint; a Client VPN endpoint's VPN port."""
    node = eg.node(target)
    if node.kind is NodeKind.CLIENT_VPN and node.client_vpn is not None:
        return [node.client_vpn.vpn_port]
    if node.kind in SERVICE_KINDS or node.kind is NodeKind.CLIENT_VPN:
        return [443]
    ports: set[int] = set()
    if node.alb is not None:
        ports.update(lst.port for lst in node.alb.listeners)
    for e in eg.enis.get(target, ())[:1]:
        for sg in e.sgs:
            for r in eg.rules.get(sg, ()):
                if r.direction == "inbound" and r.ports[0] == r.ports[1]:
                    ports.add(r.ports[0])
    return sorted(ports)


def _target_instances(q: Reachability, target: str) -> tuple[str, tuple[Eni, ...]]:
    eg = q.eg
    node = eg.ix.nodes.get(target)
    if node is None or target not in q._target_set:
        raise UnknownEndpoint("target", target, eg.env, list(q.targets))
    if node.kind in SERVICE_KINDS or node.kind is NodeKind.CLIENT_VPN:
        return "service", ()
    return "eni", eg.enis[target]


def _public_arrival(eg: EnvGraph, kind: str, tg: Eni | None, target: str, p: Packet):
    """Finish a path on the internet; ``eph`` is the source port range seen there (NAT: its own)."""
    def go(t: Trace, src, eph: tuple[int, int] | None = None) -> None:
        t.hop("internet", "FORWARDED", "インターネット")
        if kind == "service":
            arrive_service(eg, t, target, p)
        elif tg is not None:
            from_internet(eg, t, tg, replace(p, dst=PUBLIC_ADDR, eph=eph or p.eph), src, go)
    return go


def _actor_walk(eg: EnvGraph, a: Actor, kind: str, tg: Eni | None, target: str, p: Packet, mode: str) -> Trace | None:
    t = Trace()
    site = eg.ix.sites.get(a.site)
    loc = eg.where_id("actors", a.id)
    via = [eg.ix.nodes[v] for v in a.via if v in eg.ix.nodes and eg.env in eg.ix.nodes[v].at]
    cvpn = next((n for n in via if n.client_vpn), None)
    dx = next((n for n in via if n.dx_gateway), None)
    if a.vpn_client and cvpn is not None:
        spec = cvpn.client_vpn
        client = eg.named(spec.client_cidr)
        ci = eg.loaded.index_of("nodes", cvpn.id)
        t.hop(a.id, "ORIGINATED", f"{a.label}（VPNクライアント {client}）", loc)
        covered = any(p.dst.subnet_of(net(r)) for r in spec.routes)
        if mode == "public" and not covered:
            t.note("SPLIT_TUNNEL_ASSUMED")
            _public_arrival(eg, kind, tg, target, p)(t, PUBLIC_ADDR)
            return t
        if mode == "public" and kind == "service":
            return None
        t.hop(cvpn.id, "PERMITTED", f"Client VPN トンネル（{vpn_transport(spec)}）", eg.where("nodes", ci))
        if client is None:
            t.block("NAMED_CIDR_UNDEFINED", cvpn.id, f"クライアントCIDR {spec.client_cidr} に環境 {eg.env} の値がない",
                    eg.where_id("named_cidrs", spec.client_cidr))
        if not covered:
            t.block("CVPN_ROUTE_MISSING", cvpn.id, f"Client VPNのルートに {p.dst} がない", eg.where("nodes", ci, "client_vpn", "routes"))
        else:
            t.hop(cvpn.id, "FORWARDED", f"Client VPNルート → {p.dst}", eg.where("nodes", ci, "client_vpn", "routes"))
        rules = [k for k, r in enumerate(spec.authorization_rules) if p.dst.subnet_of(net(r.destination))]
        if rules:
            t.hop(cvpn.id, "PERMITTED", f"認可ルール {spec.authorization_rules[rules[0]].destination}",
                  eg.where("nodes", ci, "client_vpn", "authorization_rules", rules[0]))
        else:
            t.block("CVPN_AUTHORIZATION_RULE_MISSING", cvpn.id, f"{p.dst} を許可する認可ルールがない",
                    eg.where("nodes", ci, "client_vpn", "authorization_rules"))
        sub = spec.associated_subnets[0]
        s = Eni(cvpn.id, sub, eg.vpc_of_subnet(sub), eg.ix.subnets[sub].az, eg.subnet_net[sub],
                tuple(g for g in cvpn.security_groups if g in eg.rules), False)
        t.hop(cvpn.id, "TRANSFORMED", f"SNAT: 送信元 {client} → ENIアドレス（{sub} {s.net}）", eg.where("nodes", ci, "client_vpn"))
        t.note("CVPN_SNAT_SOURCE_IS_ENI")
        _note_private_path_to_public_alb(eg, t, target, "Client VPN・TGW")
        from_eni(eg, t, s, p, _public_arrival(eg, kind, tg, target, p))
        return t
    if site is not None and site.kind == "onprem":
        src = net(site.cidrs[0]) if site.cidrs else PUBLIC_ADDR
        if mode == "public" and kind != "service":
            return None
        t.hop(a.id, "ORIGINATED", f"{a.label}（{site.name} {src}）", loc)
        if mode == "public":
            # an AWS service's public endpoint: through the site's own internet access, not in the model
            t.block("ONPREM_INTERNET_NOT_MODELED", a.site, f"{site.name} のインターネット接続はモデル化されていない。"
                    f"{target} への到達は {site.name} のインターネット接続（回線・プロキシ・ファイアウォール等、"
                    "モデル外）に依存する", eg.where_id("sites", a.site))
            t.hop(a.site, "NOTE", f"{site.name} のインターネット接続（モデル外）を経由すると仮定", eg.where_id("sites", a.site))
            arrive_service(eg, t, target, p)
            return t
        if dx is None or tg is None:
            t.block("NO_ROUTE", a.site, f"{site.name} から {target} への経路はモデル化されていない",
                    eg.where_id("sites", a.site))
            return t
        spec = dx.dx_gateway
        di = eg.loaded.index_of("nodes", dx.id)
        if not any(p.dst.subnet_of(net(x)) for x in spec.allowed_prefixes):
            t.block("DXGW_ALLOWED_PREFIX_RESTRICTION", dx.id, f"許可プレフィックス {', '.join(spec.allowed_prefixes)} に "
                    f"{p.dst} が含まれず、オンプレミスに広告されない", eg.where("nodes", di, "dx_gateway", "allowed_prefixes"))
        else:
            t.hop(dx.id, "FORWARDED", f"Direct Connect（許可プレフィックス {', '.join(spec.allowed_prefixes)}）",
                  eg.where("nodes", di, "dx_gateway", "allowed_prefixes"))
        if "transit" not in spec.vif.lower():
            t.note("DXGW_PRIVATE_VIF_ASSUMED_TRANSIT")
            t.hop(dx.id, "NOTE", f"VIFは「{spec.vif}」と記載。TGWとの関連付けにはTransit VIFが必要だが、関連付け済みとして解析"
                  "（c-dx-private-vif）", eg.where("nodes", di, "dx_gateway", "vif"))
        _note_private_path_to_public_alb(eg, t, target, "Direct Connect・TGW")
        out = via_tgw(eg, t, dx.id, p)
        if out is None:
            return t
        arrive(eg, t, tg, p, src, (), False, None, _public_arrival(eg, kind, tg, target, p))
        tgw_return(eg, t, tg, src, dx.id, out)
        return t
    t.hop(a.id, "ORIGINATED", f"{a.label}（インターネット）", loc)
    if mode != "public":
        return None
    if kind == "service":
        t.hop("internet", "FORWARDED", "インターネット")
        arrive_service(eg, t, target, p)
    else:
        _public_arrival(eg, kind, tg, target, p)(t, PUBLIC_ADDR)
        t.hops.pop(1)  # the actor is already on the internet
    return t


def _score(t: Trace, order: int) -> tuple:
    v = verdict_of(t.blockers)
    return ({"reachable": 0, "conditional": 1, "unreachable": 2}[v], t.hard, len(t.blockers), order)


def _result(eg, source, target, proto, port, t: Trace, extra: list[Blocker] = ()) -> ReachResult:
    blockers = tuple(t.blockers) + tuple(extra)
    return ReachResult(eg.env, source, target, proto, port, verdict_of(blockers), tuple(t.hops), blockers,
                       tuple(sorted(t.notes)), tuple(sorted(t.used)))



def _note_private_path_to_public_alb(eg: EnvGraph, t, target: str, path: str) -> None:
    """A private path (DX or Client VPN over the TGW) to an internet-facing ALB works only by
    its node private IPs: its DNS name resolves to public addresses (a note, not a blocker)."""
    tnode = eg.node(target) if target in eg.ix.nodes else None
    if tnode is None or tnode.alb is None or tnode.alb.scheme != "internet-facing":
        return
    t.note("INTERNET_FACING_ALB_VIA_PRIVATE_IP")
    t.hop(target, "NOTE", f"ALB {target} はインターネット向けで、DNS名はパブリックアドレスに解決される。閉域経路"
          f"（{path}）で接続するには、ALBノードのプライベートIP（変わりうる）を返すプライベートDNS"
          "（Route 53 プライベートホストゾーン等）が必要。TLS証明書の名前は利用するホスト名に合わせる"
          "（INTERNET_FACING_ALB_VIA_PRIVATE_IP）", eg.where_id("nodes", target, "alb"))

def reach(eg: EnvGraph, source: str, target: str, port: int, protocol: str = "tcp") -> ReachResult:
    """One query on its own (nothing cached across calls; an analysis uses :class:`Reachability`)."""
    return Reachability(eg).reach(source, target, port, protocol)


def _reach(q: Reachability, source: str, target: str, port: int, protocol: str, _depth: int) -> ReachResult:
    eg = q.eg
    if source not in q._source_set:
        raise UnknownEndpoint("source", source, eg.env, list(q.sources))
    kind, instances = _target_instances(q, target)
    modes = ("public",) if kind == "service" else ("private", "public")
    cands: list[tuple[Eni | None, str]] = [(None, "public")] if kind == "service" else \
        [(tg, m) for m in modes for tg in instances]
    actor = eg.ix.actors.get(source)
    if actor is not None:
        best = None
        for order, (tg, mode) in enumerate(cands):
            dst = PUBLIC_ADDR if (mode == "public") else tg.net
            p = Packet(protocol, port, dst, tg, actor.country, _depth, query=q.reach)
            t = _actor_walk(eg, actor, kind, tg, target, p, mode)
            if t is not None and (best is None or _score(t, order) < best[0]):
                best = (_score(t, order), t)
        if best is None:
            t = Trace()
            t.block("DISCONNECTED", source, f"{source} から {target} への経路がない")
            return _result(eg, source, target, protocol, port, t)
        return _result(eg, source, target, protocol, port, best[1])
    per_source: list[tuple[Eni, Trace]] = []
    for s in eg.enis[source]:
        best = None
        for order, (tg, mode) in enumerate(cands):
            if mode == "public" and tg is not None and not tg.public:
                continue
            dst = PUBLIC_ADDR if mode == "public" else tg.net
            p = Packet(protocol, port, dst, tg, None, _depth, ephemeral_of(eg, source), query=q.reach)
            t = Trace()
            t.hop(source, "ORIGINATED", f"{source}（{s.subnet} {s.net}, {s.az}）", eg.where_id("nodes", source))
            from_eni(eg, t, s, p, _public_arrival(eg, kind, tg, target, p))
            if best is None or _score(t, order) < best[0]:
                best = (_score(t, order), t)
        per_source.append((s, best[1]))
    verdicts = {verdict_of(t.blockers) for _, t in per_source}
    if len(verdicts) == 1:
        return _result(eg, source, target, protocol, port, per_source[0][1])
    good = min(per_source, key=lambda st: _score(st[1], 0))
    bad = [(s, t) for s, t in per_source if verdict_of(t.blockers) == "unreachable"]
    extra = [Blocker("AZ_DEPENDENT", source, f"{s.az}（{s.subnet}）の {source} からは到達できない: "
                     f"{', '.join(b.code for b in t.blockers)}", t.blockers[0].location) for s, t in bad]
    return _result(eg, source, target, protocol, port, good[1], extra)
