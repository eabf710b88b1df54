"""Filtering and routing: security groups, NACLs, VPC and Transit Gateway route tables."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from model.schema.base import Cidr, Id, Port, Strict, Text

__all__ = ["PortRange", "SgRule", "SecurityGroup", "NaclRule", "Nacl", "Route", "RouteTable", "TgwRoute", "TgwRouteTable"]


class PortRange(Strict):
    start: Port = Field(alias="from")
    end: Port = Field(alias="to")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SgRule(Strict):
    direction: Literal["inbound", "outbound"]
    protocol: Literal["tcp", "udp", "all"]
    port: Port | PortRange | None = None
    """A single port, a range, or none for protocol 'all'."""
    cidr: Cidr | None = None
    named: Id | None = None
    sg: Id | None = None
    purpose: Text
    envs: tuple[Id, ...] | None = None
    """Restricts the rule to these environments (None: every environment of the group)."""


class SecurityGroup(Strict):
    id: Id
    name: Text
    section: Text
    envs: tuple[Id, ...]
    rules: tuple[SgRule, ...] = ()
    no_outbound_note: Text | None = None
    """How the seed states an empty outbound list ('なし')."""
    assumption: Id | None = None


class NaclRule(Strict):
    number: Annotated[StrictInt, Field(ge=1, le=32766)]
    direction: Literal["inbound", "outbound"]
    protocol: Literal["tcp", "udp", "all"]
    port: Port | PortRange | None = None
    cidr: Cidr
    action: Literal["allow", "deny"]


class Nacl(Strict):
    id: Id
    vpc: Id
    subnets: tuple[Id, ...]
    rules: tuple[NaclRule, ...] = ()


class Route(Strict):
    destination: Cidr | None = None
    named: Id | None = None
    target: Id
    """A node id (igw, nat-a, tgw, ...), or 'local'."""


class RouteTable(Strict):
    id: Id
    vpc: Id
    name: Text
    subnets: tuple[Id, ...]
    routes: tuple[Route, ...] = ()
    propagations: tuple[Id, ...] = ()
    """Virtual private gateways whose VPN routes propagate into this table (on-premises prefixes)."""
    assumption: Id | None = None


class TgwRoute(Strict):
    destination: Cidr
    attachment: Id | None = None
    blackhole: StrictBool = False


class TgwRouteTable(Strict):
    id: Id
    env: Id
    tgw: Id
    name: Text
    associations: tuple[Id, ...]
    propagations: tuple[Id, ...] = ()
    routes: tuple[TgwRoute, ...] = ()
    assumption: Id | None = None
