"""Rows of the reachability page (``docs/reachability.md``): intents, findings and a matrix per environment.

The analysis computes; this module only words its rows for the page (status, severity
and verdict in Japanese, matrix cells as symbols) and the template
``reachability.md.j2`` lays them out. The analysis arrives as an object with
``intents_of(env)``, ``findings_of(env)`` and ``matrix(env)`` (an
:class:`analysis.analyze.Analysis`); nothing here imports :mod:`analysis`.

Cells: ✓ reachable, ✗ unreachable (first hard blocking code), △ conditional (first condition code).

>>> _cell(None), _STATUS["known-violation"]
('—', '△ 既知の違反')
"""

from __future__ import annotations

from typing import Any, Protocol

from model.index import ModelIndex
from render.pages.codes_ja import gloss, with_gloss

__all__ = ["reach_sections", "AnalysisRows"]

_STATUS = {"holds": "✓ 満たす", "violated": "✗ 違反", "known-violation": "△ 既知の違反"}
_SEV = {"error": "エラー", "warning": "警告", "info": "情報"}
_VERDICT = {"reachable": "到達可能", "unreachable": "到達不可", "conditional": "条件付き"}
_SEVERITIES = ("error", "warning", "info")


class AnalysisRows(Protocol):
    """What the page needs of the analysis (an :class:`analysis.analyze.Analysis`)."""

    def intents_of(self, env: str) -> tuple[Any, ...]: ...

    def findings_of(self, env: str) -> tuple[Any, ...]: ...

    def matrix(self, env: str) -> Any: ...

    def requirements_of(self, env: str) -> tuple[Any, ...]: ...


def _decisive(r: Any) -> str:
    """The code that decides a result: the first *hard* blocker of an unreachable path (the one
    ``archdoc reach`` lists first as 遮断; a conditional code listed before it does not make
    the path unreachable), the first condition of a conditional one."""
    hard = r.verdict == "unreachable"
    return next(b.code for b in r.blockers if b.conditional != hard)


def _cell(r: Any) -> str:
    """A matrix cell: ✗ and the deciding blocker, △ and the first condition, ✓, or — for the source itself."""
    if r is None:
        return "—"
    if r.verdict == "reachable":
        return "✓"
    return ("✗" if r.verdict == "unreachable" else "△") + f" {_decisive(r)}"


def _intent_codes(r: Any) -> str:
    """The intents table's code cell: the deciding code, and how many more the statement list names."""
    if not r.codes:
        return "—"
    first = _decisive(r.result) if r.result is not None and r.result.blockers else r.codes[0]
    return first + (f" ほか{len(r.codes) - 1}件" if len(r.codes) > 1 else "")


def _label(ix: ModelIndex, ident: str) -> str:
    a = ix.actors.get(ident)
    return a.label if a else ident


def _section(ix: ModelIndex, analysis: AnalysisRows, env: str) -> dict[str, Any]:
    results = analysis.intents_of(env)
    # the table holds the short columns (one line each); the statements, often a sentence
    # or two, follow it as a list, so no row grows to five lines of squeezed text
    intents = [(_STATUS[r.status], r.id, _label(ix, r.source), r.target, f"{r.protocol}/{r.port}",
                _VERDICT[r.verdict], _intent_codes(r), r.seed_ref) for r in results]
    statements = [(r.id, r.statement + (f"（既知の違反: {r.known_violation}）" if r.known_violation else "")
                   + (f" 阻害要因・条件: {', '.join(r.codes)}" if r.codes else ""), ()) for r in results]
    found = analysis.findings_of(env)
    findings = [(_SEV[f.severity], with_gloss(f.code), ", ".join(f.resources), f.message, f.location or "—", f.fix)
                for f in found]
    m = analysis.matrix(env)
    shown = {_decisive(c) for row in m.rows for c in row.cells if c is not None and c.verdict != "reachable"}
    shown |= {code for r in results for code in r.codes}
    return {
        "env": ix.envs[env],
        "intents": intents,
        "statements": statements,
        "summary": {s: sum(f.severity == s for f in found) for s in _SEVERITIES},
        "findings": findings,
        "matrix_head": ["送信元 \\ 宛先"] + [f"{t}:{p}" for t, p in m.columns],
        "matrix_rows": [[_label(ix, row.source)] + [_cell(c) for c in row.cells] for row in m.rows],
        "codes": [(code, gloss(code) or "—") for code in sorted(shown)],
    }


def reach_sections(ix: ModelIndex, analysis: AnalysisRows) -> list[dict[str, Any]]:
    """One section per environment, in model order."""
    return [_section(ix, analysis, env) for env in ix.envs]
