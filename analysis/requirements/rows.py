"""The row of the requirements table and what a check hands back: :class:`RequirementRow`, :class:`Outcome`.

A check decides one requirement for one component (or for the environment as a whole):
*kept*, *broken* or *not decidable* from the design, with the reason in words, the line of
the configuration that decides it and, when broken, the finding code that reports it.
The driver (:mod:`analysis.requirements.evaluate`) adds the requirement's own words and
line, so a row points at both the promise and the configuration.

>>> o = Outcome.broken("保持 7日", "model/data/nodes.yaml:10", "RDS_11_BACKUP_RETENTION")
>>> o.status, o.code
('broken', 'RDS_11_BACKUP_RETENTION')
>>> Outcome.kept("30日").code is None
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable, Literal

from analysis.graph.build import EnvGraph
from analysis.paths.reach import Reachability
from model.schema import Node

__all__ = ["RequirementRow", "Outcome", "CheckContext", "Check", "CHECKS", "check", "Status", "STATUSES"]

Status = Literal["kept", "broken", "not-decidable"]
STATUSES: tuple[str, ...] = ("broken", "not-decidable", "kept")
"""The statuses, most urgent first (the order rows are sorted in)."""


@dataclass(frozen=True)
class Outcome:
    """A check's decision for one component: status, reason (Japanese), configuration line, code."""

    status: Status
    reason: str
    location: str | None = None
    code: str | None = None

    @classmethod
    def kept(cls, reason: str, location: str | None = None) -> "Outcome":
        return cls("kept", reason, location)

    @classmethod
    def broken(cls, reason: str, location: str | None, code: str) -> "Outcome":
        return cls("broken", reason, location, code)

    @classmethod
    def undecidable(cls, reason: str, location: str | None = None) -> "Outcome":
        return cls("not-decidable", reason, location)


@dataclass(frozen=True, order=True)
class RequirementRow:
    """One requirement checked for one component (``component`` empty: the environment as a whole)."""

    env: str
    key: str
    component: str
    status: Status
    expected: str
    """The requirement's value in words, e.g. '30日以上'."""
    statement: str
    """The document's own words."""
    seed_ref: str
    reason: str
    """What the configuration says, in words (why the status)."""
    requirement_location: str | None
    config_location: str | None
    code: str | None
    """The finding code that reports this row when broken (None otherwise)."""
    declared: bool = True
    """False for AWS's default expectation (a control's baseline), which the document does not state."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at: the environment's graph and its point queries."""

    eg: EnvGraph
    net: Reachability

    @property
    def env(self) -> str:
        return self.eg.env

    def nodes(self) -> list[Node]:
        """The environment's components that exist now (not on-demand, not future), in model order."""
        return [n for n in self.eg.ix.nodes_in(self.env) if n.at[self.env].status == "active"]

    def where_node(self, node: str, *keys: Any) -> str | None:
        """``file:line`` of ``nodes[id=node].at.<env>.<keys>`` (the nearest written ancestor)."""
        return self.eg.where_id("nodes", node, "at", self.env, *keys)

    def azs(self, node: Node) -> tuple[str, ...]:
        return tuple(sorted({self.eg.ix.subnets[s].az for s in node.at[self.env].subnets}))

    def region(self, node: str) -> str | None:
        return self.eg.ix.locate(node, self.env).region

    def label(self, node: str) -> str:
        return self.eg.ix.label(node, self.env)


Decide = Callable[[CheckContext, "Node | None", Any], Iterable[tuple[str, Outcome]]]


@dataclass(frozen=True)
class Check:
    """How one requirement key is decided.

    ``components(c)`` lists the components the key applies to (``None`` in the list: the
    environment as a whole); ``decide(c, component, item)`` yields ``(component id, outcome)``
    rows; ``inherit``: a component without its own item takes the environment's; ``default``:
    the item AWS's baseline control assumes where the document states none (None: no baseline).
    """

    key: str
    label: str
    components: Callable[[CheckContext], list["Node | None"]]
    decide: Decide
    expected: Callable[[Any], str]
    codes: tuple[str, ...]
    inherit: bool = True
    default: Any = None


CHECKS: dict[str, Check] = {}


def check(key: str, label: str, components: Callable[[CheckContext], list], expected: Callable[[Any], str],
          codes: tuple[str, ...], inherit: bool = True, default: Any = None) -> Callable[[Decide], Decide]:
    """Register ``decide`` as the check of requirement ``key`` (one per key)."""

    def register(decide: Decide) -> Decide:
        assert key not in CHECKS, key
        CHECKS[key] = Check(key, label, components, decide, expected, codes, inherit, default)
        return decide

    return register
