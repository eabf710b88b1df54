"""A view as Mermaid flowchart text, for people who paste diagrams into GitHub, wikis or slides.

The Graphviz images stay the reference; Mermaid is an *export* of the same
:class:`~render.diagrams.spec.DiagramSpec` that :func:`render.diagrams.select.select_view`
computes, so both formats always show the same nodes, boxes and edges.

Labels come from the model, i.e. from people, so nothing is written raw: every label is a
quoted string whose Mermaid-significant characters are entity codes (``#quot;``,
``#35;``...), and every id is rebuilt from ``[A-Za-z0-9_]`` with a prefix (``n_``, ``b_``)
so that no id can be a keyword (``end``, ``graph``) or start an arrow (``o``, ``x``).

>>> label('a "b" <c> | #d')
'"a #quot;b#quot; #lt;c#gt; #124; #35;d"'
>>> safe_id("n", "frontend@poc-app-1", set())
'n_frontend_poc_app_1'
"""

from __future__ import annotations

import re

from render.diagrams.spec import DiagramSpec
from render.escape import plain_text

__all__ = ["to_mermaid", "label", "safe_id", "ENTITIES"]

# Characters that Mermaid's flowchart lexer treats as syntax somewhere (shape brackets,
# edge text pipes, quotes, entity start, statement end, markdown strings, HTML).
ENTITIES: dict[str, str] = {
    "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "&": "#38;",
    "[": "#91;", "]": "#93;", "(": "#40;", ")": "#41;", "{": "#123;", "}": "#125;",
    ";": "#59;", "`": "#96;", "\\": "#92;",
}
_NEWLINE = re.compile(r"\r\n|\r|\n")
_ID_CHARS = re.compile(r"[^A-Za-z0-9_]+")


def label(text: str) -> str:
    """``text`` as a quoted Mermaid string: syntax characters as entities, newlines as ``<br/>``."""
    lines = _NEWLINE.split(plain_text(text))
    escaped = ["".join(ENTITIES.get(ch, ch) for ch in line) for line in lines]
    return '"' + "<br/>".join(escaped) + '"'


def safe_id(prefix: str, raw: str, taken: set[str]) -> str:
    """A Mermaid id made of ``prefix_`` and the ASCII word characters of ``raw``, unique in ``taken``."""
    base = f"{prefix}_{_ID_CHARS.sub('_', raw).strip('_') or 'x'}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _comment(text: str) -> str:
    """One comment line: Mermaid comments end at the newline, so fold newlines away."""
    return " ".join(_NEWLINE.split(plain_text(text)))


def to_mermaid(spec: DiagramSpec) -> str:
    """The whole flowchart for one view: header, nested subgraphs, nodes, then edges.

    Nodes are declared inside their box (Mermaid puts a node in the subgraph where it is
    first mentioned), edges come last so that they cannot move a node out of its box.
    Output order follows the spec, which follows the model: the text is deterministic.
    """
    taken: set[str] = set()
    box_ids = {b.id: safe_id("b", b.id, taken) for b in spec.boxes}
    node_ids = {n.id: safe_id("n", n.id, taken) for n in spec.nodes}
    children: dict[str | None, list] = {}
    for box in spec.boxes:
        parent = box.parent if box.parent in box_ids else None
        children.setdefault(parent, []).append(box)
    members: dict[str | None, list] = {}
    for node in spec.nodes:
        members.setdefault(node.box if node.box in box_ids else None, []).append(node)

    lines = [f"%% archdoc view {_comment(spec.view)}: {_comment(spec.title)}",
             f"graph {'LR' if spec.direction == 'LR' else 'TB'}"]

    def emit(box_id: str | None, depth: int) -> None:
        pad = "    " * depth
        for node in members.get(box_id, []):
            lines.append(f"{pad}{node_ids[node.id]}[{label(node.label)}]")
        for box in children.get(box_id, []):
            lines.append(f"{pad}subgraph {box_ids[box.id]}[{label(box.label)}]")
            emit(box.id, depth + 1)
            lines.append(f"{pad}end")

    emit(None, 1)
    ends = {**node_ids, **box_ids}  # an arrow bundled at a box starts or ends at the subgraph
    for edge in spec.edges:
        if edge.tail_end not in ends or edge.head_end not in ends:
            continue  # an edge to a node the view does not draw cannot be exported
        arrow = "-.-" if edge.placement else "-.->" if edge.dashed else "-->"
        text = f"|{label(edge.label)}|" if edge.label else ""
        lines.append(f"    {ends[edge.tail_end]} {arrow}{text} {ends[edge.head_end]}")
    dashed = [node_ids[n.id] for n in spec.nodes if n.dashed]
    if dashed:
        lines.append("    classDef dashed stroke-dasharray: 5 5")
        lines.append(f"    class {','.join(dashed)} dashed")
    return "\n".join(lines) + "\n"
