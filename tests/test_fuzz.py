"""Property tests: no input makes validation crash.

Malformed bytes, YAML-looking noise and random edits of the bundled model must end in
either "valid" or a list of problems, never in an exception or an E099 internal error
(which :func:`archdoc.commands.validate.run_validate` would print for an unexpected crash).
"""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archdoc.commands.validate import run_validate
from model.errors import ModelError
from model.loader import DEFAULT_MODEL, load_located
from model.yaml import Located, Locations, load_file, parse_text

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "good" / "mini"
SOURCE = DEFAULT_MODEL if any(DEFAULT_MODEL.glob("*.yaml")) else MINI
# capsys is read (and so reset) in every example, which makes sharing it across examples safe.
SHARED_FIXTURE = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=SHARED_FIXTURE)
TMP = Path(tempfile.mkdtemp(prefix="archdoc-fuzz-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)  # hypothesis reuses one folder; leave none behind

TOKENS = ["a", "nodes", "id", ":", ": ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "'", '"',
          "# c", "---", "...", "1", "0x1f", "2024-13-45", "!!python/object/apply:os.system ", "!!str ",
          "!x ", "? ", "|", ">", "\t", "<<: ", "~", "\ufeff", "\x00", "é", "10.0.0.0/8", "true"]
VALUES = [443, "443", -1, 70000, None, True, [], {}, 1.5, "Foo_Bar", "10.0.0.300/24", {"x": 1}, ["a"], "", "alb"]


def _check_file(content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    path = TMP / "case.yaml"
    path.write_bytes(content)
    code = run_validate(str(path))
    err = capsys.readouterr().err
    assert code in (0, 2)
    assert "E099" not in err, err


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    _check_file(content, capsys)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_yamlish_text(capsys: pytest.CaptureFixture[str], text: str) -> None:
    _check_file(text.encode("utf-8", "surrogatepass"), capsys)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_parse_text_only_raises_model_error(text: str) -> None:
    try:
        parse_text(text, "m.yaml")
    except ModelError:
        pass


def _merged(folder: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for file in sorted(folder.glob("*.yaml")):
        for key, value in load_file(file).data.items():
            merged[key] = merged.get(key, []) + value if isinstance(value, list) else value
    return merged


SEED = _merged(SOURCE)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, prefix + (index,))
    return out


SEED_PATHS = [p for p in _paths(SEED) if p]


def _mutate(data: dict, path: tuple, op: str, value: Any) -> None:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "retype":
        parent[last] = copy.deepcopy(value)
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "rename" and isinstance(parent, dict):
        parent[str(last)[:-1] or "x"] = parent.pop(last)


EDIT = st.tuples(st.sampled_from(SEED_PATHS), st.sampled_from(["delete", "retype", "duplicate", "rename"]),
                 st.sampled_from(VALUES))


@settings(max_examples=120, deadline=None)
@given(st.lists(EDIT, min_size=1, max_size=3))
def test_mutated_model_only_raises_model_error(edits: list[tuple[tuple, str, Any]]) -> None:
    data = copy.deepcopy(SEED)
    for path, op, value in edits:
        try:
            _mutate(data, path, op, value)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier edit removed or retyped part of this path
    try:
        load_located(SOURCE, [Located(str(SOURCE / "model.yaml"), data, Locations())])
    except ModelError as exc:
        assert exc.problems and all(p.code != "E099" for p in exc.problems)


@settings(max_examples=25, deadline=None, suppress_health_check=SHARED_FIXTURE)
@given(st.sampled_from(sorted(MINI.glob("*.yaml"))), st.integers(min_value=0), st.sampled_from(TOKENS))
def test_mini_file_edits_through_yaml(capsys: pytest.CaptureFixture[str], file: Path, at: int, token: str) -> None:
    folder = TMP / "mini"
    folder.mkdir(exist_ok=True)
    for f in MINI.glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        if f == file:
            at %= len(text) + 1
            text = text[:at] + token + text[at:]
        (folder / f.name).write_text(text, encoding="utf-8", errors="surrogatepass")
    code = run_validate(str(folder))
    assert code in (0, 2)
    assert "E099" not in capsys.readouterr().err
