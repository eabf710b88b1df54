"""MkDocs in a child started ahead, with the theme's compiled templates cached (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archdoc import publish
from archdoc.site_runner import Standby
from render.cache import template_cache_dir

CONFIG = """site_name: Runner
docs_dir: docs
site_dir: {site}
theme:
  name: material
  font: false
plugins:
  - search
markdown_extensions:
  - tables
  - toc:
      permalink: true
"""


def _project(root: Path, site: str = "site") -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Start\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    (root / "docs" / "second.md").write_text("# Second\n\nText.\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.format(site=site), encoding="utf-8")
    return config


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run(standby: Standby, cwd: Path, config: Path, *quiet: str) -> tuple[int, str]:
    assert standby.go(cwd, ["build", "--strict", *quiet, "-f", str(config)])
    code = standby.proc.wait(timeout=120)
    standby.output.seek(0)
    text = standby.output.read().decode("utf-8", "replace")
    standby.close()
    return code, text


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHDOC_CACHE", str(tmp_path / "cache"))
    return template_cache_dir()


def test_unused_standby_ends_at_once_and_says_nothing():
    standby = Standby()
    standby.proc.stdin.close()
    assert standby.proc.wait(timeout=60) == 0
    standby.output.seek(0)
    assert standby.output.read() == b""
    standby.close()


def test_cached_templates_change_no_byte_of_the_site(tmp_path, cache):
    """The site of a run that fills the cache, of one that reads it and of plain ``python -m
    mkdocs`` are the same bytes; the cache holds the theme's compiled templates."""
    config = _project(tmp_path / "p")
    assert _run(Standby(), tmp_path / "p", config, "-q") == (0, "")
    filled = _tree(tmp_path / "p" / "site")
    compiled = sorted(p.name for p in cache.iterdir())
    assert compiled and all(name.startswith("__jinja2_") and name.endswith(".cache") for name in compiled)
    assert _run(Standby(), tmp_path / "p", config, "-q") == (0, "")
    assert _tree(tmp_path / "p" / "site") == filled
    assert sorted(p.name for p in cache.iterdir()) == compiled  # read, not compiled again
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                            "-d", str(tmp_path / "plain")], cwd=tmp_path / "p", capture_output=True, text=True,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert plain.returncode == 0, plain.stderr
    assert _tree(tmp_path / "plain") == filled


def test_failure_reads_as_mkdocs_says_it(tmp_path, cache):
    config = _project(tmp_path / "p")
    (tmp_path / "p" / "docs" / "second.md").write_text("# Second\n\n[gone](missing.md)\n", encoding="utf-8")
    code, text = _run(Standby(), tmp_path / "p", config)
    assert code == 1
    assert "WARNING -  Doc file 'second.md' contains a link 'missing.md', but the target is not found among " \
           "documentation files." in text
    assert "Aborted with 1 warnings in strict mode!" in text


def test_modules_of_the_working_directory_stand_in_for_nothing(tmp_path, cache, monkeypatch):
    """The build runs in the user's project: a ``markdown.py`` there is not what MkDocs imports."""
    config = _project(tmp_path / "p")
    (tmp_path / "p" / "markdown.py").write_text("raise SystemExit('the project shadowed markdown')\n")
    monkeypatch.chdir(tmp_path / "p")
    assert _run(Standby(), tmp_path / "p", config, "-q") == (0, "")
    assert (tmp_path / "p" / "site" / "second" / "index.html").is_file()


def test_a_standby_gone_is_replaced(tmp_path, cache):
    """``go`` on a child that died says so; the site step then starts another child."""
    gone = Standby()
    gone.proc.kill()
    gone.proc.wait()
    assert gone.go(tmp_path, ["build"]) is False
    stage_root = tmp_path / "stage"
    config = _project(stage_root)
    run = publish.start_mkdocs(stage_root, stage_root / "docs", stage_root / "site", "Runner", config,
                               standby=Standby())
    run.finish()
    assert (stage_root / "site" / "index.html").is_file()


def test_a_build_runs_mkdocs_with_the_theme_cached(tmp_path):
    """``archdoc build`` (an example project, in a process of its own) runs MkDocs in its
    standby child: the Material theme's templates land in the cache folder it was given, under
    the key Jinja gives each (its name and file)."""
    import shutil

    import jinja2
    import material

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "three-tier-web", project)
    env = dict(os.environ, ARCHDOC_CACHE=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-m", "archdoc", "build", "--no-pdf"], cwd=project, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    base = Path(material.__file__).parent / "templates" / "base.html"
    key = jinja2.BytecodeCache().get_cache_key("base.html", str(base))
    folder = tmp_path / "cache" / f"templates-jinja-{jinja2.__version__}"
    assert (folder / f"__jinja2_{key}.cache").is_file()
    assert (project / "site" / "index.html").is_file()
