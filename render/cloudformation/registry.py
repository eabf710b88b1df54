"""The exporter registry: one function per node kind, ``fn(ctx, template, node)``.

A new node kind adds one function decorated with ``@exporter(NodeKind.X)``; a kind without
one is listed under "not exported" in the README written next to the templates, never
dropped silently.

>>> from model.schema import NodeKind
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


def _load() -> None:
    # Importing the modules registers their functions (kept here so callers import one name).
    from render.cloudformation import apps, connectivity  # noqa: F401


def for_kind(kind: NodeKind) -> Exporter | None:
    """The exporter of ``kind``, or None when the kind cannot be exported yet."""
    _load()
    return EXPORTERS.get(kind)
