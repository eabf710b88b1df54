"""The registry of finding rules: every code with its severity and one-line description.

A rule is a function ``rule(ctx) -> Iterable[Finding]`` registered with the codes it may
report, each ``(code, severity, description)`` or ``(code, severity, description, control)``
where ``control`` is the AWS control the code stands for (a Security Hub control id such as
``RDS.3``, or a Well-Architected best practice such as ``REL10``). It may
report (usually one; a few checks report related outcomes under sibling codes, e.g. an
intent that is violated or known to be violated). Severity is a property of the code, not
of the call site, so the same code always has the same weight; :meth:`ReviewContext.finding`
looks it up, and :func:`run_rules` refuses a rule that reports a code it did not declare.
README's table of finding codes is tested against :data:`CODES`.

>>> r = FindingCode("EXAMPLE_CODE", "warning", "an example")
>>> r.severity, r.control
('warning', '')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from analysis.graph.build import EnvGraph
from analysis.paths.reach import Reachability
from analysis.results import SEVERITIES, Finding
from model.loader import Loaded

__all__ = ["FindingCode", "ReviewRule", "ReviewContext", "CODES", "RULES", "rule", "run_rules"]


@dataclass(frozen=True)
class FindingCode:
    code: str
    severity: str
    description: str
    control: str = ""
    """The AWS control (Security Hub id or Well-Architected practice) the code stands for, if any."""


@dataclass(frozen=True)
class ReviewRule:
    name: str
    codes: tuple[str, ...]
    func: Callable[["ReviewContext"], Iterable[Finding]]


CODES: dict[str, FindingCode] = {}
RULES: list[ReviewRule] = []


def rule(*codes: tuple[str, ...]) -> Callable:
    """Register a rule with the ``(code, severity, description[, control])`` tuples it may report."""
    for code, severity, *_ in codes:
        assert severity in SEVERITIES, (code, severity)
        assert code not in CODES, f"finding code {code} registered twice"

    def register(func: Callable[["ReviewContext"], Iterable[Finding]]) -> Callable:
        for entry in codes:
            CODES[entry[0]] = FindingCode(*entry)
        RULES.append(ReviewRule(f"{func.__module__}.{func.__name__}", tuple(c[0] for c in codes), func))
        return func

    return register


@dataclass(frozen=True)
class ReviewContext:
    """What a rule may look at for one environment: the graph, its point queries, the intents."""

    eg: EnvGraph
    net: Reachability
    intents: tuple[Any, ...]
    """The :class:`analysis.intents.IntentResult` rows of this environment."""
    requirements: tuple[Any, ...] | None = None
    """The :class:`analysis.requirements.RequirementRow` rows of this environment, AWS baselines
    included (None: the rules that need them evaluate them)."""

    @property
    def env(self) -> str:
        return self.eg.env

    @property
    def loaded(self) -> Loaded:
        return self.eg.loaded

    def finding(self, code: str, resources: Iterable[str], message: str, location: str | None,
                fix: str) -> Finding:
        """A finding of a registered ``code`` (its severity comes from the registry)."""
        return Finding(self.env, CODES[code].severity, code, tuple(resources), message, location, fix)


def run_rules(ctx: ReviewContext) -> list[Finding]:
    """Every registered rule over one environment (unsorted; duplicates possible)."""
    out: list[Finding] = []
    for r in RULES:
        for f in r.func(ctx):
            if f.code not in r.codes:
                raise AssertionError(f"rule {r.name} reported {f.code}, which it does not declare")
            out.append(f)
    return out
