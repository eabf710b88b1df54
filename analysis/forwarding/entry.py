"""Where a path enters the model from outside the VPCs: an on-premises site over one of its
connections, or a Client VPN client through the endpoint.

* **On-premises** (issue 19: a site may have several connections): the site's routers
  send a packet over the first connection of the site (in the actor's ``via`` order, then
  model order) whose advertised routes cover the destination: a Direct Connect gateway's
  allowed prefixes (transit VIF to a TGW) or its VGWs' VPC CIDRs (private VIF); a VPN
  connection's TGW routes (the route table associated with it) or its VGW's VPC CIDR.
  When none covers it, the first connection is used and its restriction reported
  (``DXGW_ALLOWED_PREFIX_RESTRICTION``).
* **Client VPN** (Client VPN administrator guide: routes, authorization rules, split-tunnel):
  the VPN connection itself goes to the endpoint's public address over the client's own
  internet, whatever routes the endpoint pushes (:func:`tunnelled` says which requests use
  the tunnel). With split tunnel only destinations inside the endpoint's routes enter the
  tunnel; with full tunnel (split tunnel off, or a route covering 0.0.0.0/0) every request
  does, and one no route covers is dropped at the endpoint. In the tunnel: the endpoint's
  routes (``CVPN_ROUTE_MISSING``), its authorization rules by longest prefix - the most
  specific rules containing the destination decide, and a rule naming groups admits only
  their members, so a 0.0.0.0/0 rule covers only what no more specific rule covers
  (``CVPN_AUTHORIZATION_RULE_MISSING``) -, then SNAT of the client address to the
  endpoint's ENI address in the associated subnet (``CVPN_SNAT_SOURCE_IS_ENI``), whose route
  table takes over (internet access of a full tunnel needs its route to an IGW or NAT).
"""

from __future__ import annotations


from analysis.forwarding.edges import connection_site
from analysis.forwarding.services import vpn_transport
from analysis.forwarding.tgw import associated_table
from analysis.forwarding.trace import Header, Packet, changed
from analysis.forwarding.walk import Walk
from analysis.graph.types import Eni, Net, net
from analysis.i18n import N_, Templates

__all__ = ["assumption_ref", "site_connections", "from_site", "cvpn_eni", "through_cvpn", "full_tunnel", "tunnelled",
           "authorizing_rules", "endpoint_graph"]

T = Templates({
    "dx_denied": N_("許可プレフィックス {prefixes} に {dst} が含まれず、オンプレミスに広告されない"),
    "dx": N_("Direct Connect（許可プレフィックス {prefixes}）"),
    "dx_vgw": N_("Direct Connect（プライベートVIF、仮想プライベートゲートウェイ {vgw}）"),
    "private_vif": N_("VIFは「{vif}」と記載。TGWとの関連付けにはTransit VIFが必要だが、関連付け済みとして解析{assumption}"),
    "assumption": N_("（{assumption}）"),
    "vpn": N_("サイト間VPN {vpn}（{routing}、トンネル {tunnels} 本）"),
    "vpn_uncovered": N_("サイト間VPN {vpn} で広告される経路に {dst} が含まれない"),
    "tunnel": N_("Client VPN トンネル（{transport}）"),
    "undefined": N_("クライアントCIDR {named} に環境 {env} の値がない"),
    "route_missing": N_("Client VPNのルートに {dst} がない"),
    "route": N_("Client VPNルート → {dst}"),
    "auth": N_("認可ルール {rule}"),
    "auth_groups": N_("認可ルール {rule}（グループ {groups}）"),
    "auth_missing": N_("{dst} を許可する認可ルールがない"),
    "auth_other_groups": N_("{dst} に最長一致する認可ルール {rule} はグループ {groups} のみ許可し、{actor} のグループ（{mine}）を含まない"),
    "no_groups": N_("なし"),
    "snat": N_("SNAT: 送信元 {client} → ENIアドレス（{subnet} {net}）"),
})


def assumption_ref(eg, assumption: str | None) -> str:
    """The assumption a message relies on, in parentheses, or nothing when the model records none."""
    return T("assumption", assumption=assumption) if assumption else ""


def site_connections(eg, site: str, via: tuple[str, ...] = ()) -> list[str]:
    """The connections (DX gateways, VPN connections) of ``site`` in this environment: ``via`` first."""
    conns = [n.id for n in eg.ix.nodes_in(eg.env) if connection_site(eg, n.id) == site]
    return [c for c in via if c in conns] + [c for c in conns if c not in via]


def _advertised(eg, conn: str) -> list[Net]:
    """What a connection offers the site's routers: the prefixes it carries towards AWS."""
    node = eg.ix.nodes[conn]
    if node.dx_gateway is not None:
        out = [net(x) for x in node.dx_gateway.allowed_prefixes]
        for vgw in node.dx_gateway.vgws:
            vpc = eg.ix.nodes[vgw].at[eg.env].vpc if vgw in eg.ix.nodes and eg.env in eg.ix.nodes[vgw].at else None
            out += [eg.vpc_net[vpc]] if vpc in eg.vpc_net else []
        return out
    gw = eg.ix.nodes.get(node.vpn.gateway)
    if gw is not None and gw.kind.value == "tgw":
        rt = associated_table(eg, conn)
        return [r.net for r in rt.routes if not r.blackhole] if rt is not None else []
    vpc = gw.at[eg.env].vpc if gw is not None and eg.env in gw.at else None
    return [eg.vpc_net[vpc]] if vpc in eg.vpc_net else []


def from_site(w: Walk, conns: list[str], h: Header) -> Packet | None:
    """The first packet inside AWS of a request from an on-premises site (see the module docstring)."""
    eg = w.eg
    if not conns:
        return None
    conn = next((c for c in conns if any(h.dst.subnet_of(x) for x in _advertised(eg, c))), conns[0])
    node = eg.ix.nodes[conn]
    di = eg.loaded.index_of("nodes", conn)
    if node.dx_gateway is not None:
        spec = node.dx_gateway
        vgw = next((v for v in spec.vgws if any(h.dst.subnet_of(x) for x in _advertised(eg, conn))), None)
        if vgw is not None and spec.tgw is None:
            w.step(conn, "FORWARDED", T("dx_vgw", vgw=vgw), eg.where("nodes", di, "dx_gateway", "vgws"))
            return Packet("vgw-in", vgw, None, None, h, via="dx")
        prefixes = ", ".join(spec.allowed_prefixes)
        if not any(h.dst.subnet_of(net(x)) for x in spec.allowed_prefixes):
            w.block("DXGW_ALLOWED_PREFIX_RESTRICTION", conn, T("dx_denied", prefixes=prefixes, dst=w.show(h.dst)),
                    eg.where("nodes", di, "dx_gateway", "allowed_prefixes"))
        else:
            w.step(conn, "FORWARDED", T("dx", prefixes=prefixes), eg.where("nodes", di, "dx_gateway", "allowed_prefixes"))
        if "transit" not in spec.vif.lower():
            w.note("DXGW_PRIVATE_VIF_ASSUMED_TRANSIT")
            w.step(conn, "NOTE", T("private_vif", vif=spec.vif, assumption=assumption_ref(eg, spec.assumption or node.assumption)), eg.where("nodes", di, "dx_gateway", "vif"))
        return Packet("tgw", spec.tgw, None, None, h, via=conn) if spec.tgw else None
    spec = node.vpn
    if not any(h.dst.subnet_of(x) for x in _advertised(eg, conn)):
        w.block("NO_ROUTE", conn, T("vpn_uncovered", vpn=conn, dst=w.show(h.dst)), eg.where("nodes", di, "vpn"))
    w.step(conn, "FORWARDED", T("vpn", vpn=conn, routing=spec.routing, tunnels=spec.tunnels), eg.where("nodes", di, "vpn"))
    gw = eg.ix.nodes.get(spec.gateway)
    if gw is not None and gw.kind.value == "tgw":
        return Packet("tgw", spec.gateway, None, None, h, via=conn)
    return Packet("vgw-in", spec.gateway, None, None, h, via="vgw")


def endpoint_graph(eg, cvpn):
    """The graph of the environment whose VPC the endpoint is associated with (a shared endpoint
    may sit in another environment of the scope)."""
    sub = cvpn.client_vpn.associated_subnets[0]
    if sub in eg.subnet_net or eg.scope is None:
        return eg
    env = eg.scope.env_of_subnet(sub)
    return eg.scope.graph(env) if env is not None else eg


def cvpn_eni(eg, cvpn) -> Eni:
    """The Client VPN endpoint's ENI in its first associated subnet (the translated source)."""
    sub = cvpn.client_vpn.associated_subnets[0]
    found = next((e for e in eg.enis.get(cvpn.id, ()) if e.subnet == sub), None)
    if found is not None:
        return found
    return Eni(cvpn.id, sub, eg.vpc_of_subnet(sub), eg.ix.subnets[sub].az, eg.subnet_net[sub],
               tuple(g for g in cvpn.security_groups if g in eg.rules), True)


def full_tunnel(spec) -> bool:
    """True when every client request enters the endpoint (:meth:`model.schema.ClientVpnSpec.full_tunnel`)."""
    return spec.full_tunnel()


def tunnelled(spec, dst: Net, private: bool) -> bool:
    """Does a client's request to ``dst`` enter the tunnel? A private address always does (only the
    tunnel can carry it); a public one with full tunnel, or inside a route the endpoint pushes."""
    return private or full_tunnel(spec) or any(dst.subnet_of(net(r)) for r in spec.routes)


def authorizing_rules(spec, dst: Net) -> list[int]:
    """Indexes of the authorization rules that decide ``dst``: the longest prefix containing it
    (AWS evaluates 0.0.0.0/0 last: it covers what no more specific rule covers)."""
    covering = [k for k, r in enumerate(spec.authorization_rules) if dst.subnet_of(net(r.destination))]
    if not covering:
        return []
    longest = max(net(spec.authorization_rules[k].destination).prefixlen for k in covering)
    return [k for k in covering if net(spec.authorization_rules[k].destination).prefixlen == longest]


def _authorize(w: Walk, cvpn, h: Header, actor, ci: int) -> None:
    eg, spec = w.eg, cvpn.client_vpn
    deciding = authorizing_rules(spec, h.dst)
    mine = tuple(actor.vpn_groups) if actor is not None else ()
    admits = [k for k in deciding if not spec.authorization_rules[k].groups
              or set(spec.authorization_rules[k].groups) & set(mine)]
    if admits:
        r = spec.authorization_rules[admits[0]]
        words = T("auth_groups", rule=r.destination, groups=", ".join(r.groups)) if r.groups else \
            T("auth", rule=r.destination)
        w.step(cvpn.id, "PERMITTED", words, eg.where("nodes", ci, "client_vpn", "authorization_rules", admits[0]))
    elif deciding:
        r = spec.authorization_rules[deciding[0]]
        groups = ", ".join(g for k in deciding for g in spec.authorization_rules[k].groups)
        w.block("CVPN_AUTHORIZATION_RULE_MISSING", cvpn.id,
                T("auth_other_groups", dst=w.show(h.dst), rule=r.destination, groups=groups,
                  actor=actor.id if actor is not None else "?", mine=", ".join(mine) or T("no_groups")),
                eg.where("nodes", ci, "client_vpn", "authorization_rules", deciding[0]))
    else:
        w.block("CVPN_AUTHORIZATION_RULE_MISSING", cvpn.id, T("auth_missing", dst=w.show(h.dst)),
                eg.where("nodes", ci, "client_vpn", "authorization_rules"))


def through_cvpn(w: Walk, cvpn, h: Header, actor=None) -> Packet:
    """Through the Client VPN endpoint into its associated subnet: tunnel, routes, authorization
    (for ``actor``'s groups), SNAT."""
    eg = w.enter(endpoint_graph(w.eg, cvpn).env)
    spec = cvpn.client_vpn
    ci = eg.loaded.index_of("nodes", cvpn.id)
    client = eg.named(spec.client_cidr)
    w.step(cvpn.id, "PERMITTED", T("tunnel", transport=vpn_transport(spec)), eg.where("nodes", ci))
    if client is None:
        w.block("NAMED_CIDR_UNDEFINED", cvpn.id, T("undefined", named=spec.client_cidr, env=eg.env),
                eg.where_id("named_cidrs", spec.client_cidr))
    routes_loc = eg.where("nodes", ci, "client_vpn", "routes")
    if not any(h.dst.subnet_of(net(r)) for r in spec.routes):
        w.block("CVPN_ROUTE_MISSING", cvpn.id, T("route_missing", dst=w.show(h.dst)), routes_loc)
    else:
        w.step(cvpn.id, "FORWARDED", T("route", dst=w.show(h.dst)), routes_loc)
    _authorize(w, cvpn, h, actor, ci)
    s = cvpn_eni(eg, cvpn)
    w.step(cvpn.id, "TRANSFORMED", T("snat", client=client, subnet=s.subnet, net=s.net), eg.where("nodes", ci, "client_vpn"))
    w.note("CVPN_SNAT_SOURCE_IS_ENI")
    w.open("cvpn", cvpn.id)
    h2 = changed(h, src=s.net, src_sgs=s.sgs)
    return Packet("eni-out", s.node, s.subnet, s.az, h2, s)
