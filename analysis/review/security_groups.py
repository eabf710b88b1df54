"""Security-group rule hygiene: shadowed, never-matching and unneeded rules.

* ``SG_RULE_SHADOWED`` (info) - another rule of the same SG and direction admits
  everything this rule admits (protocol, port range and peer CIDR all covered), so the
  rule has no effect (e.g. ALB SG 443 from the VPC CIDR is covered by 443 from 0.0.0.0/0).
* ``SG_RULE_NEVER_MATCHES`` (warning) - the peer is an address the packet never carries:
  a Client VPN client CIDR (Client VPN translates the client address to its ENI address
  (SNAT) before the packet reaches any SG in the VPC: CVPN_SNAT_SOURCE_IS_ENI; the fix
  references the endpoint's SG - across a TGW this needs the attachments' security group
  referencing support, available for VPC attachments in one region since 2024 - or the
  associated subnets' CIDRs), or a range that no route, site or VPN delivers to or from
  the VPCs of the group's members (:func:`analysis.review.network.undeliverable`).
* ``SG_RULE_UNUSED`` (info) - the rule admits no hop of any reachable path between the
  environment's sources and targets on the model's ports, nor of a path between it and an
  environment it shares a network with (neither a flow nor an intent needs it):
  over-permissive or dead. Rules already reported above are not repeated.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> sorted((f.code, f.resources[0]) for f in analyze(load_model()).findings
...        if f.env == "poc" and f.code.startswith("SG_RULE_"))[:3]
[('SG_RULE_NEVER_MATCHES', 'ecs-sg'), ('SG_RULE_NEVER_MATCHES', 'ecs-sg'), ('SG_RULE_SHADOWED', 'alb-sg')]
"""

from __future__ import annotations

from typing import Iterator

import ipaddress

from analysis.graph.build import EnvGraph, RuleRef
from analysis.matrix import matrix
from analysis.paths.across import crossings
from analysis.results import Finding
from analysis.review.network import undeliverable
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import _

__all__ = ["covers", "client_cidrs"]


def covers(a: RuleRef, b: RuleRef) -> bool:
    """True if rule ``a`` admits every packet rule ``b`` admits (same SG and direction assumed)."""
    if a is b or a.direction != b.direction:
        return False
    if a.protocol != "all" and a.protocol != b.protocol:
        return False
    if not (a.ports[0] <= b.ports[0] and b.ports[1] <= a.ports[1]):
        return False
    if a.peer_net is not None and b.peer_net is not None:
        return b.peer_net.subnet_of(a.peer_net)
    if a.peer_net is not None and b.peer_sg is not None:
        return a.peer_net.prefixlen == 0  # 0.0.0.0/0 covers any referenced SG's private addresses
    return a.peer_sg is not None and a.peer_sg == b.peer_sg


def client_cidrs(eg: EnvGraph) -> dict[str, str]:
    """Client VPN client CIDR (as text) -> endpoint id, for this environment."""
    out = {}
    for n in eg.ix.nodes_in(eg.env):
        if n.client_vpn is not None:
            c = eg.named(n.client_vpn.client_cidr)
            if c is not None:
                out[str(c)] = n.id
    return out


def _shadowed(eg: EnvGraph) -> Iterator[tuple[RuleRef, RuleRef]]:
    for sg, refs in eg.rules.items():
        for b in refs:
            cover = next((a for a in refs if covers(a, b) and not (covers(b, a) and a.index > b.index)), None)
            if cover is not None:
                yield b, cover


def _never_matches_fix(eg: EnvGraph, endpoint: str) -> str:
    node = eg.node(endpoint)
    sgs = ", ".join(node.security_groups) or _("（未設定）")
    cidrs = ", ".join(str(eg.subnet_net[s]) for s in node.client_vpn.associated_subnets if s in eg.subnet_net)
    if eg.vpc_attachment:  # the SG reference across VPCs exists only through a TGW
        return _("送信元をClient VPNエンドポイントのSG（{sgs}）の参照にする（別VPCの場合はTGWの各VPCアタッチメントで"
                 "セキュリティグループ参照のサポートを有効にする。同一リージョンのTGWで2024年から利用可能）か、"
                 "関連付けサブネットのCIDR（{cidrs}）にする").format(sgs=sgs, cidrs=cidrs)
    return _("送信元をClient VPNエンドポイントのSG（{sgs}）の参照にするか、関連付けサブネットのCIDR（{cidrs}）にする").format(
        sgs=sgs, cidrs=cidrs)


@rule(("SG_RULE_SHADOWED", "info", "an SG rule admits nothing that another rule of the group does not"),
      ("SG_RULE_NEVER_MATCHES", "warning",
       "an SG rule's peer is an address no packet carries (a Client VPN client CIDR, a range no route, site or VPN delivers)"),
      ("SG_RULE_UNUSED", "info", "an SG rule admits no hop of any reachable path on the model's ports"))
def sg_hygiene(ctx: ReviewContext) -> list[Finding]:
    eg = ctx.eg
    out: list[Finding] = []
    reported: set[str] = set()
    for b, a in _shadowed(eg):
        reported.add(f"{b.sg}#{b.index}")
        out.append(ctx.finding("SG_RULE_SHADOWED", (b.sg,), _("SG {sg} のルール「{purpose}」（{direction} {protocol}/{lo}–{hi}）は「{purpose2}」に包含され、効果がない").format(sg=b.sg, purpose=b.rule.purpose, direction=b.direction, protocol=b.protocol, lo=b.ports[0], hi=b.ports[1], purpose2=a.rule.purpose),
                           b.location, _("ルールを削除するか、「{purpose}」の範囲を狭める").format(purpose=a.rule.purpose)))
    clients = client_cidrs(eg)
    for sg, refs in eg.rules.items():
        for r in refs:
            if r.peer_net is None or r.peer_net.prefixlen == 0:
                continue
            hit = next((ep for c, ep in clients.items() if r.peer_net.overlaps(ipaddress.ip_network(c))), None)
            vpcs = sorted({e.vpc for n in eg.sg_members.get(sg, ()) for e in eg.enis[n]})
            if hit:
                reported.add(f"{sg}#{r.index}")
                out.append(ctx.finding("SG_RULE_NEVER_MATCHES", (sg, hit),
                                   _("SG {sg} のルール「{purpose}」の送信元 {peer_net} はClient VPNのクライアントCIDR。Client VPNは送信元をENIアドレスにSNATするため、このルールは一致しない").format(sg=sg, purpose=r.rule.purpose, peer_net=r.peer_net),
                                   r.location, _never_matches_fix(eg, hit)))
            elif vpcs and all(undeliverable(eg, v, r.peer_net) for v in vpcs):
                reported.add(f"{sg}#{r.index}")
                side = _("送信元") if r.direction == "inbound" else _("宛先")
                out.append(ctx.finding("SG_RULE_NEVER_MATCHES", (sg,),
                                   _("SG {sg} のルール「{purpose}」の{side} {peer_net} には、VPC {vpcs} のどのルート・サイト・VPNも届かない（このルールは一致しない）").format(sg=sg, purpose=r.rule.purpose, side=side, peer_net=r.peer_net, vpcs=', '.join(vpcs)), r.location,
                                   _("CIDRを接続先のネットワークの範囲にするか、ルールを削除する（その範囲と通信するならルート・接続を追加する）")))
    used: set[str] = set()
    for r in matrix(ctx.net):
        if r.front_leg_ok:
            used.update(r.rules)
    scope = eg.scope
    for env in (scope.envs if scope is not None and scope.joined else ()):
        # paths between environments of one network use rules of both ends
        for a, b in ((env, eg.env), (eg.env, env)) if env != eg.env else ():
            for r in crossings(ctx.net.peer(a), b):
                used.update(r.rules)
    for b, a in _shadowed(eg):  # a rule covering a used one admits the same packets: used too
        if f"{b.sg}#{b.index}" in used:
            used.add(f"{a.sg}#{a.index}")
    for sg, refs in eg.rules.items():
        for r in refs:
            key = f"{sg}#{r.index}"
            if key in used or key in reported:
                continue
            out.append(ctx.finding("SG_RULE_UNUSED", (sg,), _("SG {sg} のルール「{purpose}」（{direction} {protocol}/{lo}–{hi}）はどの到達可能な経路にも使われない（過剰な許可、または到達しない経路のためのルール）").format(sg=sg, purpose=r.rule.purpose, direction=r.direction, protocol=r.protocol, lo=r.ports[0], hi=r.ports[1]), r.location,
                               _("必要なフロー・インテントがなければ削除する。必要なら経路側（ルート・他のSG）を直す")))
    return out
