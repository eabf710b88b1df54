"""Filtering and routing: security groups, NACLs, VPC and Transit Gateway route tables."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from model.schema.base import Cidr, Id, Port, Strict, Text

__all__ = ["PortRange", "SgRule", "SecurityGroup", "NaclRule", "Nacl", "Route", "RouteTable", "TgwRoute", "TgwRouteTable"]


class PortRange(Strict):
    start: Port = Field(alias="from")
    """First port of the range (written 'from')."""
    end: Port = Field(alias="to")
    """Last port of the range, inclusive (written 'to')."""
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True)


class SgRule(Strict):
    direction: Literal["inbound", "outbound"]
    """'inbound' (peer is the source) or 'outbound' (peer is the destination)."""
    protocol: Literal["tcp", "udp", "all"]
    """'tcp', 'udp' or 'all'."""
    port: Port | PortRange | None = None
    """A single port, a range, or none for protocol 'all'."""
    cidr: Cidr | None = None
    """Peer address range as a CIDR; exactly one of cidr, named and sg is given."""
    named: Id | None = None
    """Peer as a named CIDR id, valued per environment."""
    sg: Id | None = None
    """Peer as another security group id (matches that group's members' private addresses)."""
    purpose: Text
    """Why the rule exists (the document's 用途 column; the CloudFormation description)."""
    envs: tuple[Id, ...] | None = None
    """Restricts the rule to these environments (None: every environment of the group)."""


class SecurityGroup(Strict):
    id: Id
    """Stable id nodes refer to in ``security_groups``."""
    name: Text
    """Display name of the group."""
    section: Text = "-"
    """Section number of the source document that lists the group, or '-' (the default) when it lists none."""
    envs: tuple[Id, ...]
    """Environments in which the group exists."""
    rules: tuple[SgRule, ...] = ()
    """Inbound and outbound rules (stateful, allow only)."""
    no_outbound_note: Text | None = None
    """How the document states an empty outbound list, e.g. 'なし'."""
    assumption: Id | None = None
    """The assumption this group relies on, when the document does not define it."""


class NaclRule(Strict):
    number: Annotated[StrictInt, Field(ge=1, le=32766)]
    """Rule number: rules are evaluated in ascending number, the first match wins."""
    direction: Literal["inbound", "outbound"]
    """'inbound' or 'outbound' (NACLs are stateless: replies need their own rules)."""
    protocol: Literal["tcp", "udp", "all"]
    """'tcp', 'udp' or 'all'."""
    port: Port | PortRange | None = None
    """A single port, a range, or none for all ports."""
    cidr: Cidr
    """The peer address range the rule matches."""
    action: Literal["allow", "deny"]
    """'allow' or 'deny'."""


class Nacl(Strict):
    id: Id
    """Stable id of the network ACL."""
    vpc: Id
    """The VPC the NACL belongs to."""
    subnets: tuple[Id, ...]
    """Subnets associated with this NACL (a subnet has exactly one NACL)."""
    rules: tuple[NaclRule, ...] = ()
    """Numbered rules; after them an implicit rule denies everything."""


class Route(Strict):
    destination: Cidr | None = None
    """Destination CIDR; exactly one of destination and named is given."""
    named: Id | None = None
    """Destination as a named CIDR id, valued per environment."""
    target: Id
    """A node id (igw, nat-a, tgw, ...), or 'local'."""


class RouteTable(Strict):
    id: Id
    """Stable id of the route table."""
    vpc: Id
    """The VPC the route table belongs to."""
    name: Text
    """Display name of the route table."""
    subnets: tuple[Id, ...]
    """Subnets associated with this route table (a subnet has exactly one)."""
    routes: tuple[Route, ...] = ()
    """Routes; the local route of the VPC CIDR is implied when not written."""
    propagations: tuple[Id, ...] = ()
    """Virtual private gateways whose VPN routes propagate into this table (on-premises prefixes)."""
    assumption: Id | None = None
    """The assumption these routes rely on, when the document does not define them."""


class TgwRoute(Strict):
    destination: Cidr
    """Destination CIDR of the static route."""
    attachment: Id | None = None
    """The attachment (node id) the route sends to; empty for a blackhole route."""
    blackhole: StrictBool = False
    """True for a blackhole route: matching packets are dropped."""


class TgwRouteTable(Strict):
    id: Id
    """Stable id of the TGW route table."""
    env: Id
    """The environment whose TGW this table belongs to."""
    tgw: Id
    """The Transit Gateway (node id)."""
    name: Text
    """Display name of the route table."""
    associations: tuple[Id, ...]
    """Attachments whose arriving packets are looked up in this table."""
    propagations: tuple[Id, ...] = ()
    """Attachments whose networks are propagated into this table as routes."""
    routes: tuple[TgwRoute, ...] = ()
    """Static routes (they win over propagated routes of the same prefix)."""
    assumption: Id | None = None
    """The assumption this table relies on, when the document does not define it."""
