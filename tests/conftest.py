"""Shared test paths, fixtures and helpers.

Paths are module constants (usable in ``parametrize``): ``REPO``, ``MINI`` (the small second
model, ``tests/fixtures/good/mini``), ``GOOD`` and ``BAD`` (the fixture folders). Models built
in memory (``model.model_copy(update=...)``) have no file locations; :func:`loaded_of` wraps
them so they go through the same analysis entry points as a loaded model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.analyze import Analysis, analyze
from analysis.graph import EnvGraph, build_graph
from model.loader import Loaded, load_model
from model.schema import Model

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
MINI = GOOD / "mini"

PROMISES = GOOD / "promises"
SG_OLD = "{direction: inbound, protocol: tcp, port: 5432, sg: app-sg, purpose: アプリからのDB接続}"
SG_NEW = "{direction: inbound, protocol: tcp, port: 5433, sg: app-sg, purpose: アプリからのDB接続}"
"""A rule of the mini model's db-sg (20-filtering.yaml), and the same rule on another port."""

__all__ = ["REPO", "FIXTURES", "GOOD", "BAD", "MINI", "PROMISES", "loaded_of", "graph_of", "analysis_of", "variant",
           "mini_project", "edit", "cli", "SG_OLD", "SG_NEW"]


def loaded_of(m: Model | Loaded) -> Loaded:
    """``m`` itself when loaded from files, else the in-memory model without locations."""
    return m if isinstance(m, Loaded) else Loaded.unlocated(m)


def graph_of(m: Model | Loaded, env: str) -> EnvGraph:
    return build_graph(loaded_of(m), env)


def analysis_of(m: Model | Loaded) -> Analysis:
    return analyze(loaded_of(m))


def variant(tmp: Path, base: Path, *edits: tuple[str, str, str]) -> Loaded:
    """A copy of the fixture folder ``base`` under ``tmp`` with ``(file, old, new)`` text edits
    (each ``old`` must occur exactly once), loaded with its own file locations."""
    import shutil

    folder = tmp / base.name
    shutil.copytree(base, folder)
    for name, old, new in edits:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old, text.count(old))
        path.write_text(text.replace(old, new), encoding="utf-8")
    return load_model(folder)


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) with ``new`` in the text file ``path``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old, text.count(old))
    path.write_text(text.replace(old, new), encoding="utf-8")


def mini_project(root: Path) -> Path:
    """A project folder ``root`` (``archdoc.toml``, ``model/``) holding a copy of the mini model."""
    import shutil

    shutil.copytree(MINI, root / "model")
    (root / "archdoc.toml").write_text('model = "model"\n', encoding="utf-8")
    return root


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, folder: Path,
        *argv: str) -> tuple[int, str, str]:
    """Run ``archdoc ARGV`` in ``folder``; (exit code, stdout, stderr)."""
    from archdoc.cli import main

    monkeypatch.chdir(folder)
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="session")
def seed() -> Loaded:
    """The bundled (city) model, loaded once."""
    return load_model()


@pytest.fixture(scope="session")
def seed_analysis(seed: Loaded) -> Analysis:
    return analyze(seed)


@pytest.fixture(scope="session")
def mini() -> Loaded:
    return load_model(MINI)
