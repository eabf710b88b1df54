"""The registry of model rules: the ``@rule(code, description)`` decorator and the context rules share.

Rules receive a :class:`Ctx` and yield ``(path, message)`` pairs (:data:`RuleHit`); the
path addresses the merged model (e.g. ``("subnets", 4, "cidr")``) and
:meth:`model.loader.Loaded.problem` turns it into file:line:col. The rule modules
(:mod:`model.rules.network`, :mod:`model.rules.references`) register themselves when
:mod:`model.rules` imports them.

>>> r = Rule("E999", "an example", lambda ctx: iter(()))
>>> r.code, r.description
('E999', 'an example')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from model.errors import Problem
from model.schema import Model
from model.errors import did_you_mean

if TYPE_CHECKING:
    from model.loader import Loaded

__all__ = ["Rule", "Ctx", "RULES", "RuleHit", "rule", "run_rules", "ID_SECTIONS"]

RuleHit = tuple[tuple, str]
"""(path in the merged model, message)."""

ID_SECTIONS = ("assumptions", "environments", "regions", "accounts", "sites", "vpcs", "subnets",
               "named_cidrs", "security_groups", "nacls", "route_tables", "tgw_route_tables",
               "nodes", "actors", "views", "intents")


@dataclass(frozen=True)
class Rule:
    """A registered rule: stable code, one-line description, the function."""

    code: str
    description: str
    func: Callable[["Ctx"], Iterable[RuleHit]]


RULES: list[Rule] = []


def rule(code: str, description: str) -> Callable:
    """Register ``func`` as the rule ``code`` (codes are unique)."""

    def register(func: Callable[["Ctx"], Iterable[RuleHit]]) -> Callable:
        assert all(r.code != code for r in RULES), code
        RULES.append(Rule(code, description, func))
        RULES.sort(key=lambda r: r.code)
        return func

    return register


class Ctx:
    """What rules share: the model, the loaded files and id -> first index per section."""

    def __init__(self, loaded: "Loaded"):
        self.loaded = loaded
        self.m: Model = loaded.model
        self.ids: dict[str, dict[str, int]] = {}
        for section in (s for s in ID_SECTIONS if s in Model.model_fields):
            table: dict[str, int] = {}
            for index, item in enumerate(getattr(self.m, section)):
                table.setdefault(item.id, index)
            self.ids[section] = table

    def get(self, section: str, item_id: str | None) -> Any:
        """The first item of ``section`` with that id, or None."""
        index = self.ids[section].get(item_id) if item_id is not None else None
        return None if index is None else getattr(self.m, section)[index]

    def unknown(self, kind: str, value: str | None, *sections: str, extra: Iterable[str] = ()) -> str | None:
        """A 'unknown <kind> ...' message if ``value`` is not an id of ``sections`` (or in ``extra``)."""
        if value is None:
            return None
        choices = set(extra)
        for section in sections:
            choices |= set(self.ids[section])
        if value in choices:
            return None
        return f"unknown {kind} '{value}'{did_you_mean(value, choices)}"

    def where(self, path: tuple) -> str:
        """``file:line`` of ``path``, for 'first defined at' texts."""
        import os

        file, line, _ = self.loaded.locate(*path)
        return f"{os.path.basename(file)}:{line}"


def run_rules(loaded: "Loaded") -> list[Problem]:
    """Run every registered rule; problems sorted by file, line, col."""
    ctx = Ctx(loaded)
    problems = {loaded.problem(r.code, message, *path) for r in RULES for path, message in r.func(ctx)}
    return sorted(problems)
