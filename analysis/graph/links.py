"""The gateways and connections of one environment, resolved: :class:`Links`.

:func:`build_links` turns the connectivity nodes of the model into lookups the
forwarding engine asks per hop: which TGW an attachment belongs to (and its appliance
mode), the peering connections of a VPC, the VGW of a VPC and its VPN connections, the
sites behind a customer gateway, the prefix-list routes that gateway endpoints add to
route tables, the interface endpoints of a VPC per service, and the Network Firewall
endpoints per AZ.

>>> from model.loader import load_model
>>> from analysis.graph.build import build_graph
>>> links = build_graph(load_model(), "prod").links
>>> links.att_tgw["tgw-attach-app"], links.att_tgw["dx-gateway"]
('tgw', 'tgw')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.schema import NodeKind

__all__ = ["Links", "build_links"]


@dataclass(frozen=True)
class Links:
    att_tgw: dict[str, str] = field(default_factory=dict)
    """TGW attachment id (VPC attachment, DX gateway, VPN connection) -> its TGW."""
    appliance_mode: frozenset[str] = frozenset()
    """VPC attachments with appliance mode on."""
    peerings: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Peering connection id -> (requester VPC, accepter VPC)."""
    vgw_of_vpc: dict[str, str] = field(default_factory=dict)
    """VPC -> its virtual private gateway."""
    vpns: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """VPN connection id -> (customer gateway, AWS end (VGW or TGW), on-premises site)."""
    dx_vgws: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """DX gateway -> the VGWs it is associated with (private VIF)."""
    endpoint_routes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Route table -> {service node -> gateway endpoint}: the prefix-list routes of gateway endpoints."""
    interface_endpoints: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """(VPC, service node) -> interface endpoints with private DNS in that VPC."""
    firewall_subnets: dict[str, dict[str, str]] = field(default_factory=dict)
    """Network Firewall -> {AZ -> endpoint subnet}."""

    def tgw_of(self, attachment: str) -> str | None:
        return self.att_tgw.get(attachment)


def _attachment_tgws(ix, env: str, tables) -> dict[str, str]:
    tgws = [n.id for n in ix.nodes_in(env) if n.kind is NodeKind.TGW]
    out: dict[str, str] = {}
    for rt in tables:
        for att in (*rt.associations, *rt.propagations, *(r.attachment for r in rt.routes if r.attachment)):
            out.setdefault(att, rt.tgw)
    for n in ix.nodes_in(env):
        named = None
        if n.tgw_attachment is not None and n.tgw_attachment.tgw:
            named = n.tgw_attachment.tgw
        elif n.dx_gateway is not None and n.dx_gateway.tgw:
            named = n.dx_gateway.tgw
        elif n.vpn is not None and n.vpn.gateway in ix.nodes and ix.nodes[n.vpn.gateway].kind is NodeKind.TGW:
            named = n.vpn.gateway
        elif n.kind is NodeKind.TGW_ATTACHMENT and n.part_of in tgws:
            named = n.part_of
        if named is not None:
            out[n.id] = named
        elif n.kind is NodeKind.TGW_ATTACHMENT and n.id not in out and len(tgws) == 1:
            out[n.id] = tgws[0]
    return out


def build_links(ix, env: str, subnet_az: dict[str, str], tables=None) -> Links:
    """The connectivity of environment ``env`` (``subnet_az``: subnet -> AZ, for the firewall endpoints;
    ``tables``: the TGW route tables it sees, by default its own)."""
    nodes = ix.nodes_in(env)
    tables = [t for t in ix.model.tgw_route_tables if t.env == env] if tables is None else tables
    out = Links(att_tgw=_attachment_tgws(ix, env, tables),
                appliance_mode=frozenset(n.id for n in nodes if n.tgw_attachment and n.tgw_attachment.appliance_mode))
    for n in nodes:
        p = n.at[env]
        if n.peering is not None:
            out.peerings[n.id] = (n.peering.requester, n.peering.accepter)
        elif n.kind is NodeKind.VGW and p.vpc:
            out.vgw_of_vpc.setdefault(p.vpc, n.id)
        elif n.vpn is not None:
            cgw = ix.nodes.get(n.vpn.customer_gateway)
            site = cgw.customer_gateway.site if cgw is not None and cgw.customer_gateway is not None else ""
            out.vpns[n.id] = (n.vpn.customer_gateway, n.vpn.gateway, site)
        elif n.dx_gateway is not None and n.dx_gateway.vgws:
            out.dx_vgws[n.id] = tuple(n.dx_gateway.vgws)
        elif n.endpoint is not None and n.endpoint.type == "gateway":
            for rt in n.endpoint.route_tables:
                out.endpoint_routes.setdefault(rt, {}).setdefault(n.endpoint.service, n.id)
        elif n.endpoint is not None and n.endpoint.private_dns and p.subnets:
            vpc = ix.subnets[p.subnets[0]].vpc
            key = (vpc, n.endpoint.service)
            out.interface_endpoints[key] = out.interface_endpoints.get(key, ()) + (n.id,)
        elif n.firewall is not None:
            out.firewall_subnets[n.id] = {}
            for s in p.subnets:
                out.firewall_subnets[n.id].setdefault(subnet_az[s], s)
    return out
