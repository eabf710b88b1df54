"""Questions over one environment's network, answered by the forwarding engine.

* :mod:`~analysis.paths.reach` - :func:`reach` and :class:`Reachability`: can a source reach a
  target (or an address), and why, request and reply;
* :mod:`~analysis.paths.query` - the work of one query: every candidate traced, the best kept;
  one address instead of a node (:func:`~analysis.paths.query.reach_ip`);
* :mod:`~analysis.paths.across` - a source of one environment, a target of another (where a network is shared);
* :mod:`~analysis.paths.candidates` - the addresses a target is reached at;
* :mod:`~analysis.paths.actors` - how actors' requests enter the network (internet,
  on-premises over DX/VPN, Client VPN);
* :mod:`~analysis.paths.allpairs` / :mod:`~analysis.paths.pairpaths` - every interface pair at
  once: the engine's paths per pair of interface groups, security groups by interface classes.

May import: :mod:`model`, :mod:`analysis.graph`, :mod:`analysis.forwarding`, :mod:`analysis.results`.
"""

from __future__ import annotations

from analysis.paths.reach import Reachability, UnknownEndpoint, endpoint_ports, reach, sources, targets

__all__ = ["reach", "Reachability", "sources", "targets", "endpoint_ports", "UnknownEndpoint"]
