"""Every requirement of one environment checked against its configuration: :func:`evaluate`.

For each registered check (:data:`~analysis.requirements.rows.CHECKS`, in registration
order) and each component it applies to, the item in force is the component's own
(``nodes[].at.<env>.requirements.<key>``), else the environment's (unless the check does
not inherit), else — only with ``baselines`` — the AWS control's baseline, marked
``declared=False``. A key holding a list (``egress``) is one requirement per item.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> a = analyze(load_model())
>>> sorted({(r.key, r.status) for r in a.requirements_of("prod") if r.key == "backup_retention_days"})
[('backup_retention_days', 'kept')]
"""

from __future__ import annotations

from typing import Any, Iterator

from analysis.requirements import availability, data, isolation, network  # noqa: F401  (importing registers the checks)
from analysis.requirements.rows import CHECKS, STATUSES, Check, CheckContext, RequirementRow
from analysis.i18n import _
from model.schema import Node

__all__ = ["evaluate", "sort_key"]


def sort_key(r: RequirementRow) -> tuple:
    order = list(CHECKS)
    return (r.env, order.index(r.key) if r.key in order else len(order), STATUSES.index(r.status), r.component,
            r.expected)


def _items(value: Any) -> list[tuple[int | None, Any]]:
    if isinstance(value, tuple):
        return list(enumerate(value))
    return [] if value is None else [(None, value)]


def _in_force(c: CheckContext, chk: Check, scope: Node | None, baselines: bool) -> Iterator[tuple[Any, str | None, bool]]:
    """(item, where it is written, declared?) for one scope of one check."""
    eg, key = c.eg, chk.key
    env_index = eg.loaded.index_of("environments", c.env)
    env_reqs = eg.ix.envs[c.env].requirements
    if scope is not None and getattr(scope.at[c.env].requirements, key) not in (None, ()):
        for j, item in _items(getattr(scope.at[c.env].requirements, key)):
            keys = (key,) if j is None else (key, j)
            yield item, eg.where_id("nodes", scope.id, "at", c.env, "requirements", *keys), True
    elif scope is None or chk.inherit:
        own = _items(getattr(env_reqs, key))
        for j, item in own:
            keys = (key,) if j is None else (key, j)
            yield item, eg.where("environments", env_index, "requirements", *keys), True
        default = chk.default(c) if callable(chk.default) else chk.default
        if not own and baselines and default is not None:
            yield default, None, False


def evaluate(eg, net, baselines: bool = False) -> tuple[RequirementRow, ...]:
    """The requirement rows of ``eg``'s environment, sorted (key order, most urgent first).

    ``baselines``: also check components the document states nothing for against the AWS
    controls' baselines (rows with ``declared=False``; the findings use them, the
    requirements table does not).
    """
    c = CheckContext(eg, net)
    rows: list[RequirementRow] = []
    for chk in CHECKS.values():
        for scope in chk.components(c):
            for item, where, declared in _in_force(c, chk, scope, baselines):
                for component, o in chk.decide(c, scope, item):
                    rows.append(RequirementRow(c.env, chk.key, component, o.status, chk.expected(item),
                                               item.statement if declared else _(item.statement), item.seed_ref, o.reason, where, o.location,
                                               o.code if o.status == "broken" else None, declared))
    return tuple(sorted(set(rows), key=sort_key))
