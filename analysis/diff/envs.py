"""Differences between two environments of one model: configuration and reachability.

Configuration: :func:`~analysis.diff.config.config_diff`, plus kind ``migration``: every
row of the migration table (:func:`model.migration.migration_rows`, section 9) whose
values differ, so the diff never says less than the approved document. Reachability:
:func:`~analysis.diff.reach.reach_diff`.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> d = diff(analyze(load_model()), "poc", "prod")
>>> [(r.source, r.target, r.port, r.from_verdict, r.to_verdict) for r in d.reach if r.source == "persona:business"]
[('persona:business', 'alb', 443, 'reachable', 'conditional')]
>>> [c.key for c in d.config if c.kind == "sg-rule"][:1]
['cvpn-sg outbound all/0-65535 0.0.0.0/0']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analysis.analyze import Analysis
from analysis.diff.config import ConfigDiff, config_diff
from analysis.diff.reach import ReachDiff, reach_diff
from model.index import ModelIndex
from model.migration import migration_rows

__all__ = ["EnvDiff", "diff"]


@dataclass(frozen=True)
class EnvDiff:
    from_env: str
    to_env: str
    config: tuple[ConfigDiff, ...]
    reach: tuple[ReachDiff, ...]

    def to_dict(self) -> dict:
        return {"from": self.from_env, "to": self.to_env,
                "config": [asdict(c) for c in self.config], "reach": [asdict(r) for r in self.reach]}


def _migration(ix: ModelIndex, a: str, b: str) -> list[ConfigDiff]:
    return [ConfigDiff("migration", r.item, "changed", r.before, r.after)
            for r in migration_rows(ix, a, b) if r.before != r.after]


def diff(analysis: Analysis, from_env: str, to_env: str) -> EnvDiff:
    """Configuration and reachability differences from ``from_env`` to ``to_env``."""
    qa, qb = analysis.network(from_env), analysis.network(to_env)
    config = config_diff(qa.eg, qb.eg) + _migration(analysis.ix, from_env, to_env)
    return EnvDiff(from_env, to_env, tuple(sorted(config)), reach_diff(qa, qb))
