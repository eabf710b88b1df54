"""``archdoc build`` for the CLI: a thin wrapper around :func:`archdoc.build.build`.

Exit codes: 0 ok, 2 model or usage error (nothing written), 1 any other failure
(nothing written either: the build publishes only after every step succeeded).

When nothing changed since the last build, one line says so and nothing is written (see
:mod:`archdoc.build`). Progress lines (``[2/5] gather pages ... ok``) go to stdout; a model error is printed like
every other verb prints it (``path:line:col: CODE message`` lines on stderr), and other
errors as ``archdoc build: message`` on stderr.

Defaults: for the bundled model, docs/ and site/ are the repository's, wherever the command
runs; for another model the site goes to ``./site`` and the generated docs are only staged
(kept only with ``--docs-dir``), so the bundled docs/ are never overwritten by mistake.

The site folder is replaced as a whole, so the build itself (:mod:`archdoc.site_guard`)
refuses one that would take other files with it: the working directory, the repository,
the model, the docs (always), or a folder holding files its site manifest does not list
(unless ``--force``). Two builds of the same folders take turns (``--no-wait``: fail
instead of waiting).
"""

from __future__ import annotations

import os
import re
import sys

from archdoc.build import build

__all__ = ["run_build"]

_PROBLEM = re.compile(r"^\S.*:\d+:\d+: [A-Z]\d{3} ")


def _progress(line: str) -> None:
    """Step lines to stdout; errors (``error: ...`` and located problems) to stderr."""
    if line.startswith("error: "):
        print(f"archdoc build: {line[len('error: '):]}", file=sys.stderr, flush=True)
    elif _PROBLEM.match(line):
        print(line, file=sys.stderr, flush=True)
    else:
        print(line, flush=True)


def run_build(model_path: str | None = None, site_dir: str | None = None, docs_dir: str | None = None,
              pdf: bool = False, force: bool = False, no_wait: bool = False,
              mkdocs_config: str | None = None) -> int:
    """Build docs and the site from ``model_path``; print progress.

    Without arguments the project of the working directory decides every path
    (:func:`archdoc.paths.resolve`); the CLI passes them all resolved.
    """
    from archdoc.build import load
    from archdoc.common import load_checked

    if model_path is None:
        from archdoc.common import project_paths

        paths = project_paths("build")
        if paths is None:
            return 2
        model_path, mkdocs_config = str(paths.model), str(paths.mkdocs)
        site_dir = str(paths.site) if site_dir is None else site_dir
        docs_dir = docs_dir or (str(paths.docs) if paths.docs else None)
    # loaded only when something changed; a model error then reads as in every other verb
    return build(model_path, site_dir="site" if site_dir is None else site_dir, docs_dir=docs_dir, progress=_progress,
                 pdf=pdf, loaded=lambda: load_checked(model_path, load), force=force, no_wait=no_wait,
                 mkdocs_config=mkdocs_config)
