"""Where things are: environments, regions, accounts, sites outside AWS, VPCs, subnets, named CIDRs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints, model_validator

from model.schema.base import Cidr, Id, Strict, Text
from model.schema.requirements import Requirements

__all__ = ["Environment", "Characteristic", "Region", "Account", "Site", "Vpc", "Subnet", "NamedCidr"]


class Characteristic(Strict):
    """A bullet with sub-bullets (e.g. 'two access paths' followed by one bullet per path)."""

    text: Text
    """The bullet's text (Markdown emphasis allowed)."""
    items: tuple[Text, ...]
    """Sub-bullets."""


class Environment(Strict):
    id: Id
    """Stable id (e.g. 'staging', 'production') used everywhere an environment is named."""
    name: Text
    """Display name, e.g. 'Staging environment'."""
    short: Text | None = None
    """Short name used in derived sentences, e.g. 'Staging' in 'verified in Staging'; None: the ``name``."""
    role: Literal["development", "test", "verification", "staging", "production"] = "production"
    """What the environment is for; production requirements (e.g. Multi-AZ databases) apply to
    'production' environments only."""
    section: Annotated[StrictInt, Field(ge=1, le=99)] | None = None
    """Number of the document section that describes this environment; it numbers the
    environment's page (``01-<id>.md``), so 1-99 and unique (E042). None: the first number
    no other environment uses, in model order."""
    characteristics: tuple[Text | Characteristic, ...] = ()
    """Bullets of the environment's characteristics; a bullet may carry sub-bullets."""
    baseline: Id | None = None
    """The environment this one migrates from (the migration table compares them)."""
    baseline_ref: Text | None = None
    """Where the source document tabulates the changes from ``baseline`` (e.g. '9'): the migration page
    then lists the rows that table names first, apart from the further differences the model finds.
    None: the document has no such table, and the page shows every difference the model finds."""
    requirements: Requirements = Requirements()
    """What the document promises for this environment (availability, data protection, DR, egress,
    monitoring, isolation), each in the document's words; checked against the configuration."""

    @model_validator(mode="after")
    def _short_defaults_to_name(self) -> "Environment":
        if self.short is None:  # frozen model: set once, while validating
            object.__setattr__(self, "short", self.name)
        return self


class Region(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d$")]
    """AWS region id, e.g. 'ap-northeast-1'."""
    name: Text
    """Display name, e.g. 'Tokyo'."""
    azs: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d[a-z]$")], ...]
    """Availability zones subnets of this region may use."""


class Account(Strict):
    id: Id
    """Stable id of the account (not the AWS account number)."""
    env: Id
    """The environment the account belongs to (its first environment)."""
    shared_with: tuple[Id, ...] = ()
    """Further environments whose resources this account holds: VPCs and nodes of those
    environments may be placed in it (several environments in one account, or a network
    account whose shared nodes, e.g. a Transit Gateway shared through AWS RAM, serve them).
    Empty: the account belongs to ``env`` alone."""
    name: Text
    """Display name of the account."""
    role_label: Text
    """How the migration table names the account in a list, e.g. 'shared' or 'production'."""
    short: Text
    """How the migration table names it as a destination, e.g. 'the production account'."""


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
    role: Id | None = None
    """Matches the same VPC across environments (e.g. 'shared', 'app': the migration table
    compares VPCs of one role); None: the VPC's ``id``."""
    role_name: Text | None = None
    """Display name of the VPC's role, e.g. 'Application VPC'; None: the VPC's ``name``."""
    cidr: Cidr
    """The VPC's primary IPv4 CIDR."""
    main_route_table: Id | None = None
    """The route table (of this VPC) that is its main route table: a subnet with no explicit
    association uses it, as in AWS. Empty: the main route table AWS creates with the VPC, which
    holds only the local route."""
    assumption: Id | None = None
    """The assumption this VPC relies on."""

    @model_validator(mode="after")
    def _role_defaults_to_self(self) -> "Vpc":
        if self.role is None:
            object.__setattr__(self, "role", self.id)
        if self.role_name is None:
            object.__setattr__(self, "role_name", self.name)
        return self


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
    """A name the document uses instead of a CIDR ('VPC CIDR', 'VPN CIDR'), valued per environment."""

    id: Id
    """Stable id rules and routes refer to with ``named``."""
    label: Text
    """The name as the document writes it, e.g. 'VPC CIDR'."""
    values: dict[Id, Cidr]
    """Environment id -> CIDR; an environment without a value has none."""
    assumption: Id | None = None
    """The assumption the values rely on."""
