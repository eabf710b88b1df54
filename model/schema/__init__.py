"""The typed model of every environment: frozen pydantic v2 classes, ``extra="forbid"``.

One :class:`Model` holds everything archdoc publishes. Things the environments share are
written once; where they differ, a per-environment ``at`` entry says how. Every list
item has a kebab-case ``id`` that tests, intents and users rely on.

The classes describe *structure* only; cross-reference and network rules (dangling
ids, CIDR containment, overlaps) live in :mod:`model.rules` so that each has a stable code.
Modules by domain: :mod:`~model.schema.base` (id and text types), :mod:`~model.schema.document`,
:mod:`~model.schema.approvals` (the approval record),
:mod:`~model.schema.places`, :mod:`~model.schema.network` (SGs, NACLs, route tables),
:mod:`~model.schema.nodes` (nodes, actors, flows, intents), :mod:`~model.schema.specs`
(component specs: Fargate, RDS, Cognito, ALB, WAF, ...), :mod:`~model.schema.workloads` (EC2, Auto Scaling, ECS on
EC2, ElastiCache, Aurora, NLB), 
:mod:`~model.schema.serverless` (Lambda, DynamoDB, API Gateway, CloudFront, SQS, EFS), :mod:`~model.schema.connections` (TGW attachment options,
peering, VPN, endpoints, Network Firewall), :mod:`~model.schema.requirements` (the document's
promises, checked by the analysis), :mod:`~model.schema.views` (diagram views);
:mod:`~model.schema.messages` words pydantic's errors for model authors.

May import: pydantic only (and its own modules).
"""

from __future__ import annotations

from model.schema import (approvals, connections, document, network, nodes, places, requirements, serverless, specs, views,
                          workloads)
from model.schema.approvals import *  # noqa: F401,F403
from pydantic import model_validator

from model.schema.base import Cidr, Id, IpAddress, Port, Strict, Text
from model.schema.document import *  # noqa: F401,F403  (re-exported: one import for users)
from model.schema.document import Assumption, Document
from model.schema.network import *  # noqa: F401,F403
from model.schema.network import Nacl, RouteTable, SecurityGroup, TgwRouteTable
from model.schema.nodes import *  # noqa: F401,F403
from model.schema.nodes import Actor, Flow, Intent, Node
from model.schema.places import *  # noqa: F401,F403
from model.schema.places import Account, Environment, NamedCidr, Region, Site, Subnet, Vpc
from model.schema.requirements import *  # noqa: F401,F403
from model.schema.specs import *  # noqa: F401,F403
from model.schema.views import *  # noqa: F401,F403
from model.schema.connections import *  # noqa: F401,F403
from model.schema.workloads import *  # noqa: F401,F403
from model.schema.serverless import *  # noqa: F401,F403
from model.schema.views import View

__all__ = [
    "Model", "Id", "Text", "Cidr", "IpAddress", "Port", "Strict",
    *approvals.__all__, *document.__all__, *places.__all__, *requirements.__all__, *network.__all__, *nodes.__all__, *specs.__all__, *views.__all__,
    *connections.__all__, *workloads.__all__, *serverless.__all__,
]


class Model(Strict):
    document: Document
    """Title, version, status, dates and revision history of the design document."""
    assumptions: tuple[Assumption, ...] = ()
    """Named assumptions and contradictions: where the source document is silent or contradicts itself."""
    environments: tuple[Environment, ...]
    """The environments the design describes (e.g. verification and production)."""
    regions: tuple[Region, ...]
    """AWS regions used, with the availability zones the design may place subnets in."""
    accounts: tuple[Account, ...]
    """AWS accounts, each holding one environment or more (``shared_with``)."""
    sites: tuple[Site, ...] = ()
    """Places outside AWS: the internet, on-premises sites, SaaS services."""
    vpcs: tuple[Vpc, ...] = ()
    """VPCs with their account, region and CIDR."""
    subnets: tuple[Subnet, ...] = ()
    """Subnets with their VPC, CIDR, availability zone and tier."""
    named_cidrs: tuple[NamedCidr, ...] = ()
    """Names the document uses instead of a CIDR (e.g. 'VPC CIDR'), valued per environment."""
    security_groups: tuple[SecurityGroup, ...] = ()
    """Security groups and their rules (rules may be limited to some environments)."""
    nacls: tuple[Nacl, ...] = ()
    """Network ACLs with their numbered rules and associated subnets."""
    route_tables: tuple[RouteTable, ...] = ()
    """VPC route tables with their routes and associated subnets."""
    tgw_route_tables: tuple[TgwRouteTable, ...] = ()
    """Transit Gateway route tables: associations, propagations and static routes."""
    nodes: tuple[Node, ...] = ()
    """Every component the design draws (gateways, load balancers, services, pipeline steps ...)."""
    actors: tuple[Actor, ...] = ()
    """People and systems that use the design from outside (internet users, on-premises staff)."""
    flows: tuple[Flow, ...] = ()
    """The arrows of the pictures: who talks to whom, on which protocol and port."""
    views: tuple[View, ...] = ()
    """Diagram views: a selection of the model plus presentation hints."""
    intents: tuple[Intent, ...] = ()
    """What must (or must not) be reachable; checked by the reachability analysis."""

    @model_validator(mode="after")
    def _number_environments(self) -> "Model":
        """An environment without ``section`` takes the first number no environment uses, in model order."""
        used = {e.section for e in self.environments if e.section is not None}
        number = 0
        for env in self.environments:
            if env.section is None:
                number += 1
                while number in used:
                    number += 1
                used.add(number)
                object.__setattr__(env, "section", number)  # frozen model: set once, while validating
        return self
