"""All design findings of one environment: every registered rule, sorted.

:func:`review` runs every rule of :mod:`analysis.review.registry` (the rule modules
register themselves when imported below) over one environment and returns
:class:`~analysis.results.Finding` rows sorted by environment, severity (error, warning,
info), code and resources. Every finding has a stable English code, a Japanese message,
the model location to change and a Japanese fix hint.

Exposure that an intent declares intended (the public ALB on 443) is not a finding.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> codes = {(f.env, f.code) for f in analyze(load_model()).findings}
>>> ("poc", "ALB_SUBNETS_SINGLE_AZ") in codes, ("prod", "DXGW_TGW_REQUIRES_TRANSIT_VIF") in codes
(True, True)
>>> ("prod", "INTERNET_EXPOSED_UNINTENDED") in codes
False
"""

from __future__ import annotations

from analysis.results import SEVERITIES, Finding
from analysis.review import (  # noqa: F401  (importing registers the rules)
    aws, client_vpn, controls, environments, flows, nacls, network, reliability, requirements, security_groups)
from analysis.review.registry import ReviewContext, run_rules

__all__ = ["review", "sort_key", "summary"]


def sort_key(f: Finding) -> tuple:
    return (f.env, SEVERITIES.index(f.severity), f.code, f.resources, f.message)


def review(ctx: ReviewContext) -> list[Finding]:
    """Every finding of one environment, without duplicates, sorted by :func:`sort_key`."""
    return sorted(set(run_rules(ctx)), key=sort_key)


def summary(rows) -> dict[str, int]:
    """Counts per severity, e.g. ``{'error': 3, 'warning': 5, 'info': 2}``."""
    return {s: sum(f.severity == s for f in rows) for s in SEVERITIES}
