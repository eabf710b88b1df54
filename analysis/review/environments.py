"""Findings on environments that share a network (:mod:`analysis.graph.scope`).

* ``TGW_RTB_MIXES_ENVIRONMENTS`` (warning, Well-Architected SEC05-BP01: control traffic
  between network layers) - a route table of a shared Transit Gateway serves one environment
  (its ``env``) but is associated with, propagates or routes to another environment's
  attachment. AWS's segmentation pattern for a shared TGW is one route table per environment
  ("isolated VPCs" in the Transit Gateway guide's scenarios): an association puts the other
  environment's traffic under this table's routes, a propagation or route opens this
  environment's attachments towards the other. Reported once, in the table's environment,
  at the first such entry. Whether a path really crosses is the isolation requirement's and
  the intents' question (a security group may still stop it); this finding names the
  configuration that joins the two.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> [f for f in analyze(load_model()).findings if f.code == "TGW_RTB_MIXES_ENVIRONMENTS"]
[]
"""

from __future__ import annotations

from typing import Iterator

from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import N_, Templates

__all__: list[str] = []  # rules register themselves

T = Templates({
    "associations": N_("関連付けている"),
    "propagations": N_("伝播させている"),
    "routes": N_("ルートの宛先にしている"),
    "mixes": N_("共有TGW {tgw} のルートテーブル {rt}（{env}環境用）が{other}環境のアタッチメント {att} を{how}。"
             "環境ごとのルートテーブルで分離されず、{env}環境と{other}環境の間に経路ができうる"),
    "fix": N_("{other}環境のアタッチメントは{other}環境用のルートテーブルに関連付け・伝播し、{rt} から外す"),
})


def _entries(table) -> Iterator[tuple[str, int, str]]:
    """(key, index, attachment) of every attachment a TGW route table names, in the order AWS applies them."""
    for key in ("associations", "propagations"):
        for j, att in enumerate(getattr(table, key)):
            yield key, j, att
    for j, r in enumerate(table.routes):
        if r.attachment:
            yield "routes", j, r.attachment


@rule(("TGW_RTB_MIXES_ENVIRONMENTS", "warning",
       "a route table of a shared TGW associates, propagates or routes to another environment's attachment",
       "WA SEC05-BP01"))
def tgw_tables_mix_environments(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    scope = eg.scope
    if scope is None or not scope.joined:
        return
    for i, table in enumerate(eg.model.tgw_route_tables):
        if table.env != eg.env or table.tgw not in scope.shared_tgws:
            continue
        for key, j, att in _entries(table):
            other = scope.attachment_env(att)
            if other is None or other == eg.env:
                continue
            loc = eg.where("tgw_route_tables", i, key, j, *(("attachment",) if key == "routes" else ()))
            yield ctx.finding("TGW_RTB_MIXES_ENVIRONMENTS", (table.id, att),
                              T("mixes", tgw=table.tgw, rt=table.id, env=eg.env, other=other, att=att, how=T(key)),
                              loc, T("fix", other=other, rt=table.id))
            break
