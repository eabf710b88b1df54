"""The numbered chapters of the generated document, derived from what the model holds.

One page per environment (numbered by the environment's ``section``), then — only when the
model has something to show in them — the network chapter (VPCs), the security group chapter
and the component chapter, then one chapter per top-level view (``section: "6"``) in the
order of their sections, then one migration chapter per environment that names a baseline.
Numbers run on without gaps after the environments, so one environment gives 1, 2, 3, ...
and four give 1-4, 5, ...

The pages (:mod:`render.pages.assemble`) number themselves from :func:`chapters`, and the
rule E043 (:mod:`model.rules.outline`) checks against the same list that every view's
section names a chapter that shows it, so a section that would land on no page is a
validation error, not a silent "-". A top-level view's section orders the view chapters; its
page number is where it falls after the chapters before it.

>>> from model.loader import load_model
>>> [(c.number, c.kind) for c in chapters(load_model().model)][:6]
[(1, 'environment'), (2, 'environment'), (3, 'network'), (4, 'security-groups'), (5, 'components'), (6, 'view')]
"""

from __future__ import annotations

from dataclasses import dataclass

from model.schema import Model, View

__all__ = ["Chapter", "chapters", "view_chapter", "top_level", "COMPONENT_NODE_SPECS", "COMPONENT_PLACEMENT_SPECS"]

COMPONENT_NODE_SPECS = ("cognito", "alb", "schedules", "nlb", "endpoint", "peering", "vpn", "firewall")
"""Node specs the component chapter describes (render.pages.components words them)."""
COMPONENT_PLACEMENT_SPECS = ("fargate", "rds", "ec2", "asg", "ecs_ec2", "elasticache", "aurora")
"""Per-environment placement specs the component chapter describes."""


@dataclass(frozen=True)
class Chapter:
    """One numbered chapter: its number, what it shows, and for whom."""

    number: int
    kind: str
    """'environment', 'network', 'security-groups', 'components', 'view' or 'migration'."""
    env: str | None = None
    """The environment of an environment chapter, the target environment of a migration chapter."""
    view: str | None = None
    """The view of a view chapter."""
    baseline: str | None = None
    """The environment a migration chapter compares from."""


def _has_components(m: Model) -> bool:
    return any(getattr(n, spec, None) is not None for n in m.nodes for spec in COMPONENT_NODE_SPECS) or any(
        getattr(p, spec, None) is not None for n in m.nodes for p in n.at.values()
        for spec in COMPONENT_PLACEMENT_SPECS)


def top_level(view: View) -> bool:
    """A view with a section of its own ('6'), not a subsection of another chapter ('1.1')."""
    return "." not in view.section and view.section.isdigit()


def chapters(m: Model) -> list[Chapter]:
    """Every numbered chapter of the model's document, in order."""
    out: list[Chapter] = []
    numbers: set[int] = set()
    declared = [e for e in m.environments if getattr(e, "section", None) is not None]
    for env in sorted(declared, key=lambda e: e.section):
        out.append(Chapter(env.section, "environment", env=env.id))
        numbers.add(env.section)
    number = max(numbers | {0})
    for env in (e for e in m.environments if getattr(e, "section", None) is None):
        number += 1
        out.append(Chapter(number, "environment", env=env.id))
    present = [("network", bool(m.vpcs)), ("security-groups", bool(m.security_groups)),
               ("components", _has_components(m))]
    for kind, shown in present:
        if shown:
            number += 1
            out.append(Chapter(number, kind))
    views = sorted((v for v in m.views if top_level(v)), key=lambda v: int(v.section))
    for view in views:
        number += 1
        out.append(Chapter(number, "view", view=view.id))
    envs = {e.id for e in m.environments}
    for env in m.environments:
        if env.baseline in envs:
            number += 1
            out.append(Chapter(number, "migration", env=env.id, baseline=env.baseline))
    return out


def view_chapter(m: Model, view: View, plan: list[Chapter] | None = None) -> list[Chapter]:
    """The chapters that show ``view``: its own chapter for a top-level view; for a subsection
    ('1.3'), the environment chapter of that number (when the view draws that environment) or
    the network chapter of that number."""
    plan = chapters(m) if plan is None else plan
    if top_level(view):
        return [c for c in plan if c.kind == "view" and c.view == view.id]
    head = view.section.split(".")[0]
    if not head.isdigit():
        return []
    return [c for c in plan if c.number == int(head) and (
        (c.kind == "environment" and c.env in view.envs) or c.kind == "network")]
