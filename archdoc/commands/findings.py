"""``archdoc findings [--env ENV] [--json]``: the design findings report.

Findings are a *report*: the exit status is ``0`` whatever their severity, ``2`` on a
model error or an unknown environment. Failing a build is the job of ``archdoc check``,
which decides through the intents (and their ``known_violation`` markers).

Text output: one block per environment, one line per finding
(``severity CODE resources: message [file:line]`` then ``修正: fix``), and a summary line.

``--json`` prints one object::

    {"summary": {"error": int, "warning": int, "info": int},
     "findings": [{"env": str, "severity": "error"|"warning"|"info", "code": str,
                   "resources": [str], "message": str, "location": str|null, "fix": str}]}

Errors go to stderr (``archdoc findings: message``; a model error as ``path:line:col: CODE
message`` lines); with ``--json`` stdout also gets
``{"error": str, "suggestions": [str], "problems": [str]}``.
"""

from __future__ import annotations

import json

from archdoc.i18n import _

__all__ = ["run_findings", "format_findings", "severity_label"]


def severity_label(severity: str) -> str:
    """A finding line's severity ('error', 'warning', 'info'): the word, with the code where the word
    is not the code itself ('警告(warning)'; in English 'Warning')."""
    return {"error": _("エラー(error)"), "warning": _("警告(warning)"), "info": _("情報(info)")}[severity]


def format_findings(rows) -> str:
    from analysis.review import summary

    lines: list[str] = []
    env = None
    unknown = _("位置不明")
    for f in rows:
        if f.env != env:
            env = f.env
            lines.append(f"== {env} ==")
        lines.append(f"{severity_label(f.severity)} {f.code} {', '.join(f.resources)}: {f.message}"
                     f"  [{f.location or unknown}]")
        if f.fix:
            lines.append(_("    修正: {fix}").format(fix=f.fix))
    s = summary(rows)
    lines.append(_("計: エラー {error} / 警告 {warning} / 情報 {info}").format(**s))
    return "\n".join(lines)


def run_findings(env: str | None = None, as_json: bool = False, model_path=None) -> int:
    """Print the findings; returns 0 (a report), or 2 on a model error / unknown environment."""
    from analysis.review import summary
    from archdoc.common import fail, load_analysis, unknown_env

    analysis = load_analysis(model_path, as_json=as_json)
    if analysis is None:
        return 2
    bad = unknown_env(env, list(analysis.envs))
    if bad:
        return fail("findings", bad[0], bad[1], as_json)
    rows = list(analysis.findings if env is None else analysis.findings_of(env))
    if as_json:
        print(json.dumps({"summary": summary(rows), "findings": [f.to_dict() for f in rows]},
                         ensure_ascii=False, indent=2))
    else:
        print(format_findings(rows))
    return 0
