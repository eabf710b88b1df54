"""Layout hints for a :class:`~render.diagrams.spec.DiagramSpec`: order, rows and bundled arrow ends.

Graphviz ``dot`` orders nodes and clusters by its own crossing minimisation, so without
hints the picture depends on declaration luck: Backend left of Frontend, AZ-c left of
AZ-a, the second environment above the first, managed services strewn around the VPC.
An approver reads the picture against the model's order, so this module turns that order
into constraints Graphviz honours:

* nodes of one box and one tier (Frontend, Backend in a subnet) sit in one row, in model order;
* sibling boxes follow model order (AZ-a left of AZ-c; the first environment above the
  second). ``dot`` ignores ordering edges between clusters, but breaks ties by declaration
  order, first-left in TB and first-*bottom* in LR (the LR picture is a rotated TB one), so
  :func:`render.diagrams.dot.to_dot` declares siblings in reverse in LR views (see
  :func:`declared`); the service row below ties the AZ columns to its ends in model order;
* managed services that the tiered (VPC) nodes call — S3, SES, ECR, CloudWatch, Cognito,
  Secrets Manager — form one row in model order below the VPC, so their arrows run down
  in a band instead of crossing the subnets from all sides;
* arrows into a managed service with three or more incoming arrows share one end point
  (``samehead``), which bundles the fan from the four ECS tasks.

Every hint is an invisible edge, a ``rank=same`` group inside one cluster, or an edge
attribute, so :func:`render.diagrams.dot_summary` (and the CI check) sees the same nodes,
edges and boxes. ``rank=same`` groups never span clusters: Graphviz 2.43 fails spline
routing ("triangulation failed") when rows are tied across AZ boxes.

>>> from render.diagrams.spec import DiagramNode
>>> spec = DiagramSpec("v", "T", "TB", (), (DiagramNode("a", "A", "alb", "x.png"),), ())
>>> layout_hints(spec).edge_attrs
{}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from render.diagrams.spec import DiagramNode, DiagramSpec
from render.diagrams.dot_text import quote

__all__ = ["Hints", "layout_hints", "FAN", "laid_out", "declared"]

FAN = 3
"""Arrows sharing an end before their ends are bundled (fewer stay distinct, as the seed draws them)."""

_INVIS = '[style="invis"]'


@dataclass
class Hints:
    """What :func:`render.diagrams.dot.to_dot` adds to the plain DOT."""

    inside: dict[str | None, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Statements to write inside a box (key: box id; None: the root graph)."""
    edge_attrs: dict[str, dict[str, object]] = field(default_factory=dict)
    """Extra attributes per edge id."""


def laid_out(spec: DiagramSpec) -> list[tuple[str, str, str]]:
    """``(edge id, tail, head)`` as Graphviz lays each edge out (an upward edge is reversed).

    An edge from a deeper tier to a shallower one (ECS -> NAT) is written reversed with
    ``dir=back`` so traffic tiers stack the same way in every view.
    """
    layers = {n.id: n.layer for n in spec.nodes}
    out = []
    for e in spec.edges:
        a, b = layers.get(e.src), layers.get(e.dst)
        out.append((e.id, e.dst, e.src) if a is not None and b is not None and a > b else (e.id, e.src, e.dst))
    return out


def declared(spec: DiagramSpec, items: list) -> list:
    """``items`` (sibling boxes or nodes) in the order to write them: model order, reversed in LR."""
    return list(reversed(items)) if spec.direction == "LR" else list(items)


def _first_node(spec: DiagramSpec, box_id: str) -> str | None:
    """The first node drawn in ``box_id`` or in its first non-empty child box."""
    for node in spec.nodes:
        if node.box == box_id:
            return node.id
    for child in (b for b in spec.boxes if b.parent == box_id):
        found = _first_node(spec, child.id)
        if found:
            return found
    return None


def _row(nodes: list[str]) -> list[str]:
    """A ``rank=same`` group chained left to right by invisible edges (one cluster only)."""
    quoted = [quote(n) for n in nodes]
    lines = ["{ rank=same; " + "; ".join(quoted) + "; }"]
    lines += [f"{a} -> {b} {_INVIS};" for a, b in zip(quoted, quoted[1:])]
    return lines


def _tier_rows(spec: DiagramSpec, hints: Hints, linked: set[frozenset[str]]) -> None:
    """Nodes of one box and one tier in one row, in model order (Frontend before Backend)."""
    groups: dict[tuple[str, int], list[DiagramNode]] = defaultdict(list)
    for node in spec.nodes:
        if node.box is not None and node.layer is not None:
            groups[(node.box, node.layer)].append(node)
    for (box, _), members in groups.items():
        ids = [n.id for n in members]
        if len(ids) > 1 and not any(frozenset((a, b)) in linked for a in ids for b in ids):
            hints.inside[box].extend(_row(ids))


def _stacks(spec: DiagramSpec, hints: Hints) -> None:
    """Subnets of an AZ stacked in model order (public, app, DB) by heavy invisible edges."""
    heavy = '[style="invis", weight="4"]'
    for az in (b for b in spec.boxes if b.kind == "az"):
        column = [b.id for b in spec.boxes if b.parent == az.id]
        heads = [n for n in (_first_node(spec, box) for box in column) if n]
        for a, b in zip(heads, heads[1:]):
            hints.inside[None].append(f"{quote(a)} -> {quote(b)} {heavy};")


def _service_rows(spec: DiagramSpec, hints: Hints, edges: list[tuple[str, str, str]]) -> None:
    """Managed services called from tiered nodes: one row per box, in model order."""
    by_id = {n.id: n for n in spec.nodes}
    called = {h for _, t, h in edges if by_id[t].layer is not None and by_id[h].layer is None}
    # an arrow bundled into a box of services calls every node of that box
    called |= {n.id for e in spec.edges if e.head_box and by_id[e.src].layer is not None
               for n in spec.nodes if n.box == e.head_box}
    tier_boxes = {n.box for n in spec.nodes if n.layer is not None}
    rows: dict[str, list[str]] = defaultdict(list)
    for node in spec.nodes:
        if node.id in called and node.box is not None and node.box not in tier_boxes \
                and node.kind not in ("tgw-attachment", "igw"):
            rows[node.box].append(node.id)
    parents = {b.id: b.parent for b in spec.boxes}

    def under(box: str | None, top: str) -> bool:
        while box is not None and box != top:
            box = parents.get(box)
        return box == top

    for box, ids in rows.items():
        if len(ids) > 1:
            hints.inside[box].extend(_row(ids))
        # below the deepest tier drawn inside the same box (the VPC's DB subnets)
        # and each deepest node tied towards its end of the row in model order, so the
        # columns above keep model order too (the AZ-a DB subnet left of AZ-c's)
        scope: str | None = box
        inner: list[DiagramNode] = []
        while scope is not None and not inner:  # a box of services only: tie it below its parent's tiers
            inner = [n for n in spec.nodes if n.layer is not None and n.box != box and under(n.box, scope)]
            scope = parents.get(scope)
        columns = [b.id for b in spec.boxes if b.kind == "az" and any(under(n.box, b.id) for n in inner)]
        if len(columns) > 1:  # one tie per AZ column, from the deepest tier all columns have,
            # so the columns keep model order (AZ-a left of AZ-c)
            tiers = [{n.layer for n in inner if under(n.box, az)} for az in columns]
            shared = max(set.intersection(*tiers), default=None)
            deepest = []
            for az, own in zip(columns, tiers):
                layer = shared if shared is not None else max(own)
                deepest.append(next(n.id for n in inner if under(n.box, az) and n.layer == layer))
        else:
            deepest = [n.id for n in inner if n.layer == max(m.layer for m in inner)]
        for i, node in enumerate(deepest):
            target = ids[round(i * (len(ids) - 1) / max(1, len(deepest) - 1))]
            hints.inside[None].append(f'{quote(node)} -> {quote(target)} [style="invis", weight="0"];')


def _fans(spec: DiagramSpec, hints: Hints, edges: list[tuple[str, str, str]]) -> None:
    """Arrows into one untiered node (a managed service) end in one point: a visible bundle.

    Tiered nodes (ECS, NAT, RDS) keep separate ends: their arrows come from above and
    below, and a shared end point would sit on the icon.
    """
    untiered = {n.id for n in spec.nodes if n.layer is None}
    heads: dict[str, list[str]] = defaultdict(list)
    for edge_id, _, head in edges:
        if head in untiered:
            heads[head].append(edge_id)
    for group in heads.values():
        if len(group) >= FAN:
            for edge_id in group:
                hints.edge_attrs[edge_id] = {"samehead": "in"}


def _same_tier(spec: DiagramSpec, hints: Hints, edges: list[tuple[str, str, str]]) -> None:
    """An arrow between the same tier of two AZs (RDS primary -> standby) leaves their rank
    alone: both stay in the tier's row instead of the arrow pushing its head one row down."""
    layers = {n.id: n.layer for n in spec.nodes}
    parent = {b.id: b.parent for b in spec.boxes}
    kind = {b.id: b.kind for b in spec.boxes}

    def az(node_id: str) -> str | None:
        box = next(n.box for n in spec.nodes if n.id == node_id)
        while box is not None and kind[box] != "az":
            box = parent[box]
        return box

    for edge_id, tail, head in edges:
        if layers.get(tail) is not None and layers.get(tail) == layers.get(head) \
                and az(tail) is not None and az(head) is not None and az(tail) != az(head):
            hints.edge_attrs.setdefault(edge_id, {})["constraint"] = "false"


def layout_hints(spec: DiagramSpec) -> Hints:
    """All hints for ``spec`` (pure; statements in model order, so the DOT is deterministic)."""
    hints = Hints()
    edges = laid_out(spec)
    linked = {frozenset((t, h)) for _, t, h in edges}
    if spec.direction == "TB":
        _tier_rows(spec, hints, linked)
        _service_rows(spec, hints, edges)
    _stacks(spec, hints)
    _fans(spec, hints, edges)
    _same_tier(spec, hints, edges)
    return hints
