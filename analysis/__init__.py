"""Design-time analysis of the model: pure queries returning frozen rows.

* :mod:`~analysis.graph` - one resolved network per environment, the SG/NACL/route filters,
  addresses and links;
* :mod:`~analysis.forwarding` - the forwarding engine: one hop function per AWS construct, the
  request and its reply traced by the same functions;
* :mod:`~analysis.paths` - the questions: the point query :func:`~analysis.paths.reach` (per
  node or address) and the all-pairs matrix, both on the engine;
* :mod:`~analysis.matrix` - all sources x targets x ports;
* :mod:`~analysis.intents` - must-reach / must-not-reach intents evaluated;
* :mod:`~analysis.review` - finding rules (AWS constraints, SG/NACL hygiene, flows, pipeline);
* :mod:`~analysis.diff` - configuration and reachability differences between environments, and between
  the approved revision and the current one;
* :mod:`~analysis.results` - the row types (hops, blockers, results, findings).

May import: :mod:`model` only. Never :mod:`render` or :mod:`archdoc`.
"""
