"""DOT source for a :class:`~render.diagrams.spec.DiagramSpec`, written directly (not via ``diagrams``).

Writing DOT ourselves avoids the ``diagrams`` 0.25.1 pitfalls listed in the project's
reference notes: clusters merging by label (we name them ``cluster_<box id>``), random
node ids (ours are model ids), fonts reset per cluster and edge (we set ``fontname`` on
the graph, every cluster, every node and every edge), ortho splines dropping edge labels
(we use ``spline``) and whole labels like ``<b>x</b>`` turning into HTML (every text is a
quoted, escaped string). Icons still come from the ``diagrams`` package, as tokens
relative to its ``resources`` folder (see :mod:`render.diagrams.icons`), so the DOT holds
no machine path and is byte-identical for the same model.

The format is line-oriented (one statement per line) so that
:func:`render.diagrams.dot_summary` can read it back.

>>> from render.diagrams.spec import DiagramSpec, DiagramNode
>>> spec = DiagramSpec("v", "T", "TB", (), (DiagramNode("a", "<b>x</b>", "alb", "aws/x.png"),), ())
>>> '"a" [label="<b>x</b>"' in to_dot(spec)
True
"""

from __future__ import annotations

from render.diagrams.i18n import _
from render.diagrams.icons import ICON_PX
from render.diagrams.layout import Hints, declared, laid_out, layout_hints
from render.diagrams.spec import Box, DiagramNode, DiagramSpec
from render.diagrams.dot_text import MAX_LINE_WIDTH, clip, quote
from render.diagrams.dot_text import label as wrap_label

__all__ = ["to_dot", "FONT", "BOX_STYLES", "DPI", "MIN_FONT", "LEGEND_PREFIX"]

FONT = "Noto Sans CJK JP"
DPI = 88
MIN_FONT = 13
"""The smallest text of any diagram (node, box, arrow and legend labels; the title is 16 pt):
the approval PDF scales each diagram so that this prints at 6 pt or more."""
LEGEND_PREFIX = "_legend"
"""Ids of legend nodes and the legend box; model ids are kebab-case and never start with '_'."""

_LINE_IN = 0.26  # height of one 13-pt label line in inches (Noto CJK is taller than 1.2 em)

BOX_STYLES: dict[str, dict[str, str]] = {
    "cloud": {"pencolor": "#232F3E", "fontcolor": "#232F3E", "style": "solid"},
    "account": {"pencolor": "#CD2264", "fontcolor": "#CD2264", "style": "solid"},
    "region": {"pencolor": "#00A4A6", "fontcolor": "#147EBA", "style": "dashed"},
    "vpc": {"pencolor": "#8C4FFF", "fontcolor": "#8C4FFF", "style": "solid"},
    "az": {"pencolor": "#007CBD", "fontcolor": "#007CBD", "style": "dashed"},
    "subnet-public": {"pencolor": "#7AA116", "fontcolor": "#248814", "style": "filled", "fillcolor": "#E9F3D2"},
    "subnet-private": {"pencolor": "#00A4A6", "fontcolor": "#147EBA", "style": "filled", "fillcolor": "#E6F6F7"},
    "onprem": {"pencolor": "#232F3E", "fontcolor": "#232F3E", "style": "solid"},
    "internet": {"pencolor": "#7D8998", "fontcolor": "#5A6B86", "style": "dashed"},
    "saas": {"pencolor": "#232F3E", "fontcolor": "#232F3E", "style": "rounded"},
    "env": {"pencolor": "#232F3E", "fontcolor": "#232F3E", "style": "bold"},
    "generic": {"pencolor": "#7D8998", "fontcolor": "#5A6B86", "style": "dashed"},
    "part": {"pencolor": "#E7157B", "fontcolor": "#E7157B", "style": "rounded"},
    "legend": {"pencolor": "#AEB6BE", "fontcolor": "#5A6B86", "style": "rounded"},
}


def _attrs(pairs: dict[str, object]) -> str:
    """``[k=v, ...]`` with every value quoted (numbers too, so any value is safe)."""
    return "[" + ", ".join(f"{k}={quote(str(v))}" for k, v in pairs.items()) + "]"


def _node_line(node: DiagramNode) -> str:
    shown = wrap_label(node.label, node.notes)
    lines = shown.count("\n") + 1
    height = round(ICON_PX / DPI + lines * _LINE_IN + 0.08, 2)
    attrs: dict[str, object] = {"label": shown, "image": node.icon, "height": height,
                                "tooltip": " ".join((node.label, *node.notes)), "fontname": FONT}
    if node.dashed:
        attrs.update(shape="box", style="rounded,dashed", color="#545B64", margin="0.08,0.04")
    return f"{quote(node.id)} {_attrs(attrs)};"


def _box_attr_line(box: Box, indent: str) -> str:
    style = dict(BOX_STYLES[box.kind])
    attrs: dict[str, object] = {"label": wrap_label(box.label, ()) if len(box.label) > 40 else box.label,
                                "fontname": FONT, "fontsize": MIN_FONT, "labeljust": "l", "labelloc": "t",
                                "margin": 12, **style}
    return f"{indent}graph {_attrs(attrs)};"


def _cluster(spec: DiagramSpec, box: Box | None, depth: int, out: list[str], hints: Hints) -> None:
    indent = "  " * depth
    box_id = box.id if box else None
    for child in declared(spec, [b for b in spec.boxes if b.parent == box_id]):
        out.append(f"{indent}subgraph {quote('cluster_' + child.id)} {{")
        out.append(_box_attr_line(child, indent + "  "))
        _cluster(spec, child, depth + 1, out, hints)
        out.append(f"{indent}}}")
    for node in declared(spec, [n for n in spec.nodes if n.box == box_id]):
        out.append(indent + _node_line(node))
    if box_id is not None:
        out.extend(indent + line for line in hints.inside.get(box_id, ()))


def _legend(spec: DiagramSpec, out: list[str]) -> None:
    if not spec.legend:
        return
    out.append(f"  subgraph {quote('cluster_' + LEGEND_PREFIX)} {{")
    out.append(_box_attr_line(Box(LEGEND_PREFIX, _("凡例"), "legend"), "    "))
    for i, entry in enumerate(spec.legend, start=1):
        a, b = f"{LEGEND_PREFIX}-{i}a", f"{LEGEND_PREFIX}-{i}b"
        if entry.kind == "dashed-node":
            attrs = {"label": entry.label, "shape": "box", "style": "rounded,dashed", "color": "#545B64",
                     "fontname": FONT, "fontsize": MIN_FONT, "height": 0.3, "margin": "0.1,0.03"}
            out.append(f"    {quote(a)} {_attrs(attrs)};")
            continue
        point = {"label": "", "shape": "point", "width": 0.05, "color": "#545B64", "fontname": FONT}
        out.append(f"    {quote(a)} {_attrs(point)};")
        out.append(f"    {quote(b)} {_attrs(point)};")
        edge = {"label": entry.label, "fontname": FONT, "fontsize": MIN_FONT, "style": entry.kind, "minlen": 1}
        if entry.kind == "dotted":  # the placement line has no arrowhead
            edge["dir"] = "none"
        out.append(f"    {quote(a)} -> {quote(b)} {_attrs(edge)};")
        if spec.direction == "TB":  # keep the sample edge horizontal
            out.append(f"    {{ rank=same; {quote(a)}; {quote(b)}; }}")
    out.append("  }")


def to_dot(spec: DiagramSpec) -> str:
    """The DOT source of ``spec``: deterministic, no absolute paths, one statement per line."""
    graph = {"charset": "UTF-8", "dpi": DPI, "fontname": FONT, "fontsize": 16,
             "label": clip(" ".join(spec.title.split()), 2 * MAX_LINE_WIDTH),
             "labelloc": "t", "labeljust": "l", "newrank": "true", "remincross": "false", "nodesep": 0.35, "pad": 0.25,
             "rankdir": spec.direction, "ranksep": 0.45, "splines": "spline", "compound": "true",
             "bgcolor": "white"}
    node = {"fontname": FONT, "fontsize": MIN_FONT, "shape": "none", "imagescale": "false", "imagepos": "tc",
            "labelloc": "b", "fixedsize": "false", "width": 1.1, "margin": "0.05,0.02", "fontcolor": "#232F3E"}
    edge = {"fontname": FONT, "fontsize": MIN_FONT, "color": "#545B64", "fontcolor": "#232F3E", "arrowsize": 0.7}
    out = [f"digraph {quote(spec.view)} {{", f"  graph {_attrs(graph)};", f"  node {_attrs(node)};",
           f"  edge {_attrs(edge)};"]
    hints = layout_hints(spec)
    _cluster(spec, None, 1, out, hints)
    for e, (_, src, dst) in zip(spec.edges, laid_out(spec)):
        attrs: dict[str, object] = {"id": e.id, "fontname": FONT}
        tail_box, head_box = e.tail_box, e.head_box
        if src != e.src:
            attrs["dir"] = "back"
            tail_box, head_box = head_box, tail_box
        if tail_box:  # a compound edge: drawn from the box's border (see render.diagrams.bundle)
            attrs["ltail"] = "cluster_" + tail_box
        if head_box:
            attrs["lhead"] = "cluster_" + head_box
        attrs.update(hints.edge_attrs.get(e.id, {}))
        if e.label:
            attrs["label"] = wrap_label(e.label, ())
        if e.dashed:
            attrs["style"] = "dashed"
        if e.placement:
            # says where, not which way: no rank and no pull on the order of the AZ columns
            attrs.update(style="dotted", dir="none", constraint="false")
        out.append(f"  {quote(src)} -> {quote(dst)} {_attrs(attrs)};")
    out.extend("  " + line for line in hints.inside.get(None, ()))
    _legend(spec, out)
    out.append("}")
    return "\n".join(out) + "\n"
