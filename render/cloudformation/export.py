"""Export one environment: one template per account (``<env>-<account>.yaml``) and README.md.

The README says the deploy order (accounts that hold a Transit Gateway first, since the
others attach to it), every parameter, the notes (designs AWS will refuse) and every model
construct that was not exported, with the reason.

>>> from model.loader import load_model
>>> files = export_environment(load_model().model, "prod")
>>> sorted(files)
['README.md', 'prod-prod-account.yaml', 'prod-shared-account.yaml']
>>> deploy_order(Context(load_model().model, "prod"))
['shared-account', 'prod-account']
"""

from __future__ import annotations

import yaml

from model.schema import Model, NodeKind
from render.cloudformation import apps, edges  # noqa: F401  (importing registers their exporters)
from render.cloudformation.connectivity import export_tgw_route_tables
from render.cloudformation.context import Context
from render.cloudformation.network import export_network
from render.cloudformation.registry import for_kind
from render.cloudformation.template import Template
from render.i18n import _

__all__ = ["export_environment", "build_templates", "deploy_order", "to_yaml", "template_name"]


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases (CloudFormation rejects YAML anchors in some tools)."""

    def ignore_aliases(self, data):  # noqa: D401
        return True


def to_yaml(document: dict) -> str:
    """YAML text of a template: keys in insertion order, Unicode kept, no line folding."""
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=10_000)


def template_name(env: str, account: str) -> str:
    return f"{env}-{account}.yaml"


def deploy_order(ctx: Context) -> list[str]:
    """Accounts in deploy order: those holding a TGW first, then the rest in model order."""
    holders = {ctx.account_of_node(n) for n in ctx.nodes_of_kind(NodeKind.TGW)}
    accounts = list(ctx.templates)
    return [a for a in accounts if a in holders] + [a for a in accounts if a not in holders]


def _place_nodes(ctx: Context) -> None:
    for node in ctx.ix.nodes_in(ctx.env):
        placement = node.at[ctx.env]
        account = ctx.account_of_node(node)
        t = ctx.templates.get(account) if account else None
        first = t or ctx.templates[deploy_order(ctx)[0]]
        if placement.site is not None and not (node.kind is NodeKind.CUSTOMER_GATEWAY and t is not None):
            first.skip(f"node {node.id}", f"outside AWS (site '{placement.site}')")
        elif placement.status != "active":
            first.skip(f"node {node.id}", f"status '{placement.status}' (not built with the environment)")
        elif t is None and node.shared and account:
            first.skip(f"node {node.id}", f"shared from account {account} (AWS RAM), whose stack builds it")
        elif t is None:
            first.skip(f"node {node.id}", "the model places it in no account of this environment")
        elif (ctx.region_of_node(node) or t.region) != t.region:
            t.skip(f"node {node.id}", f"in region {ctx.region_of_node(node)}; this template is for {t.region}")
        elif (fn := for_kind(node.kind)) is None:
            t.skip(f"node {node.id}", f"no CloudFormation exporter for node kind '{node.kind.value}' yet")
        else:
            fn(ctx, t, node)


def build_templates(model: Model, env: str) -> Context:
    """Every template of ``env``, assembled (not yet written as text)."""
    ctx = Context(model, env)
    if not ctx.templates:
        raise KeyError(f"environment '{env}' has no account")
    export_network(ctx)
    _place_nodes(ctx)
    export_tgw_route_tables(ctx)
    return ctx


def _description(ctx: Context, t: Template) -> str:
    title = ctx.model.document.title
    return f"{title} {ctx.env} / {t.account} (archdoc export; model version {ctx.model.document.version})"


def export_environment(model: Model, env: str) -> dict[str, str]:
    """{file name: text} for ``env``: the templates and README.md."""
    ctx = build_templates(model, env)
    files = {template_name(env, a): to_yaml(ctx.templates[a].document(_description(ctx, ctx.templates[a])))
             for a in deploy_order(ctx)}
    files["README.md"] = readme(ctx)
    return dict(sorted(files.items()))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def readme(ctx: Context) -> str:
    """The deploy guide written next to the templates, in the document's language like the other
    generated docs (the reasons a construct was not exported, like the templates, are English)."""
    order = deploy_order(ctx)
    lines = [_("# CloudFormation テンプレート（環境 {env}）").format(env=ctx.env), "",
             _("`archdoc export --format cloudformation` がモデルから生成したファイルです。手で編集せず、モデルを"
               "変更して再生成してください。すべてのリソースにタグ `archdoc:id`（モデルのID）と `archdoc:env` が付き、"
               "`archdoc drift` はこのタグで実環境とモデルを突き合わせます。"), "", _("## デプロイ順序"), ""]
    for step, account in enumerate(order, 1):
        t = ctx.templates[account]
        lines.append(_("{step}. `{template}`（アカウント {account}、リージョン {region}）").format(
            step=step, template=template_name(ctx.env, account), account=account, region=t.region))
    late = [(a, name) for a in order for name, p in ctx.templates[a].parameters.items() if "Default" in p
            and name in {n for b in order for n in ctx.templates[b].outputs}]
    if late:
        passed = ", ".join(_("`{parameter}`（{template}）").format(parameter=name, template=template_name(ctx.env, a))
                             for a, name in late)
        lines.append(_("{step}. 後のスタックの出力を前のスタックに渡して更新する: {parameters}").format(
            step=len(order) + 1, parameters=passed))
    lines += ["", _("例: `aws cloudformation deploy --template-file FILE --stack-name NAME "
                    "--parameter-overrides Key=Value ...`"), ""]
    for account in order:
        t = ctx.templates[account]
        lines += [f"## {template_name(ctx.env, account)}", "",
                  _("リソース数: {count}").format(count=len(t.resources)), ""]
        if t.parameters:
            lines += [_("| パラメータ | 型 | 説明 |"), "|---|---|---|"]
            lines += [f"| `{n}` | {p['Type']} | {_cell(p['Description'])} |" for n, p in t.parameters.items()]
            lines.append("")
        if t.outputs:
            lines += [_("出力: {outputs}").format(outputs=", ".join(f"`{n}`" for n in t.outputs)), ""]
    notes = [n for a in order for n in ctx.templates[a].notes]
    if notes:
        lines += [_("## 注意（このままではAWSが作成を拒否する設計）"), ""]
        lines += [f"- `{n.resource}`: {n.text}" for n in notes] + [""]
    skipped = [(a, s) for a in order for s in ctx.templates[a].skipped]
    lines += [_("## not exported（エクスポートしていないもの）"), ""]
    if skipped:
        lines += [_("| テンプレート | 対象 | 理由 |"), "|---|---|---|"]
        lines += [f"| {template_name(ctx.env, a)} | {_cell(s.what)} | {_cell(s.reason)} |" for a, s in skipped]
    else:
        lines.append(_("なし"))
    lines += ["", _("## 補足"), "",
              _("- セキュリティグループのルールの説明（Description）は、AWSが受け付ける英数字と記号だけに"
                "縮めています。用途の全文はモデルにあります。"),
              _("- アウトバウンドのルールがCIDRで1つもないグループには、AWSの既定の全許可を消すためだけの"
                "ルール（`-1 127.0.0.1/32`）を入れています。"),
              _("- 証明書、コンテナイメージ、IAMロール、DBの認証情報など、モデルにない値はパラメータです。"
                "DBのパスワードはSecrets Managerのシークレットから `{{resolve:secretsmanager:...}}` で読みます。"), ""]
    return "\n".join(lines)
