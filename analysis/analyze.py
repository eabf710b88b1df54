"""``analyze(loaded) -> Analysis``: the whole analysis of a model, computed once and shared.

The build's gather step, ``archdoc check``, ``findings``, ``diff`` and ``reach`` all ask
the same questions of the same model; an :class:`Analysis` answers each once. Parts are
computed when first asked for (``reach`` needs one environment's graph, not the
findings), then kept: the per-environment graphs, their point queries
(:class:`~analysis.paths.reach.Reachability`), the intents, the findings and the port
matrices, the requirement rows. Everything it returns is a frozen row.

>>> from model.loader import load_model
>>> a = analyze(load_model())
>>> a.envs
('poc', 'prod')
>>> a.network("poc").reach("business-user", "alb", 443).verdict
'reachable'
>>> a.network("poc") is a.network("poc")
True
>>> [s.envs for s in a.scopes], a.cross_matrices
([('poc',), ('prod',)], ())
>>> [r.id for r in a.intents_of("prod") if r.status == "violated"]
[]
>>> [(r.component, r.status) for r in a.requirements_of("prod") if r.key == "dr"]
[('s3', 'broken'), ('rds', 'kept')]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from analysis.graph.build import EnvGraph, build_graph
from analysis.graph.scope import Scope, network_scopes
from analysis.intents import IntentResult, evaluate_intents
from analysis.matrix import CrossMatrix, PortMatrix, cross_matrix, port_matrix
from analysis.paths.reach import Reachability
from analysis.requirements import RequirementRow, evaluate
from analysis.results import Finding
from analysis.review import ReviewContext, review, sort_key
from model.index import ModelIndex
from model.loader import Loaded

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """Every analysis result of one loaded model (see the module docstring)."""

    loaded: Loaded

    @cached_property
    def ix(self) -> ModelIndex:
        return ModelIndex(self.loaded.model)

    @property
    def envs(self) -> tuple[str, ...]:
        """Environment ids in model order."""
        return tuple(self.ix.envs)

    @cached_property
    def scopes(self) -> tuple[Scope, ...]:
        """The environments grouped into network scopes: those a shared network object joins are
        analysed together (:mod:`analysis.graph.scope`); every other environment alone."""
        return tuple(Scope(self.loaded, self.ix, s.envs, s.shared, build_graph) for s in network_scopes(self.ix))

    def scope(self, env: str) -> Scope:
        """The scope of ``env`` (raises ``KeyError`` for an unknown environment)."""
        found = next((s for s in self.scopes if env in s.envs), None)
        if found is None:
            raise KeyError(env)
        return found

    @cached_property
    def _networks(self) -> dict[str, Reachability]:
        return {}

    def network(self, env: str) -> Reachability:
        """The point queries of ``env`` (raises ``KeyError`` for an unknown environment)."""
        q = self._networks.get(env)
        if q is None:
            scope = self.scope(env)
            q = self._networks[env] = scope.queries.get(env) or Reachability(scope.graph(env))
        return q

    def graph(self, env: str) -> EnvGraph:
        return self.network(env).eg

    @cached_property
    def intents(self) -> tuple[IntentResult, ...]:
        """Every intent evaluated, sorted by environment and id."""
        return tuple(evaluate_intents(self.loaded, self.network))

    def intents_of(self, env: str) -> tuple[IntentResult, ...]:
        return tuple(r for r in self.intents if r.env == env)

    @cached_property
    def requirement_checks(self) -> tuple[RequirementRow, ...]:
        """Every requirement row of every environment, the AWS controls' baselines included."""
        return tuple(r for env in self.envs for r in evaluate(self.graph(env), self.network(env), baselines=True))

    @property
    def requirements(self) -> tuple[RequirementRow, ...]:
        """The requirements the document states, checked: kept, broken or not decidable, per component."""
        return tuple(r for r in self.requirement_checks if r.declared)

    def requirements_of(self, env: str) -> tuple[RequirementRow, ...]:
        return tuple(r for r in self.requirements if r.env == env)

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every environment, sorted (environment, severity, code, ...)."""
        out: list[Finding] = []
        for env in self.envs:
            checks = tuple(r for r in self.requirement_checks if r.env == env)
            out += review(ReviewContext(self.graph(env), self.network(env), self.intents_of(env), checks))
        return tuple(sorted(out, key=sort_key))

    def findings_of(self, env: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.env == env)

    @cached_property
    def _matrices(self) -> dict[str, PortMatrix]:
        return {}

    def matrix(self, env: str) -> PortMatrix:
        """Sources by (target, listening port) of ``env``, as the reachability page shows it."""
        m = self._matrices.get(env)
        if m is None:
            m = self._matrices[env] = port_matrix(self.network(env))
        return m

    @cached_property
    def cross_matrices(self) -> tuple[CrossMatrix, ...]:
        """For every ordered pair of environments one scope joins: the sources of the first by the
        private addresses and listening ports of the second's nodes (the isolation section)."""
        return tuple(cross_matrix(self.network(a), b) for s in self.scopes for a in s.envs for b in s.envs if a != b)


def analyze(loaded: Loaded) -> Analysis:
    """The analysis of ``loaded`` (nothing is computed until asked for)."""
    return Analysis(loaded)
