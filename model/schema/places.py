"""Where things are: environments, regions, accounts, sites outside AWS, VPCs, subnets, named CIDRs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from model.schema.base import Cidr, Id, Strict, Text
from model.schema.requirements import Requirements

__all__ = ["Environment", "Characteristic", "Region", "Account", "Site", "Vpc", "Subnet", "NamedCidr"]


class Characteristic(Strict):
    """A bullet with sub-bullets (e.g. '2つのアクセス経路' in 1.2)."""

    text: Text
    """The bullet's text (Markdown emphasis allowed)."""
    items: tuple[Text, ...]
    """Sub-bullets."""


class Environment(Strict):
    id: Id
    """Stable id (e.g. 'poc', 'prod') used everywhere an environment is named."""
    name: Text
    """Display name, e.g. 'POC環境'."""
    short: Text
    """Short name used in derived sentences, e.g. 'POC' in 'POCで検証済み'."""
    role: Literal["verification", "production"]
    """'verification' or 'production'; production requirements apply to production environments."""
    section: Annotated[StrictInt, Field(ge=1, le=99)]
    """Number of the document section that describes this environment; it numbers the
    environment's page (``01-poc.md``), so 1-99 and unique (E042)."""
    characteristics: tuple[Text | Characteristic, ...] = ()
    """Bullets of the environment's characteristics (特徴); a bullet may carry sub-bullets."""
    baseline: Id | None = None
    """The environment this one migrates from (the migration table compares them)."""
    baseline_ref: Text | None = None
    """Where the source document tabulates the changes from ``baseline`` (e.g. '9'): the migration page
    then lists the rows that table names first, apart from the further differences the model finds.
    None: the document has no such table, and the page shows every difference the model finds."""
    requirements: Requirements = Requirements()
    """What the document promises for this environment (availability, data protection, DR, egress,
    monitoring, isolation), each in the document's words; checked against the configuration."""


class Region(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d$")]
    """AWS region id, e.g. 'ap-northeast-1'."""
    name: Text
    """Display name, e.g. '東京リージョン'."""
    azs: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d[a-z]$")], ...]
    """Availability zones subnets of this region may use."""


class Account(Strict):
    id: Id
    """Stable id of the account (not the AWS account number)."""
    env: Id
    """The environment the account belongs to."""
    shared_with: tuple[Id, ...] = ()
    """Further environments this account serves as a network account: its shared nodes
    (``shared: true``, e.g. a Transit Gateway shared through AWS RAM) and VPCs of those
    environments may be placed in it. Empty: the account belongs to ``env`` alone."""
    name: Text
    """Display name of the account."""
    role_label: Text
    """How the migration table names the account in a list, e.g. '共有系' or '本番用'."""
    short: Text
    """How the migration table names it as a destination, e.g. '本番アカウント'."""


class Site(Strict):
    """A place outside AWS: an on-premises site or the internet."""

    id: Id
    """Stable id of the site."""
    name: Text
    """Display name of the site."""
    kind: Literal["onprem", "internet", "saas"]
    """'onprem' (an on-premises network), 'internet' or 'saas' (a hosted service)."""
    envs: tuple[Id, ...]
    """Environments in which the site is used."""
    cidrs: tuple[Cidr, ...] = ()
    """Address ranges of an on-premises site (or 0.0.0.0/0 for the internet)."""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    """Two-letter country code of the site's public addresses."""
    assumption: Id | None = None
    """The assumption this site relies on, e.g. an address range the document does not give."""


class Vpc(Strict):
    id: Id
    """Stable id of the VPC."""
    env: Id
    """The environment the VPC belongs to."""
    account: Id
    """The account the VPC is in."""
    region: Id
    """The region the VPC is in."""
    name: Text
    """Display name of the VPC."""
    role: Id
    """Matches the same VPC across environments (section 9: '共有系VPC', 'アプリ系VPC')."""
    role_name: Text
    """Display name of the VPC's role, e.g. 'アプリ系VPC'."""
    cidr: Cidr
    """The VPC's primary IPv4 CIDR."""
    assumption: Id | None = None
    """The assumption this VPC relies on."""


class Subnet(Strict):
    id: Id
    """Stable id of the subnet."""
    vpc: Id
    """The VPC the subnet is in."""
    name: Text
    """Display name, e.g. 'Public Subnet 1'."""
    cidr: Cidr
    """The subnet's IPv4 CIDR (inside its VPC's CIDR)."""
    az: Id
    """Availability zone of the subnet."""
    tier: Literal["public", "private-app", "private-db"]
    """'public', 'private-app' or 'private-db': the subnet's role in the design."""


class NamedCidr(Strict):
    """A name the seed uses instead of a CIDR ('VPC CIDR', 'VPN CIDR'), valued per environment."""

    id: Id
    """Stable id rules and routes refer to with ``named``."""
    label: Text
    """The name as the document writes it, e.g. 'VPC CIDR'."""
    values: dict[Id, Cidr]
    """Environment id -> CIDR; an environment without a value has none."""
    assumption: Id | None = None
    """The assumption the values rely on."""
