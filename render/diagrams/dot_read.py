"""Read a DOT file written by :mod:`render.diagrams.dot` back into nodes, edges and boxes.

The drift check (:mod:`archdoc.compare`) compares DOT text, never pixels; when a view
differs, this reader lets it say *what* changed (which node, edge, label or box).
"""

from __future__ import annotations

import re

from render.diagrams.dot import LEGEND_PREFIX
from render.diagrams.dot_text import unquote

__all__ = ["dot_summary"]

_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|->|[{}\[\];=,]|[^\s{}\[\];=,"]+')


def _attrs(tokens: list[str], i: int) -> tuple[dict[str, str], int]:
    """Parse ``[k=v, ...]`` starting at ``tokens[i] == '['``; return attrs and the index after ']'."""
    attrs: dict[str, str] = {}
    i += 1
    while tokens[i] != "]":
        if tokens[i] == "," or tokens[i] == ";":
            i += 1
            continue
        key = unquote(tokens[i])
        if tokens[i + 1] == "=":
            attrs[key] = unquote(tokens[i + 2])
            i += 3
        else:
            attrs[key] = "true"
            i += 1
    return attrs, i + 1


def dot_summary(dot_text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]], set[tuple[str, str]]]:
    """``(nodes, edges, boxes)`` of a DOT file written by :func:`render.diagrams.dot.to_dot`.

    * nodes: ``(id, label)``; edges: ``(src, dst, label)``; boxes: ``(box id, label)`` where
      the box id is the cluster name without ``cluster_``;
    * labels are the drawn text, lines joined with ``"\\n"`` (escapes undone);
    * an edge written ``b -> a [dir=back]`` (laid out reversed) is reported as ``(a, b, label)``;
    * a compound edge (``ltail``/``lhead``) is reported with the box id at that end;
    * left out: the legend (ids starting with ``_legend``), the ``graph``/``node``/``edge``
      defaults, layout hints (``style=invis`` edges, ``{ rank=same; ... }`` groups) and node
      mentions without an attribute list (every drawn node is written with one).
      Comments are not supported (the writer emits none).

    >>> dot_summary('digraph "v" {\\n subgraph "cluster_b" {\\n graph [label="B"];\\n'
    ...             ' "a" [label="A\\\\nx"];\\n }\\n "a" -> "c" [label="L"];\\n}\\n')
    ({('a', 'A\\nx')}, {('a', 'c', 'L')}, {('b', 'B')})
    """
    tokens = _TOKEN_RE.findall(dot_text)
    nodes: set[tuple[str, str]] = set()
    edges: set[tuple[str, str, str]] = set()
    boxes: set[tuple[str, str]] = set()
    stack: list[str | None] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ("digraph", "graph", "node", "edge") and i + 1 < len(tokens) and tokens[i + 1] == "[":
            attrs, i = _attrs(tokens, i + 1)
            if tok == "graph" and stack and stack[-1] and not stack[-1].startswith(LEGEND_PREFIX):
                boxes.add((stack[-1], attrs.get("label", "")))
            continue
        if tok == "digraph":
            i += 2 if tokens[i + 1] != "{" else 1
            continue
        if tok == "subgraph":
            name = unquote(tokens[i + 1])
            stack.append(name.removeprefix("cluster_") if name.startswith("cluster_") else None)
            i += 3
            continue
        if tok == "{":
            stack.append(None)
            i += 1
            continue
        if tok == "}":
            if stack:
                stack.pop()
            i += 1
            continue
        if tok == ";":
            i += 1
            continue
        if i + 2 < len(tokens) and tokens[i + 1] == "=":  # a graph attribute such as rank=same
            i += 3
            continue
        src = unquote(tok)
        if i + 2 < len(tokens) and tokens[i + 1] == "->":
            dst = unquote(tokens[i + 2])
            i += 3
            attrs, i = _attrs(tokens, i) if i < len(tokens) and tokens[i] == "[" else ({}, i)
            # a compound edge is drawn from or to a box: report the box (cluster name without 'cluster_')
            src = attrs["ltail"].removeprefix("cluster_") if "ltail" in attrs else src
            dst = attrs["lhead"].removeprefix("cluster_") if "lhead" in attrs else dst
            if attrs.get("dir") == "back":  # laid out reversed, drawn (and meant) dst -> src
                src, dst = dst, src
            if not src.startswith(LEGEND_PREFIX) and attrs.get("style") != "invis":
                edges.add((src, dst, attrs.get("label", "")))
            continue
        i += 1
        if i < len(tokens) and tokens[i] == "[":
            attrs, i = _attrs(tokens, i)
            if not src.startswith(LEGEND_PREFIX):
                nodes.add((src, attrs.get("label", src)))
    return nodes, edges, boxes
