"""Loader behaviour: folders, merging, positions, the YAML refusals and the validate/schema commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archdoc.commands import validate as cmd_validate
from archdoc.commands.validate import run_schema, run_validate, schema_text
from model.errors import ModelError, Problem, display_path
from model.loader import DEFAULT_MODEL, Loaded, load_model
from model.schema import Model
from model.yaml import MAX_DEPTH, load_file, parse_text

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "good" / "mini"


@pytest.fixture(scope="module")
def mini() -> Loaded:
    return load_model(MINI)


def _line(file: str, line: int) -> str:
    return Path(file).read_text(encoding="utf-8").splitlines()[line - 1]


def test_mini_loads(mini: Loaded) -> None:
    m = mini.model
    assert [e.id for e in m.environments] == ["stg", "live"]
    assert [f.name for f in mini.files] == sorted(f.name for f in MINI.glob("*.yaml"))
    assert mini.root == MINI
    assert {n.kind.value for n in m.nodes} >= {"alb", "ecs-service", "rds"}
    assert len(m.security_groups) == 3 and len(m.views) == 1


def test_locate_points_into_the_right_file(mini: Loaded) -> None:
    file, line, col = mini.locate_id("nodes", "db")
    assert file.endswith("30-nodes.yaml") and _line(file, line)[col - 1:].startswith("id: db")
    file, line, col = mini.locate_id("subnets", "live-db-c")
    assert file.endswith("10-places.yaml") and "live-db-c" in _line(file, line)
    index = [n.id for n in mini.model.nodes].index("app")
    file, line, col = mini.locate("nodes", index, "at", "live", "fargate", "cpu")
    assert _line(file, line)[col - 1:].startswith("1024")
    file, line, col = mini.locate_key("nodes", index, "at", "live", "fargate", "cpu")
    assert _line(file, line)[col - 1:].startswith("cpu: 1024")
    with pytest.raises(KeyError):
        mini.locate_id("nodes", "no-such-node")


def test_locate_defaults_fall_back_to_the_nearest_written_ancestor(mini: Loaded) -> None:
    file, line, _ = mini.locate("nodes", 0, "draw")  # not written: a default
    assert "id: igw" in _line(file, line)
    assert mini.locate("nacls") == (str(MINI), 0, 0)  # no file defines it


def test_default_model_is_the_bundled_data() -> None:
    assert DEFAULT_MODEL == REPO / "model" / "data"


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_sections_concatenate_across_files_and_keep_origins(tmp_path: Path) -> None:
    for f in MINI.glob("*.yaml"):
        _write(tmp_path, f.name, f.read_text(encoding="utf-8"))
    _write(tmp_path, "50-more.yml", "flows:\n  - {source: alb, target: logs, kind: logs, envs: [stg]}\n")
    loaded = load_model(tmp_path)
    assert loaded.model.flows[-1].source == "alb"
    file, line, col = loaded.locate("flows", len(loaded.model.flows) - 1, "source")
    assert (Path(file).name, line, col) == ("50-more.yml", 2, 14)


def test_document_twice_and_unknown_section_in_a_folder(tmp_path: Path) -> None:
    for f in MINI.glob("*.yaml"):
        _write(tmp_path, f.name, f.read_text(encoding="utf-8"))
    _write(tmp_path, "99-extra.yaml", "document:\n  title: x\nnodez: []\n")
    with pytest.raises(ModelError) as info:
        load_model(tmp_path)
    lines = [str(p).replace(display_path(tmp_path), "D") for p in info.value.problems]
    assert lines == ["D/99-extra.yaml:1:1: E009 section 'document' is already defined in 00-document.yaml",
                     "D/99-extra.yaml:3:1: E008 unknown top-level section 'nodez' (did you mean 'nodes'?)"]


def test_problems_from_several_files_are_all_reported(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "a: 1\na: 2\n")
    _write(tmp_path, "b.yaml", "x: [\n")
    with pytest.raises(ModelError) as info:
        load_model(tmp_path)
    assert [(Path(p.path).name, p.code) for p in info.value.problems] == [("a.yaml", "E011"), ("b.yaml", "E010")]


def test_locations_keep_key_and_value_positions() -> None:
    loc = parse_text("nodes:\n  - id: a\n    at:\n      poc:\n        subnets: [s1, s2]\n", "m.yaml")
    path = ("nodes", 0, "at", "poc", "subnets", 1)
    assert loc.locations.value(path) == (5, 23)
    assert loc.locations.key(("nodes", 0, "at", "poc", "subnets")) == (5, 9)
    assert loc.locations.value(("nodes", 0, "at", "poc", "nope")) == (5, 9)


def test_yaml_12_scalars() -> None:
    data = parse_text("a: [yes, NO, on, 10:30, 0o17, 0x1f, 1.5, 2024-01-02, '443', ~, true]\n", "m.yaml").data
    assert data["a"] == ["yes", "NO", "on", "10:30", 15, 31, 1.5, dt.date(2024, 1, 2), "443", None, True]


@pytest.mark.parametrize("text, code", [
    ("a: 1\nb:\n  c: 1\n  c: 2\n", "E011"),
    ("a: !!python/name:os.system\n", "E012"),
    ("a: !custom x\n", "E012"),
    ("a: &x [*x]\n", "E014"),
    ("".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)), "E014"),
    ("a: " + "{b: " * 5000 + "}" * 5000 + "\n", "E014"),
    ("? [a, b]\n: c\n", "E015"),
    ("a: 1\n---\nb: 2\n", "E006"),
    ("'just a string'\n", "E007"),
    ("a: \x07\n", "E010"),
    ("a: *undefined\n", "E010"),
])
def test_yaml_refusals(text: str, code: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_text(text, "m.yaml")
    assert {p.code for p in info.value.problems} == {code}


def test_non_utf8_position(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(b"a: 1\nb: \xe6\x97\xa5\xff\n")  # "b: 日" then a stray byte
    with pytest.raises(ModelError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.col, problem.code) == (2, 5, "E004")


def test_problem_format_and_model_error_ordering(tmp_path: Path) -> None:
    a = Problem("b.yaml", 3, 1, "E050", "x")
    b = Problem("a.yaml", 9, 1, "E050", "y")
    error = ModelError([a, b, a])
    assert error.problems == (b, a)
    assert str(a) == "b.yaml:3:1: E050 x"
    far = Path("/") / "nowhere" / "x.yaml"
    assert display_path(far) == str(far) or not display_path(far).startswith("../../..")


def test_run_validate_summary_and_failure(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(str(MINI)) == 0
    out = capsys.readouterr()
    assert out.out == "OK: model valid (5 files, 9 nodes, 6 flows)\n" and out.err == ""


def test_run_validate_turns_a_crash_into_one_line(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(path: str | None) -> None:
        raise ValueError("surprise\nwith newline")

    monkeypatch.setattr(cmd_validate, "load_model", boom)
    assert run_validate("x.yaml") == 2
    err = capsys.readouterr().err
    assert err == "x.yaml:0:0: E099 internal error: ValueError: surprise with newline (a bug in archdoc)\n"


def test_schema_json_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    committed = (REPO / "model" / "archdoc.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "regenerate: python -c 'from archdoc.commands.validate import run_schema; " \
                                       "run_schema()' > model/archdoc.schema.json"
    assert run_schema() == 0
    assert capsys.readouterr().out == committed


def test_every_schema_field_is_documented_for_editors() -> None:
    """Editors show a field's JSON Schema description as help: every field has one (an attribute docstring)."""
    schema = Model.model_json_schema()
    undocumented = [f"{name}.{field}" for name, d in schema["$defs"].items()
                    for field, prop in d.get("properties", {}).items() if not prop.get("description")]
    assert undocumented == []
    assert all(prop.get("description") for prop in schema["properties"].values())


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes")
def test_a_fifo_or_device_is_refused_without_reading(tmp_path: Path) -> None:
    """A named pipe would block ``open()`` forever: E003 at once, alone or inside a model folder.

    Run in a subprocess with a timeout, so that a regression fails instead of hanging the suite.
    """
    import os
    import subprocess
    import sys

    fifo = tmp_path / "model.yaml"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.yaml").write_text((MINI / "00-document.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(folder / "b.yaml")
    for target, kind in ((fifo, "a FIFO (named pipe)"), (folder / "b.yaml", "a FIFO (named pipe)"),
                         (Path("/dev/null"), "a character device")):
        model = folder if target.parent == folder else target
        proc = subprocess.run([sys.executable, "-m", "archdoc", "validate", "--model", str(model)],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
        shown = target.relative_to(tmp_path) if target.is_relative_to(tmp_path) else target
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.splitlines() == [f"{shown}:0:0: E003 not a regular file: {kind}; "
                                            "give a YAML file or a folder of them"]
