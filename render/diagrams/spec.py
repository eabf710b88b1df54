"""What one diagram shows, independent of Graphviz: boxes, nodes, edges and a legend.

:func:`render.diagrams.select.select_view` computes a :class:`DiagramSpec` from the model and
a view; :func:`render.diagrams.dot.to_dot` turns it into DOT. Keeping the two apart lets
tests check *what* is drawn (the selection semantics) without parsing layout output, and
lets another output format reuse the selection.

Every collection is a tuple in model declaration order, so a spec (and the DOT made from
it) is identical for the same model.

>>> Box("vpc-1", "VPC 10.0.0.0/16", "vpc").parent is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Box", "DiagramNode", "DiagramEdge", "LegendEntry", "DiagramSpec", "BOX_KINDS", "PLACEMENT_KIND"]

PLACEMENT_KIND = "eni"
"""Kind of the mark drawn in each subnet of a node placed in several subnets (its ENI there)."""

BOX_KINDS: tuple[str, ...] = (
    "cloud", "account", "region", "vpc", "az", "subnet-public", "subnet-private",
    "onprem", "internet", "saas", "env", "generic", "part",
)
"""The style kinds a box can have; :mod:`render.diagrams.dot` maps each to AWS group colours."""


@dataclass(frozen=True)
class Box:
    """A container drawn as a Graphviz cluster (a VPC, a subnet, a logical view box...)."""

    id: str
    label: str
    kind: str
    parent: str | None = None
    """The enclosing box id (None: top level)."""


@dataclass(frozen=True)
class DiagramNode:
    """One drawn node: a model node, one per-subnet instance of it, or an actor."""

    id: str
    """Stable id: the model id, ``node@subnet`` for per-subnet instances, ``node@env`` in multi-env views."""
    label: str
    kind: str
    """The model NodeKind value, 'actor', or :data:`PLACEMENT_KIND` for a placement mark."""
    icon: str
    """Key into :data:`render.diagrams.icons.ICONS`."""
    box: str | None = None
    dashed: bool = False
    """Drawn with a dashed border: the resource exists only on demand or in the future."""
    model_id: str = ""
    """The model node (or actor) this drawn node stands for."""
    env: str = ""
    notes: tuple[str, ...] = ()
    """Extra label lines drawn unwrapped under the label (e.g. ``[SG: ALB Security Group]``)."""
    layer: int | None = None
    """Top-to-bottom order inside a VPC (0 gateways, 1 public, 2 app, 3 DB subnets; None: none).

    An edge from a higher layer to a lower one (ECS -> NAT) is laid out reversed, so traffic
    tiers stack the same way in every view."""


@dataclass(frozen=True)
class DiagramEdge:
    """One drawn arrow. ``src``/``dst`` are the nodes Graphviz routes between; an arrow that
    stands for the same arrow of every node of a box starts (``tail_box``) or ends
    (``head_box``) at that box instead (see :mod:`render.diagrams.bundle`)."""

    id: str
    src: str
    dst: str
    label: str = ""
    dashed: bool = False
    tail_box: str | None = None
    """The box the arrow is drawn from (a Graphviz ``ltail``); ``src`` is a node inside it."""
    head_box: str | None = None
    """The box the arrow is drawn to (a Graphviz ``lhead``); ``dst`` is a node inside it."""
    placement: bool = False
    """A line without arrowhead from a node placed in several subnets to its mark in one of them
    (not a flow: it says where the node is)."""

    @property
    def tail_end(self) -> str:
        """What the arrow visibly starts at: the tail box, else the source node."""
        return self.tail_box or self.src

    @property
    def head_end(self) -> str:
        """What the arrow visibly points to: the head box, else the target node."""
        return self.head_box or self.dst


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: ``kind`` is 'solid', 'dashed', 'dotted' (edges) or 'dashed-node'."""

    kind: str
    label: str


@dataclass(frozen=True)
class DiagramSpec:
    view: str
    title: str
    direction: str
    boxes: tuple[Box, ...]
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    legend: tuple[LegendEntry, ...] = ()

    def box(self, box_id: str) -> Box:
        return next(b for b in self.boxes if b.id == box_id)

    def node(self, node_id: str) -> DiagramNode:
        return next(n for n in self.nodes if n.id == node_id)
