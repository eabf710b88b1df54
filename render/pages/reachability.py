"""Rows of the reachability page (``docs/reachability.md``): intents, findings and a matrix per environment.

The analysis computes; this module only words its rows for the page (status, severity
and verdict in Japanese, matrix cells as symbols) and the template
``reachability.md.j2`` lays them out. The analysis arrives as an object with
``intents_of(env)``, ``findings_of(env)`` and ``matrix(env)`` (an
:class:`analysis.analyze.Analysis`); nothing here imports :mod:`analysis`.

Cells: ✓ reachable, ✗ unreachable (first blocking code), △ conditional (condition code).

>>> _cell(None), _STATUS["known-violation"]
('—', '△ 既知の違反')
"""

from __future__ import annotations

from typing import Any, Protocol

from model.index import ModelIndex

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


def _cell(r: Any) -> str:
    if r is None:
        return "—"
    if r.verdict == "reachable":
        return "✓"
    code = r.codes[0] if r.verdict == "unreachable" else next(b.code for b in r.blockers if b.conditional)
    return ("✗" if r.verdict == "unreachable" else "△") + f" {code}"


def _label(ix: ModelIndex, ident: str) -> str:
    a = ix.actors.get(ident)
    return a.label if a else ident


def _section(ix: ModelIndex, analysis: AnalysisRows, env: str) -> dict[str, Any]:
    intents = [(_STATUS[r.status], r.id, _label(ix, r.source), r.target, f"{r.protocol}/{r.port}",
                _VERDICT[r.verdict], ", ".join(r.codes) or "—",
                r.statement + (f"（既知: {r.known_violation}）" if r.known_violation else ""), r.seed_ref)
               for r in analysis.intents_of(env)]
    found = analysis.findings_of(env)
    findings = [(_SEV[f.severity], f.code, ", ".join(f.resources), f.message, f.location or "—", f.fix)
                for f in found]
    m = analysis.matrix(env)
    return {
        "env": ix.envs[env],
        "intents": intents,
        "summary": {s: sum(f.severity == s for f in found) for s in _SEVERITIES},
        "findings": findings,
        "matrix_head": ["送信元 \\ 宛先"] + [f"{t}:{p}" for t, p in m.columns],
        "matrix_rows": [[_label(ix, row.source)] + [_cell(c) for c in row.cells] for row in m.rows],
    }


def reach_sections(ix: ModelIndex, analysis: AnalysisRows) -> list[dict[str, Any]]:
    """One section per environment, in model order."""
    return [_section(ix, analysis, env) for env in ix.envs]
