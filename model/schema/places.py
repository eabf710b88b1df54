"""Where things are: environments, regions, accounts, sites outside AWS, VPCs, subnets, named CIDRs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from model.schema.base import Cidr, Id, Strict, Text

__all__ = ["Environment", "Characteristic", "Region", "Account", "Site", "Vpc", "Subnet", "NamedCidr"]


class Characteristic(Strict):
    """A bullet with sub-bullets (e.g. '2つのアクセス経路' in 1.2)."""

    text: Text
    items: tuple[Text, ...]


class Environment(Strict):
    id: Id
    name: Text
    short: Text
    """Short name used in derived sentences, e.g. 'POC' in 'POCで検証済み'."""
    role: Literal["verification", "production"]
    section: Annotated[StrictInt, Field(ge=1, le=99)]
    """Section number of the seed that describes this environment (1 POC, 2 production); it
    numbers the environment's page (``01-poc.md``), so 1-99 and unique (E042)."""
    characteristics: tuple[Text | Characteristic, ...] = ()
    """Bullets of the seed's 'の特徴' section; a bullet may carry sub-bullets."""
    baseline: Id | None = None
    """The environment this one migrates from (section 9 compares them)."""


class Region(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d$")]
    name: Text
    azs: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d[a-z]$")], ...]


class Account(Strict):
    id: Id
    env: Id
    name: Text
    role_label: Text
    """How section 9 names the account in a list, e.g. '共有系' or '本番用'."""
    short: Text
    """How section 9 names it as a destination, e.g. '本番アカウント'."""


class Site(Strict):
    """A place outside AWS: an on-premises site or the internet."""

    id: Id
    name: Text
    kind: Literal["onprem", "internet", "saas"]
    envs: tuple[Id, ...]
    cidrs: tuple[Cidr, ...] = ()
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    assumption: Id | None = None


class Vpc(Strict):
    id: Id
    env: Id
    account: Id
    region: Id
    name: Text
    role: Id
    """Matches the same VPC across environments (section 9: '共有系VPC', 'アプリ系VPC')."""
    role_name: Text
    cidr: Cidr
    assumption: Id | None = None


class Subnet(Strict):
    id: Id
    vpc: Id
    name: Text
    cidr: Cidr
    az: Id
    tier: Literal["public", "private-app", "private-db"]


class NamedCidr(Strict):
    """A name the seed uses instead of a CIDR ('VPC CIDR', 'VPN CIDR'), valued per environment."""

    id: Id
    label: Text
    values: dict[Id, Cidr]
    assumption: Id | None = None
