"""Differences: environment ↔ environment of one model, and revision ↔ revision (approved ↔ current).

* :mod:`~analysis.diff.config` - configuration of one environment against another
  (VPCs, subnets, components, security groups and rules, route tables, NACLs);
* :mod:`~analysis.diff.reach` - connections whose verdict changes;
* :mod:`~analysis.diff.envs` - :func:`diff`: two environments of one model (``archdoc diff``),
  with the migration table's rows;
* :mod:`~analysis.diff.revisions` - :func:`revision_diff`: the approved model against the
  current one, per environment, with the findings that appeared or cleared
  (``archdoc check --approved``, the site's changes page).

May import: :mod:`model`, the rest of :mod:`analysis`.
"""

from __future__ import annotations

from analysis.diff.config import ConfigDiff, config_diff
from analysis.diff.envs import EnvDiff, diff
from analysis.diff.reach import ReachDiff, reach_diff
from analysis.diff.revisions import EnvChanges, FindingChange, RevisionDiff, revision_diff

__all__ = ["ConfigDiff", "ReachDiff", "EnvDiff", "diff", "config_diff", "reach_diff",
           "EnvChanges", "FindingChange", "RevisionDiff", "revision_diff"]
