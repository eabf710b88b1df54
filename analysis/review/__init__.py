"""The design review: finding rules over an environment's network, each with a stable code.

* :mod:`~analysis.review.aws` - AWS service constraints (ALB, RDS, NAT, TGW, Client VPN, DX);
* :mod:`~analysis.review.security_groups` - shadowed, never-matching and unused SG rules;
* :mod:`~analysis.review.nacls` - NACL constraints and hygiene;
* :mod:`~analysis.review.flows` - drawn flows, listeners, exposure, intents, the pipeline;
* :mod:`~analysis.review.findings` - :func:`findings`: every rule over every environment.

May import: :mod:`model`, :mod:`analysis.graph`, :mod:`analysis.paths`, :mod:`analysis.intents`,
:mod:`analysis.matrix`, :mod:`analysis.results`.
"""

from __future__ import annotations

from analysis.review.findings import findings, sort_key, summary

__all__ = ["findings", "sort_key", "summary"]
