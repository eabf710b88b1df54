"""The reachability page (``docs/reachability.md``): intents, findings and a matrix per environment.

Everything on the page is computed from the model by :mod:`analysis`: the intents with
their status, the findings (code, severity, resources, message, location, fix) and a
reachability matrix of sources (actors and nodes with addresses) by targets and the
ports each target listens on. Cells: ✓ reachable, ✗ unreachable (first blocking code),
△ conditional (condition code). Every model value goes through ``md_cell`` so ``|``,
``<``, ``*``, ``_``, backticks and newlines show literally.

>>> from analysis.loading import load
>>> page = render_reach_page(load())
>>> page.splitlines()[0]
'# 到達性（設計時解析）'
>>> "| 事業者 インターネット | ✓ |" in page or "✓" in page
True
"""

from __future__ import annotations

import re

from analysis.review.findings import findings, summary
from analysis.graph import SERVICE_KINDS, EnvGraph, build_graph
from analysis.intents import as_source, evaluate_intents
from analysis.paths.reach import reach, sources, targets
from model.index import ModelIndex
from model.schema import NodeKind

try:
    from render.pages.markdown import md_cell
except ImportError:  # pragma: no cover - the pages engineer's module is absent
    def md_cell(value: object) -> str:
        text = "" if value is None else str(value)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = "".join("\\" + c if c in "\\`*_{}[]#|" else c for c in text)
        return "<br>".join(re.split(r"\r\n|\r|\n", text.strip()))

__all__ = ["render_reach_page", "target_ports"]

_STATUS = {"holds": "✓ 満たす", "violated": "✗ 違反", "known-violation": "△ 既知の違反"}
_SEV = {"error": "エラー", "warning": "警告", "info": "情報"}
_VERDICT = {"reachable": "到達可能", "unreachable": "到達不可", "conditional": "条件付き"}


def _row(cells) -> str:
    return "| " + " | ".join(str(md_cell(c)) for c in cells) + " |"


def _table(head: list[str], rows: list[list]) -> list[str]:
    return [_row(head), "|" + "|".join("---" for _ in head) + "|", *(_row(r) for r in rows)]


def target_ports(eg: EnvGraph, target: str) -> list[int]:
    """Ports a target listens on: ALB listeners, SG inbound single ports, target-group ports, 443 for services."""
    node = eg.node(target)
    if node.kind in SERVICE_KINDS or node.kind is NodeKind.CLIENT_VPN:
        return [443]
    ports: set[int] = set()
    if node.alb is not None:
        ports.update(lst.port for lst in node.alb.listeners)
    for e in eg.enis.get(target, ())[:1]:
        for sg in e.sgs:
            for r in eg.rules.get(sg, ()):
                if r.direction == "inbound" and r.ports[0] == r.ports[1]:
                    ports.add(r.ports[0])
    return sorted(ports)


def _matrix_cols(eg: EnvGraph) -> list[tuple[str, int]]:
    cols = []
    for t in targets(eg):
        n = eg.node(t)
        if n.kind is NodeKind.NAT_GATEWAY or (n.part_of and n.kind in SERVICE_KINDS and n.kind is not NodeKind.CLOUDWATCH_LOGS):
            continue
        cols += [(t, p) for p in target_ports(eg, t)]
    return cols


def _cell(r) -> str:
    if r.verdict == "reachable":
        return "✓"
    code = r.codes[0] if r.verdict == "unreachable" else next(b.code for b in r.blockers if b.conditional)
    return ("✗" if r.verdict == "unreachable" else "△") + f" {code}"


def _label(eg: EnvGraph, ident: str) -> str:
    a = eg.ix.actors.get(ident)
    return a.label if a else ident


def _env_section(src, ix: ModelIndex, env: str) -> list[str]:
    eg = build_graph(ix, env, src)
    e = ix.envs[env]
    out = [f"## {md_cell(e.name)}", ""]
    intents = evaluate_intents(src, env)
    out += ["### 意図（インテント）", ""]
    if intents:
        out += _table(["状態", "ID", "送信元", "宛先", "ポート", "判定", "阻害要因・条件", "意図", "根拠"], [
            [_STATUS[r.status], r.id, _label(eg, r.source), r.target, f"{r.protocol}/{r.port}",
             _VERDICT[r.verdict], ", ".join(r.codes) or "—",
             r.statement + (f"（既知: {r.known_violation}）" if r.known_violation else ""), r.seed_ref]
            for r in intents])
    else:
        out.append("（意図の定義なし）")
    rows = findings(src, env)
    s = summary(rows)
    out += ["", "### 指摘事項", "", f"エラー {s['error']} 件、警告 {s['warning']} 件、情報 {s['info']} 件。", ""]
    if rows:
        out += _table(["重要度", "コード", "リソース", "内容", "位置", "修正"], [
            [_SEV[f.severity], f.code, ", ".join(f.resources), f.message, f.location or "—", f.fix] for f in rows])
    cols = _matrix_cols(eg)
    out += ["", "### 到達性マトリクス", "",
            "行は送信元（利用者・ノード）、列は宛先とポート（TCP）。✓ 到達可能、✗ 到達不可（最初の阻害要因）、"
            "△ 条件付き（条件のコード）。詳細は `archdoc reach` で確認できる。", ""]
    body = []
    for s_id in sources(eg):
        body.append([_label(eg, s_id)] + [("—" if s_id == t else _cell(reach(eg, s_id, t, p))) for t, p in cols])
    out += _table(["送信元 \\ 宛先"] + [f"{t}:{p}" for t, p in cols], body)
    return out + [""]


def render_reach_page(loaded) -> str:
    """The whole page as Markdown (Japanese), deterministic for a given model."""
    src = as_source(loaded)
    ix = ModelIndex(src.model)
    out = ["# 到達性（設計時解析）", "",
           "モデルのセキュリティグループ・ルートテーブル・TGW・Direct Connect・Client VPN・ALB・WAFから、"
           "誰がどこへ届くかを設計時に計算した結果。ステートフルなSG、最長一致のルート、戻り経路、NAT・Client VPNの"
           "送信元変換、ALBのリスナーとターゲットグループ、WAFの地域制限（レート制限は条件付き）を扱う。", "",
           "NACLはステートレスとして、サブネットに出入りするたびに（同じサブネット内では評価しない）番号順・最初の一致で"
           "評価し、応答はクライアントの一時ポート（Linuxのタスク 32768-60999、NAT Gateway・ALB・Client VPN・"
           "インターネットやオンプレミスの利用者 1024-65535）で逆方向のルールに照合する。"
           "前提: NACLの記載がないサブネットは既定のNACL（すべて許可）とみなす（ASSUMED_DEFAULT_NACL）。"
           "Direct Connect GatewayはTGWに関連付け済みとして解析する（設計書の「Private VIF」はTransit VIFが必要なため指摘事項）。", ""]
    for env in ix.envs:
        out += _env_section(src, ix, env)
    return "\n".join(out).rstrip() + "\n"
