"""``archdoc export --format mermaid``: the text parses back into exactly the view's selection.

A tiny parser of the subset we emit (``graph``, ``subgraph``/``end``, ``id["label"]``,
``a -->|"l"| b``, ``a -.-> b``) reads the output back; labels are decoded from entity
codes. Hostile labels (quotes, brackets, pipes, ``#``, ``<script>``, newlines, ``end``)
must neither break the structure nor change the text a reader sees.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from archdoc.commands.export import export_texts, run_export
from model.index import ModelIndex
from model.loader import load_model
from render.diagrams.spec import Box, DiagramEdge, DiagramNode, DiagramSpec
from render.diagrams.mermaid import to_mermaid
from render.diagrams.select import select_view

NODE = re.compile(r'^(\s*)([A-Za-z0-9_]+)\["([^"]*)"\]$')
SUB = re.compile(r'^(\s*)subgraph ([A-Za-z0-9_]+)\["([^"]*)"\]$')
EDGE = re.compile(r'^\s*([A-Za-z0-9_]+) (-->|-\.->|-\.-)(?:\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$')
SAFE_ID = re.compile(r"^[nb]_[A-Za-z0-9_]+$")


def decode(text: str) -> str:
    text = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)
    text = re.sub(r"#([a-z]+);", lambda m: html.unescape(f"&{m.group(1)};"), text)
    return text.replace("<br/>", "\n")


def parse(text: str):
    """(direction, {id: (label, box)}, {box id: (label, parent)}, [(src, dst, label, dashed)])."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("%%")]
    direction = re.fullmatch(r"graph (TB|LR)", lines[0]).group(1)
    nodes, boxes, edges, stack = {}, {}, [], []
    for ln in lines[1:]:
        if m := SUB.match(ln):
            assert SAFE_ID.match(m.group(2)) and m.group(2) not in boxes
            boxes[m.group(2)] = (decode(m.group(3)), stack[-1] if stack else None)
            stack.append(m.group(2))
        elif ln.strip() == "end":
            stack.pop()
        elif m := NODE.match(ln):
            assert SAFE_ID.match(m.group(2)) and m.group(2) not in nodes
            nodes[m.group(2)] = (decode(m.group(3)), stack[-1] if stack else None)
        elif m := EDGE.match(ln):
            edges.append((m.group(1), m.group(4), decode(m.group(3) or ""), m.group(2) == "-.->"))
        elif not ln.lstrip().startswith(("classDef ", "class ")):
            raise AssertionError(f"unexpected line: {ln!r}")
    assert not stack, "unbalanced subgraph/end"
    return direction, nodes, boxes, edges


@pytest.fixture(scope="module")
def loaded():
    return load_model()


def test_every_view_round_trips(loaded):
    ix = ModelIndex(loaded.model)
    texts = export_texts(loaded.model)
    assert list(texts) == [v.id for v in loaded.model.views]
    for view in loaded.model.views:
        spec = select_view(ix, view)
        direction, nodes, boxes, edges = parse(texts[view.id])
        assert direction == spec.direction
        label_of = {i: lab for i, (lab, _) in {**nodes, **boxes}.items()}  # an arrow may join a subgraph
        assert sorted(lab for lab, _ in nodes.values()) == sorted(n.label for n in spec.nodes)
        assert sorted(lab for lab, _ in boxes.values()) == sorted(b.label for b in spec.boxes)
        got = sorted((label_of[s], label_of[d], lab, dashed) for s, d, lab, dashed in edges)
        by_id = {n.id: n.label for n in spec.nodes} | {b.id: b.label for b in spec.boxes}
        want = sorted((by_id[e.tail_end], by_id[e.head_end], e.label, e.dashed) for e in spec.edges)
        assert got == want, view.id
        # every node sits in the box the spec puts it in
        box_label = {i: lab for i, (lab, _) in boxes.items()}
        placed = sorted((lab, box_label.get(b)) for lab, b in nodes.values())
        spec_boxes = {b.id: b.label for b in spec.boxes}
        assert placed == sorted((n.label, spec_boxes.get(n.box)) for n in spec.nodes), view.id


def test_mermaid_draws_the_edges_of_the_dot(loaded):
    """The export and the PNG/SVG show the same arrows, box-level (bundled) arrows included."""
    from render.diagrams import dot_sources, dot_summary

    ix = ModelIndex(loaded.model)
    texts, dots = export_texts(loaded.model), dot_sources(loaded.model)
    bundled = 0
    for view in loaded.model.views:
        spec = select_view(ix, view)
        ids = {n.id: n.label for n in spec.nodes} | {b.id: b.label for b in spec.boxes}
        _, nodes, boxes, edges = parse(texts[view.id])
        label_of = {i: lab for i, (lab, _) in {**nodes, **boxes}.items()}
        from_dot = sorted((ids[s], ids[d], lab.replace("\n", "")) for s, d, lab in dot_summary(dots[view.id])[1])
        from_mermaid = sorted((label_of[s], label_of[d], lab.replace("\n", "")) for s, d, lab, _ in edges)
        assert from_mermaid == from_dot, view.id
        box_ids = {b.id for b in spec.boxes}
        bundled += sum(1 for s, d, _ in dot_summary(dots[view.id])[1] if s in box_ids or d in box_ids)
    assert bundled > 0  # the overviews draw box-level arrows, and both formats show them


HOSTILE = ['a "quoted" [x] (y) {z}', "pipe | and # hash; semi", "<script>alert(1)</script>",
           "two\nlines", "end", "A---oB", "`md` & amp &lt;", "back\\slash", "x-->y"]


def test_hostile_labels_survive():
    boxes = (Box("end", HOSTILE[0], "vpc"), Box("graph", HOSTILE[4], "subnet-public", parent="end"))
    nodes = tuple(DiagramNode(f"n{i}" if i % 2 else "end", label, "alb", "alb", box=("graph" if i % 3 else "end"),
                              model_id="x")
                  for i, label in enumerate(HOSTILE))
    nodes = tuple(replace(n, id=f"{n.id}-{i}") for i, n in enumerate(nodes))  # unique ids
    edges = tuple(DiagramEdge(f"e{i}", nodes[i].id, nodes[i + 1].id, HOSTILE[-1 - i], dashed=bool(i % 2))
                  for i in range(len(nodes) - 1))
    spec = DiagramSpec("hostile", "title\nwith # newline", "LR", boxes, nodes, edges)
    text = to_mermaid(spec)
    for bad in ("<script", '"quoted"', "| and"):
        assert bad not in text
    direction, got_nodes, got_boxes, got_edges = parse(text)
    assert direction == "LR"
    assert sorted(lab for lab, _ in got_nodes.values()) == sorted(HOSTILE)
    assert sorted(lab for lab, _ in got_boxes.values()) == sorted([HOSTILE[0], HOSTILE[4]])
    assert [lab for _, _, lab, _ in got_edges] == [e.label for e in edges]
    assert [d for *_, d in got_edges] == [e.dashed for e in edges]


def test_ids_are_unique_after_sanitising():
    nodes = (DiagramNode("a-b", "1", "alb", "alb"), DiagramNode("a_b", "2", "alb", "alb"),
             DiagramNode("a@b", "3", "alb", "alb"))
    _, got, _, _ = parse(to_mermaid(DiagramSpec("v", "t", "TB", (), nodes, ())))
    assert len(got) == 3


def test_unknown_view_suggests(capsys):
    assert run_export("mermaid", "poc-overveiw") == 2
    err = capsys.readouterr().err
    assert "did you mean 'poc-overview'" in err


def test_writes_one_file_per_view(tmp_path, loaded, capsys):
    assert run_export("mermaid", None, str(tmp_path / "out")) == 0
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(f"{v.id}.mmd" for v in loaded.model.views)
    assert capsys.readouterr().out.startswith(f"wrote {len(files)} Mermaid file(s) to ")
    assert run_export("mermaid", "cicd") == 0
    assert capsys.readouterr().out.startswith("%% archdoc view cicd")
