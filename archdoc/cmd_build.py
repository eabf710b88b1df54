"""``archdoc build`` for the CLI: a thin wrapper around :func:`archdoc.build.build`.

Exit codes: 0 ok, 2 model or usage error (nothing written), 1 any other failure
(nothing written either: the build publishes only after every step succeeded).
"""

from __future__ import annotations

from archdoc.build import build

__all__ = ["run_build"]


def run_build(model_path: str | None = None, site_dir: str = "site", docs_dir: str | None = None,
              pdf: bool = False) -> int:
    """Build docs and the site from ``model_path`` (default: the bundled model); print progress."""
    return build(model_path, site_dir=site_dir, docs_dir=docs_dir, progress=lambda line: print(line, flush=True),
                 pdf=pdf)
