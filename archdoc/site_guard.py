"""The site folder is replaced as a whole by a build: refuse one whose loss would hurt.

Called by :func:`archdoc.build.build` itself, so every entry point (the CLI,
``python -m archdoc.build``, library callers) is protected, not only the CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["unsafe_site"]

_SITE_MARKERS = ("index.html", "sitemap.xml")


def unsafe_site(site_dir: str, docs_dir: str | None, model_root: str | os.PathLike[str]) -> str | None:
    """Why ``site_dir`` must not be used, or None.

    The build *replaces the whole site folder* (it swaps in the new site), so a site folder
    that holds anything else — the working directory, the repository, the docs or the model,
    a folder of other files — would be lost. Only a new or empty folder, or one holding an
    earlier MkDocs build (``index.html`` or ``sitemap.xml``), is accepted.
    """
    from archdoc.common import REPO_ROOT

    site = Path(site_dir).resolve()
    if not os.fspath(site_dir).strip():
        return "--site-dir is empty; give the folder the site is written to (it is replaced as a whole)"
    protected = {"the working directory": Path.cwd().resolve(), "the repository": REPO_ROOT,
                 "the model": Path(model_root).resolve()}
    if docs_dir is not None:
        protected["the docs folder"] = Path(docs_dir).resolve()
    for what, path in protected.items():
        if site == path or site in path.parents:
            return (f"--site-dir {site_dir} would replace {what} ({path}); the build replaces the whole "
                    "site folder, so give a separate folder such as ./site")
    if site.is_dir() and any(site.iterdir()) and not any((site / m).exists() for m in _SITE_MARKERS):
        return (f"--site-dir {site_dir} holds files that are not a built site; the build replaces the whole "
                "folder, so give a new or empty folder (or remove its contents first)")
    return None
