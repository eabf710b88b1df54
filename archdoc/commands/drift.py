"""``archdoc drift --env E (--from-aws [--region R] [--profile P] [--endpoint-url URL] | --snapshot DIR)
[--account A] [--save-snapshot DIR] [--json | --markdown]``: the model against the deployed account.

Reads the account with read-only calls (:mod:`aws`) or a saved snapshot, compares it with the
model (:mod:`analysis.drift`) and prints every difference with the model's ``file:line`` and
the AWS resource id. Exit 0 no drift, 1 drift, 2 an error (credentials missing, access
denied, throttled after retries, an unreadable snapshot, an unknown environment or account,
a model error) as one line on stderr, never a traceback.

``--json`` prints ``{"env", "account", "drift", "rows": [{"kind", "resource", "model_id",
"aspect", "model_value", "deployed_value", "location", "aws_id"}], "compared", "skipped"}``;
``--markdown`` prints a section to paste into a change request (設計と実環境の差異).
"""

from __future__ import annotations

import json

from archdoc.i18n import _

__all__ = ["run_drift", "format_text", "format_markdown"]


def _kind(kind: str) -> str:
    """A difference's kind ('missing', 'extra', 'changed') in the current language."""
    return {"missing": _("未作成"), "extra": _("モデル外"), "changed": _("変更")}[kind]


def format_text(report, region: str | None) -> str:
    where = f" ({region})" if region else ""
    n = len(report.rows)
    lines = [f"drift: {report.env} / {report.account}{where}: "
             + (f"{n} difference(s)" if n else "no drift")]
    for r in report.rows:
        subject = " ".join(x for x in (r.resource, r.model_id, r.aws_id and f"({r.aws_id})") if x)
        detail = f": {r.aspect}" if r.aspect else ""
        values = f": model {r.model_value}, deployed {r.deployed_value}"
        lines.append(f"{r.kind:<8} {subject}{detail}{values}  [{r.location or 'not in the model'}]")
    lines += [f"not compared: {s}" for s in report.skipped]
    return "\n".join(lines)


def _cell(text) -> str:
    return str(text if text is not None else "-").replace("|", "\\|")


def format_markdown(report, region: str | None) -> str:
    where = f"{report.env} / {report.account}{' / ' + region if region else ''}"
    lines = [_("## 設計と実環境の差異（{where}）").format(where=where), ""]
    if not report.rows:
        lines.append(_("差異はありません。"))
    else:
        lines += [_("| 種別 | リソース | モデルID | 項目 | モデル | 実環境 | 定義位置 | AWS ID |"),
                  "|---|---|---|---|---|---|---|---|"]
        whole = _("（全体）")
        lines += [f"| {_kind(r.kind)} | {_cell(r.resource)} | {_cell(r.model_id)} | {_cell(r.aspect or whole)} "
                  f"| {_cell(r.model_value)} | {_cell(r.deployed_value)} | {_cell(r.location)} | {_cell(r.aws_id)} |"
                  for r in report.rows]
    if report.skipped:
        lines += ["", _("比較していないもの: {items}").format(items="; ".join(report.skipped))]
    return "\n".join(lines) + "\n"


def _account(src, env: str, account: str | None) -> tuple[str | None, str | None]:
    """(account, error message)."""
    from model.schema.messages import did_you_mean

    accounts = [a.id for a in src.model.accounts if a.env == env]
    if account is None:
        if len(accounts) == 1:
            return accounts[0], None
        return None, (f"environment {env} has {len(accounts)} accounts ({', '.join(accounts)}): "
                      "choose the one your credentials reach with --account")
    if account not in accounts:
        return None, f"unknown account '{account}' in {env}{did_you_mean(account, accounts)}; accounts: {', '.join(accounts)}"
    return account, None


def _region(src, env: str, account: str) -> str | None:
    for vpc in src.model.vpcs:
        if vpc.env == env and vpc.account == account:
            return vpc.region
    return next((v.region for v in src.model.vpcs if v.env == env), None)


def run_drift(env: str, *, from_aws: bool = False, snapshot: str | None = None, region: str | None = None,
              profile: str | None = None, endpoint_url: str | None = None, account: str | None = None,
              save_snapshot: str | None = None, as_json: bool = False, markdown: bool = False,
              model_path=None) -> int:
    """Compare and print; returns the exit status documented above."""
    from analysis.drift import drift
    from archdoc.common import fail, load_checked, unknown_env
    from aws.errors import AwsError

    if from_aws == (snapshot is not None):
        return fail("drift", "give exactly one of --from-aws and --snapshot DIR", [], as_json)
    if not from_aws and (region or profile or endpoint_url):
        return fail("drift", "--region, --profile and --endpoint-url go with --from-aws", [], as_json)
    src = load_checked(model_path, as_json=as_json)
    if src is None:
        return 2
    bad = unknown_env(env, [e.id for e in src.model.environments])
    if bad:
        return fail("drift", bad[0], bad[1], as_json)
    account, problem = _account(src, env, account)
    if problem:
        return fail("drift", problem, [], as_json)
    region = region or _region(src, env, account)
    try:
        if from_aws:
            from aws.read import read_state
            responses = read_state(region=region, profile=profile, endpoint_url=endpoint_url)
        else:
            from aws.snapshot import read_snapshot
            responses = read_snapshot(snapshot)
        if save_snapshot:
            from aws.snapshot import write_snapshot
            write_snapshot(save_snapshot, responses)
    except AwsError as exc:
        return fail("drift", str(exc), [], as_json)
    report = drift(src, env, account, responses)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif markdown:
        print(format_markdown(report, region), end="")
    else:
        print(format_text(report, region))
    return 1 if report.has_drift else 0
