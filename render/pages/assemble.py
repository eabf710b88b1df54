"""Every Markdown page of the site, rendered from the model: ``render_pages(loaded)``.

The page list reproduces the seed's numbering (1 and 2 per environment, 3 network, 4
security groups, 5 components, one page per further diagram section such as 6 CI/CD,
then the migration table) and adds reference pages the seed lacks (requirements checked,
assumptions, route tables, diagrams, reachability, the model format). Nothing here knows environment ids:
environments, views and sections all come from the model. Pure: no I/O, same model ->
same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from model.index import ModelIndex
from model.schema import Environment, Model, View
import render.pages.components as page_components
import render.pages.flows as page_flows
import render.pages.network as page_net
import render.pages.reference as page_reference
from render.pages.approval import CHANGES_PAGE, MESSAGES, Approved, approver_cells, changes_context, revision_rows
from render.pages.markdown import Md, md_inline, md_link
from render.pages.reachability import AnalysisRows, isolation_section, reach_sections
from render.pages.requirements import requirement_sections
from render.pages.templating import render_template

__all__ = ["PageSpec", "render_pages", "plan_pages", "REACH_PAGE", "REQUIREMENTS_PAGE"]

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


def migration_pair(ix: ModelIndex) -> list[tuple[Environment, Environment]]:
    """(from, to) for every environment that names a baseline (section 9 compares them)."""
    return [(ix.envs[e.baseline], e) for e in ix.model.environments if e.baseline in ix.envs]


def plan_pages(ix: ModelIndex, approved: Approved | None = None) -> list[PageSpec]:
    """The numbered pages in order, without the cover (it lists these); the changes page
    (since the last approved version) when ``approved`` is given."""
    envs = sorted(ix.model.environments, key=lambda e: e.section)
    plan: list[PageSpec] = []
    for env in envs:
        views = _views_under(ix, str(env.section), env.id)
        plan.append(PageSpec(f"{env.section:02d}-{env.id}.md", str(env.section), f"{env.name}構成図",
                             "environment.md.j2", {"env": env, "views": views}))
    used = {e.section for e in envs}
    fixed = [(3, "network", "ネットワーク詳細"), (4, "security-groups", "セキュリティグループ構成"),
             (5, "components", "コンポーネント詳細")]
    number = max(used | {0})
    for wanted, slug, title in fixed:
        number = wanted if wanted > number else number + 1
        plan.append(PageSpec(f"{number:02d}-{slug}.md", str(number), title, f"{slug}.md.j2"))
    top_views = sorted((v for v in ix.model.views if "." not in v.section and v.section.isdigit()),
                       key=lambda v: int(v.section))
    for view in top_views:
        number = max(number + 1, int(view.section))
        plan.append(PageSpec(f"{number:02d}-{view.id}.md", str(number), view.title, "view.md.j2",
                             {"view": view}))
    for src, dst in migration_pair(ix):
        number += 1
        suffix = "" if len(migration_pair(ix)) == 1 else f"-{dst.id}"
        plan.append(PageSpec(f"{number:02d}-migration{suffix}.md", str(number),
                             f"{src.short} → {dst.short}移行時の変更点", "migration.md.j2",
                             {"src": src, "dst": dst}))
    if approved is not None:
        plan.append(PageSpec(CHANGES_PAGE, None, MESSAGES["title"].format(approved=approved.approval.version),
                             "changes.md.j2"))
    plan += [
        PageSpec(REQUIREMENTS_PAGE, None, "要件の確認（設計書の約束と構成）", "requirements.md.j2"),
        PageSpec("assumptions.md", None, "前提・仮定", "assumptions.md.j2"),
        PageSpec("routes.md", None, "ルートテーブル", "routes.md.j2"),
        PageSpec("diagrams.md", None, "構成図一覧", "diagrams.md.j2"),
        PageSpec(REACH_PAGE, None, "到達性（設計時解析）", "reachability.md.j2"),
        PageSpec("schema.md", None, "モデル形式リファレンス", "schema.md.j2"),
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
        ctx["header"] = page_net.SUBNET_HEADER
    elif t == "security-groups.md.j2":
        ctx["groups"] = [(g, page_net.sg_tables(ix, g)) for g in _sg_order(ix)]
        ctx["header"] = page_net.SG_HEADER
    elif t == "components.md.j2":
        ctx["sections"] = page_components.component_sections(ix)
    elif t == "view.md.j2":
        ctx["flow_rows"] = page_flows.view_flow_rows(ix, spec.context["view"])
    elif t == "migration.md.j2":
        rows = page_flows.migration_table(ix, spec.context["src"].id, spec.context["dst"].id)
        ctx.update(rows=rows,
                   seed_rows=[(r["item"], r["before"], r["after"]) for r in rows if r["seed"]],
                   extra_rows=[(r["item"], r["before"], r["after"]) for r in rows if not r["seed"]],
                   seed_count=sum(r["seed"] for r in rows),
                   basis_rows=[(r["item"], "○" if r["seed"] else "-", r["basis"]) for r in rows])
    elif t == "assumptions.md.j2":
        ctx["rows"] = rows = page_reference.assumption_rows(ix)
        ctx["summary"] = [(r["id"], r["kind"], r["title"], r["value"], r["seed_ref"]) for r in rows]
    elif t == "index.md.j2":
        ctx["revisions"] = revision_rows(ix.model.document)
        ctx["approver"], ctx["approval_date"] = approver_cells(ix.model.document)
    elif t == "changes.md.j2":
        ctx["ch"] = changes_context(loaded, ix, approved)
    elif t == "routes.md.j2":
        ctx["env_routes"] = [(env, page_net.route_tables_of(ix, env.id), page_net.tgw_tables_of(ix, env.id))
                             for env in envs]
    elif t == "diagrams.md.j2":
        ctx["views"] = views = sorted(ix.model.views, key=lambda v: (_section_key(v.section), v.id))
        where = _view_pages(ix, plan)
        ctx["view_rows"] = [(v.title, where.get(v.id, md_inline("-")), "・".join(ix.envs[e].name for e in v.envs
                                                                               if e in ix.envs),
                             v.description or "") for v in views]
    elif t == "schema.md.j2":
        ctx["definitions"] = page_reference.schema_definitions()
    elif t == "reachability.md.j2":
        ctx["sections"] = reach_sections(ix, analysis)
        ctx["isolation"] = isolation_section(ix, analysis)
    elif t == "requirements.md.j2":
        ctx["sections"] = requirement_sections(ix, analysis)
    return ctx


def _view_pages(ix: ModelIndex, plan: list[PageSpec]) -> dict[str, Md]:
    """View id -> a link to the numbered page that shows it (the list page links them all)."""
    where: dict[str, Md] = {}
    for spec in plan:
        if spec.template == "environment.md.j2":
            views = spec.context["views"]
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
    """Groups the seed numbers (4.1, 4.2, ...) first, then groups only the model adds."""
    numbered = [g for g in ix.model.security_groups if g.section[:1].isdigit()]
    others = [g for g in ix.model.security_groups if not g.section[:1].isdigit()]
    return sorted(numbered, key=lambda g: _section_key(g.section)) + others


def render_pages(loaded: Any, analysis: AnalysisRows, approved: Approved | None = None) -> dict[str, str]:
    """Doc-relative path -> Markdown for every generated page (``index.md`` first).

    ``analysis``: the model's :class:`analysis.analyze.Analysis` (its rows fill the
    reachability and requirements pages; nothing here computes them). ``approved``: the
    last approved version and the revision diff from it (adds the changes page).
    """
    ix = ModelIndex(_model(loaded))
    plan = plan_pages(ix, approved)
    pages: dict[str, str] = {}
    pages["index.md"] = render_template("index.md.j2", **_context(
        ix, PageSpec("index.md", None, ix.model.document.title, "index.md.j2"), plan, analysis, loaded, approved))
    for spec in plan:
        pages[spec.path] = render_template(spec.template, **_context(ix, spec, plan, analysis, loaded, approved))
    return pages
