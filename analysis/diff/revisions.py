"""Differences between two revisions of one design: the approved model and the current one.

The answer to "does the repository still describe what was approved?": the changed items
of the model (:func:`model.changes.model_changes`, complete by construction: the two are
the same revision exactly when it is empty), and what they mean, per environment both
revisions have (same ids): configuration (:func:`~analysis.diff.config.config_diff`:
VPCs, subnets, components, security groups and their rules, route tables, NACLs) and
reachability (:func:`~analysis.diff.reach.reach_diff`); environments added or removed;
and the findings of the design review that appeared or cleared.

A finding is the same in both revisions when its environment, code, resources and
message are (its file:line is not compared: moving a line changes no design).

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> a = analyze(load_model())
>>> d = revision_diff(a, a)
>>> d.same, d.envs, d.findings
(True, (), ())
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analysis.analyze import Analysis
from analysis.diff.config import ConfigDiff, config_diff
from analysis.diff.reach import ReachDiff, reach_diff
from analysis.results import Finding
from model.changes import ItemChange, model_changes

__all__ = ["EnvChanges", "FindingChange", "RevisionDiff", "revision_diff"]


@dataclass(frozen=True)
class EnvChanges:
    """What changed in one environment that both revisions have."""

    env: str
    config: tuple[ConfigDiff, ...]
    reach: tuple[ReachDiff, ...]


@dataclass(frozen=True, order=True)
class FindingChange:
    """A finding of the design review that ``appeared`` in the current revision or ``cleared`` from it."""

    change: str
    finding: Finding


@dataclass(frozen=True)
class RevisionDiff:
    """The approved revision (``from_version``) against the current one (``to_version``)."""

    from_version: str
    to_version: str
    items: tuple[ItemChange, ...]
    envs_added: tuple[str, ...]
    envs_removed: tuple[str, ...]
    envs: tuple[EnvChanges, ...]
    """Environments of both revisions with at least one configuration or reachability change."""
    findings: tuple[FindingChange, ...]

    @property
    def same(self) -> bool:
        """True when the current model is the approved one (record fields aside)."""
        return not self.items

    def to_dict(self) -> dict:
        return {"from": self.from_version, "to": self.to_version, "same": self.same,
                "items": [asdict(i) for i in self.items],
                "envs_added": list(self.envs_added), "envs_removed": list(self.envs_removed),
                "envs": [{"env": e.env, "config": [asdict(c) for c in e.config],
                          "reach": [asdict(r) for r in e.reach]} for e in self.envs],
                "findings": [{"change": f.change, **f.finding.to_dict()} for f in self.findings]}


def _identity(f: Finding) -> tuple:
    return f.env, f.code, f.resources, f.message


def _findings(old: Analysis, new: Analysis) -> tuple[FindingChange, ...]:
    before, after = {_identity(f): f for f in old.findings}, {_identity(f): f for f in new.findings}
    out = [FindingChange("cleared", f) for k, f in before.items() if k not in after]
    out += [FindingChange("appeared", f) for k, f in after.items() if k not in before]
    return tuple(sorted(out, key=lambda c: (c.finding.env, c.change, c.finding.code, c.finding.resources,
                                            c.finding.message)))


def revision_diff(old: Analysis, new: Analysis) -> RevisionDiff:
    """Everything that changed from the ``old`` revision (the approved one) to ``new``."""
    items = model_changes(old.loaded.model, new.loaded.model)
    versions = old.loaded.model.document.version, new.loaded.model.document.version
    if not items:  # the same design: nothing to explain (and no analysis to run)
        return RevisionDiff(*versions, (), (), (), (), ())
    added = tuple(e for e in new.envs if e not in old.envs)
    removed = tuple(e for e in old.envs if e not in new.envs)
    envs = []
    for env in (e for e in new.envs if e in old.envs):
        qa, qb = old.network(env), new.network(env)
        config, reach = tuple(sorted(config_diff(qa.eg, qb.eg))), reach_diff(qa, qb)
        if config or reach:
            envs.append(EnvChanges(env, config, reach))
    return RevisionDiff(*versions, items, added, removed, tuple(envs), _findings(old, new))
