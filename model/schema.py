"""The typed model of both environments: frozen pydantic v2 classes, ``extra="forbid"``.

One ``Model`` holds everything archdoc publishes. Things the environments share are
written once; where they differ, a per-environment ``at`` entry says how. Every list
item has a kebab-case ``id`` that tests, intents and users rely on.

The classes describe *structure* only; cross-reference and network rules (dangling
ids, CIDR containment, overlaps) live in :mod:`model.rules` so that each has a stable code.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import StringConstraints

from model.schema_base import Cidr, Id, Port, Strict, Text
from model.schema_network import *  # noqa: F401,F403  (re-exported: one import for users)
from model.schema_network import Nacl, RouteTable, SecurityGroup, TgwRouteTable
from model.schema_nodes import *  # noqa: F401,F403
from model.schema_nodes import Actor, Flow, Intent, Node
from model.schema_specs import *  # noqa: F401,F403
from model.schema_views import *  # noqa: F401,F403
from model.schema_views import View
from model import schema_network, schema_nodes, schema_specs, schema_views

__all__ = [
    "Model", "Document", "Revision", "Assumption", "Environment", "Characteristic", "Region", "Account", "Site",
    "Vpc", "Subnet", "NamedCidr", "Id", "Text", "Cidr", "Port", "Strict",
    *schema_network.__all__, *schema_nodes.__all__, *schema_specs.__all__, *schema_views.__all__,
]

# ---------------------------------------------------------------- document

class Revision(Strict):
    version: Text
    date: _dt.date
    author: Text
    summary: Text


class Document(Strict):
    title: Text
    version: Text
    status: Text
    created: _dt.date
    approver: Text | None = None
    """承認者: empty until the document is approved (the seed leaves it blank)."""
    approval_date: _dt.date | None = None
    approval_placeholder: Text = "（承認後に記入）"
    revisions: tuple[Revision, ...] = ()


class Assumption(Strict):
    """Where the seed is silent or ambiguous, the value archdoc chose, with its reason."""

    id: Id
    title: Text
    statement: Text
    value: Text
    kind: Literal["assumption", "contradiction"] = "assumption"
    seed_ref: Text | None = None
    """Where in the seed the gap or contradiction is (section number)."""


# ---------------------------------------------------------------- places

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
    section: int
    """Section number of the seed that describes this environment (1 POC, 2 production)."""
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
    region: str
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
    az: str
    tier: Literal["public", "private-app", "private-db"]


class NamedCidr(Strict):
    """A name the seed uses instead of a CIDR ('VPC CIDR', 'VPN CIDR'), valued per environment."""

    id: Id
    label: Text
    values: dict[Id, Cidr]
    assumption: Id | None = None


# ---------------------------------------------------------------- the whole model

class Model(Strict):
    document: Document
    assumptions: tuple[Assumption, ...] = ()
    environments: tuple[Environment, ...]
    regions: tuple[Region, ...]
    accounts: tuple[Account, ...]
    sites: tuple[Site, ...] = ()
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    named_cidrs: tuple[NamedCidr, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    nacls: tuple[Nacl, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    tgw_route_tables: tuple[TgwRouteTable, ...] = ()
    nodes: tuple[Node, ...] = ()
    actors: tuple[Actor, ...] = ()
    flows: tuple[Flow, ...] = ()
    views: tuple[View, ...] = ()
    intents: tuple[Intent, ...] = ()
