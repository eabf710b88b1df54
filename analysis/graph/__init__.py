"""The network of one environment, resolved once: value types, the builder and the filters.

* :mod:`~analysis.graph.types` - frozen value types (ENIs, routes, route sets, resolved rules);
* :mod:`~analysis.graph.build` - :func:`build_graph`: subnets, route tables, TGW route
  tables, NACL rules, ENIs and SG rules of one environment, with their model locations;
* :mod:`~analysis.graph.routes` - VPC route tables: routes, propagated prefixes, the VPCs' main route tables;
* :mod:`~analysis.graph.filters` - SG evaluation, NACL evaluation and longest-prefix match;
* :mod:`~analysis.graph.addresses` - addresses of nodes and sites, and the internet as an address set;
* :mod:`~analysis.graph.links` - gateways and connections (TGW attachments, peering, VPN, endpoints, firewalls);
* :mod:`~analysis.graph.scope` - environments analysed as one network where a shared network object joins them.

May import: :mod:`model` and :mod:`analysis.results`. Never :mod:`analysis.forwarding`, :mod:`analysis.paths` or anything above.
"""

from __future__ import annotations

from analysis.graph.build import EnvGraph, build_graph
from analysis.graph.addresses import AddressPlan, is_public
from analysis.graph.links import Links
from analysis.graph.types import (SERVICE_KINDS, Eni, NaclRuleRef, Net, RouteEntry, RouteSet, RuleRef, TgwRt, net,
                                  no_gc, ports_of)

__all__ = ["EnvGraph", "build_graph", "Eni", "Net", "RouteEntry", "RouteSet", "RuleRef", "NaclRuleRef", "TgwRt",
           "SERVICE_KINDS", "AddressPlan", "Links", "is_public", "net", "no_gc", "ports_of"]
