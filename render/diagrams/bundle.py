"""Arrows drawn at the level of boxes: one arrow where every node of a box has the same one.

The model holds one flow per service, and a view draws one node per replica (an ECS
service per subnet); drawn literally, every replica sends its own arrow to every service
it calls, and the overview becomes a hairball of parallel curves that say nothing more
than "the tasks of this subnet call these services". :func:`bundle_edges` replaces such a
set of arrows by one arrow from (or to) the box, a Graphviz *compound edge*
(``ltail``/``lhead``): the picture shows each relationship once, the model keeps every
per-replica flow for the reachability analysis.

The rule, applied on both ends until nothing changes:

* a group is the arrows with the same other end, label and style whose ends on this
  side all sit directly in one box (a node in the box, or a box inside it);
* when the group covers *every* member of that box (at least two) and the other end is
  not inside the box, the group becomes one arrow from (or to) the box.

So the App subnet of AZ-a, whose Frontend and Backend both call S3, draws one arrow to S3;
and when that subnet calls every member of a box of services with plain arrows, one arrow
to the box. Nothing is dropped: an arrow only ever stands for arrows that all exist.

>>> from render.diagrams.spec import Box, DiagramEdge, DiagramNode, DiagramSpec
>>> n = lambda i, box: DiagramNode(i, i, "ecs-service", "x.png", box)
>>> spec = DiagramSpec("v", "T", "TB", (Box("sub", "Subnet", "subnet-private"),),
...                    (n("fe", "sub"), n("be", "sub"), n("s3", None)),
...                    (DiagramEdge("fe->s3", "fe", "s3"), DiagramEdge("be->s3", "be", "s3")))
>>> [(e.id, e.src, e.tail_box) for e in bundle_edges(spec).edges]
[('sub->s3', 'fe', 'sub')]
"""

from __future__ import annotations

from dataclasses import replace

from render.diagrams.spec import PLACEMENT_KIND, DiagramEdge, DiagramSpec

__all__ = ["bundle_edges"]


def _members(spec: DiagramSpec) -> dict[str, list[str]]:
    """Box id -> its direct members that draw something (nodes and non-empty child boxes), in spec order."""
    parent = {b.id: b.parent for b in spec.boxes}
    filled: set[str] = set()
    for node in spec.nodes:
        box = node.box
        while box is not None and box not in filled:
            filled.add(box)
            box = parent.get(box)
    out: dict[str, list[str]] = {b.id: [] for b in spec.boxes}
    for node in spec.nodes:
        if node.box is not None and node.kind != PLACEMENT_KIND:  # a placement mark is no arrow's end
            out[node.box].append(node.id)
    for b in spec.boxes:
        if b.parent is not None and b.id in filled:
            out[b.parent].append(b.id)
    return out


def _inside(spec: DiagramSpec, end: str, box: str) -> bool:
    """True when the end (a node or a box) is ``box`` or drawn inside it."""
    parent = {b.id: b.parent for b in spec.boxes}
    current = next((n.box for n in spec.nodes if n.id == end), None) if end not in parent else end
    while current is not None:
        if current == box:
            return True
        current = parent.get(current)
    return False


def _container(spec: DiagramSpec, end: str) -> str | None:
    for b in spec.boxes:
        if b.id == end:
            return b.parent
    return next(n.box for n in spec.nodes if n.id == end)


def _representative(spec: DiagramSpec, box: str, members: dict[str, list[str]], middle: bool) -> str:
    """A node inside ``box`` for Graphviz to route to (the middle member: the arrow meets the box centrally)."""
    items = members[box]
    item = items[len(items) // 2] if middle else items[0]
    return item if item not in members else _representative(spec, item, members, middle)


def _collapse(spec: DiagramSpec, edges: list[DiagramEdge], members: dict[str, list[str]], head: bool) -> list[DiagramEdge]:
    """One pass over one side (tails, or heads when ``head``); returns the new edge list."""
    groups: dict[tuple, list[int]] = {}
    for i, e in enumerate(edges):
        this, other = (e.head_end, e.tail_end) if head else (e.tail_end, e.head_end)
        box = _container(spec, this)
        if box is not None and not e.placement:
            groups.setdefault((other, e.label, e.dashed, box), []).append(i)
    replaced: dict[int, DiagramEdge | None] = {}
    for (other, _, _, box), idx in groups.items():
        ends = [edges[i].head_end if head else edges[i].tail_end for i in idx]
        if len(members[box]) < 2 or sorted(ends) != sorted(members[box]) or _inside(spec, other, box):
            continue
        first = edges[idx[0]]
        if head:
            new = replace(first, dst=_representative(spec, box, members, True), head_box=box)
        else:
            new = replace(first, src=_representative(spec, box, members, False), tail_box=box)
        replaced[idx[0]] = new
        for i in idx[1:]:
            replaced[i] = None
    return [replaced.get(i, e) for i, e in enumerate(edges) if replaced.get(i, e) is not None]


def _renumber(edges: list[DiagramEdge]) -> tuple[DiagramEdge, ...]:
    """Edge ids from the drawn ends (``box->node``), numbered when two arrows join the same ends."""
    seen: dict[str, int] = {}
    out = []
    for e in edges:
        base = f"{e.tail_end}->{e.head_end}"
        seen[base] = seen.get(base, 0) + 1
        out.append(replace(e, id=base if seen[base] == 1 else f"{base}#{seen[base]}"))
    return tuple(out)


def bundle_edges(spec: DiagramSpec) -> DiagramSpec:
    """``spec`` with arrows merged into box-level arrows wherever the rule above allows (pure)."""
    members = _members(spec)
    edges = list(spec.edges)
    while True:
        before = len(edges)
        edges = _collapse(spec, edges, members, head=False)
        edges = _collapse(spec, edges, members, head=True)
        if len(edges) == before:
            break
    if len(edges) == len(spec.edges):
        return spec
    return replace(spec, edges=_renumber(edges))
