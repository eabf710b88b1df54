"""Rows of the reachability page (``docs/reachability.md``): intents, findings and a matrix per
environment, then the isolation between environments.

The analysis computes; this module only words its rows for the page (status, severity
and verdict in Japanese, matrix cells as symbols) and the template
``reachability.md.j2`` lays them out. The analysis arrives as an object with
``intents_of(env)``, ``findings_of(env)``, ``matrix(env)``, ``scopes`` and
``cross_matrices`` (an :class:`analysis.analyze.Analysis`); nothing here imports :mod:`analysis`.

The isolation section (:func:`isolation_section`) says which environments share a network
object (and are analysed as one network) and, for each ordered pair of them, the matrix of
the first's sources by the second's private addresses; environments that share nothing are
said to share nothing.

Cells: ✓ reachable, ✗ unreachable (first hard blocking code), △ conditional (first condition code).

>>> _cell(None), _STATUS["known-violation"]
('—', '△ 既知の違反')
"""

from __future__ import annotations

from typing import Any, Protocol

from model.index import ModelIndex
from render.pages.codes_ja import gloss, with_gloss

__all__ = ["reach_sections", "isolation_section", "AnalysisRows"]

_STATUS = {"holds": "✓ 満たす", "violated": "✗ 違反", "known-violation": "△ 既知の違反"}
_SEV = {"error": "エラー", "warning": "警告", "info": "情報"}
_VERDICT = {"reachable": "到達可能", "unreachable": "到達不可", "conditional": "条件付き"}
_SEVERITIES = ("error", "warning", "info")
_T = {
    "apart": "{envs}は、共有するネットワーク（Transit Gateway・Direct Connect Gateway・Client VPNエンドポイント・"
             "VPN接続・ネットワークアカウント）がない。環境ごとに別のネットワークとして解析しており、環境をまたぐ閉域の"
             "経路はない（同じIDのノードも環境ごとに別のリソース）。",
    "joined": "{envs}は {objects} を共有するため、一つのネットワークとして解析した。下の表は、各環境の送信元から"
              "もう一方の環境のノードのプライベートアドレスと待ち受けポートへの到達性（✓ 到達可能、✗ 到達不可、△ 条件付き）。",
    "object": "{label}（{id}）",
    "pair": "{source} → {target}",
    "open": "環境をまたいで到達できる組み合わせ: {count} 件（{cells}）。",
    "closed": "環境をまたいで到達できる組み合わせはない（{count} 件を確認）。",
    "title": "{envs}",
}


class AnalysisRows(Protocol):
    """What the page needs of the analysis (an :class:`analysis.analyze.Analysis`)."""

    def intents_of(self, env: str) -> tuple[Any, ...]: ...

    def findings_of(self, env: str) -> tuple[Any, ...]: ...

    def matrix(self, env: str) -> Any: ...

    def requirements_of(self, env: str) -> tuple[Any, ...]: ...

    @property
    def scopes(self) -> tuple[Any, ...]: ...

    @property
    def cross_matrices(self) -> tuple[Any, ...]: ...


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
    intents = [(_STATUS[r.status], r.id, _label(ix, r.source), r.target_name, f"{r.protocol}/{r.port}",
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


def _names(ix: ModelIndex, envs) -> str:
    return "・".join(ix.envs[e].name for e in envs)


def _cross(ix: ModelIndex, m: Any) -> dict[str, Any]:
    cells = [c for row in m.rows for c in row.cells if c is not None]
    reached = [c for c in cells if c.ok]
    summary = (_T["open"].format(count=len(reached), cells="、".join(f"{c.source} → {c.target}:{c.port}" for c in reached))
               if reached else _T["closed"].format(count=len(cells)))
    return {
        "title": _T["pair"].format(source=ix.envs[m.source_env].name, target=ix.envs[m.target_env].name),
        "summary": summary,
        "head": ["送信元 \\ 宛先"] + [f"{t}:{p}" for t, p in m.columns],
        "rows": [[_label(ix, row.source)] + [_cell(c) for c in row.cells] for row in m.rows],
        "codes": sorted({_decisive(c) for c in cells if c.verdict != "reachable"}),
    }


def isolation_section(ix: ModelIndex, analysis: AnalysisRows) -> dict[str, Any]:
    """The isolation between environments: which share a network, and what crosses between them."""
    alone = [s.envs[0] for s in analysis.scopes if len(s.envs) == 1]
    joined = []
    for s in analysis.scopes:
        if len(s.envs) < 2:
            continue
        objects = "、".join(_T["object"].format(label=ix.nodes[n].label, id=n) for n in s.shared)
        pairs = [_cross(ix, m) for m in analysis.cross_matrices if m.source_env in s.envs]
        codes = sorted({code for p in pairs for code in p["codes"]})
        joined.append({"title": _T["title"].format(envs=_names(ix, s.envs)),
                       "text": _T["joined"].format(envs=_names(ix, s.envs), objects=objects),
                       "pairs": pairs, "codes": [(code, gloss(code) or "—") for code in codes]})
    return {"apart": _T["apart"].format(envs=_names(ix, alone)) if len(alone) > 1 or (alone and joined) else "",
            "joined": joined}
