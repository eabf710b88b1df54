"""How readable a laid-out diagram is, measured from Graphviz's own coordinates.

A picture a reviewer can read has few arrows, few arrow crossings, and no text on top of
an icon or of other text. :func:`measure` reads the layout ``dot -Tjson`` computes (the
same layout the PNG and SVG are drawn from) and counts:

* **edges**: the drawn arrows (no layout hints, no legend samples, no placement lines: a dotted
  line from a node to its mark in a subnet is no arrow, and bundling cannot remove it);
* **crossings**: points where two arrows cross, from their Bézier curves (each cubic
  sampled into a polyline, every pair of segments intersected). Where two arrows meet at
  a node they both touch (a shared end, bundled arrow heads) is not a crossing;
* **overlaps**: a text (arrow label, box title, the diagram title) over a node or over
  another text, and two nodes over each other — every one is a defect;
* **min_font** (pt) and **size** (pt): the smallest text size and the drawing's size, so
  the print can compute the printed size of the smallest label.

Used by ``bench/bench_diagrams.py`` (per view, against the per-replica drawing in the same
run) and by the tests (no overlaps in any view).

>>> a = ((0.0, 0.0), (10.0, 10.0)); b = ((0.0, 10.0), (10.0, 0.0))
>>> _cross(a[0], a[1], b[0], b[1])
(5.0, 5.0)
>>> _cross((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)) is None
True
>>> _cross((0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0))
(0.5, 0.5)
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from render.diagrams.dot import LEGEND_PREFIX

__all__ = ["Measures", "measure", "layout_json"]

_STEPS = 10
"""Polyline segments per cubic Bézier segment: plenty for the gentle curves of ``splines=spline``."""
_SHARED_END_PT = 10.0
"""Around a node both arrows touch, meeting is not crossing (arrow heads are ~7 pt long)."""
_TOLERANCE_PT = 0.5
"""Boxes overlapping by less than this (rounding of Graphviz's 2-decimal output) do not count."""

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Measures:
    """Readability figures of one laid-out view (see the module docstring)."""

    edges: int
    crossings: int
    overlaps: tuple[str, ...] = field(default=())
    """One line per overlap: what lies over what."""
    min_font: float = 0.0
    """The smallest font size (pt) of any text in the drawing."""
    size: tuple[float, float] = (0.0, 0.0)
    """Width and height of the drawing (pt, before any scaling)."""


def layout_json(dot_text: str, imagepath: Path | str | None = None) -> dict:
    """Lay ``dot_text`` out with ``dot -Tjson`` (icons from ``imagepath``) and return the parsed JSON."""
    cmd = ["dot", "-Tjson"] + ([f"-Gimagepath={imagepath}"] if imagepath else [])
    # stderr only says that the JSON renderer cannot draw the icons; their sizes (read from
    # the files) are in the layout, which is the one the PNG and SVG get
    proc = subprocess.run(cmd, input=dot_text.encode("utf-8"), capture_output=True, check=True, timeout=300)
    return json.loads(proc.stdout)


def _bezier(points: list[list[float]]) -> list[Point]:
    """A polyline through a piecewise cubic Bézier curve (Graphviz's ``b`` drawing op)."""
    out: list[Point] = [(points[0][0], points[0][1])]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for k in range(1, _STEPS + 1):
            t = k / _STEPS
            u = 1 - t
            out.append((u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                        u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1]))
    return out


def _cross(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """The point where segments ab and cd intersect, else None (collinear: None).

    Each segment is half-open (its end belongs to the next segment of the polyline), so a
    crossing exactly at a sample point counts once."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    den = r[0] * s[1] - r[1] * s[0]
    if den == 0:
        return None
    t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den
    u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den
    if 0 <= t < 1 and 0 <= u < 1:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


def _bbox(line: list[Point]) -> Rect:
    xs, ys = [p[0] for p in line], [p[1] for p in line]
    return (min(xs), min(ys), max(xs), max(ys))


def _meets(a: Rect, b: Rect, pad: float = 0.0) -> bool:
    return a[0] - pad < b[2] and b[0] - pad < a[2] and a[1] - pad < b[3] and b[1] - pad < a[3]


def _overlap(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > _TOLERANCE_PT and min(a[3], b[3]) - max(a[1], b[1]) > _TOLERANCE_PT


def _texts(ops: list[dict] | None) -> list[tuple[str, Rect, float]]:
    """(text, box, font size) of every ``T`` op of an ``_ldraw_`` list (y up, baseline at pt)."""
    out, size = [], 14.0
    for op in ops or []:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T" and op.get("text", "").strip():
            (x, y), w = op["pt"], float(op["width"])
            x0 = {"l": x, "r": x - w}.get(op.get("align", "c"), x - w / 2)
            out.append((op["text"], (x0, y - 0.15 * size, x0 + w, y + 0.85 * size), size))
    return out


def _node_rect(obj: dict) -> Rect:
    x, y = (float(v) for v in obj["pos"].split(","))
    w, h = float(obj["width"]) * 36, float(obj["height"]) * 36
    return (x - w, y - h, x + w, y + h)


def _crossings(lines: list[tuple[tuple[str, str], list[Point]]], rects: dict[str, Rect]) -> int:
    count = 0
    boxes = [_bbox(line) for _, line in lines]
    for i in range(len(lines)):
        ends_i, line_i = lines[i]
        for j in range(i + 1, len(lines)):
            ends_j, line_j = lines[j]
            if not _meets(boxes[i], boxes[j]):
                continue
            shared = [rects[n] for n in set(ends_i) & set(ends_j) if n in rects]
            for a, b in zip(line_i, line_i[1:]):
                seg = (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
                if not _meets(seg, boxes[j]):
                    continue
                for c, d in zip(line_j, line_j[1:]):
                    p = _cross(a, b, c, d)
                    if p and not any(_meets((p[0], p[1], p[0], p[1]), r, _SHARED_END_PT) for r in shared):
                        count += 1
    return count


def measure(layout: dict) -> Measures:
    """The :class:`Measures` of one ``dot -Tjson`` layout (see :func:`layout_json`)."""
    objects = layout.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects if "_gvid" in o and "nodes" not in o and "edges" not in o}
    nodes = [o for o in objects if "pos" in o and "nodes" not in o and o.get("shape") != "point"]
    rects = {o["name"]: _node_rect(o) for o in nodes}
    texts: list[tuple[str, Rect, float]] = _texts(layout.get("_ldraw_"))
    fonts = [t[2] for t in texts]
    for o in objects:
        if "nodes" in o or "edges" in o or o.get("name", "").startswith("cluster"):  # a box
            found = _texts(o.get("_ldraw_"))
            texts += found
            fonts += [t[2] for t in found]
        elif "pos" in o:
            fonts += [t[2] for t in _texts(o.get("_ldraw_"))]
    lines: list[tuple[tuple[str, str], list[Point]]] = []
    for e in layout.get("edges", []):
        tail, head = names.get(e["tail"], ""), names.get(e["head"], "")
        if e.get("style") == "invis":
            continue
        curve = [p for op in e.get("_draw_", []) if op.get("op") == "b" for p in op["points"]]
        placement = e.get("dir") == "none" and e.get("style") == "dotted"
        if curve and not tail.startswith(LEGEND_PREFIX) and not placement:  # a legend sample is no arrow
            lines.append(((tail, head), _bezier(curve)))
        found = _texts(e.get("_ldraw_"))
        texts += found
        fonts += [t[2] for t in found]
    overlaps: list[str] = []
    for i, (text, box, _) in enumerate(texts):
        overlaps += [f"text {text!r} over node {name}" for name, r in rects.items() if _overlap(box, r)]
        overlaps += [f"text {text!r} over text {other!r}" for other, b, _ in texts[i + 1:] if _overlap(box, b)]
    names_sorted = sorted(rects)
    for i, a in enumerate(names_sorted):
        overlaps += [f"node {a} over node {b}" for b in names_sorted[i + 1:] if _overlap(rects[a], rects[b])]
    bb = [float(v) for v in layout.get("bb", "0,0,0,0").split(",")]
    return Measures(len(lines), _crossings(lines, rects), tuple(overlaps), min(fonts, default=0.0),
                    (bb[2] - bb[0], bb[3] - bb[1]))
