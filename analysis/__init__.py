"""Design-time analysis of the model: pure queries returning frozen rows.

* :mod:`~analysis.graph` - one resolved network per environment, and the SG/NACL/route filters;
* :mod:`~analysis.paths` - the hop-by-hop walk and the point query :func:`~analysis.paths.reach`;
* :mod:`~analysis.matrix` - all sources x targets x ports;
* :mod:`~analysis.intents` - must-reach / must-not-reach intents evaluated;
* :mod:`~analysis.review` - finding rules (AWS constraints, SG/NACL hygiene, flows, pipeline);
* :mod:`~analysis.diff` - configuration and reachability differences between environments, and between
  the approved revision and the current one;
* :mod:`~analysis.results` - the row types (hops, blockers, results, findings).

May import: :mod:`model` only. Never :mod:`render` or :mod:`archdoc`.
"""
