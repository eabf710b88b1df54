"""Evaluate the model's must-reach / must-not-reach intents with the reachability analysis.

Status of one intent:

* ``holds`` - ``reach`` intents: the verdict is reachable or conditional (the condition is
  shown); ``no-reach`` intents: the verdict is unreachable;
* ``violated`` - the analysis contradicts the intent and the model does not expect it;
* ``known-violation`` - violated, and the intent's ``known_violation`` says the seed as
  written does this. ``archdoc check`` lists it without failing; strict mode fails.

An intent marked ``known_violation`` that now holds is reported as ``holds`` with
``stale_known_violation`` set, so the marker can be removed.

>>> res = {r.id: r for r in evaluate_intents(__import__("analysis.loading").loading.load())}
>>> res["poc-business-alb-https"].status, res["poc-developer-frontend"].status
('holds', 'known-violation')
>>> res["prod-business-alb-https"].verdict
'conditional'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analysis.graph import build_graph
from analysis.loading import Source, from_model
from analysis.paths.reach import UnknownEndpoint, reach
from analysis.results import Blocker, ReachResult
from model.index import ModelIndex
from model.schema import Model

__all__ = ["IntentResult", "evaluate_intents", "as_source"]

Status = Literal["holds", "violated", "known-violation"]


@dataclass(frozen=True, order=True)
class IntentResult:
    env: str
    id: str
    source: str
    target: str
    protocol: str
    port: int
    expect: str
    status: Status
    verdict: str
    codes: tuple[str, ...]
    statement: str
    seed_ref: str
    known_violation: str | None
    location: str | None
    stale_known_violation: bool = False
    result: ReachResult | None = None

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "result"}
        d["codes"] = list(self.codes)
        d["blockers"] = [b.__dict__ | {"conditional": b.conditional} for b in (self.result.blockers if self.result else ())]
        return d


def as_source(obj) -> Source:
    """Accept a :class:`Source`, a :class:`model.loader.Loaded` or a bare :class:`Model`."""
    if isinstance(obj, Source):
        return obj
    if isinstance(obj, Model):
        return from_model(obj)
    return Source(obj.model, obj, getattr(obj, "root", None))


def evaluate_intents(loaded_or_model, env: str | None = None) -> list[IntentResult]:
    """Evaluate every intent (of ``env``, or all), sorted by environment and id."""
    src = as_source(loaded_or_model)
    ix = ModelIndex(src.model)
    graphs = {}
    out = []
    for i, it in enumerate(src.model.intents):
        if env is not None and it.env != env:
            continue
        if it.env not in ix.envs:
            continue
        if it.env not in graphs:  # not setdefault: that would build a graph per intent
            graphs[it.env] = build_graph(ix, it.env, src)
        eg = graphs[it.env]
        try:
            r = reach(eg, it.source, it.target, it.port, it.protocol)
        except UnknownEndpoint as exc:
            r = ReachResult(it.env, it.source, it.target, it.protocol, it.port, "unreachable", (),
                            (Blocker("UNKNOWN_ENDPOINT", exc.name, str(exc), src.where("intents", i)),))
        ok = (r.verdict != "unreachable") if it.expect == "reach" else (r.verdict == "unreachable")
        status: Status = "holds" if ok else ("known-violation" if it.known_violation else "violated")
        out.append(IntentResult(it.env, it.id, it.source, it.target, it.protocol, it.port, it.expect, status,
                                r.verdict, r.codes, it.statement, it.seed_ref, it.known_violation,
                                src.where("intents", i), bool(ok and it.known_violation), r))
    return sorted(out)
