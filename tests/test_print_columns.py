"""Column widths of the print's tables (render/print/columns.py): what may wrap, what may not.

Widths are compared with :func:`text_mm` of the very pieces that must stay whole, so the
tests hold whatever font fontconfig resolves (or the estimate without one).
"""

from __future__ import annotations

import pytest

from render.print.columns import SAFETY, Widths, cell_widths, column_widths, share, text_mm

PT = 8.5


def narrow(cell: str, header: bool = False) -> float:
    return cell_widths(cell, PT, header)[0]


def test_a_nowrap_span_is_one_piece_even_with_spaces_and_japanese():
    cell = '説明 <span class="nb">SG_INGRESS_DENIED ほか2件</span> です'
    assert narrow(cell) == pytest.approx(text_mm("SG_INGRESS_DENIED ほか2件", PT) * SAFETY)


def test_japanese_wraps_between_characters_but_not_before_closing_punctuation():
    assert narrow("設計書に記載") == pytest.approx(max(text_mm(c, PT) for c in "設計書に記載") * SAFETY)
    assert narrow("記載なし。") == pytest.approx(text_mm("し。", PT) * SAFETY)
    assert narrow("（仮定）") == pytest.approx(text_mm("（仮", PT) * SAFETY)


def test_a_latin_word_stays_whole_and_wbr_is_a_break():
    assert narrow("to ap-northeast-1a now") == pytest.approx(text_mm("ap-northeast-1a", PT) * SAFETY)
    assert narrow("ALB_<wbr>NO_<wbr>HTTPS_<wbr>LISTENER") == pytest.approx(text_mm("LISTENER", PT) * SAFETY)


def test_header_cells_and_strong_text_are_measured_bold_and_br_starts_a_line():
    bold = narrow("<strong>Backend</strong>")
    assert bold == pytest.approx(text_mm("Backend", PT, bold=True) * SAFETY) == narrow("Backend", header=True)
    one_line = cell_widths("alpha<br>beta gamma", PT)[1]
    assert one_line == pytest.approx(text_mm("beta gamma", PT) * SAFETY)


def test_columns_get_at_least_their_narrowest_width_and_share_the_rest():
    rows = ("<thead><tr><th>ID</th><th>説明</th></tr></thead><tbody>"
            '<tr><td><span class="nb">poc-backend-cognito</span></td><td>' + "長い説明文" * 20 + "</td></tr></tbody>")
    widths = column_widths(rows, PT, 1.6)
    assert widths.mins[0] > text_mm("poc-backend-cognito", PT) + 3.2
    shared = share(list(widths.mins), list(widths.maxs), 178)
    assert sum(shared) == pytest.approx(178) and shared[0] >= widths.mins[0] and shared[1] > shared[0]
    assert widths.colgroup(178).count("<col ") == 2


def test_spanning_cells_keep_the_automatic_layout():
    assert column_widths('<tr><td colspan="2">x</td></tr><tr><td>a</td><td>b</td></tr>', PT, 1.6) is None
    assert column_widths("", PT, 1.6) is None


def test_a_table_too_wide_for_the_page_keeps_every_minimum():
    w = Widths((120.0, 90.0), (200.0, 300.0))
    assert share(list(w.mins), list(w.maxs), 178) == [120.0, 90.0]
