"""The design review: finding rules over an environment's network, each with a stable code.

* :mod:`~analysis.review.registry` - ``@rule((code, severity, description), ...)``, the code
  table (:data:`~analysis.review.registry.CODES`) and the context rules receive;
* :mod:`~analysis.review.aws` - AWS service constraints (ALB, RDS, NAT, TGW, DX, named CIDRs);
* :mod:`~analysis.review.client_vpn` - Client VPN endpoint constraints (client CIDR, subnets, full tunnel);
* :mod:`~analysis.review.security_groups` - shadowed, never-matching and unused SG rules;
* :mod:`~analysis.review.nacls` - NACL constraints and hygiene;
* :mod:`~analysis.review.network` - sensitive ports open to the world, ranges nothing delivers, appliance mode;
* :mod:`~analysis.review.flows` - drawn flows, listeners, exposure, intents, the pipeline;
* :mod:`~analysis.review.requirements` - the document's requirements the configuration breaks;
* :mod:`~analysis.review.controls` - design-time AWS controls (Security Hub ids) and reviewer checks;
* :mod:`~analysis.review.environments` - environments that share a network (TGW route tables mixing them);
* :mod:`~analysis.review.findings` - :func:`review`: every rule over one environment.

May import: :mod:`model`, :mod:`analysis.graph`, :mod:`analysis.forwarding`, :mod:`analysis.paths`, :mod:`analysis.matrix`,
:mod:`analysis.requirements`, :mod:`analysis.results`.
"""

from __future__ import annotations

from analysis.review.findings import review, sort_key, summary
from analysis.review.registry import CODES, RULES, ReviewContext

__all__ = ["review", "sort_key", "summary", "CODES", "RULES", "ReviewContext"]
