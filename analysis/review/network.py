"""Findings a reviewer expects on any design: exposure of sensitive ports, ranges nothing can
deliver, stateful appliances without symmetric routing.

* ``DATA_PORT_OPEN_TO_WORLD`` (error) - an inbound SG rule admits 0.0.0.0/0 (or ::/0) on a
  data-tier port that Security Hub EC2.19's high-risk list does not name (Oracle, MongoDB,
  Redis/Valkey, Memcached, Redshift, and the port an ElastiCache or Aurora spec declares),
  unless an intent or flow from an internet party declares it. SSH, RDP, PostgreSQL, MySQL,
  SQL Server, ... are ``EC2_19_HIGH_RISK_PORT_OPEN`` (:mod:`analysis.review.controls`): one
  finding per port, never two.
* ``NACL_RULE_NEVER_MATCHES`` (warning) - a NACL rule's CIDR is a range no route, site or VPN
  delivers to (or from) its VPC (:func:`reachable_networks`), so it never matches.
* ``TGW_APPLIANCE_MODE_DISABLED`` (warning) - a TGW attachment's subnets send traffic to a
  stateful appliance (a Network Firewall endpoint) while appliance mode is off: a flow whose
  two directions enter the TGW in different AZs meets two endpoints, and the one without the
  flow's state drops it (Network Firewall guide, "Avoiding asymmetric routing").

:func:`reachable_networks` is shared with ``SG_RULE_NEVER_MATCHES``
(:mod:`analysis.review.security_groups`).

>>> from model.loader import load_model
>>> from analysis.graph import build_graph
>>> [str(n) for n in reachable_networks(build_graph(load_model(), "prod"), "prod-vpc")[0]]
['10.1.0.0/16', '192.168.0.0/16']
"""

from __future__ import annotations

from typing import Iterator

from analysis.forwarding.edges import connection_site, site_prefixes
from analysis.graph.addresses import NOT_GLOBAL
from analysis.graph.build import EnvGraph
from analysis.graph.types import Net, net
from analysis.results import Finding
from analysis.review.controls import HIGH_RISK_PORTS, _declared_open
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import _
from model.schema import DEFAULT_PORTS, NodeKind

__all__ = ["reachable_networks", "undeliverable", "DATA_PORTS"]

DATA_PORTS = {1521: "Oracle", 27017: "MongoDB", 6379: "Redis", 11211: "Memcached", 5439: "Redshift"}
"""Data-tier ports that must not be open to the whole internet and that EC2.19's list does not name."""

_WORLD = (net("0.0.0.0/0"),)


def _tgws_of(eg: EnvGraph, vpc: str) -> set[str]:
    return {eg.links.att_tgw.get(a) for a, subs in eg.attachments.items()
            if subs and eg.vpc_of_subnet(subs[0]) == vpc} - {None}


def reachable_networks(eg: EnvGraph, vpc: str) -> tuple[list[Net], bool]:
    """(networks a route, site or VPN can carry to or from ``vpc``, whether the internet can):
    its own CIDR, VPCs and on-premises sites on a TGW it is attached to, peered VPCs, the sites
    behind its VGW; the internet when it or a VPC on its TGWs has an internet gateway."""
    own = [eg.vpc_net[vpc]]
    tgws = _tgws_of(eg, vpc)
    vpcs = {vpc}
    for att, subs in eg.attachments.items():
        if subs and eg.links.att_tgw.get(att) in tgws:
            vpcs.add(eg.vpc_of_subnet(subs[0]))
    vpcs |= {b if a == vpc else a for a, b in eg.links.peerings.values() if vpc in (a, b)}
    out = own + [eg.vpc_net[v] for v in sorted(vpcs - {vpc}) if v in eg.vpc_net]
    out += [n for n in _shared_tgw_networks(eg, tgws) if n not in out]
    vgw = eg.links.vgw_of_vpc.get(vpc)
    for n in eg.ix.nodes_in(eg.env):
        on_tgw = eg.links.att_tgw.get(n.id) in tgws
        on_vgw = (n.vpn is not None and n.vpn.gateway == vgw) or (n.dx_gateway is not None and vgw in n.dx_gateway.vgws)
        if (n.dx_gateway is not None or n.vpn is not None) and (on_tgw or (vgw is not None and on_vgw)):
            out += [p for p in site_prefixes(eg, connection_site(eg, n.id)) if p not in out]
    internet = any(eg.igw_of_vpc(v) for v in {vpc} | _tgw_vpcs(eg, tgws))  # no edge-to-edge over peering
    return out, internet


def _shared_tgw_networks(eg: EnvGraph, tgws: set[str]) -> list[Net]:
    """The VPCs of the scope's other environments attached to one of ``tgws`` (a shared TGW)."""
    scope = eg.scope
    if scope is None or not scope.joined or not tgws & scope.shared_tgws:
        return []
    out = []
    for env in scope.envs:
        g = scope.graph(env)
        if g is not eg:
            out += [g.vpc_net[g.vpc_of_subnet(subs[0])] for att, subs in g.attachments.items()
                    if subs and g.links.att_tgw.get(att) in tgws & scope.shared_tgws]
    return out


def _tgw_vpcs(eg: EnvGraph, tgws: set[str]) -> set[str]:
    return {eg.vpc_of_subnet(subs[0]) for att, subs in eg.attachments.items()
            if subs and eg.links.att_tgw.get(att) in tgws}


def undeliverable(eg: EnvGraph, vpc: str, peer: Net) -> bool:
    """True when nothing in the model can carry ``peer`` to or from ``vpc``."""
    if peer.prefixlen == 0:
        return False
    networks, internet = reachable_networks(eg, vpc)
    if any(peer.version == n.version and peer.overlaps(n) for n in networks):
        return False
    public = peer.version == 4 and not any(peer.subnet_of(x) for x in NOT_GLOBAL)
    return not (internet and public)


def _declared_ports(eg: EnvGraph, members: list[str]) -> dict[int, str]:
    """Ports the members' ElastiCache and Aurora specs declare (their engines)."""
    out = {}
    for node in members:
        p = eg.node(node).at[eg.env]
        for spec in (p.elasticache, p.aurora):
            if spec is not None:
                out[spec.port or DEFAULT_PORTS[spec.engine]] = spec.engine
    return out


@rule(("DATA_PORT_OPEN_TO_WORLD", "error",
       "an inbound SG rule opens a database or cache port (beyond EC2.19's list) to 0.0.0.0/0 and no intent declares it"))
def world_open_data_ports(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for sg, refs in eg.rules.items():
        members = sorted(eg.sg_members.get(sg, ()))
        if not members:
            continue
        ports = {p: name for p, name in (DATA_PORTS | _declared_ports(eg, members)).items() if p not in HIGH_RISK_PORTS}
        for r in refs:
            if r.direction != "inbound" or r.peer_net is None or r.peer_net.prefixlen != 0 or r.protocol == "udp":
                continue
            declared = _declared_open(ctx, sg, r.ports[0], r.ports[1])
            hit = [(p, name) for p, name in sorted(ports.items()) if r.ports[0] <= p <= r.ports[1] and p not in declared]
            if hit:
                what = ", ".join(_("{p}（{name}）").format(p=p, name=name) for p, name in hit)
                yield ctx.finding("DATA_PORT_OPEN_TO_WORLD", (sg, *members),
                                  _("SG {sg} のルール「{purpose}」がインターネット全体（{peer_net}）に {what}を開いている（{members} に付与）").format(sg=sg, purpose=r.rule.purpose, peer_net=r.peer_net, what=what, members=', '.join(members)), r.location,
                                  _("送信元を必要なCIDR・SGに絞る。インターネットからの到達が意図なら intents に reach を宣言する"))


@rule(("NACL_RULE_NEVER_MATCHES", "warning", "a NACL rule's CIDR is a range no route, site or VPN delivers"))
def nacl_never_matches(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for nacl in eg.model.nacls:
        if nacl.vpc not in eg.vpc_net or nacl.id not in eg.nacl_rules:
            continue
        for r in eg.nacl_rules[nacl.id]:
            if undeliverable(eg, nacl.vpc, r.cidr):
                yield ctx.finding("NACL_RULE_NEVER_MATCHES", (nacl.id,),
                                  _("NACL {id} のルール {number}（{direction} {cidr}）の範囲には、VPC {vpc} のどのルート・サイト・VPNも届かない（一致しないルール）").format(id=nacl.id, number=r.number, direction=r.direction, cidr=r.cidr, vpc=nacl.vpc), r.location,
                                  _("CIDRを見直す（接続先のネットワークの範囲にする）か、ルールを削除する"))


@rule(("TGW_APPLIANCE_MODE_DISABLED", "warning",
       "a TGW attachment's subnets route to a stateful firewall endpoint while appliance mode is off"))
def appliance_mode(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    for att, subnets in eg.attachments.items():
        if att in eg.links.appliance_mode:
            continue
        firewalls = sorted({r.target for s in subnets for r in eg.rt_routes.get(eg.subnet_rt.get(s), ())
                            if r.target in eg.ix.nodes and eg.ix.nodes[r.target].kind is NodeKind.NETWORK_FIREWALL})
        if firewalls:
            yield ctx.finding("TGW_APPLIANCE_MODE_DISABLED", (att, *firewalls),
                              _("TGWアタッチメント {att} のサブネットはファイアウォール {firewalls} へ転送するが、アプライアンスモードが無効。往路と復路が別のAZでTGWに入るフローは別のエンドポイントを通り、フローの状態がないエンドポイントで破棄される（非対称ルーティング）").format(att=att, firewalls=', '.join(firewalls)),
                              eg.where_id("nodes", att), _("アタッチメントの tgw_attachment.appliance_mode を true にする"))
