"""Tables of flows for the diagram pages (a top-level view's chapter) and the migration table.

A diagram alone cannot be searched, diffed or reviewed line by line, so each diagram
page also lists the arrows it draws: the flows its view selects, labelled the way the
view labels them. The migration rows are computed by :mod:`model.migration`; this
module only shapes them for the template.
"""

from __future__ import annotations

from model.index import ModelIndex
from model.schema import Flow, View
from render.pages.i18n import N_, _

__all__ = ["flow_header", "KIND_NAMES", "view_flows", "view_flow_rows", "migration_table"]

KIND_NAMES = {
    "network": N_("通信"), "control": N_("制御"), "replication": N_("レプリケーション"), "backup": N_("バックアップ"),
    "image-pull": N_("イメージ取得"), "logs": N_("ログ"), "metrics": N_("メトリクス"), "notification": N_("通知"),
    "pipeline": N_("パイプライン"), "restore": N_("復元"),
}
"""Flow kinds as the arrow tables name them (msgids)."""


def flow_header() -> tuple[str, ...]:
    """The arrow table's header: 環境 | 送信元 | 送信先 | 種別 | ラベル."""
    return (_("環境"), _("送信元"), _("送信先"), _("種別"), _("ラベル"))


def view_flows(ix: ModelIndex, view: View) -> list[tuple[str, Flow]]:
    """(env, flow) pairs a view draws: flows of its environments selected by tag or kind."""
    out = []
    for env in view.envs:
        for flow in ix.flows_in(env):
            if set(flow.tags) & set(view.flow_tags) or flow.kind in view.flow_kinds:
                out.append((env, flow))
    return out


def _name(ix: ModelIndex, view: View, node: str, env: str) -> str:
    for merge in view.merges:
        if node in merge.members:
            node = merge.into
            break
    if node in ix.nodes and env not in ix.nodes[node].at:
        return view.labels.get(node) or ix.nodes[node].label
    # the name the picture shows: the view's label or the node's, with the view's spec facts
    return ix.facts.label(view.labels.get(node) or ix.label(node, env), node, env, view.label_facts)


def view_flow_rows(ix: ModelIndex, view: View) -> list[tuple[str, str, str, str, str]]:
    """One row per distinct arrow; an arrow drawn in several environments lists them all."""
    rows: dict[tuple[str, str, str, str], list[str]] = {}
    for env, flow in view_flows(ix, view):
        key = (_name(ix, view, flow.source, env), _name(ix, view, flow.target, env),
               _(KIND_NAMES[flow.kind.value]) if flow.kind.value in KIND_NAMES else flow.kind.value, flow.label or "")
        env_name = view.box_labels.get(env) or ix.envs[env].name
        names = rows.setdefault(key, [])
        if env_name not in names:
            names.append(env_name)
    return [(_("・").join(envs), *key) for key, envs in rows.items()]


def migration_table(ix: ModelIndex, src: str, dst: str) -> list[dict]:
    """Rows of the migration table as computed by :func:`model.migration.migration_rows`."""
    from model.migration import migration_rows

    out = []
    for r in migration_rows(ix, src, dst):
        out.append({"item": r.item, "before": r.before, "after": r.after,
                    "seed": bool(getattr(r, "seed", True)),
                    "basis": getattr(r, "basis", None) or getattr(r, "derived_from", None) or ""})
    return out
