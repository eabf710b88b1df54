"""The libyaml fast path (model.yaml.fast) gives exactly what the Python loader gives.

``parse_text`` reads clean files with libyaml and everything else with the pure-Python
loader. These tests hold the two side by side: whenever the fast path answers, the Python
loader must accept the same text and produce the same data (types included) and the same
key and value positions; whenever it declines, ``parse_text`` must still give the Python
loader's message. Inputs: the bundled model, every fixture, YAML dumped from random data
in random styles, and YAML-looking noise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model.yaml.fast as yamlfast
from model.errors import ModelError
from model.yaml import parse_text
from model.yaml.exact import parse_exact

REPO = Path(__file__).resolve().parents[1]
def _utf8(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # refused before parsing: nothing for the two parsers to compare
        return False
    return True


FILES = sorted(p for p in [*REPO.glob("model/data/*.yaml"), *REPO.glob("tests/fixtures/**/*.yaml")] if _utf8(p))
PIECES = ["a", "b c", "日本語", "x:y", "x: y", "a #b", "?", "? x", "x?", "- x", "[", "]", "{", "}", ",", "'",
          '"', "\\", "*", "&", "!", "%", "@", "|", ">", "", " ", "1", "0x1F", "1e3", "yes", "~", "null",
          "2024-01-01", "10:30", "😀", "\u2028", "\x85", "\r", "\n", "a\nb", "<<", "\t", "\ufeff"]
TOKENS = [":", ": ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "'", '"', "# c", "---", "...", "?",
          "? ", "!!str ", "!x ", "|", ">", "\t", "<<: ", "~", "\ufeff", "日本", "\r\n", "%TAG ! tag:x,2000:\n",
          "a", "id", "1", "x: [a, b]", "{k: v}", "\u2028", "\x85"]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _typed(value: Any) -> Any:
    """The value with every leaf's type spelled out (so 1, 1.0 and True differ)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, repr(value))


def _python(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    try:
        return parse_exact(text, "m.yaml")
    except ModelError as exc:
        return [str(p) for p in exc.problems]
    except ValueError as exc:  # e.g. "\U7fffffff": PyYAML's own chr() error, outside this comparison
        return repr(exc)


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Assert the fast path agrees with the Python loader; True when it answered."""
    fast = yamlfast.fast_parse(text)
    slow = _python(text, monkeypatch)
    if fast is None:
        return False
    assert not isinstance(slow, (list, str)), (text, slow)
    data, locs = fast
    assert _typed(data) == _typed(slow.data)
    assert locs.keys == slow.locations.keys
    assert locs.values == slow.locations.values
    return True


@pytest.mark.skipif(not yamlfast.AVAILABLE, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_files_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    answered = _same(text, monkeypatch)
    if path.parent.name == "data":
        assert answered, "the bundled model must take the fast path"


def _data(leaf: st.SearchStrategy) -> st.SearchStrategy:
    return st.recursive(leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("".join), inner, max_size=4), max_leaves=20)


SCALARS = st.lists(st.sampled_from(PIECES), max_size=3).map("".join) | st.integers() | st.booleans() | st.none()


@pytest.mark.skipif(not yamlfast.AVAILABLE, reason="PyYAML without libyaml")
@FUZZ
@given(st.dictionaries(st.sampled_from(["a", "nodes", "日本", "x y"]), _data(SCALARS), min_size=1, max_size=3),
       st.sampled_from([None, False, True]), st.sampled_from([None, None, '"', "'", "|", ">"]),
       st.sampled_from([20, 80, 1000]), st.sampled_from([None, "\r\n"]))
def test_dumped_yaml_agrees(data, flow, style, width, line_break) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, width=width,
                              allow_unicode=True, line_break=line_break)
        _same(text, monkeypatch)


@pytest.mark.skipif(not yamlfast.AVAILABLE, reason="PyYAML without libyaml")
@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_yamlish_noise_agrees(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(text, monkeypatch)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: !!python/object/apply:os.system [ls]\n", "<<: {a: 1}\n", "a: {x: , y: }\n",
    "a: [b?c]\n", "a:\tb\n", "---\na: 1\n---\nb: 2\n", "a: " + "[" * 60 + "]" * 60 + "\n",
    "a: &x [1, 2]\nb: [*x, *x]\n", "a: |-#\n  x\n",
])
def test_parse_text_matches_the_python_loader(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        got: Any = parse_text(text, "m.yaml")
        got = (_typed(got.data), got.locations.keys, got.locations.values)
    except ModelError as exc:
        got = [str(p) for p in exc.problems]
    want = _python(text, monkeypatch)
    if not isinstance(want, list):
        want = (_typed(want.data), want.locations.keys, want.locations.values)
    assert got == want
