"""The facts a label may state about a node, taken from its spec, and read back out of free text.

A diagram label such as ``RDS PostgreSQL Primary db.m5.large`` states facts (the engine,
the Multi-AZ role, the instance class); so does ``ECS Fargate Frontend Task 2-6`` (the
task count) or a box title ``Public Subnet 1 10.1.1.0/24`` (a CIDR). Typed into a label,
such a fact silently goes stale when the spec changes, and the picture lies. So:

* :meth:`FactBook.words` gives the facts of a node in one environment, from its spec
  (the ``rds`` spec: engine, ``Single-AZ``/``Primary``, instance class; a Multi-AZ standby
  node (``standby_of``): its primary's engine and class, ``Standby``; the ``fargate``
  spec: ``Task min-max``), and :meth:`FactBook.label` appends them to a label, so views
  and pages render them instead of people typing them;
* :meth:`FactBook.contradictions` reads the same kinds of facts out of any text (a
  label, a subnet name) and says which ones contradict the spec — rule E060 reports them.

>>> from model.loader import load_model
>>> book = FactBook(load_model().model)
>>> book.label("RDS", "rds", "prod")
'RDS PostgreSQL Primary db.m5.large'
>>> book.label("RDS", "rds-standby", "prod"), book.label("RDS", "rds", "poc", ("role",))
('RDS PostgreSQL Standby db.m5.large', 'RDS Single-AZ')
>>> book.contradictions("RDS PostgreSQL Primary db.m6g.large", "rds", "prod")
["instance class 'db.m6g.large' (the rds spec says 'db.m5.large')"]
>>> book.contradictions("ECS Task 1-4", "frontend", "poc")
["task count '1-4' (the fargate spec says '1-2')"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from model.schema import Model, Node

__all__ = ["FACT_KINDS", "FactKind", "Facts", "FactBook", "ENGINES"]

FactKind = Literal["engine", "role", "instance-class", "tasks"]
FACT_KINDS: tuple[FactKind, ...] = ("engine", "role", "instance-class", "tasks")
"""Every kind of fact a label can get from the spec, in the order they are written."""

ENGINES = ("Aurora", "PostgreSQL", "MySQL", "MariaDB", "Oracle", "SQL Server", "Db2")
"""Database engine names recognised in free text (RDS engines as AWS names them)."""

_CLASS = re.compile(r"(?<![\w.])db\.[a-z0-9-]+\.[a-z0-9-]+(?![\w.])", re.I)
_TASKS = re.compile(r"(?:\bTasks?|タスク数?)\s*[:：]?\s*(\d+)\s*[-–〜~]\s*(\d+)", re.I)
_CIDR = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}(?![\d.])")
_ROLES = {"Single-AZ": ("single-az", "シングルaz"), "Multi-AZ": ("multi-az", "マルチaz"),
          "Primary": ("primary", "プライマリ"), "Standby": ("standby", "スタンバイ")}


@dataclass(frozen=True)
class Facts:
    """What the spec says about one node in one environment (None: the spec says nothing)."""

    engine: str | None = None
    role: str | None = None
    """'Single-AZ', 'Primary' (of a Multi-AZ deployment) or 'Standby'."""
    instance_class: str | None = None
    tasks: tuple[int, int] | None = None
    """(min, max) running tasks."""
    cidrs: tuple[str, ...] = ()
    """CIDRs of the node's network: its subnets', then its VPC's."""


class FactBook:
    """Facts of every node of ``model``, per environment (pure lookups, no caching of texts)."""

    def __init__(self, model: Model):
        self.model = model
        self.nodes = {n.id: n for n in model.nodes}
        self.subnets = {s.id: s for s in model.subnets}
        self.vpcs = {v.id: v for v in model.vpcs}

    def facts(self, node_id: str, env: str) -> Facts:
        """The :class:`Facts` of ``node_id`` in ``env`` (empty for actors and unknown ids)."""
        node = self.nodes.get(node_id)
        if node is None or env not in node.at:
            return Facts()
        place = node.at[env]
        subnets = [self.subnets[s] for s in place.subnets if s in self.subnets]
        vpc = place.vpc or (subnets[0].vpc if subnets else None)
        cidrs = tuple(dict.fromkeys([str(s.cidr) for s in subnets]
                                    + ([str(self.vpcs[vpc].cidr)] if vpc in self.vpcs else [])))
        tasks = (place.fargate.tasks.min, place.fargate.tasks.max) if place.fargate else None
        rds, role = place.rds, None
        if rds is not None:
            role = "Primary" if rds.multi_az else "Single-AZ"
        else:
            primary = self._primary(node, env)
            rds = primary.at[env].rds if primary else None
            role = "Standby" if rds is not None else None
        if rds is None:
            return Facts(tasks=tasks, cidrs=cidrs)
        return Facts(rds.engine, role, rds.instance_class, tasks, cidrs)

    def _primary(self, node: Node, env: str) -> Node | None:
        primary = self.nodes.get(node.standby_of) if node.standby_of else None
        return primary if primary is not None and env in primary.at else None

    def words(self, node_id: str, env: str, kinds: tuple[FactKind, ...] = FACT_KINDS) -> list[str]:
        """The facts of ``kinds`` as label words, in :data:`FACT_KINDS` order."""
        f = self.facts(node_id, env)
        values = {"engine": f.engine, "role": f.role, "instance-class": f.instance_class,
                  "tasks": f"Task {f.tasks[0]}-{f.tasks[1]}" if f.tasks else None}
        return [values[k] for k in FACT_KINDS if k in kinds and values[k]]

    def label(self, text: str, node_id: str, env: str, kinds: tuple[FactKind, ...] = FACT_KINDS) -> str:
        """``text`` followed by the facts of ``kinds`` it does not state already."""
        shown = text.casefold()
        extra = [w for w in self.words(node_id, env, kinds) if w.casefold() not in shown]
        return " ".join([text, *extra]) if extra else text

    def contradictions(self, text: str, node_id: str | None, env: str | None, cidrs: tuple[str, ...] | None = None
                       ) -> list[str]:
        """Each fact ``text`` states that the spec contradicts, as ``"<what> '<stated>' (the <spec> says '<value>')"``.

        ``cidrs`` replaces the node's network for texts about a container (a subnet's name:
        its own CIDR and its VPC's).
        """
        f = self.facts(node_id, env) if node_id and env else Facts()
        out: list[str] = []
        for stated in dict.fromkeys(m.group(0) for m in _CLASS.finditer(text)):
            if f.instance_class and stated.lower() != f.instance_class.lower():
                out.append(f"instance class '{stated}' (the rds spec says '{f.instance_class}')")
        folded = text.casefold()
        for engine in ENGINES:
            if f.engine and engine.casefold() in folded and engine.casefold() not in f.engine.casefold():
                out.append(f"engine '{engine}' (the rds spec says '{f.engine}')")
        if f.role:
            for role, spellings in _ROLES.items():
                if any(s in folded for s in spellings) and not _role_fits(role, f.role):
                    out.append(f"role '{role}' (the rds spec says '{f.role}')")
        for m in _TASKS.finditer(text):
            stated_tasks = (int(m.group(1)), int(m.group(2)))
            if f.tasks and stated_tasks != f.tasks:
                out.append(f"task count '{stated_tasks[0]}-{stated_tasks[1]}' (the fargate spec says "
                           f"'{f.tasks[0]}-{f.tasks[1]}')")
        network = f.cidrs if cidrs is None else cidrs
        for stated in dict.fromkeys(m.group(0) for m in _CIDR.finditer(text)):
            if stated not in network:
                out.append(f"CIDR '{stated}' (the model's CIDRs there: '{', '.join(network) or 'none'}')")
        return out


def _role_fits(stated: str, actual: str) -> bool:
    """A Multi-AZ primary may be called Primary or Multi-AZ; a standby Standby or Multi-AZ."""
    return stated == actual or (stated == "Multi-AZ" and actual in ("Primary", "Standby"))
