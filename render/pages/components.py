"""The component chapter (コンポーネント詳細): the component specs of the model, worded for a design document.

The seed writes specs as nested bullet lists ("CPU: 256 (.25 vCPU)", "ストレージ: 100 GB
GP3（Auto Scaling有効）"). The wording is fixed here; every number comes from the
model. :func:`component_sections` returns the subsections that exist in this model
(a model without Cognito simply has no Cognito subsection), each as a title and a tree
of ``(label, value, children)`` items the template turns into bullets. A component's
section is headed by its label (two load balancers never share a heading).
"""

from __future__ import annotations

from model.index import ModelIndex
from model.schema import FargateSpec, RdsSpec
from render.pages.components_network import network_sections, onoff
from render.pages.i18n import N_, _, ngettext

__all__ = ["component_sections", "vcpu_text", "fargate_items", "rds_items"]

_MFA = {"off": N_("無効"), "optional": N_("オプション"), "required": N_("必須")}
_SCHEME = {"internet-facing": "Internet-facing", "internal": "Internal"}

Item = tuple  # (label, value, children)


def vcpu_text(cpu: int) -> str:
    """Fargate CPU units as the seed writes them: 256 -> '256 (.25 vCPU)', 1024 -> '1024 (1 vCPU)'."""
    v = f"{cpu / 1024:g}"
    return f"{cpu} ({v[1:] if v.startswith('0.') else v} vCPU)"


def fargate_items(spec: FargateSpec) -> list[Item]:
    tasks = f"{spec.tasks.min}-{spec.tasks.max}" + (_("（Auto Scaling）") if spec.autoscaling else "")
    return [("CPU", vcpu_text(spec.cpu), ()), ("Memory", f"{spec.memory_mb} MB", ()),
            (_("タスク数"), tasks, ()), (_("コンテナポート"), str(spec.container_port), ())]


def rds_items(spec: RdsSpec) -> list[Item]:
    storage = f"{spec.storage_gb} GB {spec.storage_type}" + (_("（Auto Scaling有効）") if spec.storage_autoscaling else "")
    crypt = onoff(spec.encryption) + (_("（{note}）").format(note=spec.encryption_note) if spec.encryption_note else "")
    days = spec.backup_retention_days
    items = [(_("エンジン"), f"{spec.engine} {spec.engine_version}", ()),
             (_("インスタンスクラス"), spec.instance_class, ()), (_("ストレージ"), storage, ()),
             (_("構成"), "Multi-AZ" if spec.multi_az else "Single-AZ", ()),
             (_("バックアップ"), ngettext("{days}日間", "{days}日間", days).format(days=days), ()), (_("暗号化"), crypt, ())]
    if spec.performance_insights is not None:  # a document may state it for one environment only
        items.append(("Performance Insights", onoff(spec.performance_insights), ()))
    return items


def _seconds(n: int) -> str:
    return ngettext("{seconds}秒", "{seconds}秒", n).format(seconds=n)


def _short_label(ix: ModelIndex, node_id: str) -> str:
    """'ECS Fargate Frontend' under the parent 'ECS Fargate' -> 'Frontend'."""
    node = ix.nodes[node_id]
    parent = ix.nodes.get(node.part_of) if node.part_of else None
    if parent and node.label.startswith(parent.label + " "):
        return node.label[len(parent.label) + 1:]
    return node.label


def _envs(ix: ModelIndex) -> list:
    return list(ix.model.environments)


def _fargate(ix: ModelIndex) -> dict | None:
    groups = []
    for env in _envs(ix):
        items = [(_short_label(ix, n.id), None, fargate_items(n.at[env.id].fargate))
                 for n in ix.nodes_in(env.id) if n.at[env.id].fargate]
        if items:
            groups.append((env.name, items))
    if not groups:
        return None
    return {"title": "ECS Fargate", "groups": groups}


def _rds(ix: ModelIndex) -> list[dict]:
    out = []
    for node in ix.model.nodes:
        groups = [(env.name, rds_items(node.at[env.id].rds)) for env in _envs(ix)
                  if env.id in node.at and node.at[env.id].rds]
        if groups:  # the engine comes from the spec ('RDS PostgreSQL'), like the diagrams' labels
            first = next(env.id for env in _envs(ix) if env.id in node.at and node.at[env.id].rds)
            out.append({"title": ix.facts.label(node.label, node.id, first, ("engine",)), "id": node.id,
                        "groups": groups})
    return out


def _cognito(ix: ModelIndex, node) -> dict:
    c = node.cognito
    p = c.password_policy
    required = [name for name, flag in ((_("大文字"), p.require_uppercase), (_("小文字"), p.require_lowercase),
                                        (_("数字"), p.require_numbers), (_("記号"), p.require_symbols)) if flag]
    policy = [(_("最小長"), ngettext("{count}文字", "{count}文字", p.min_length).format(count=p.min_length), ())]
    if required:
        policy.append((None, _("{kinds}必須").format(kinds=_("・").join(required)), ()))
    items = [("User Pool", ngettext("{count}つ", "{count}つ", c.user_pools).format(count=c.user_pools), ()),
             ("User Groups", None, [(None, _("{name}（{description}）").format(name=g.name, description=g.description), ())
                                    for g in c.groups]),
             ("MFA", _(_MFA[c.mfa]), ()), (_("パスワードポリシー"), None, policy)]
    if c.lambda_triggers:
        items.append(("Lambda Triggers", None, [(None, _("{trigger}（{purpose}）").format(trigger=t.trigger,
                                                                                      purpose=t.purpose), ())
                                                for t in c.lambda_triggers]))
    return {"title": node.label, "id": node.id, "groups": [(None, items)]}


def _alb(ix: ModelIndex, node) -> dict:
    a = node.alb
    tgs = {t.id: t for t in a.target_groups}
    listeners = []
    for li in a.listeners:
        if li.action == "redirect":
            listeners.append((None, _("{protocol}:{port} → {to_protocol}:{to_port}リダイレクト").format(
                protocol=li.protocol, port=li.port, to_protocol=li.redirect_protocol, to_port=li.redirect_port), ()))
        else:
            listeners.append((None, f"{li.protocol}:{li.port} → Target Group", ()))
    hc = a.health_check
    spec = [(_("スキーム"), _SCHEME[a.scheme], ()), (_("リスナー"), None, listeners),
            (_("ターゲットグループ"), None, [(None, f"{tgs[t].name}: {tgs[t].path}", ()) for t in tgs]),
            (_("ヘルスチェック"), None, [(_("パス"), hc.path, ()),
                                     (_("間隔"), _seconds(hc.interval_seconds), ()),
                                     (_("タイムアウト"), _seconds(hc.timeout_seconds), ())])]
    wafs = [w for w in ix.model.nodes if w.waf and w.waf.protects == node.id]
    groups, first, first_waf = [], None, []
    for env in _envs(ix):
        if env.id not in node.at:
            continue
        waf_items = [("WAF Rules", None, [(None, r.name, ()) for r in sorted(w.waf.rules, key=lambda r: r.priority)])
                     for w in wafs if env.id in w.at]
        if first is None:
            first, first_waf = env, waf_items
            groups.append((env.name, spec + waf_items))
            continue
        # the spec lives on the node, so it is the same: say so, and show only a WAF that differs
        if waf_items == first_waf:
            same, waf_items = _("（{env}と同じ）"), []
        elif not first_waf:
            same = _("（{env}と同じ + WAF）")
        else:
            same = _("（{env}と同じ、WAFを除く）") if waf_items else _("（{env}と同じ、WAFなし）")
        groups.append((env.name + same.format(env=first.short), waf_items))
    return {"title": node.label, "id": node.id, "groups": groups}


def _schedules(ix: ModelIndex, node) -> dict:
    items = [(_("スケジュール"), None, [(None, f"{s.name}: {s.expression} {s.description}", ())
                                 for s in node.schedules.schedules])]
    targets = []
    for s in node.schedules.schedules:
        if s.target not in targets:
            targets.append(s.target)
    for target in targets:
        specs = [(env, ix.nodes[target].at[env.id].batch) for env in _envs(ix)
                 if env.id in ix.nodes[target].at and ix.nodes[target].at[env.id].batch]
        distinct = {b for _, b in specs}
        for env, b in specs if len(distinct) > 1 else specs[:1]:
            label = "ECS Task" + (_("（{env}）").format(env=env.name) if len(distinct) > 1 else "")
            hours = ngettext("{hours}時間", "{hours}時間", b.timeout_hours).format(hours=b.timeout_hours)
            items.append((label, None, [("CPU", str(b.cpu), ()), ("Memory", f"{b.memory_mb} MB", ()),
                                        (_("タイムアウト"), hours, ())]))
    return {"title": _("{label} + Batch処理").format(label=node.label), "id": node.id, "groups": [(None, items)]}


def component_sections(ix: ModelIndex) -> list[dict]:
    """The subsections of the component chapter: ECS, RDS, Cognito, ALB, EventBridge, then the
    further kinds (:func:`render.pages.components_network.network_sections`)."""
    sections: list[dict] = []
    fargate = _fargate(ix)
    if fargate:
        sections.append(fargate)
    sections.extend(_rds(ix))
    sections.extend(_cognito(ix, n) for n in ix.model.nodes if n.cognito)
    sections.extend(_alb(ix, n) for n in ix.model.nodes if n.alb)
    sections.extend(_schedules(ix, n) for n in ix.model.nodes if n.schedules)
    sections.extend(network_sections(ix))
    return _distinct_titles(sections)


def _distinct_titles(sections: list[dict]) -> list[dict]:
    """Two sections never share a heading: a repeated title gets the component's id appended.

    >>> [s["title"] for s in _distinct_titles([{"title": "ALB", "id": "a"}, {"title": "ALB", "id": "b"}])]
    ['ALB（a）', 'ALB（b）']
    """
    counts = {s["title"]: sum(t["title"] == s["title"] for t in sections) for s in sections}
    return [s | {"title": _("{title}（{id}）").format(title=s["title"], id=s["id"])}
            if counts[s["title"]] > 1 and s.get("id") else s for s in sections]
