"""Design-time reachability analysis of the archdoc model.

Modules (one job each): :mod:`~analysis.loading` (model + ``file:line`` locations),
:mod:`~analysis.graph` (one graph per environment), :mod:`~analysis.filters` (SG, NACL,
longest-prefix match), :mod:`~analysis.paths`, :mod:`~analysis.stateless` (NACL crossings
and stateless replies) and :mod:`~analysis.targets` (the hop-by-hop walk),
:mod:`~analysis.reach` (point queries), :mod:`~analysis.matrix`, :mod:`~analysis.classes`
and :mod:`~analysis.nacl_classes` (all pairs), :mod:`~analysis.intents`,
:mod:`~analysis.findings` with ``rules_*``, :mod:`~analysis.diff`; result rows in
:mod:`~analysis.results`.
"""

__all__: list[str] = []
