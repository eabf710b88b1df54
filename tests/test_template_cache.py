"""Compiled templates kept in archdoc's cache folder: faster, never a failure, same bytes (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jinja2 import DictLoader, Environment

from render.cache import cache_root, template_cache

ROOT = Path(__file__).resolve().parent.parent


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ARCHDOC_CACHE", str(tmp_path / "a"))
    assert cache_root() == tmp_path / "a"
    monkeypatch.delenv("ARCHDOC_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "archdoc"


def test_a_folder_that_cannot_be_made_gives_no_cache(tmp_path):
    (tmp_path / "file").write_text("x")
    assert template_cache(tmp_path / "file" / "cache") is None


def test_a_cache_that_cannot_be_read_or_written_is_a_miss(tmp_path):
    folder = tmp_path / "cache"
    cache = template_cache(folder)
    folder.rmdir()
    folder.write_text("not a folder any more")  # every read and write of the cache now fails
    env = Environment(loader=DictLoader({"t": "{{ a }}+{{ b }}"}), bytecode_cache=cache)
    assert env.get_template("t").render(a=1, b=2) == "1+2"


def test_pages_and_print_templates_are_kept_and_read_back(tmp_path):
    """Two processes load every page template and the print's: the first compiles and keeps
    them, the second reads them back (nothing is compiled or written again). The pages' golden
    files and ``archdoc check`` compare what the kept templates render."""
    script = ("from render.pages.templating import TEMPLATES, environment\n"
              "from render.print.document import _template\n"
              "for p in sorted(TEMPLATES.iterdir()):\n"
              "    environment().get_template(p.name)\n"
              "_template()\n")
    env = dict(os.environ, ARCHDOC_CACHE=str(tmp_path / "cache"))
    first = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    kept = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.cache")}
    templates = [p for p in (ROOT / "render" / "pages" / "templates").iterdir() if p.is_file()]
    assert len(kept) == len(templates) + 1  # every page template and the print's
    second = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.cache")} == kept


def test_check_reads_kept_templates_and_writes_none(tmp_path, monkeypatch):
    """``archdoc check`` writes nothing anywhere, the cache folder included; inside
    :func:`keep_nothing` a kept template is still read."""
    from render.cache import keep_nothing

    monkeypatch.setenv("ARCHDOC_CACHE", str(tmp_path / "cache"))
    script = ("import sys\n"
              "from archdoc.commands.check import run_check\n"
              "sys.exit(run_check(fix='archdoc build'))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ))
    assert out.returncode == 0, out.stdout + out.stderr
    assert not (tmp_path / "cache").exists()
    folder = tmp_path / "kept"
    env = Environment(loader=DictLoader({"t": "{{ a }}"}), bytecode_cache=template_cache(folder))
    env.get_template("t")
    kept = sorted(folder.iterdir())
    with keep_nothing():
        again = Environment(loader=DictLoader({"t": "{{ a }}", "u": "{{ b }}"}), bytecode_cache=template_cache(folder))
        assert again.get_template("t").render(a=1) == "1" and again.get_template("u").render(b=2) == "2"
    assert sorted(folder.iterdir()) == kept  # "u" was compiled, not kept
