"""The exporter registry: one function per node kind, ``fn(ctx, template, node)``.

A new node kind adds one function decorated with ``@exporter(NodeKind.X)``; a kind without
one is listed under "not exported" in the README written next to the templates, never
dropped silently.

The exporter modules register themselves when imported (:mod:`render.cloudformation.export`
imports them all):

>>> from model.schema import NodeKind
>>> import render.cloudformation.apps
>>> for_kind(NodeKind.ALB).__name__, for_kind(NodeKind.COGNITO)
('alb', None)
"""

from __future__ import annotations

from typing import Callable

from model.schema import NodeKind

__all__ = ["EXPORTERS", "exporter", "for_kind", "Exporter"]

Exporter = Callable[..., None]
EXPORTERS: dict[NodeKind, Exporter] = {}


def exporter(kind: NodeKind) -> Callable[[Exporter], Exporter]:
    """Register ``fn(ctx, template, node)`` as the exporter of ``kind``."""

    def register(fn: Exporter) -> Exporter:
        if kind in EXPORTERS:
            raise ValueError(f"two exporters for {kind.value}")
        EXPORTERS[kind] = fn
        return fn

    return register


def for_kind(kind: NodeKind) -> Exporter | None:
    """The exporter of ``kind``, or None when the kind cannot be exported yet."""
    return EXPORTERS.get(kind)
