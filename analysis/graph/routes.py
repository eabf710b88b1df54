"""VPC route tables of one environment, resolved for :func:`~analysis.graph.build.build_graph`.

Each table becomes a :class:`~analysis.graph.types.RouteSet`: its static routes (a named
CIDR valued for the environment), the on-premises prefixes propagated from the virtual
private gateways it names, and the local route of the VPC even where it is not written.
Every subnet is mapped to the table it uses, as AWS does: its explicit association, else
its VPC's main route table - the table the VPC names (``main_route_table``), else the one
AWS creates with the VPC, which holds only the local route (:func:`default_main_rt`).

>>> default_main_rt("app-vpc"), is_default_main_rt("app-vpc:main"), is_default_main_rt("app-rt")
('app-vpc:main', True, False)
"""

from __future__ import annotations

from analysis.graph.types import Net, RouteEntry, RouteSet, net
from model.index import ModelIndex
from model.loader import Loaded

__all__ = ["route_tables", "default_main_rt", "is_default_main_rt", "named_net", "onprem_prefixes"]


def named_net(ix: ModelIndex, env: str, named_id: str) -> Net | None:
    """The value of a named CIDR in ``env`` (None where it has none)."""
    nc = ix.named_cidrs.get(named_id)
    value = nc.values.get(env) if nc else None
    return net(value) if value else None


def onprem_prefixes(ix: ModelIndex, conn: str) -> list[Net]:
    """The on-premises prefixes a connection (DX gateway, VPN connection) propagates."""
    node = ix.nodes.get(conn)
    if node is None:
        return []
    site = None
    if node.dx_gateway is not None:
        site = ix.sites.get(node.dx_gateway.site)
    elif node.vpn is not None:
        if node.vpn.routing == "static":
            return [net(c) for c in node.vpn.static_routes]
        cgw = ix.nodes.get(node.vpn.customer_gateway)
        site = ix.sites.get(cgw.customer_gateway.site) if cgw is not None and cgw.customer_gateway else None
    return [net(c) for c in (site.cidrs if site else ())]


def _vgw_prefixes(ix: ModelIndex, env: str, vgw: str) -> list[tuple[Net, str]]:
    """(prefix, VGW) for every on-premises prefix a VGW learns from its VPN connections and DX gateways."""
    out = []
    for n in ix.nodes_in(env):
        if (n.vpn is not None and n.vpn.gateway == vgw) or (n.dx_gateway is not None and vgw in n.dx_gateway.vgws):
            out.extend((c, vgw) for c in onprem_prefixes(ix, n.id))
    return out


def route_tables(ix: ModelIndex, env: str, loaded: Loaded, vpc_net: dict[str, Net], out: dict) -> None:
    """Fill ``out``'s ``rt_routes``, ``rt_location``, ``subnet_rt`` and ``main_rt`` for ``env``'s VPCs."""
    for i, rt in enumerate(ix.model.route_tables):
        if rt.vpc not in vpc_net:
            continue
        entries = []
        for j, r in enumerate(rt.routes):
            dest = net(r.destination) if r.destination else (named_net(ix, env, r.named) if r.named else None)
            if dest is not None:
                entries.append(RouteEntry(dest, r.target, "static", loaded.where("route_tables", i, "routes", j)))
        for vgw in rt.propagations:
            loc = loaded.where("route_tables", i, "propagations")
            entries.extend(RouteEntry(c, target, "propagated", loc) for c, target in _vgw_prefixes(ix, env, vgw))
        # every route table has the local route (one per VPC CIDR), even if not written
        if not any(e.target == "local" for e in entries):
            entries.append(RouteEntry(vpc_net[rt.vpc], "local", "local", loaded.where("route_tables", i)))
        out["rt_routes"][rt.id] = RouteSet(entries)
        out["rt_location"][rt.id] = loaded.where("route_tables", i)
        for s in rt.subnets:
            out["subnet_rt"][s] = rt.id
    # AWS: a subnet with no explicit association uses its VPC's main route table; unless the
    # model names one, that is the table created with the VPC, holding only the local route
    for v in ix.vpcs_in(env):
        main = v.main_route_table if v.main_route_table in out["rt_routes"] else default_main_rt(v.id)
        if main not in out["rt_routes"]:
            out["rt_routes"][main] = RouteSet([RouteEntry(vpc_net[v.id], "local", "local", loaded.where_id("vpcs", v.id))])
            out["rt_location"][main] = loaded.where_id("vpcs", v.id)
        out["main_rt"][v.id] = main
        for s in ix.subnets_of(v.id):
            out["subnet_rt"].setdefault(s.id, main)


def default_main_rt(vpc: str) -> str:
    """The id of the main route table AWS creates with ``vpc`` (no model id can take this form)."""
    return f"{vpc}:main"


def is_default_main_rt(rt: str | None) -> bool:
    """True for :func:`default_main_rt`'s ids: a table the model does not write."""
    return rt is not None and rt.endswith(":main")
