"""Environments analysed as one network: :class:`Scope` and :func:`network_scopes`.

Each environment has its own graph (:class:`~analysis.graph.build.EnvGraph`). Environments
are analysed *together* when a network object serves several of them: a node marked
``shared`` (one Transit Gateway, Direct Connect gateway, Client VPN endpoint or VPN
connection in a network account, shared through AWS RAM). Such environments form one
*scope*: its graphs see every route table of the shared TGW (whichever environment it
serves), a path may cross from one environment's graph into another's where a shared
object forwards it (a TGW route to another environment's attachment, a public address
another environment owns), and the scope has one address plan (one witness address for
the internet, public addresses allocated once). Everything else stays per environment,
so a scope of one environment is exactly the environment's own graph.

Which environments share a network is decided from the model only; two environments that
share nothing are two scopes (and ``--from poc:x --to prod:y`` answers that no network
joins them).

>>> from model.loader import load_model
>>> from model.index import ModelIndex
>>> [s.envs for s in network_scopes(ModelIndex(load_model().model))]
[('poc',), ('prod',)]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

from analysis.graph.addresses import build_plans

from model.index import ModelIndex
from model.loader import Loaded
from model.rules.sharing import SHAREABLE
from model.schema import Node, NodeKind

if TYPE_CHECKING:
    from analysis.graph.addresses import AddressPlan
    from analysis.graph.build import EnvGraph

__all__ = ["Scope", "ScopeInfo", "network_scopes", "shared_nodes", "scope_of", "SHAREABLE"]


def shared_nodes(ix: ModelIndex) -> list[Node]:
    """Nodes that are one resource in two or more environments, in model order."""
    return [n for n in ix.model.nodes if n.shared and n.kind in SHAREABLE and len(n.at) > 1]


@dataclass(frozen=True)
class ScopeInfo:
    """The environments of one scope and the shared nodes that join them (model order)."""

    envs: tuple[str, ...]
    shared: tuple[str, ...]


def network_scopes(ix: ModelIndex) -> tuple[ScopeInfo, ...]:
    """The model's environments grouped into scopes (each in model order; scopes by their first environment)."""
    parent = {e: e for e in ix.envs}

    def root(e: str) -> str:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    order = list(ix.envs)
    for n in shared_nodes(ix):
        envs = [e for e in n.at if e in parent]
        for e in envs[1:]:
            a, b = sorted((root(envs[0]), root(e)), key=order.index)
            parent[b] = a
    groups: dict[str, list[str]] = {}
    for e in order:
        groups.setdefault(root(e), []).append(e)
    shared = shared_nodes(ix)
    return tuple(ScopeInfo(tuple(g), tuple(n.id for n in shared if set(n.at) & set(g)))
                 for g in sorted(groups.values(), key=lambda g: order.index(g[0])))


class Scope:
    """Environments analysed as one network: their graphs (built once, when first asked for),
    the shared nodes, and which environment a VPC or an attachment belongs to.

    ``queries`` is where the layer above keeps one query object per environment, so that a
    path crossing into another environment asks that environment's (cached) questions.
    """

    def __init__(self, loaded: Loaded, ix: ModelIndex, envs: tuple[str, ...], shared: tuple[str, ...],
                 builder: Callable[..., "EnvGraph"]):
        self.loaded, self.ix, self.envs, self.shared = loaded, ix, tuple(envs), tuple(shared)
        self._build = builder
        """:func:`~analysis.graph.build.build_graph` (passed in: the builder creates scopes)."""
        self._graphs: dict[str, "EnvGraph"] = {}
        self.queries: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Scope({self.envs!r})"

    @property
    def joined(self) -> bool:
        """True when several environments are analysed together."""
        return len(self.envs) > 1

    def graph(self, env: str) -> "EnvGraph":
        """The graph of ``env`` in this scope (raises ``KeyError`` for an environment outside it)."""
        g = self._graphs.get(env)
        if g is None:
            if env not in self.envs:
                raise KeyError(env)
            g = self._graphs[env] = self._build(self.loaded, env, self.ix, scope=self)
        return g

    def adopt(self, g: "EnvGraph") -> None:
        """Register a graph built for this scope (:func:`~analysis.graph.build.build_graph` does)."""
        self._graphs.setdefault(g.env, g)

    @cached_property
    def shared_tgws(self) -> frozenset[str]:
        return frozenset(n for n in self.shared if self.ix.nodes[n].kind is NodeKind.TGW)

    def env_of_vpc(self, vpc: str) -> str | None:
        """The environment of ``vpc`` when it is in this scope."""
        v = self.ix.vpcs.get(vpc)
        return v.env if v is not None and v.env in self.envs else None

    def env_of_subnet(self, subnet: str) -> str | None:
        s = self.ix.subnets.get(subnet)
        return self.env_of_vpc(s.vpc) if s is not None else None

    def attachment_env(self, att: str) -> str | None:
        """The environment whose VPC a TGW VPC attachment is in (the first in model order), if in this scope."""
        node = self.ix.nodes.get(att)
        if node is None or node.kind is not NodeKind.TGW_ATTACHMENT:
            return None
        return next((e for e in self.envs if e in node.at and node.at[e].subnets), None)

    @cached_property
    def plans(self) -> dict[str, "AddressPlan"]:
        """One address plan per environment, allocated together (one internet witness, no address twice)."""
        return build_plans([self.graph(e) for e in self.envs])


def scope_of(loaded: Loaded, ix: ModelIndex, env: str, builder: Callable[..., "EnvGraph"]) -> Scope:
    """A new :class:`Scope` holding ``env`` and the environments a shared network object joins to it."""
    info = next(s for s in network_scopes(ix) if env in s.envs)
    return Scope(loaded, ix, info.envs, info.shared, builder)
