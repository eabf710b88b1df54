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
    label: Text
    members: tuple[Id, ...]
    style: Literal["generic", "cloud", "onprem", "region", "account"] = "generic"


class ViewMerge(Strict):
    """Draw several nodes as one (e.g. frontend + backend as 'ECS Fargate')."""

    into: Id
    members: tuple[Id, ...]


class View(Strict):
    id: Id
    title: Text
    section: Text
    envs: tuple[Id, ...]
    direction: Literal["TB", "LR"] = "TB"
    node_kinds: tuple[NodeKind, ...] = ()
    """Empty: every kind."""
    node_tags: tuple[Id, ...] = ()
    """Nodes with one of these tags are selected too (with node_kinds)."""
    nodes: tuple[Id, ...] = ()
    """Explicit extra nodes."""
    flow_kinds: tuple[FlowKind, ...] = ()
    flow_tags: tuple[Id, ...] = ()
    include_actors: StrictBool = True
    nesting: tuple[Literal["env", "site", "account", "region", "vpc", "az", "subnet"], ...] = ()
    box_labels: dict[str, Text] = {}
    """Overrides the title of a container box (env, account, region id) in this view."""
    labels: dict[Id, Text] = {}
    """Overrides a node's label in this view."""
    boxes: tuple[ViewBox, ...] = ()
    collapse_parts: StrictBool = True
    part_boxes: tuple[Id, ...] = ()
    """Parents drawn as a box around their parts instead of collapsing them."""
    merges: tuple[ViewMerge, ...] = ()
    show_security_groups: StrictBool = False
    description: Text | None = None
