"""``archdoc diff --from ENV --to ENV [--json]``: what changes between two environments.

Exit status: ``0`` (a report), ``2`` on a model error or an unknown environment.

Text output: configuration differences (``+`` only in ``--to``, ``-`` only in ``--from``,
``~`` changed) then reachability differences (source, target, port, verdict on each side
with the reason).

``--json`` prints one object::

    {"from": str, "to": str,
     "config": [{"kind": "vpc"|"subnet"|"node"|"security-group"|"sg-rule", "key": str,
                 "change": "only-from"|"only-to"|"changed",
                 "from_value": str|null, "to_value": str|null}],
     "reach": [{"source": str,          # "persona:<id>" for actors, else a node id
                "target": str, "port": int,
                "from_source": str, "to_source": str,   # the actor/node used on each side
                "from_verdict": str, "to_verdict": str,
                "from_reason": str, "to_reason": str}]}

Errors go to stderr (``archdoc diff: message``; a model error as ``path:line:col: CODE
message`` lines); with ``--json`` stdout also gets
``{"error": str, "suggestions": [str], "problems": [str]}``.
"""

from __future__ import annotations

import json

from archdoc.i18n import _

__all__ = ["run_diff", "format_diff", "config_lines", "reach_lines"]

_MARK = {"only-from": "-", "only-to": "+", "changed": "~"}
_VJA = {"reachable": "✓", "unreachable": "✗", "conditional": "△"}


def config_lines(config, indent: str = "  ") -> list[str]:
    """One line per configuration difference: ``~`` changed, ``+`` only in the new side, ``-`` only in the old."""
    lines = []
    for c in config:
        if c.change == "changed":
            lines.append(f"{indent}~ {c.kind} {c.key}: {c.from_value} → {c.to_value}")
        else:
            lines.append(f"{indent}{_MARK[c.change]} {c.kind} {c.key}: {c.from_value or c.to_value}")
    return lines or [indent + _("（なし）")]


def reach_lines(reach, from_label: str, to_label: str, indent: str = "  ") -> list[str]:
    """Two or three lines per connection whose verdict changed: the verdicts, then each side's reason."""
    lines = []
    for r in reach:
        lines.append(f"{indent}{r.source} → {r.target}:{r.port}  {_VJA[r.from_verdict]} {r.from_verdict} → "
                     f"{_VJA[r.to_verdict]} {r.to_verdict}")
        for label, source, reason in ((from_label, r.from_source, r.from_reason), (to_label, r.to_source, r.to_reason)):
            lines.append(f"{indent}    " + _("{side}（{source}）: {reason}").format(side=label, source=source, reason=reason))
    return lines or [indent + _("（なし）")]


def format_diff(d) -> str:
    envs = {"source": d.from_env, "target": d.to_env}
    return "\n".join([_("構成の差分（{source} → {target}）:").format(**envs), *config_lines(d.config),
                      _("到達性の差分（{source} → {target}）:").format(**envs), *reach_lines(d.reach, d.from_env, d.to_env)])


def run_diff(from_env: str, to_env: str, as_json: bool = False, model_path=None) -> int:
    from analysis.diff import diff
    from archdoc.common import fail, load_analysis, unknown_env

    analysis = load_analysis(model_path, as_json=as_json)
    if analysis is None:
        return 2
    envs = list(analysis.envs)
    for e in (from_env, to_env):
        bad = unknown_env(e, envs)
        if bad:
            return fail("diff", bad[0], bad[1], as_json)
    d = diff(analysis, from_env, to_env)
    print(json.dumps(d.to_dict(), ensure_ascii=False, indent=2) if as_json else format_diff(d))
    return 0
