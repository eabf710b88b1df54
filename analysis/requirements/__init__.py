"""The document's promises checked against its configuration: one row per requirement and component.

* :mod:`~analysis.requirements.rows` - :class:`RequirementRow`, :class:`Outcome` and the registry
  of checks (one per requirement key of :class:`model.schema.Requirements`);
* :mod:`~analysis.requirements.availability` - Multi-AZ, surviving an AZ's loss, tasks, Auto Scaling;
* :mod:`~analysis.requirements.data` - encryption at rest, backups, DR copies, RPO, RTO;
* :mod:`~analysis.requirements.network` - egress per tier, alarm notification;
* :mod:`~analysis.requirements.isolation` - environments and tiers kept apart (accounts, cross-environment paths);
* :mod:`~analysis.requirements.evaluate` - :func:`evaluate`: every check over one environment.

Each row says *kept*, *broken* or *not decidable*, with the requirement's words and line and
the configuration's line. A broken row names the finding code that reports it
(:mod:`analysis.review.controls` turns broken rows into findings).

May import: :mod:`model`, :mod:`analysis.graph`, :mod:`analysis.paths`, :mod:`analysis.results`.
"""

from __future__ import annotations

from analysis.requirements.evaluate import evaluate, sort_key
from analysis.requirements.rows import CHECKS, STATUSES, Check, CheckContext, Outcome, RequirementRow

__all__ = ["evaluate", "sort_key", "CHECKS", "STATUSES", "Check", "CheckContext", "Outcome", "RequirementRow"]
