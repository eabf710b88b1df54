"""Golden tests: each tests/fixtures/bad/NNN-*.yaml gives exactly the lines in NNN-*.expected.

The cases are the valid ``_base.yaml`` with one mistake each; the goldens pin both the
position and the wording, since those are what model authors read in CI logs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archdoc.commands.validate import run_validate
from model.errors import display_path

from conftest import BAD, REPO  # noqa: E402
CASES = sorted(BAD.glob("[0-9][0-9][0-9]-*.yaml"))


def _validate(path: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run_validate(path)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_fixture(case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = _validate(str(case.relative_to(REPO)), capsys)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert code == 2
    assert out == ""
    assert err.splitlines() == expected


def test_cases_and_goldens_pair_up() -> None:
    assert len(CASES) >= 40
    goldens = sorted(BAD.glob("*.expected"))
    assert [p.stem for p in goldens] == [p.stem for p in CASES]


def test_base_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _validate(str(BAD / "_base.yaml"), capsys)
    assert (code, err) == (0, "")
    assert out.startswith("OK: model valid (1 files,")


def test_missing_path(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = _validate("tests/fixtures/bad/does-not-exist.yaml", capsys)
    assert code == 2
    assert err == "tests/fixtures/bad/does-not-exist.yaml:0:0: E001 no such file or directory\n"


def test_folder_without_model_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a model\n", encoding="utf-8")
    code, _, err = _validate(str(tmp_path), capsys)
    assert code == 2
    assert err == f"{display_path(tmp_path)}:0:0: E002 no model files (*.yaml, *.yml) in folder\n"


def test_file_over_size_limit_is_refused_before_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.yaml"
    base = (BAD / "_base.yaml").read_text(encoding="utf-8")
    big.write_text(base + "# padding\n" * 110_000, encoding="utf-8")
    size = big.stat().st_size
    assert size > 1 << 20
    code, _, err = _validate(str(big), capsys)
    assert code == 2
    assert err == (f"{display_path(big)}:0:0: E003 file is {size} bytes, "
                   f"over the limit of {1 << 20} bytes (1 MiB)\n")
