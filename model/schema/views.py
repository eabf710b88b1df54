"""Diagram views: a selection of the model plus presentation hints (presentation data)."""

from __future__ import annotations

from typing import Literal

from pydantic import StrictBool

from model.schema.nodes import FlowKind, NodeKind
from model.schema.base import Id, Strict, Text

__all__ = ["ViewBox", "ViewMerge", "View"]


class ViewBox(Strict):
    """A logical box a view draws around some nodes (e.g. 監視対象, 通知)."""

    id: Id
    """Stable id of the box."""
    label: Text
    """Title drawn on the box."""
    members: tuple[Id, ...]
    """Node ids drawn inside the box."""
    style: Literal["generic", "cloud", "onprem", "region", "account"] = "generic"
    """Box style: generic, cloud, onprem, region or account."""


class ViewMerge(Strict):
    """Draw several nodes as one (e.g. frontend + backend as 'ECS Fargate')."""

    into: Id
    """The node id drawn in place of the members."""
    members: tuple[Id, ...]
    """Node ids drawn as one."""


class View(Strict):
    id: Id
    """Stable id; the diagram files are named after it."""
    title: Text
    """Title of the diagram."""
    section: Text
    """Section number the diagram belongs to (e.g. '1.1' goes on page 1)."""
    envs: tuple[Id, ...]
    """Environments the view draws."""
    direction: Literal["TB", "LR"] = "TB"
    """'TB' (top to bottom) or 'LR' (left to right) layout."""
    node_kinds: tuple[NodeKind, ...] = ()
    """Empty: every kind."""
    node_tags: tuple[Id, ...] = ()
    """Nodes with one of these tags are selected too (with node_kinds)."""
    nodes: tuple[Id, ...] = ()
    """Explicit extra nodes."""
    flow_kinds: tuple[FlowKind, ...] = ()
    """Flows of these kinds are drawn (with flow_tags; both empty: every flow)."""
    flow_tags: tuple[Id, ...] = ()
    """Flows with one of these tags are drawn."""
    include_actors: StrictBool = True
    """Draw the environment's actors."""
    nesting: tuple[Literal["env", "site", "account", "region", "vpc", "az", "subnet"], ...] = ()
    """Container boxes drawn around nodes, outermost first."""
    box_labels: dict[str, Text] = {}
    """Overrides the title of a container box (env, account, region id) in this view."""
    labels: dict[Id, Text] = {}
    """Overrides a node's label in this view."""
    boxes: tuple[ViewBox, ...] = ()
    """Extra logical boxes around some nodes."""
    collapse_parts: StrictBool = True
    """Draw a node's parts (``part_of``) as the parent node."""
    part_boxes: tuple[Id, ...] = ()
    """Parents drawn as a box around their parts instead of collapsing them."""
    merges: tuple[ViewMerge, ...] = ()
    """Groups of nodes drawn as one node."""
    label_facts: tuple[Literal["engine", "role", "instance-class", "tasks"], ...] = (
        "engine", "role", "instance-class", "tasks")
    """Facts the node labels show, taken from the spec (never typed into a label): the RDS
    engine, Multi-AZ role (Single-AZ/Primary/Standby) and instance class, the ECS task
    count ('Task 2-6'). A view label (``labels``) gets them too; empty: none."""
    bundle_edges: StrictBool = False
    """Draw an arrow once per box where it is the same for every node of the box: when every
    node (or inner box) of a box has the same arrow to or from the same end (same label
    and style), one arrow joins the box instead (e.g. one arrow from an App subnet to S3
    for the ECS replicas in it). The model keeps every flow; only the drawing is merged."""
    show_security_groups: StrictBool = False
    """Write each node's security groups under its label."""
    show_placements: StrictBool = True
    """A node placed in several subnets (an ALB, a Multi-AZ database, EFS mount targets) is drawn
    once above them, with a mark (its ENI) in each of its subnets joined to it by a dotted line,
    so every subnet it is placed in is drawn and seen (views that nest subnets)."""
    description: Text | None = None
    """What the view shows, in a sentence (shown under the diagram)."""
