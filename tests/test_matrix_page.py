"""The reachability page's matrix says what ``archdoc reach`` says, for every pair (issue 13).

Each cell of the generated ``reachability.md`` matrix is read back and compared with the
query the CLI runs for the same (environment, source, target, port): ✓ when reachable,
✗ with the first blocker the CLI prints as ``[遮断]``, △ with the first ``[条件]``.
"""

from __future__ import annotations

import re

import pytest

from analysis.analyze import analyze
from archdoc.build import gather
from archdoc.commands.reach import format_result
from model.loader import load_model


@pytest.fixture(scope="module")
def analysis():
    return analyze(load_model())


@pytest.fixture(scope="module")
def page(analysis) -> str:
    return gather(analysis.loaded, analysis).pages["reachability.md"]


def _cells(line: str) -> list[str]:
    """The cells of one Markdown table row, escapes undone."""
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    cells = [re.sub(r'<span class="nb">(.*?)</span>', r"\1", c) for c in cells]  # no-break markup
    return [re.sub(r"\\(.)", r"\1", c).strip() for c in cells]


def _matrices(page: str, analysis) -> dict[str, list[list[str]]]:
    """Environment id -> the matrix table rows (header first) of its section of the page."""
    names = {analysis.ix.envs[e].name: e for e in analysis.envs}
    out: dict[str, list[list[str]]] = {}
    for section in re.split(r"^## ", page, flags=re.M)[1:]:
        env = names.get(section.splitlines()[0].strip())
        if env is None:  # the isolation section between environments
            continue
        matrix = section.split("### 到達性マトリクス", 1)[1].split("\n|", 1)[1]
        table = ("|" + matrix).split("\n\n", 1)[0]  # the first table only (a code legend follows)
        rows = [line for line in table.splitlines() if line.startswith("|") and not line.startswith("|---")]
        out[env] = [_cells(r) for r in rows]
    return out


def _reach_says(text: str) -> str:
    """The cell the CLI's answer calls for: first [遮断] code, else first [条件] code, else ✓."""
    hard = re.findall(r"^  - \[遮断\] (\S+) @", text, re.M)
    cond = re.findall(r"^  - \[条件\] (\S+) @", text, re.M)
    verdict = re.search(r"：?: (到達可能|到達不可|条件付き)（", text.splitlines()[0]).group(1)
    if verdict == "到達不可":
        return f"✗ {hard[0]}"
    return f"△ {cond[0]}" if verdict == "条件付き" else "✓"


def test_every_matrix_cell_is_what_reach_reports(page, analysis):
    ix = analysis.ix
    label_of = {a.id: a.label for a in ix.model.actors}
    matrices = _matrices(page, analysis)
    assert sorted(matrices) == sorted(analysis.envs)
    checked = blocked = 0
    for env, rows in matrices.items():
        q = analysis.network(env)
        sources = {label_of.get(s, s): s for s in q.sources}
        columns = [tuple(c.rsplit(":", 1)) for c in rows[0][1:]]
        assert len(rows) - 1 == len(q.sources)
        for row in rows[1:]:
            source = sources[row[0]]
            for (target, port), cell in zip(columns, row[1:]):
                if source == target:
                    assert cell == "—"
                    continue
                expected = _reach_says(format_result(q.reach(source, target, int(port))))
                assert cell == expected, (env, source, target, port)
                checked += 1
                blocked += cell.startswith("✗")
    assert checked == sum(c is not None for env in analysis.envs for row in analysis.matrix(env).rows
                          for c in row.cells)
    assert blocked > 0


def test_a_hard_blocker_wins_over_an_earlier_condition(page, analysis):
    """The path of a WAF-protected ALB can list a rate-limit condition before a geo block:
    the cell names the geo block, which is why the path is unreachable."""
    mixed = [(env, r) for env in analysis.envs for row in analysis.matrix(env).rows for r in row.cells
             if r is not None and r.verdict == "unreachable" and r.blockers[0].conditional]
    assert mixed, "the seed has a path whose first listed blocker is only a condition"
    matrices = _matrices(page, analysis)
    label_of = {a.id: a.label for a in analysis.ix.model.actors}
    for env, r in mixed:
        rows = matrices[env]
        col = rows[0].index(f"{r.target}:{r.port}")
        row = next(x for x in rows[1:] if x[0] == label_of.get(r.source, r.source))
        first_hard = next(b.code for b in r.blockers if not b.conditional)
        assert row[col] == f"✗ {first_hard}" and first_hard != r.blockers[0].code
