"""The forwarding engine: one hop function per AWS construct, a trace driver, the reply by the same engine.

* :mod:`~analysis.forwarding.trace` - the packet (location + header), the trace, message templates;
* :mod:`~analysis.forwarding.walk` - the driver: hop registry, filters, sessions, loop detection;
* :mod:`~analysis.forwarding.engine` - :func:`~analysis.forwarding.engine.trace_path`: request, then reply;
* hops: :mod:`~analysis.forwarding.eni` (SGs), :mod:`~analysis.forwarding.nacl` (subnet
  boundaries), :mod:`~analysis.forwarding.routing` (route tables, local delivery),
  :mod:`~analysis.forwarding.gateways` (internet, IGW, NAT gateway, Client VPN replies),
  :mod:`~analysis.forwarding.tgw` (Transit Gateway), :mod:`~analysis.forwarding.edges`
  (peering, VGW, VPN, Direct Connect), :mod:`~analysis.forwarding.endpoints` (gateway
  endpoints), :mod:`~analysis.forwarding.firewall` (Network Firewall),
  :mod:`~analysis.forwarding.balancers` (ALB, NLB: proxies) and :mod:`~analysis.forwarding.waf`,
  :mod:`~analysis.forwarding.services` (AWS service endpoints, sites),
  :mod:`~analysis.forwarding.entry` (entering from on-premises or a Client VPN client).

May import: :mod:`model`, :mod:`analysis.graph`, :mod:`analysis.results`.
"""

from __future__ import annotations

from analysis.forwarding.engine import trace_path
from analysis.forwarding.trace import Header, Packet, Trace
from analysis.forwarding.walk import Walk

__all__ = ["trace_path", "Header", "Packet", "Trace", "Walk"]
