"""The document outline rule: every view lands on a page.

The chapters are numbered from the model (:func:`model.outline.chapters`); a view whose section
names no chapter that shows it would put the diagram nowhere, so it is an error at the
section's line.
"""

from __future__ import annotations

from typing import Iterator

from model.outline import chapters, top_level, view_chapter
from model.rules.registry import Ctx, RuleHit, rule

__all__ = ["sections_name_pages"]


def _pages(plan) -> str:
    return ", ".join(f"{c.number} {c.kind}" + (f" {c.env}" if c.env else "") for c in plan)


@rule("E043", "a view's section names a page that shows it: '1.2' the page of environment 1 (a view of that "
              "environment) or the network page; a plain number ('6') is a page of its own")
def sections_name_pages(c: Ctx) -> Iterator[RuleHit]:
    plan = chapters(c.m)
    for index, view in enumerate(c.m.views):
        if top_level(view) or view_chapter(c.m, view, plan):
            continue
        head = view.section.split(".")[0]
        shown = [ch for ch in plan if ch.kind in ("environment", "network")]
        yield ("views", index, "section"), (
            f"view '{view.id}' has section '{view.section}', but no page {head} shows it "
            f"(pages that show views: {_pages(shown)})")
