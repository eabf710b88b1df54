"""Rows of the reachability page (``docs/reachability.md``): intents, findings and a matrix per
environment, then the isolation between environments.

The analysis computes; this module only words its rows for the page (status, severity
and verdict in the document's language, matrix cells as symbols), writes the opening
paragraphs from what the model holds (:func:`intro`), and the template
``reachability.md.j2`` lays them out. The analysis arrives as an object with
``intents_of(env)``, ``findings_of(env)``, ``matrix(env)``, ``scopes`` and
``cross_matrices`` (an :class:`analysis.analyze.Analysis`); nothing here imports :mod:`analysis`.

The isolation section (:func:`isolation_section`) says which environments share a network
object (and are analysed as one network) and, for each ordered pair of them, the matrix of
the first's sources by the second's private addresses; environments that share nothing are
said to share nothing.

Cells: ✓ reachable, ✗ unreachable (first hard blocking code), △ conditional (first condition code).

>>> _cell(None), _(_STATUS["known-violation"])
('—', '△ 既知の違反')
"""

from __future__ import annotations

from typing import Any, Protocol

from model.index import ModelIndex
from model.schema import NodeKind
from render.pages.codes_ja import gloss, with_gloss
from render.pages.i18n import N_, _, ngettext
from render.pages.markdown import Md, md_inline

__all__ = ["reach_sections", "isolation_section", "intro", "AnalysisRows"]

_STATUS = {"holds": N_("✓ 満たす"), "violated": N_("✗ 違反"), "known-violation": N_("△ 既知の違反")}
_SEV = {"error": N_("エラー"), "warning": N_("警告"), "info": N_("情報")}
_VERDICT = {"reachable": N_("到達可能"), "unreachable": N_("到達不可"), "conditional": N_("条件付き")}
_SEVERITIES = ("error", "warning", "info")
_MODELLED = ((NodeKind.TGW, "TGW"), (NodeKind.DX_GATEWAY, "Direct Connect"), (NodeKind.CLIENT_VPN, "Client VPN"),
             (NodeKind.ALB, "ALB"), (NodeKind.WAF, "WAF"), (NodeKind.NLB, "NLB"),
             (NodeKind.NETWORK_FIREWALL, "Network Firewall"), (NodeKind.VPC_ENDPOINT, N_("VPCエンドポイント")),
             (NodeKind.VPC_PEERING, N_("VPCピアリング")), (NodeKind.VPN_CONNECTION, N_("サイト間VPN")))
"""The network objects the analysis evaluates beyond SGs and route tables, named in the page's
opening sentence only when the model has one."""


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
    more = len(r.codes) - 1
    return first + (ngettext(" ほか{count}件", " ほか{count}件", more).format(count=more) if more else "")


def _label(ix: ModelIndex, ident: str) -> str:
    a = ix.actors.get(ident)
    return a.label if a else ident


def _section(ix: ModelIndex, analysis: AnalysisRows, env: str) -> dict[str, Any]:
    results = analysis.intents_of(env)
    # the table holds the short columns (one line each); the statements, often a sentence
    # or two, follow it as a list, so no row grows to five lines of squeezed text
    intents = [(_(_STATUS[r.status]), r.id, _label(ix, r.source), r.target_name, f"{r.protocol}/{r.port}",
                _(_VERDICT[r.verdict]), _intent_codes(r), r.seed_ref) for r in results]
    statements = [(r.id, r.statement
                   + (_("（既知の違反: {violation}）").format(violation=r.known_violation) if r.known_violation else "")
                   + (_(" 阻害要因・条件: {codes}").format(codes=", ".join(r.codes)) if r.codes else ""), ())
                  for r in results]
    found = analysis.findings_of(env)
    findings = [(_(_SEV[f.severity]), with_gloss(f.code), ", ".join(f.resources), f.message, f.location or "—", f.fix)
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
        "matrix_head": [_("送信元 \\ 宛先")] + [f"{t}:{p}" for t, p in m.columns],
        "matrix_rows": [[_label(ix, row.source)] + [_cell(c) for c in row.cells] for row in m.rows],
        "codes": [(code, gloss(code) or "—") for code in sorted(shown)],
    }


def reach_sections(ix: ModelIndex, analysis: AnalysisRows) -> list[dict[str, Any]]:
    """One section per environment, in model order."""
    return [_section(ix, analysis, env) for env in ix.envs]


def _names(ix: ModelIndex, envs) -> str:
    return _("・").join(ix.envs[e].name for e in envs)


def _cross(ix: ModelIndex, m: Any) -> dict[str, Any]:
    cells = [c for row in m.rows for c in row.cells if c is not None]
    reached = [c for c in cells if c.ok]
    listed = _("、").join(f"{c.source} → {c.target}:{c.port}" for c in reached)
    summary = (_("環境をまたいで到達できる組み合わせ: {count} 件（{cells}）。").format(count=len(reached), cells=listed)
               if reached else _("環境をまたいで到達できる組み合わせはない（{count} 件を確認）。").format(count=len(cells)))
    return {
        "title": f"{ix.envs[m.source_env].name} → {ix.envs[m.target_env].name}",
        "summary": summary,
        "head": [_("送信元 \\ 宛先")] + [f"{t}:{p}" for t, p in m.columns],
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
        objects = _("、").join(_("{label}（{id}）").format(label=ix.nodes[n].label, id=n) for n in s.shared)
        pairs = [_cross(ix, m) for m in analysis.cross_matrices if m.source_env in s.envs]
        codes = sorted({code for p in pairs for code in p["codes"]})
        joined.append({"title": _names(ix, s.envs),
                       "text": _("{envs}は {objects} を共有するため、一つのネットワークとして解析した。下の表は、各環境の送信元から"
                                 "もう一方の環境のノードのプライベートアドレスと待ち受けポートへの到達性（✓ 到達可能、✗ 到達不可、"
                                 "△ 条件付き）。").format(envs=_names(ix, s.envs), objects=objects),
                       "pairs": pairs, "codes": [(code, gloss(code) or "—") for code in codes]})
    apart = _("{envs}は、共有するネットワーク（Transit Gateway・Direct Connect Gateway・Client VPNエンドポイント・"
              "VPN接続・ネットワークアカウント）がない。環境ごとに別のネットワークとして解析しており、環境をまたぐ閉域の"
              "経路はない（同じIDのノードも環境ごとに別のリソース）。")
    return {"apart": apart.format(envs=_names(ix, alone)) if len(alone) > 1 or (alone and joined) else "",
            "joined": joined}


def _has(ix: ModelIndex, kind: NodeKind) -> bool:
    return any(n.kind is kind for n in ix.model.nodes)


def intro(ix: ModelIndex, analysis: AnalysisRows) -> list[Md]:
    """The page's opening paragraphs: what the analysis evaluated in *this* model (only the network
    objects it has), how NACLs are evaluated, and the analysis' assumption about a Direct Connect
    gateway the model records with a VIF that cannot be associated with its TGW (a finding)."""
    sep = _("・")
    others = "".join(sep + _(name) for kind, name in _MODELLED if _has(ix, kind))
    handles = [_("ステートフルなSG"), _("最長一致のルート"), _("戻り経路")]
    translated = [name for kind, name in ((NodeKind.NAT_GATEWAY, "NAT"), (NodeKind.CLIENT_VPN, "Client VPN"))
                  if _has(ix, kind)]
    if translated:
        handles.append(_("{gateways}の送信元変換").format(gateways=sep.join(translated)))
    if _has(ix, NodeKind.ALB):
        handles.append(_("ALBのリスナーとターゲットグループ"))
    if _has(ix, NodeKind.WAF):
        handles.append(_("WAFの地域制限（レート制限は条件付き）"))
    first = _("モデルのセキュリティグループ・ルートテーブル{others}から、誰がどこへ届くかを設計時に計算した結果。"
              "{handles}を扱う。").format(others=others, handles=_("、").join(handles))
    clients = [name for kind, name in ((NodeKind.NAT_GATEWAY, "NAT Gateway"), (NodeKind.ALB, "ALB"),
                                       (NodeKind.CLIENT_VPN, "Client VPN")) if _has(ix, kind)]
    clients.append(_("インターネットやオンプレミスの利用者"))
    # the ranges the analysis gives clients (analysis.forwarding.nacl.ephemeral_of): Linux
    # workloads in the VPC, Windows instances where the model has any, everything else wide
    ranges = ["Linux 32768-60999"]
    if any(spec is not None and spec.os == "windows" for n in ix.model.nodes for p in n.at.values()
           for spec in (p.ec2, p.asg)):
        ranges.append("Windows 49152-65535")
    ranges.append(sep.join(clients) + " 1024-65535")
    second = _("NACLはステートレスとして、サブネットに出入りするたびに（同じサブネット内では評価しない）番号順・最初の一致で評価し、"
               "応答はクライアントの一時ポート（{ranges}）で逆方向のルールに照合する。"
               "前提: NACLの記載がないサブネットは既定のNACL（すべて許可）とみなす（ASSUMED_DEFAULT_NACL）。").format(
        ranges=_("、").join(ranges))
    flagged = {r for env in ix.envs for f in analysis.findings_of(env) if f.code == "DXGW_TGW_REQUIRES_TRANSIT_VIF"
               for r in f.resources}
    for node in ix.model.nodes:
        spec = node.dx_gateway
        if spec is not None and node.id in flagged:
            second += _("Direct Connect GatewayはTGWに関連付け済みとして解析する（設計書の「{vif}」はTransit VIFが必要なため"
                        "指摘事項）。").format(vif=md_inline(spec.vif))
    return [Md(first), Md(second)]
