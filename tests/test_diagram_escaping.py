"""Hostile label text must render literally through real ``dot``, and Japanese must not be tofu."""

from __future__ import annotations

import html
import re
import struct
import subprocess
import zlib

import pytest

from render.diagrams.dot import to_dot
from render.diagrams.files import RenderError, render_views
from render.diagrams.spec import Box, DiagramEdge, DiagramNode, DiagramSpec, LegendEntry
from render.diagrams import dot_summary
from render.diagrams.dot_text import quote, unquote, wrap

HOSTILE = ["<b>x</b>", "<内部>", 'ECS "api"', "NAT & GW", "C:\\x\\n", "a|b{c}", "\\N \\G", "🚀 ロケット",
           "x\ny", "'; DROP", "]]> -->", "\\"]


def _spec() -> DiagramSpec:
    box = Box("b1", "<VPC> & \"x\" \\", "vpc")
    nodes = tuple(DiagramNode(f"n{i}", text, "alb", "aws/network/elb-application-load-balancer.png", "b1")
                  for i, text in enumerate(HOSTILE))
    edges = tuple(DiagramEdge(f"e{i}", f"n{i}", f"n{i + 1}", HOSTILE[-1 - i], i % 2 == 0)
                  for i in range(len(HOSTILE) - 1))
    return DiagramSpec("hostile", "<title> & \"t\"", "TB", (box,), nodes, edges,
                       (LegendEntry("solid", "<s>"), LegendEntry("dashed", "a\\b")))


@pytest.fixture(scope="module")
def hostile_svg(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    dot = to_dot(_spec())
    render_views({"hostile": dot}, out)
    return dot, (out / "hostile.svg").read_text(encoding="utf-8")


def test_hostile_labels_render_literally(hostile_svg):
    dot, svg = hostile_svg
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for label in HOSTILE:
        for line in (w for part in label.split("\n") for w in wrap(part)):
            assert line in texts, line
    assert "<VPC> & \"x\" \\" in texts


def test_hostile_labels_round_trip_through_summary(hostile_svg):
    dot, _ = hostile_svg
    nodes, edges, boxes = dot_summary(dot)
    assert {label for _, label in nodes} == {"\n".join(wrap(label)) for label in HOSTILE}
    assert ("b1", "<VPC> & \"x\" \\") in boxes
    assert len(edges) == len(HOSTILE) - 1


@pytest.mark.parametrize("text", HOSTILE + ["", "\x00bell\x07"])
def test_quote_round_trip(text):
    token = quote(text)
    assert token.startswith('"') and token.endswith('"')
    assert unquote(token) == text.replace("\x00", "").replace("\x07", "")


def test_dot_error_is_reported(tmp_path):
    with pytest.raises(RenderError) as err:
        render_views({"broken": "digraph { a -> }\n"}, tmp_path)
    assert err.value.view == "broken"


# ---------------------------------------------------------------- Japanese glyphs (no tofu)

def _png_ink(data: bytes) -> tuple[int, bytes]:
    """(count of dark pixels, their bitmap) of an 8-bit RGB(A) PNG, decoded with zlib only."""
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, color = struct.unpack(">IIBB", body[:10])
            channels = {2: 3, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            p = {0: 0, 1: a, 2: b, 3: (a + b) // 2}.get(f)
            if p is None:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + p) & 0xFF
        rows.append(bytes(1 if line[x] < 128 else 0 for x in range(0, stride, channels)))
        prev = line
    bitmap = b"".join(rows)
    return sum(bitmap), bitmap


def _render_text(text: str) -> bytes:
    dot = f'digraph {{ node [shape=plaintext, fontname="Noto Sans CJK JP", fontsize=28]; a [label={quote(text)}]; }}'
    return subprocess.run(["dot", "-Tpng"], input=dot.encode("utf-8"), capture_output=True, check=True).stdout


def test_japanese_is_not_tofu():
    kanji, boxes = _png_ink(_render_text("監視")), _png_ink(_render_text("□□"))
    assert kanji[0] > 0 and boxes[0] > 0
    assert kanji[1] != boxes[1]
    assert kanji[0] > boxes[0] * 1.3  # 監視 has far more strokes than two empty squares


LONGEST = 2000  # the schema's Text limit: what validates must render


def test_labels_as_long_as_the_schema_allows_render_cut_with_an_ellipsis(tmp_path):
    """Graphviz fails ("too large for cairo-renderer bitmaps") on a node as tall as 2,000
    wrapped characters; diagrams cut labels to MAX_LINES lines, the tooltip keeps the text."""
    from render.diagrams.dot_text import ELLIPSIS, MAX_LINE_WIDTH, MAX_LINES, text_width

    texts = ["a" * LONGEST, "監" * LONGEST, ("word " * LONGEST)[:LONGEST], ("x\n" * LONGEST)[:LONGEST]]
    box = Box("b1", "箱" * LONGEST, "vpc")
    nodes = tuple(DiagramNode(f"n{i}", text, "alb", "aws/network/elb-application-load-balancer.png", "b1",
                              notes=("[SG: " + "s" * LONGEST + "]",)) for i, text in enumerate(texts))
    edges = (DiagramEdge("e0", "n0", "n1", "辺" * LONGEST, False),)
    spec = DiagramSpec("long", "題" * LONGEST, "TB", (box,), nodes, edges, ())
    dot = to_dot(spec)
    report = render_views({"long": dot}, tmp_path)
    assert report.rendered == ["long"] and (tmp_path / "long.png").stat().st_size > 0
    drawn, edge_labels, boxes = dot_summary(dot)
    for _, label in drawn:
        *lines, note = label.split("\n")
        assert 1 <= len(lines) <= MAX_LINES and lines[-1].endswith(ELLIPSIS) and note.endswith(ELLIPSIS), label
        assert all(text_width(line) <= MAX_LINE_WIDTH for line in [*lines, note]), label
    assert len(drawn) == len(texts) and {len(label.split("\n")) for _, label in drawn} == {2, MAX_LINES + 1}
    assert f'tooltip={quote(texts[0] + " [SG: " + "s" * LONGEST + "]")}' in dot
    assert all(len(label.split("\n")) <= MAX_LINES for _, _, label in edge_labels)
    assert all(len(label.split("\n")) <= MAX_LINES for _, label in boxes)
