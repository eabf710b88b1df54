"""Evaluate the model's must-reach / must-not-reach intents with the reachability analysis.

Status of one intent:

* ``holds`` - ``reach`` intents: the verdict is reachable or conditional (the condition is
  shown); ``no-reach`` intents: the verdict is unreachable;
* ``violated`` - the analysis contradicts the intent and the model does not expect it;
* ``known-violation`` - violated, and the intent's ``known_violation`` says the seed as
  written does this. ``archdoc check`` lists it without failing; strict mode fails.

An intent with ``target_env`` crosses environments: its source is in ``env``, its target in
``target_env``, answered over the network they share (:mod:`analysis.paths.across`).

An intent marked ``known_violation`` that now holds is reported as ``holds`` with
``stale_known_violation`` set, so the marker can be removed.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> res = {r.id: r for r in analyze(load_model()).intents}
>>> res["poc-business-alb-https"].status, res["poc-developer-frontend"].status
('holds', 'known-violation')
>>> res["prod-business-alb-https"].verdict
'conditional'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

from analysis.paths.across import reach_across
from analysis.paths.reach import Reachability, UnknownEndpoint
from analysis.results import Blocker, ReachResult
from model.loader import Loaded

__all__ = ["IntentResult", "evaluate_intents"]

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
    target_env: str | None = None
    """The target's environment when the intent crosses environments (None: ``env``)."""

    @property
    def target_name(self) -> str:
        """The target as pages and messages name it: ``env:id`` across environments."""
        return f"{self.target_env}:{self.target}" if self.target_env else self.target

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "result"}
        d["codes"] = list(self.codes)
        d["blockers"] = [b.__dict__ | {"conditional": b.conditional} for b in (self.result.blockers if self.result else ())]
        return d


def evaluate_intents(loaded: Loaded, network: Callable[[str], Reachability],
                     env: str | None = None) -> list[IntentResult]:
    """Evaluate every intent (of ``env``, or all) with ``network(env)``'s queries; sorted by env and id."""
    envs = {e.id for e in loaded.model.environments}
    out = []
    for i, it in enumerate(loaded.model.intents):
        if (env is not None and it.env != env) or it.env not in envs:
            continue
        cross = it.target_env if it.target_env not in (None, it.env) else None
        try:
            if cross is not None:
                r = reach_across(network(it.env), cross, it.source, it.target, it.port, it.protocol)
            else:
                r = network(it.env).reach(it.source, it.target, it.port, it.protocol)
        except UnknownEndpoint as exc:
            r = ReachResult(it.env, it.source, it.target, it.protocol, it.port, "unreachable", (),
                            (Blocker("UNKNOWN_ENDPOINT", exc.name, str(exc), loaded.where("intents", i)),))
        ok = (r.verdict != "unreachable") if it.expect == "reach" else (r.verdict == "unreachable")
        status: Status = "holds" if ok else ("known-violation" if it.known_violation else "violated")
        out.append(IntentResult(it.env, it.id, it.source, it.target, it.protocol, it.port, it.expect, status,
                                r.verdict, r.codes, it.statement, it.seed_ref, it.known_violation,
                                loaded.where("intents", i), bool(ok and it.known_violation), r, cross))
    return sorted(out)
