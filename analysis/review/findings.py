"""All design findings of the model: AWS constraints, SG hygiene, flows, intents, pipeline.

:func:`findings` runs every rule module over each environment's graph and returns
:class:`~analysis.results.Finding` rows sorted by environment, severity (error, warning,
info), code and resources. Every finding has a stable English code, a Japanese message,
the model location to change and a Japanese fix hint.

Exposure that an intent declares intended (the public ALB on 443) is not a finding.

>>> from analysis.loading import load
>>> codes = {(f.env, f.code) for f in findings(load())}
>>> ("poc", "ALB_SUBNETS_SINGLE_AZ") in codes, ("prod", "DXGW_TGW_REQUIRES_TRANSIT_VIF") in codes
(True, True)
>>> ("prod", "INTERNET_EXPOSED_UNINTENDED") in codes
False
"""

from __future__ import annotations

from analysis.graph import build_graph
from analysis.intents import as_source
from analysis.results import SEVERITIES, Finding
from analysis.review.aws import aws_findings
from analysis.review.nacls import nacl_findings
from analysis.review.flows import (exposure_findings, flow_findings, image_pull_findings, intent_findings,
                                  listener_findings, pipeline_findings)
from analysis.review.security_groups import sg_findings
from model.index import ModelIndex

__all__ = ["findings", "sort_key", "summary"]


def sort_key(f: Finding) -> tuple:
    return (f.env, SEVERITIES.index(f.severity), f.code, f.resources, f.message)


def findings(model, env: str | None = None) -> list[Finding]:
    """Every finding (of ``env``, or of all environments); accepts a Source, Loaded or Model."""
    src = as_source(model)
    ix = ModelIndex(src.model)
    out: list[Finding] = []
    for e in ix.envs:
        if env is not None and e != env:
            continue
        eg = build_graph(ix, e, src)
        out += aws_findings(eg)
        out += sg_findings(eg)
        out += list(nacl_findings(eg))
        for rule in (flow_findings, listener_findings, image_pull_findings, exposure_findings,
                     intent_findings, pipeline_findings):
            out += list(rule(eg))
    return sorted(set(out), key=sort_key)


def summary(rows: list[Finding]) -> dict[str, int]:
    """Counts per severity, e.g. ``{'error': 3, 'warning': 5, 'info': 2}``."""
    return {s: sum(f.severity == s for f in rows) for s in SEVERITIES}
