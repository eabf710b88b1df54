"""Which boxes, nodes and arrows a view draws: the selection semantics of :class:`~model.schema.View`.

A view is data, so this one pure function serves every view. In order:

1. nodes: in one of the view's envs and (kind in ``node_kinds`` or a tag in ``node_tags``
   or id in ``nodes``; all empty = all); actors of those envs if ``include_actors`` (those an
   arrow of the view reaches);
2. each selected node is represented by itself, by its parent (``part_of``, when
   ``collapse_parts`` and the parent is selected too; a parent in ``part_boxes`` is drawn
   as a box around its parts instead), then by a merge target (``merges``);
3. ``draw: per-subnet`` nodes become one instance per subnet (``frontend@prod-private-app-1``);
   a node present in several of the view's envs is drawn per env (``ecr@poc``), except at a site;
4. flows (``flow_kinds``/``flow_tags``, both empty = all) are mapped to representatives and
   expanded to instances (``same_az`` keeps only pairs sharing an AZ), then deduplicated
   by (src, dst, label, style), without self-loops;
5. each instance sits in its deepest common container among the ``nesting`` levels (one
   subnet: that subnet; several AZs: the VPC; TGW attachments and IGWs at VPC level;
   sites outermost), unless a logical box (``boxes``) or a part box claims it.

Everything is ordered by model declaration order, so the result is deterministic.

>>> from model.loader import load_model
>>> from model.index import ModelIndex
>>> ix = ModelIndex(load_model().model)
>>> spec = select_view(ix, next(v for v in ix.model.views if v.id == "dr"))
>>> [(e.src, e.dst, e.label, e.dashed) for e in spec.edges][-1]
('s3-dr', 'rds-dr', '災害時に復元', True)
>>> [b.label for b in spec.boxes]
['東京リージョン（Primary）', '大阪リージョン（DR）']
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from model.index import ModelIndex
from model.schema import View, rds_engine
from render.diagrams.bundle import bundle_edges
from render.diagrams.i18n import _
from render.diagrams.icons import icon_for
from render.diagrams.spec import PLACEMENT_KIND, Box, DiagramEdge, DiagramNode, DiagramSpec, LegendEntry

__all__ = ["select_view"]

_VPC_LEVEL_KINDS = {"tgw-attachment", "igw"}
_TIER_LAYER = {"public": 1, "private-app": 2, "private-db": 3}
_DASHED_KIND_NAMES = {  # msgids of the "diagrams" domain, translated when the legend is drawn
    "image-pull": "イメージ取得", "replication": "レプリケーション", "restore": "災害時の復元",
    "backup": "バックアップ", "network": "通信", "control": "制御", "logs": "ログ",
    "metrics": "メトリクス", "notification": "通知", "pipeline": "パイプライン",
}
_STATUS_NAMES = {"on-demand": "必要時のみ作成", "future": "将来対応"}


def _legend_words() -> None:
    """The msgids above, marked for extraction (never called)."""
    _("イメージ取得"), _("レプリケーション"), _("災害時の復元"), _("バックアップ"), _("通信"), _("制御")
    _("ログ"), _("メトリクス"), _("通知"), _("パイプライン"), _("必要時のみ作成"), _("将来対応")


@dataclass(frozen=True)
class _Inst:
    id: str
    rep: str
    env: str
    subnets: tuple[str, ...]
    azs: frozenset[str]


def _az_suffix(az: str) -> str:
    return "AZ-" + az[-1]


class _Selection:
    """The working state of one :func:`select_view` call."""

    def __init__(self, ix: ModelIndex, view: View):
        self.ix, self.view = ix, view
        self.envs = [e.id for e in ix.model.environments if e.id in view.envs]
        self.multi = len(self.envs) > 1
        self.levels = set(view.nesting)
        self.selected = {env: [n.id for n in ix.nodes_in(env) if self._matches(n)] for env in self.envs}
        self.actors = {env: ([a.id for a in ix.actors_in(env)] if view.include_actors else []) for env in self.envs}
        self.boxes: dict[str, tuple[Box, tuple]] = {}

    def _matches(self, node) -> bool:
        v = self.view
        if not (v.node_kinds or v.node_tags or v.nodes):
            return True
        return node.kind in v.node_kinds or bool(set(node.tags) & set(v.node_tags)) or node.id in v.nodes

    # ------------------------------------------------------------ representatives
    def rep(self, item: str, env: str) -> str | None:
        if item in self.ix.actors:
            return item if item in self.actors[env] else None
        if item not in self.ix.nodes or env not in self.ix.nodes[item].at:
            return None
        sel = self.selected[env]
        current = item
        while self.view.collapse_parts:
            parent = self.ix.nodes[current].part_of
            if not parent or parent not in sel or parent in self.view.part_boxes:
                break
            current = parent
        for merge in self.view.merges:
            if current in merge.members and env in self.ix.nodes[merge.into].at:
                current = merge.into
        if current in self.part_box_parents(env):
            return None
        drawn = current in sel or any(current == m.into and set(m.members) & set(sel) for m in self.view.merges)
        return current if drawn and (item in sel or current != item) else None

    def part_box_parents(self, env: str) -> set[str]:
        return {p for p in self.view.part_boxes if p in self.selected[env]}

    def drawn(self, env: str) -> list[str]:
        reps = {self.rep(n, env) for n in self.selected[env]} - {None}
        return [n.id for n in self.ix.model.nodes if n.id in reps]

    def instances(self, rep: str, env: str) -> list[_Inst]:
        if rep in self.ix.actors:
            return [_Inst(rep, rep, env, (), frozenset())]
        node, place = self.ix.nodes[rep], self.ix.placement(rep, env)
        if node.draw == "per-subnet" and place.subnets:
            return [_Inst(f"{rep}@{s}", rep, env, (s,), frozenset({self.ix.subnets[s].az})) for s in place.subnets]
        several = sum(e in node.at for e in self.envs) > 1
        suffix = f"@{env}" if several and place.site is None else ""
        azs = frozenset(self.ix.subnets[s].az for s in place.subnets)
        return [_Inst(rep + suffix, rep, env, tuple(place.subnets), azs)]

    # ------------------------------------------------------------ containers
    def _box(self, kind: str, key: str, label: str, style: str, parent: str | None, order: tuple) -> str:
        scoped = kind in ("region", "az")
        box_id = f"{parent}.{key}" if scoped and parent else f"{kind}-{key}"
        if box_id not in self.boxes:
            label = self.view.box_labels.get(key, label)
            parent_order = self.boxes[parent][1] if parent else ()
            self.boxes[box_id] = (Box(box_id, label, style, parent), parent_order + order)
        return box_id

    def container(self, item: str, env: str, subnets: tuple[str, ...], mark: bool = False) -> str | None:
        """The innermost box of ``item`` (a mark: of its interface in ``subnets``, even for a
        node drawn at its VPC's level)."""
        ix, lv, m = self.ix, self.levels, self.ix.model
        idx = lambda seq, key: next(i for i, x in enumerate(seq) if x.id == key)  # noqa: E731
        if item in ix.actors:
            site = ix.sites[ix.actors[item].site]
            return self._site_box(site) if "site" in lv else None
        place = ix.placement(item, env)
        if place.site:
            return self._site_box(ix.sites[place.site]) if "site" in lv else None
        loc = ix.locate(item, env)
        if ix.nodes[item].kind.value in _VPC_LEVEL_KINDS and loc.vpc and not mark:
            subnets = ()
        peering = ix.nodes[item].peering
        if peering is not None and not (loc.account or loc.region) and peering.requester in ix.vpcs:
            # a peering connection is the requester VPC's resource: drawn in its account's region
            # box, beside the VPCs it joins, not at the top level with the internet's actors
            requester = ix.vpcs[peering.requester]
            loc = replace(loc, account=requester.account, region=requester.region)
        account = loc.account or (self._home_account(env, loc.region) if loc.region else None)
        box = None
        if "env" in lv:
            box = self._box("env", env, ix.envs[env].name, "env", None, (1, idx(m.environments, env)))
        if account and "account" in lv:
            box = self._box("account", account, ix.accounts[account].name, "account", box,
                            (2, idx(m.accounts, account)))
        if loc.region and "region" in lv:
            region = ix.regions[loc.region]
            box = self._box("region", loc.region, f"{region.name} ({region.id})", "region", box,
                            (3, idx(m.regions, loc.region)))
        if loc.vpc and "vpc" in lv:
            vpc = ix.vpcs[loc.vpc]
            box = self._box("vpc", vpc.id, f"{vpc.name} {vpc.cidr}", "vpc", box, (4, idx(m.vpcs, vpc.id)))
        azs = sorted({ix.subnets[s].az for s in subnets})
        if len(azs) == 1 and "az" in lv:
            box = self._box("az", azs[0], f"{_az_suffix(azs[0])} ({azs[0]})", "az", box, (5, azs[0]))
        if len(subnets) == 1 and "subnet" in lv:
            sub = ix.subnets[subnets[0]]
            style = "subnet-public" if sub.tier == "public" else "subnet-private"
            box = self._box("subnet", sub.id, f"{sub.name} {sub.cidr} ({_az_suffix(sub.az)})", style, box,
                            (6, idx(m.subnets, sub.id)))
        return box

    def _home_account(self, env: str, region: str) -> str | None:
        """The account a regional service placed without one is drawn in: the environment's only
        account, else the only account holding the environment's VPCs in that region (one region
        box per region and account, not a second one outside the account)."""
        m = self.ix.model
        mine = [a.id for a in m.accounts if a.env == env or env in a.shared_with]
        if len(mine) == 1:
            return mine[0]
        hosting = {v.account for v in m.vpcs if v.env == env and v.region == region}
        return hosting.pop() if len(hosting) == 1 else None

    def _site_box(self, site) -> str:
        order = (0, next(i for i, s in enumerate(self.ix.model.sites) if s.id == site.id))
        return self._box("site", site.id, site.name, site.kind, None, order)

    # ------------------------------------------------------------ nodes
    def layer(self, rep: str, inst: _Inst) -> int | None:
        if rep not in self.ix.nodes:
            return None
        if self.ix.nodes[rep].kind.value == "igw":
            return 0
        tiers = {_TIER_LAYER[self.ix.subnets[x].tier] for x in inst.subnets}
        return tiers.pop() if len(tiers) == 1 else None

    def notes(self, inst: _Inst) -> tuple[str, ...]:
        ix = self.ix
        if not self.view.show_security_groups or inst.rep not in ix.nodes:
            return ()
        return tuple(f"[SG: {ix.security_groups[sg].name}]" for sg in ix.nodes[inst.rep].security_groups
                     if inst.env in ix.security_groups[sg].envs)

    def node_label(self, inst: _Inst) -> str:
        ix, view = self.ix, self.view
        text = view.labels.get(inst.rep) or ix.label(inst.rep, inst.env)
        # facts (RDS engine, role, class; ECS task counts as the seed writes 'Task 2-6') come
        # from the spec, so a changed spec changes the picture (and the drift check sees it)
        text = ix.facts.label(text, inst.rep, inst.env, view.label_facts)
        if inst.rep in ix.nodes and ix.nodes[inst.rep].draw == "per-subnet" and inst.subnets \
                and not ({"az", "subnet"} & self.levels):
            text += f" ({_az_suffix(ix.subnets[inst.subnets[0]].az)})"
        return text


def select_view(ix: ModelIndex, view: View) -> DiagramSpec:
    """The :class:`DiagramSpec` of ``view`` over the model indexed by ``ix`` (pure)."""
    s = _Selection(ix, view)
    logical = {m: f"box-{b.id}" for b in view.boxes for m in b.members}
    insts: dict[tuple[str, str], list[_Inst]] = {}
    nodes: dict[str, DiagramNode] = {}
    statuses: list[str] = []
    natural: dict[str, list[str | None]] = {}  # logical box -> the containers its members would sit in
    for env in s.envs:
        for rep in s.drawn(env) + s.actors[env]:
            insts[(rep, env)] = s.instances(rep, env)
            for inst in insts[(rep, env)]:
                if inst.id in nodes:
                    continue
                parent = ix.nodes[rep].part_of if rep in ix.nodes else None
                if rep in logical:
                    box = logical[rep]
                    natural.setdefault(box, []).append(s.container(rep, env, inst.subnets))
                elif parent in s.part_box_parents(env):
                    box = _part_box(s, parent, env)
                else:
                    box = s.container(rep, env, inst.subnets)
                status = ix.placement(rep, env).status if rep in ix.nodes else "active"
                if status != "active" and status not in statuses:
                    statuses.append(status)
                kind = ix.nodes[rep].kind.value if rep in ix.nodes else "actor"
                nodes[inst.id] = DiagramNode(inst.id, s.node_label(inst), kind, icon_for(kind, _engine(ix, rep, env)), box,
                                             status != "active", rep, env, s.notes(inst), s.layer(rep, inst))
    marks, mark_edges = _placement_marks(s, nodes, insts, logical)
    nodes.update(marks)
    for b in view.boxes:
        box_id = f"box-{b.id}"
        if any(n.box == box_id for n in nodes.values()):
            # drawn inside the innermost box that holds all its members (the region of the services)
            parent = _common_box(s, natural[box_id])
            order = (s.boxes[parent][1] if parent else ()) + (8, [x.id for x in view.boxes].index(b.id))
            s.boxes[box_id] = (Box(box_id, b.label, b.style, parent), order)
    edges, dashed_kinds = _edges(s, view, insts)
    edges += mark_edges
    _drop_lone_actors(s, nodes, edges)
    legend = []
    sep = _("・")
    if any(not e.dashed and not e.placement for e in edges):
        legend.append(LegendEntry("solid", _("実線: 通信・データの流れ")))
    if dashed_kinds:
        names = sep.join(_(_DASHED_KIND_NAMES[k]) if k in _DASHED_KIND_NAMES else k for k in dashed_kinds)
        legend.append(LegendEntry("dashed", _("点線: {kinds}").format(kinds=names)))
    if statuses:
        names = sep.join(_(_STATUS_NAMES[x]) for x in statuses)
        legend.append(LegendEntry("dashed-node", _("破線枠: {statuses}").format(statuses=names)))
    if any(e.placement for e in edges):
        legend.append(LegendEntry("dotted", _("点線（矢印なし）: 各サブネットのENI")))
    spec = DiagramSpec(view.id, view.title, view.direction, _ordered_boxes(s.boxes), tuple(nodes.values()),
                       tuple(edges), tuple(legend))
    return bundle_edges(spec) if view.bundle_edges else spec


def _placement_marks(s: _Selection, nodes: dict[str, DiagramNode], insts, logical) -> tuple[dict, list]:
    """A mark in each subnet of a node drawn once over several subnets, and the lines to them."""
    marks: dict[str, DiagramNode] = {}
    lines: list[DiagramEdge] = []
    if not s.view.show_placements or "subnet" not in s.levels:
        return marks, lines
    for (rep, env), group in insts.items():
        node = s.ix.nodes.get(rep)
        if node is None or rep in logical or (node.kind.value in _VPC_LEVEL_KINDS
                                               and not _dedicated_subnets(s, rep, env)):
            continue
        for inst in group:
            if len(inst.subnets) < 2 or inst.id not in nodes or nodes[inst.id].box is None \
                    or nodes[inst.id].box.startswith("part-"):
                continue
            label = _("ENI")  # short: the dotted line says whose; a long label widens every AZ column
            for subnet in inst.subnets:
                mark = f"{inst.id}~{subnet}"
                layer = _TIER_LAYER[s.ix.subnets[subnet].tier]
                marks[mark] = DiagramNode(mark, label, PLACEMENT_KIND, icon_for(PLACEMENT_KIND),
                                          s.container(rep, env, (subnet,), mark=True), nodes[inst.id].dashed, rep, env,
                                          (), layer)
                lines.append(DiagramEdge(mark, inst.id, mark, "", False, placement=True))
    return marks, lines


def _dedicated_subnets(s: _Selection, rep: str, env: str) -> bool:
    """A TGW attachment is drawn at its VPC's level; its subnets are drawn (with a mark each) only
    when they are its own, as AWS recommends (small subnets that hold nothing else), so a picture
    never hides them, and one whose subnets the workloads share stays uncluttered."""
    subnets = s.ix.placement(rep, env).subnets
    return len(subnets) >= 2 and all(n.id == rep for sub in subnets for n in s.ix.nodes_in_subnet(sub, env))


def _engine(ix: ModelIndex, rep: str, env: str) -> str | None:
    """The engine family of a database node in ``env`` (its icon depends on it), '' when the
    spec names an engine of no known family or states none; None for other kinds."""
    node = ix.nodes.get(rep)
    if node is None:
        return None
    if node.kind.value == "rds":
        primary = ix.nodes[node.standby_of] if node.standby_of in ix.nodes else node
        spec = primary.at[env].rds if env in primary.at else None
        return (rds_engine(spec.engine) or "") if spec is not None else ""
    place = node.at[env]
    if node.kind.value == "aurora" and place.aurora is not None:
        return place.aurora.engine
    if node.kind.value == "elasticache" and place.elasticache is not None:
        return place.elasticache.engine
    return None


def _common_box(s: _Selection, containers: list[str | None]) -> str | None:
    """The innermost box enclosing every one of ``containers`` (None: the top level)."""
    def chain(box: str | None) -> list[str]:
        out = []
        while box is not None:
            out.append(box)
            box = s.boxes[box][0].parent
        return out[::-1]

    chains = [chain(c) for c in containers]
    common: str | None = None
    for level in zip(*chains):
        if len(set(level)) != 1:
            break
        common = level[0]
    return common


def _part_box(s: _Selection, parent: str, env: str) -> str:
    """The box drawn instead of ``parent`` (e.g. CloudWatch around Metrics/Logs/Alarms)."""
    outer = s.container(parent, env, tuple(s.ix.placement(parent, env).subnets))
    key = parent + (f"@{env}" if s.multi else "")
    label = s.view.labels.get(parent) or s.ix.label(parent, env)
    box_id = f"part-{key}"
    if box_id not in s.boxes:
        order = (s.boxes[outer][1] if outer else ()) + (7, [n.id for n in s.ix.model.nodes].index(parent))
        s.boxes[box_id] = (Box(box_id, label, "part", outer), order)
    return box_id


def _edges(s: _Selection, view: View, insts) -> tuple[list[DiagramEdge], list[str]]:
    seen: dict[tuple, DiagramEdge] = {}
    ids: dict[str, int] = {}
    dashed_kinds: list[str] = []
    for flow in s.ix.model.flows:
        if (view.flow_kinds or view.flow_tags) and not (
                flow.kind in view.flow_kinds or set(flow.tags) & set(view.flow_tags)):
            continue
        for env in (e for e in s.envs if e in flow.envs):
            src, dst = s.rep(flow.source, env), s.rep(flow.target, env)
            if src is None or dst is None:
                continue
            for a in insts.get((src, env), []):
                for b in insts.get((dst, env), []):
                    if a.id == b.id or (flow.same_az and a.azs and b.azs and not a.azs & b.azs):
                        continue
                    key = (a.id, b.id, flow.label or "", flow.style == "dashed")
                    if key in seen:
                        continue
                    base = f"{a.id}->{b.id}"
                    ids[base] = ids.get(base, 0) + 1
                    edge_id = base if ids[base] == 1 else f"{base}#{ids[base]}"
                    seen[key] = DiagramEdge(edge_id, a.id, b.id, key[2], key[3])
                    if key[3] and flow.kind.value not in dashed_kinds:
                        dashed_kinds.append(flow.kind.value)
    return list(seen.values()), dashed_kinds


def _drop_lone_actors(s: _Selection, nodes: dict[str, DiagramNode], edges: list[DiagramEdge]) -> None:
    """Actors no arrow of the view reaches are not drawn (a view of the DR copy shows no users),
    nor a site box left empty by them."""
    ends = {e.src for e in edges} | {e.dst for e in edges}
    for node_id in [i for i, n in nodes.items() if n.kind == "actor" and i not in ends]:
        box = nodes.pop(node_id).box
        while box is not None and box in s.boxes and not any(n.box == box for n in nodes.values()) \
                and not any(b.parent == box for b, _ in s.boxes.values()):
            parent = s.boxes.pop(box)[0].parent
            box = parent


def _ordered_boxes(boxes: dict[str, tuple[Box, tuple]]) -> tuple[Box, ...]:
    """Parents before children, siblings by model order (AZ-a before AZ-c)."""
    return tuple(b for b, _ in sorted(boxes.values(), key=lambda item: (item[1], item[0].id)))
