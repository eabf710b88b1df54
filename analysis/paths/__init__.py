"""Paths through one environment's network: the hop-by-hop walk and the point query.

* :mod:`~analysis.paths.trace` - the packet and the trace a walk carries;
* :mod:`~analysis.paths.walk` - ENI egress, route tables, IGW/NAT/TGW, arrival at an ENI;
* :mod:`~analysis.paths.nacl_crossings` - stateless NACL checks where a path crosses a subnet;
* :mod:`~analysis.paths.destinations` - what a destination admits (ALB listener, WAF,
  Client VPN endpoint, AWS service endpoints);
* :mod:`~analysis.paths.reach` - :func:`reach`: can a source reach a target, and why;
* :mod:`~analysis.paths.allpairs` / :mod:`~analysis.paths.allpairs_nacl` - every interface
  pair at once, by equivalence classes (for large models).

May import: :mod:`model`, :mod:`analysis.graph`, :mod:`analysis.results`.
"""

from __future__ import annotations

from analysis.paths.reach import UnknownEndpoint, endpoint_ports, reach, sources, targets

__all__ = ["reach", "sources", "targets", "endpoint_ports", "UnknownEndpoint"]
