"""Validation rules that the schema alone cannot express, each with a stable code.

Holds the registry (:mod:`~model.rules.registry`), the network and shape rules
(:mod:`~model.rules.network`: CIDRs, containment, overlaps, AZs, ports, specs per kind)
the reference rules (:mod:`~model.rules.references`: ids, dangling references,
environments; :mod:`~model.rules.kinds`: a reference names a node of a kind it can be),
the label rules (:mod:`~model.rules.labels`: no label states a fact its
spec contradicts), the AWS rules that need the whole model (:mod:`~model.rules.aws`:
route targets, peering, written addresses, required specs), the approval record rules
(:mod:`~model.rules.approvals`: versions that exist, approved versions immutable, the
approved model named) and the sharing rules (:mod:`~model.rules.sharing`: one network object
serving several environments). :func:`check` runs them all; :data:`CODE_TABLE` (load codes
plus rule codes) is what the README and the docs render.

May import: :mod:`model.errors`, :mod:`model.schema`, :mod:`model.facts`. Never :mod:`model.loader` at run time
(the loader calls :func:`check`).

>>> [code for code, _ in CODE_TABLE][:3]
['E001', 'E002', 'E003']
>>> all(r.code.startswith("E0") for r in RULES)
True
"""

from __future__ import annotations

from model.errors import LOAD_CODES
from model.rules import (  # noqa: F401  (importing them registers their rules)
    approvals, aws, kinds, labels, network, outline, references, services, sharing)
from model.rules.registry import RULES, Ctx, Rule, RuleHit, rule, run_rules

__all__ = ["Rule", "Ctx", "RuleHit", "RULES", "CODE_TABLE", "rule", "check"]

check = run_rules
"""Run every rule over a :class:`model.loader.Loaded`; problems sorted by file, line, col."""

CODE_TABLE: tuple[tuple[str, str], ...] = tuple(sorted(
    [*LOAD_CODES.items(), *((r.code, r.description) for r in RULES)]))
"""Every code archdoc can report, with its description (for README and docs)."""
