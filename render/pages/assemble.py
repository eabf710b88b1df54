"""Every Markdown page of the site, rendered from the model: ``render_pages(loaded)``.

The numbered pages are the model's chapters (:func:`model.outline.chapters`: one per
environment, then network, security groups and components when the model has them, one per
top-level view, then the migration tables), followed by the reference pages (requirements
checked, assumptions, route tables, the list of diagrams when there are views, reachability,
the model format). Nothing here knows environment ids: environments, views and sections all
come from the model. Pure: no I/O, same model -> same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from model.index import ModelIndex
from model.outline import chapters
from model.schema import Model, View
import render.pages.components as page_components
import render.pages.flows as page_flows
import render.pages.network as page_net
import render.pages.reference as page_reference
from render.pages.approval import (CHANGES_PAGE, Approved, approver_cells, blank, changes_context, changes_title,
                                   revision_rows)
from render.pages.i18n import N_, _
from render.pages.markdown import Md, md_inline, md_link
from render.pages.reachability import AnalysisRows, intro, isolation_section, reach_sections
from render.pages.requirements import requirement_sections
from render.pages.templating import render_template

__all__ = ["page_paths", "PageSpec", "render_pages", "iter_pages", "plan_pages", "REACH_PAGE", "REQUIREMENTS_PAGE"]

REACH_PAGE = "reachability.md"
REQUIREMENTS_PAGE = "requirements.md"


@dataclass(frozen=True)
class PageSpec:
    """One page: where it goes, its H1 number and title, and how to render it."""

    path: str
    number: str | None
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def heading(self) -> Md:
        """The H1 text, e.g. '1. POC環境構成図' (the title escaped, the number kept as is)."""
        return Md(f"{self.number}. {md_inline(self.title)}" if self.number else md_inline(self.title))


def _model(loaded: Any) -> Model:
    return loaded if isinstance(loaded, Model) else loaded.model


def _section_key(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in section.split("."))


def _views_under(ix: ModelIndex, prefix: str, env: str | None = None) -> list[View]:
    """Views whose section is ``prefix`` or below it (``1`` -> 1.1, 1.2), optionally for one env."""
    out = [v for v in ix.model.views if v.section.split(".")[0] == prefix
           and "." in v.section and (env is None or env in v.envs)]
    return sorted(out, key=lambda v: _section_key(v.section))


def environment_parts(views: list[View], number: str) -> list[tuple[str, View | None]]:
    """The numbered parts of an environment chapter: each view under the section the model
    gives it, and the environment's characteristics (None) under the first number no view
    takes (from 2 when a view is numbered .1, else from 1), all in the order of their numbers.

    >>> class V:
    ...     def __init__(self, section, id): self.section, self.id = section, id
    >>> [(n, v and v.id) for n, v in environment_parts([V("2.1", "a"), V("2.2", "b"), V("2.3", "c")], "2")]
    [('2.1', 'a'), ('2.2', 'b'), ('2.3', 'c'), ('2.4', None)]
    >>> [(n, v and v.id) for n, v in environment_parts([V("1.1", "a"), V("1.3", "b")], "1")]
    [('1.1', 'a'), ('1.2', None), ('1.3', 'b')]
    >>> environment_parts([], "3")
    [('3.1', None)]
    """
    used = {v.section for v in views}
    k = 2 if f"{number}.1" in used else 1
    while f"{number}.{k}" in used:
        k += 1
    parts: list[tuple[str, View | None]] = [(v.section, v) for v in views]
    parts.append((f"{number}.{k}", None))
    return sorted(parts, key=lambda p: (_section_key(p[0]), p[1] is None, p[1].id if p[1] else ""))


_CHAPTER_TITLES = {"network": N_("ネットワーク詳細"), "security-groups": N_("セキュリティグループ構成"),
                   "components": N_("コンポーネント詳細")}
"""Titles of the chapters that are not about one environment or view (msgids)."""


def plan_pages(ix: ModelIndex, approved: Approved | None = None) -> list[PageSpec]:
    """The numbered pages in order (:func:`model.outline.chapters`), without the cover (it lists
    these); the changes page (since the last approved version) when ``approved`` is given."""
    plan: list[PageSpec] = []
    views = {v.id: v for v in ix.model.views}
    migrations = sum(c.kind == "migration" for c in chapters(ix.model))
    for c in chapters(ix.model):
        n = str(c.number)
        if c.kind == "environment":
            env = ix.envs[c.env]
            plan.append(PageSpec(f"{c.number:02d}-{env.id}.md", n, _("{name}構成図").format(name=env.name),
                                 "environment.md.j2", {"env": env, "parts": environment_parts(_views_under(ix, n, env.id), n)}))
        elif c.kind == "view":
            view = views[c.view]
            plan.append(PageSpec(f"{c.number:02d}-{view.id}.md", n, view.title, "view.md.j2", {"view": view}))
        elif c.kind == "migration":
            src, dst = ix.envs[c.baseline], ix.envs[c.env]
            suffix = "" if migrations == 1 else f"-{dst.id}"
            plan.append(PageSpec(f"{c.number:02d}-migration{suffix}.md", n,
                                 _("{source} → {target}移行時の変更点").format(source=src.short, target=dst.short),
                                 "migration.md.j2", {"src": src, "dst": dst}))
        else:
            plan.append(PageSpec(f"{c.number:02d}-{c.kind}.md", n, _(_CHAPTER_TITLES[c.kind]), f"{c.kind}.md.j2"))
    if approved is not None:
        plan.append(PageSpec(CHANGES_PAGE, None, changes_title(approved.approval.version), "changes.md.j2"))
    plan += [
        PageSpec(REQUIREMENTS_PAGE, None, _("要件の確認（設計書の約束と構成）"), "requirements.md.j2"),
        PageSpec("assumptions.md", None, _("前提・仮定"), "assumptions.md.j2"),
        PageSpec("routes.md", None, _("ルートテーブル"), "routes.md.j2"),
    ]
    if ix.model.views:
        plan.append(PageSpec("diagrams.md", None, _("構成図一覧"), "diagrams.md.j2"))
    plan += [
        PageSpec(REACH_PAGE, None, _("到達性（設計時解析）"), "reachability.md.j2"),
        PageSpec("schema.md", None, _("モデル形式リファレンス"), "schema.md.j2"),
    ]
    return plan


def _context(ix: ModelIndex, spec: PageSpec, plan: list[PageSpec], analysis: AnalysisRows,
             loaded: Any = None, approved: Approved | None = None) -> dict[str, Any]:
    """Everything a template may use: the spec's own context plus the shared lookups."""
    envs = list(ix.model.environments)
    ctx: dict[str, Any] = {"page": spec, "ix": ix, "model": ix.model, "envs": envs, "plan": plan,
                           "doc": ix.model.document}
    ctx.update(spec.context)
    t = spec.template
    if t == "network.md.j2":
        ctx["env_tables"] = [(env, page_net.subnet_tables(ix, env.id),
                              _views_under(ix, spec.number, env.id)) for env in envs]
        ctx["header"] = page_net.subnet_header()
    elif t == "security-groups.md.j2":
        ctx["groups"] = [(g, page_net.sg_tables(ix, g)) for g in _sg_order(ix)]
    elif t == "components.md.j2":
        ctx["sections"] = page_components.component_sections(ix)
    elif t == "view.md.j2":
        ctx["flow_rows"] = page_flows.view_flow_rows(ix, spec.context["view"])
        ctx["flow_header"] = page_flows.flow_header()
    elif t == "migration.md.j2":
        rows = page_flows.migration_table(ix, spec.context["src"].id, spec.context["dst"].id)
        listed = spec.context["dst"].baseline_ref is not None
        ctx.update(rows=rows, listed=listed,
                   all_rows=[(r["item"], r["before"], r["after"]) for r in rows],
                   seed_rows=[(r["item"], r["before"], r["after"]) for r in rows if r["seed"]],
                   extra_rows=[(r["item"], r["before"], r["after"]) for r in rows if not r["seed"]],
                   seed_count=sum(r["seed"] for r in rows),
                   basis_rows=[(r["item"], "○" if r["seed"] else "-", r["basis"]) if listed else (r["item"], r["basis"])
                               for r in rows])
    elif t == "assumptions.md.j2":
        ctx["rows"] = rows = page_reference.assumption_rows(ix)
        ctx["summary"] = [(r["id"], r["kind"], r["title"], r["value"], r["seed_ref"]) for r in rows]
    elif t == "index.md.j2":
        ctx["revisions"] = revision_rows(ix.model.document)
        ctx["blank"] = blank(ix.model.document)
        ctx["approver"], ctx["approval_date"] = approver_cells(ix.model.document)
    elif t == "changes.md.j2":
        ctx["ch"] = changes_context(loaded, ix, approved)
    elif t == "routes.md.j2":
        ctx["intro"] = page_net.routes_intro(ix)
        ctx["nacl_header"] = page_net.nacl_header()
        ctx["env_routes"] = [(env, page_net.route_tables_of(ix, env.id), page_net.tgw_tables_of(ix, env.id))
                             for env in envs]
    elif t == "diagrams.md.j2":
        ctx["views"] = views = sorted(ix.model.views, key=lambda v: (_section_key(v.section), v.id))
        where = _view_pages(ix, plan)
        ctx["view_rows"] = [(v.title, where.get(v.id, md_inline("-")),
                             _("・").join(ix.envs[e].name for e in v.envs if e in ix.envs), v.description or "")
                            for v in views]
    elif t == "schema.md.j2":
        ctx["definitions"] = page_reference.schema_definitions()
    elif t == "reachability.md.j2":
        ctx["sections"] = reach_sections(ix, analysis)
        ctx["isolation"] = isolation_section(ix, analysis)
        ctx["intro"] = intro(ix, analysis)
    elif t == "requirements.md.j2":
        ctx["sections"] = requirement_sections(ix, analysis)
    return ctx


def _view_pages(ix: ModelIndex, plan: list[PageSpec]) -> dict[str, Md]:
    """View id -> a link to the numbered page that shows it (the list page links them all)."""
    where: dict[str, Md] = {}
    for spec in plan:
        if spec.template == "environment.md.j2":
            views = [v for _, v in spec.context["parts"] if v is not None]
        elif spec.template == "view.md.j2":
            views = [spec.context["view"]]
        elif spec.template == "network.md.j2":
            views = _views_under(ix, spec.number)
        else:
            continue
        for view in views:
            where.setdefault(view.id, md_link(spec.heading, spec.path))
    return where


def _sg_order(ix: ModelIndex):
    """Groups in the order of their sections (where the source document lists them: 4.1, 4.2, ...),
    then the groups the document does not list ('-'), in model order. The headings number them
    within the security group chapter (its number comes from the model's outline)."""
    numbered = [g for g in ix.model.security_groups if g.section[:1].isdigit()]
    others = [g for g in ix.model.security_groups if not g.section[:1].isdigit()]
    return sorted(numbered, key=lambda g: _section_key(g.section)) + others


def render_pages(loaded: Any, analysis: AnalysisRows, approved: Approved | None = None) -> dict[str, str]:
    """Doc-relative path -> Markdown for every generated page (``index.md`` first).

    ``analysis``: the model's :class:`analysis.analyze.Analysis` (its rows fill the
    reachability and requirements pages; nothing here computes them). ``approved``: the
    last approved version and the revision diff from it (adds the changes page).
    """
    return dict(iter_pages(loaded, analysis, approved))


def _paths(plan: list[PageSpec], skip: tuple[str, ...] = ()) -> list[str]:
    return [p for p in ["index.md", *(spec.path for spec in plan)] if p not in skip]


def page_paths(loaded: Any, approved: Approved | None = None) -> list[str]:
    """The paths of the pages :func:`iter_pages` renders, in order (the home page first), known
    before anything is analysed: what the PDF's process lays out first.

    >>> from model.loader import load_model
    >>> page_paths(load_model())[:4]
    ['index.md', '01-poc.md', '02-prod.md', '03-network.md']
    """
    return _paths(plan_pages(ModelIndex(_model(loaded)), approved))


def iter_pages(loaded: Any, analysis: AnalysisRows, approved: Approved | None = None,
               skip: tuple[str, ...] = (), on_plan: Callable[[list[str]], Any] | None = None
               ) -> Iterator[tuple[str, str]]:
    """:func:`render_pages` one page at a time, as each is rendered, leaving out the paths in
    ``skip``: a caller can hand a page on (to the PDF's process) while the next is rendered.
    ``on_plan`` is called first with the paths of the pages to come, in order."""
    ix = ModelIndex(_model(loaded))
    plan = plan_pages(ix, approved)
    if on_plan is not None:
        on_plan(_paths(plan, skip))
    if "index.md" not in skip:
        yield "index.md", render_template("index.md.j2", **_context(
            ix, PageSpec("index.md", None, ix.model.document.title, "index.md.j2"), plan, analysis, loaded, approved))
    for spec in plan:
        if spec.path not in skip:
            yield spec.path, render_template(spec.template, **_context(ix, spec, plan, analysis, loaded, approved))
