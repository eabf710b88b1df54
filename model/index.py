"""Read-only lookups over a validated :class:`~model.schema.Model`, per environment.

Renderers and the analysis all ask the same questions ("which nodes exist in prod?",
"which subnets does the ALB use there?", "which rules of this SG apply in POC?"); this
module answers them once, in a stable order (the model's declaration order), so that
every output that iterates them is deterministic.

>>> from model.index import ModelIndex
>>> from model.loader import load_model
>>> ix = ModelIndex(load_model().model)
>>> [n.id for n in ix.nodes_in("poc") if n.kind.value == "nat-gateway"]
['nat-a', 'nat-c']
>>> ix.placement("alb", "prod").subnets
('prod-public-1', 'prod-public-2')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from model.facts import FACT_KINDS, FactBook, FactKind
from model.schema import (
    Account, Actor, Environment, Flow, FlowKind, Model, Node, NodeKind, Placement, Region, SecurityGroup,
    SgRule, Site, Subnet, Vpc,
)

__all__ = ["ModelIndex", "Location"]


@dataclass(frozen=True)
class Location:
    """Where a node sits in one environment, resolved to every enclosing container."""

    env: str
    site: str | None
    account: str | None
    region: str | None
    vpc: str | None
    subnets: tuple[str, ...]
    azs: tuple[str, ...]


class ModelIndex:
    """Id lookups and per-environment selections over one model (immutable, cached)."""

    def __init__(self, model: Model):
        self.model = model

    # ------------------------------------------------------------ id maps
    @cached_property
    def envs(self) -> dict[str, Environment]:
        return {e.id: e for e in self.model.environments}

    @cached_property
    def regions(self) -> dict[str, Region]:
        return {r.id: r for r in self.model.regions}

    @cached_property
    def accounts(self) -> dict[str, Account]:
        return {a.id: a for a in self.model.accounts}

    @cached_property
    def sites(self) -> dict[str, Site]:
        return {s.id: s for s in self.model.sites}

    @cached_property
    def vpcs(self) -> dict[str, Vpc]:
        return {v.id: v for v in self.model.vpcs}

    @cached_property
    def subnets(self) -> dict[str, Subnet]:
        return {s.id: s for s in self.model.subnets}

    @cached_property
    def nodes(self) -> dict[str, Node]:
        return {n.id: n for n in self.model.nodes}

    @cached_property
    def actors(self) -> dict[str, Actor]:
        return {a.id: a for a in self.model.actors}

    @cached_property
    def security_groups(self) -> dict[str, SecurityGroup]:
        return {g.id: g for g in self.model.security_groups}

    @cached_property
    def assumptions(self):
        return {a.id: a for a in self.model.assumptions}

    @cached_property
    def named_cidrs(self):
        return {n.id: n for n in self.model.named_cidrs}

    # ------------------------------------------------------------ per environment
    def vpcs_in(self, env: str) -> list[Vpc]:
        return [v for v in self.model.vpcs if v.env == env]

    def accounts_in(self, env: str) -> list[Account]:
        return [a for a in self.model.accounts if a.env == env]

    def subnets_of(self, vpc: str) -> list[Subnet]:
        return [s for s in self.model.subnets if s.vpc == vpc]

    def nodes_in(self, env: str) -> list[Node]:
        return [n for n in self.model.nodes if env in n.at]

    def actors_in(self, env: str) -> list[Actor]:
        return [a for a in self.model.actors if env in a.envs]

    def flows_in(self, env: str) -> list[Flow]:
        return [f for f in self.model.flows if env in f.envs]

    def sgs_in(self, env: str) -> list[SecurityGroup]:
        return [g for g in self.model.security_groups if env in g.envs]

    def sg_rules(self, sg: str, env: str) -> list[SgRule]:
        """The rules of ``sg`` that apply in ``env`` (rules may be limited with ``envs``)."""
        return [r for r in self.security_groups[sg].rules if r.envs is None or env in r.envs]

    def placement(self, node: str, env: str) -> Placement:
        return self.nodes[node].at[env]

    def label(self, node: str, env: str) -> str:
        """The node's label in ``env`` (a placement may override the shared label)."""
        if node in self.actors:
            return self.actors[node].label
        return self.nodes[node].at[env].label or self.nodes[node].label

    @cached_property
    def facts(self) -> FactBook:
        """The spec's facts per node and environment, for labels (see :mod:`model.facts`)."""
        return FactBook(self.model)

    def described(self, node: str, env: str, kinds: tuple[FactKind, ...] = FACT_KINDS) -> str:
        """:meth:`label` followed by the spec's facts of ``kinds`` ('RDS PostgreSQL Primary db.m5.large')."""
        return self.facts.label(self.label(node, env), node, env, kinds)

    def named_value(self, named: str, env: str) -> str | None:
        return self.named_cidrs[named].values.get(env)

    def locate(self, node: str, env: str) -> Location:
        """Resolve a node's placement to site/account/region/VPC/subnets/AZs."""
        p = self.placement(node, env)
        subnets = tuple(p.subnets)
        vpc = p.vpc
        if subnets and vpc is None:
            vpc = self.subnets[subnets[0]].vpc
        account, region = p.account, p.region
        if vpc is not None:
            account = account or self.vpcs[vpc].account
            region = region or self.vpcs[vpc].region
        azs = tuple(sorted({self.subnets[s].az for s in subnets}))
        return Location(env, p.site, account, region, vpc, subnets, azs)

    def nodes_in_subnet(self, subnet: str, env: str) -> list[Node]:
        return [n for n in self.nodes_in(env) if subnet in n.at[env].subnets]

    def subnet_purpose(self, subnet: str, env: str) -> str:
        """Table 3.x's 用途 column: the purposes of the nodes placed there, in model order."""
        seen: list[str] = []
        for n in self.nodes_in_subnet(subnet, env):
            purpose = n.at[env].purpose
            if purpose and purpose not in seen:
                seen.append(purpose)
        return ", ".join(seen)

    def env_of_subnet(self, subnet: str) -> str:
        return self.vpcs[self.subnets[subnet].vpc].env

    # ------------------------------------------------------------ data and its copies
    def data_stores(self, env: str) -> list[Node]:
        """Components that hold data in ``env`` and exist now: RDS instances and Aurora clusters
        with a spec, then S3 buckets (an S3 node that is not a part of another S3 node; a part
        shares its bucket).

        >>> from model.loader import load_model
        >>> ix = ModelIndex(load_model().model)
        >>> [n.id for n in ix.data_stores("prod")]
        ['rds', 's3', 's3-dr']
        """
        active = [n for n in self.nodes_in(env) if n.at[env].status == "active"]
        buckets = [n for n in active if n.kind is NodeKind.S3
                   and not (n.part_of in self.nodes and self.nodes[n.part_of].kind is NodeKind.S3)]
        return [n for n in active if n.at[env].rds is not None or n.at[env].aurora is not None] + buckets

    def backup_paths(self, node: str, env: str) -> list[tuple[tuple[str, ...], int]]:
        """Every component reached from ``node`` along ``backup`` flows, nearest first, as
        (path from ``node``, index in ``flows`` of the path's last flow).

        >>> from model.loader import load_model
        >>> ix = ModelIndex(load_model().model)
        >>> [p for p, _ in ix.backup_paths("rds", "prod")]
        [('rds', 's3-backup'), ('rds', 's3-backup', 's3-dr')]
        """
        flows = [(i, f) for i, f in enumerate(self.model.flows) if env in f.envs and f.kind is FlowKind.BACKUP]
        out: list[tuple[tuple[str, ...], int]] = []
        frontier, seen = [(node,)], {node}
        while frontier:
            path = frontier.pop(0)
            for i, f in flows:
                if f.source == path[-1] and f.target not in seen and f.target in self.nodes:
                    seen.add(f.target)
                    out.append((path + (f.target,), i))
                    frontier.append(path + (f.target,))
        return out
