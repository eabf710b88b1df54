"""Connectivity specs: TGW attachment options, VPC peering, site-to-site VPN
(customer gateway, VPN connection), VPC endpoints and AWS Network Firewall.

Each spec sits on a node of its kind (``vpc-peering`` carries ``peering``, ...); the
engine (:mod:`analysis.forwarding`) forwards packets through them, and the rules in
:mod:`model.rules` check the AWS constraints that need the whole model.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from model.schema.base import Cidr, Id, IpAddress, Port, Strict
from model.schema.network import PortRange

__all__ = ["TgwAttachmentSpec", "PeeringSpec", "CustomerGatewaySpec", "VpnSpec", "EndpointSpec", "FirewallRule",
           "FirewallSpec"]


class TgwAttachmentSpec(Strict):
    """Options of a Transit Gateway VPC attachment."""

    tgw: Id | None = None
    """The TGW node this attachment belongs to (default: the TGW of its route tables, or the
    environment's only TGW)."""
    appliance_mode: StrictBool = False
    """Appliance mode: the TGW keeps both directions of a flow on the same attachment ENI (one
    AZ) of this VPC. Needed on an inspection VPC so that a stateful appliance sees both directions."""


class PeeringSpec(Strict):
    """A VPC peering connection between two VPCs (non-transitive, no edge-to-edge routing)."""

    requester: Id
    """The requester VPC."""
    accepter: Id
    """The accepter VPC."""


class CustomerGatewaySpec(Strict):
    """The on-premises end of a site-to-site VPN."""

    site: Id
    """The on-premises site behind this device."""
    asn: Annotated[StrictInt, Field(ge=1, le=4294967295)] | None = None
    """The device's BGP ASN (dynamic routing)."""
    ip: IpAddress | None = None
    """The device's public IP address (documentation only)."""


class VpnSpec(Strict):
    """A site-to-site VPN connection from a customer gateway to a VGW or a TGW."""

    customer_gateway: Id
    """The customer gateway node (its site is the on-premises network)."""
    gateway: Id
    """The AWS end: a ``vgw`` node (one VPC) or a ``tgw`` node (its id is then this
    connection's TGW attachment in TGW route tables)."""
    routing: Literal["static", "dynamic"] = "dynamic"
    """Dynamic (BGP) advertises the site's CIDRs; static uses ``static_routes``."""
    static_routes: tuple[Cidr, ...] = ()
    """On-premises prefixes of a static connection (to a VGW; on a TGW, write static TGW routes)."""
    tunnels: Literal[1, 2] = 2
    """Tunnels configured (AWS provides two; one means no redundancy)."""


class EndpointSpec(Strict):
    """A VPC endpoint: gateway (route-table prefix-list route) or interface (ENIs with SGs)."""

    type: Literal["gateway", "interface"]
    """Gateway endpoint (S3, DynamoDB: a route-table prefix-list route) or interface endpoint (ENIs)."""
    service: Id
    """The AWS service node reached through this endpoint (e.g. ``s3``)."""
    route_tables: tuple[Id, ...] = ()
    """Gateway endpoints: the route tables that get the service's prefix-list route."""
    private_dns: StrictBool = True
    """Interface endpoints: the service's public name resolves to the endpoint in its VPC."""
    policy: Literal["allow", "deny"] = "allow"
    """The endpoint policy's answer to the requests of the modelled clients (IAM-style;
    the default policy allows everything)."""


class FirewallRule(Strict):
    """One rule of a Network Firewall policy, as a 5-tuple filter."""

    id: Id
    """Stable id of the rule within the firewall."""
    engine: Literal["stateless", "stateful"] = "stateful"
    """Stateless rules run first, by priority; stateful rules (strict order) keep flow state."""
    priority: Annotated[StrictInt, Field(ge=1, le=65535)]
    """Evaluation order within its engine (lowest first)."""
    action: Literal["pass", "drop", "forward"]
    """``forward`` (stateless only) hands the packet to the stateful engine."""
    protocol: Literal["tcp", "udp", "all"] = "all"
    """Protocol the rule matches."""
    source: Cidr = "0.0.0.0/0"
    """Source CIDR the rule matches."""
    destination: Cidr = "0.0.0.0/0"
    """Destination CIDR the rule matches."""
    port: Port | PortRange | None = None
    """Destination port or range (none: every port)."""


class FirewallSpec(Strict):
    """AWS Network Firewall: one endpoint per placement subnet (one per AZ), with its policy."""

    rules: tuple[FirewallRule, ...] = ()
    """The policy's rules (stateless and stateful)."""
    stateless_default: Literal["pass", "drop", "forward"] = "forward"
    """What a packet that matches no stateless rule gets (AWS requires one; ``forward`` is usual)."""
    stateful_default: Literal["pass", "drop"] = "pass"
    """What a flow that matches no stateful rule gets (``drop`` = aws:drop_strict)."""
