"""``mkdocs build`` in a child started ahead: its imports done while the build gathers, its
theme's compiled templates kept between builds (:mod:`render.cache`).

A cold build's site step is MkDocs' whole run: the interpreter, MkDocs, Material and Markdown
imported (about 0.15 s on the reference machine), Material's 40 templates compiled by Jinja (about
0.1-0.15 s), then the pages. :class:`Standby` starts ``python -m archdoc.site_runner`` when the build
starts; the child imports what every MkDocs build needs and waits for one line of JSON on its
standard input (:meth:`Standby.go`): the folder to run in and the arguments of MkDocs' command
line. It then runs that command line as ``python -m mkdocs`` would (same output, same exit
status), with a Jinja bytecode cache (:func:`render.cache.template_cache`) on the theme's environment.
An empty standard input (the build needed no site, or failed first) ends the child at once.

The cache changes no byte of the site.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

__all__ = ["Standby", "WARM_MODULES"]

WARM_MODULES = ("mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults", "mkdocs.contrib.search",
                "material.plugins.search.plugin", "markdown.extensions.toc", "markdown.extensions.tables",
                "markdown.extensions.attr_list", "markdown.extensions.md_in_html", "markdown.extensions.admonition")
"""What the child imports before it is told what to build (MkDocs, the Material theme's search,
the Markdown extensions archdoc's ``mkdocs.yml`` names; others are imported when the run needs them)."""


class Standby:
    """The child, started and importing; :meth:`go` gives it its build (once)."""

    def __init__(self) -> None:
        from render.children import tied

        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
        self.output: IO[bytes] = tempfile.TemporaryFile()
        try:
            # -P: the working directory (a user's project) is not on the path, so nothing in it
            # can stand in for a module MkDocs imports
            self.proc = subprocess.Popen(tied([sys.executable, "-P", "-m", "archdoc.site_runner"]),
                                         stdin=subprocess.PIPE, stdout=self.output, stderr=subprocess.STDOUT,
                                         env=env)
        except BaseException:
            self.output.close()
            raise

    def go(self, cwd: Path, args: list[str]) -> bool:
        """Run ``mkdocs *args`` in ``cwd``; False when the child is gone (start another)."""
        from render.cache import template_cache_dir

        line = json.dumps({"cwd": str(cwd), "args": args, "cache": str(template_cache_dir())}) + "\n"
        try:
            self.proc.stdin.write(line.encode("utf-8"))
            self.proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            self.close()
            return False
        return True

    def close(self) -> None:
        """End a child that was not given a build (or is no longer needed) and release its output."""
        try:
            if self.proc.stdin is not None and not self.proc.stdin.closed:
                self.proc.stdin.close()  # empty input: it ends by itself
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.output.close()


def _cache_templates(folder: str) -> None:
    """Give every theme environment MkDocs makes a bytecode cache in ``folder``."""
    import jinja2
    from mkdocs.theme import Theme

    from render.cache import template_cache

    # MkDocs' on_env event would need a plugin named in the site's configuration (the project's
    # file, which Zensical also reads); this child wraps the one method that makes the theme's
    # environment instead, and does without the cache if a later MkDocs has no such method
    cache = template_cache(Path(folder))
    make_env = getattr(Theme, "get_env", None)
    if cache is None or make_env is None:
        return  # no cache folder (a read-only home): the templates are compiled as before

    def get_env(theme: Theme) -> jinja2.Environment:
        env = make_env(theme)
        env.bytecode_cache = cache
        return env

    Theme.get_env = get_env


def main() -> int:
    import importlib

    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # only a head start: MkDocs imports what its configuration names, and says what is missing
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    order = json.loads(line)
    os.chdir(order["cwd"])
    if order.get("cache"):
        _cache_templates(order["cache"])
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", *order["args"]]
    return cli(prog_name="mkdocs")


if __name__ == "__main__":
    sys.exit(main())
