"""The site folder is replaced as a whole by a build: refuse one whose loss would hurt.

Two checks, both in :func:`archdoc.build.build` itself, so every entry point (the CLI,
``python -m archdoc.build``, library callers) is protected, not only the CLI:

* :func:`unsafe_site` (before anything runs): the site folder must not be, or contain, the
  working directory, the repository, the model or the docs folder — never, not even with
  ``--force``;
* :func:`foreign_files` (under the build lock): a site folder that exists must hold only
  what an earlier build wrote there, as its manifest ``.archdoc-site.json`` lists. An
  ``index.html`` proves nothing (a web project, a home folder with a page in it), so a
  folder without that manifest, or with any file it does not list, is refused unless
  ``--force``; the message names the first foreign files.
"""

from __future__ import annotations

import os
from pathlib import Path

from archdoc.failures import Refusal
from archdoc.manifest import SITE_MANIFEST, read_listing, walk_files

__all__ = ["unsafe_site", "foreign_files", "check_site", "SHOWN_FOREIGN"]

SHOWN_FOREIGN = 5
"""How many foreign files the refusal names."""


def unsafe_site(site_dir: str, docs_dir: str | None, model_root: str | os.PathLike[str]) -> str | None:
    """Why ``site_dir`` must never be used, or None.

    The build *replaces the whole site folder* (it swaps in the new site), so a site folder
    that is or holds the working directory, the project, the docs or the model would take
    them with it.
    """
    from model.project import default_display_root

    site = Path(site_dir).resolve()
    if not os.fspath(site_dir).strip():
        return "--site-dir is empty; give the folder the site is written to (it is replaced as a whole)"
    model = Path(model_root).resolve()
    protected = {"the working directory": Path.cwd().resolve(), "the project": default_display_root(model),
                 "the model": model}
    if docs_dir is not None:
        protected["the docs folder"] = Path(docs_dir).resolve()
    for what, path in protected.items():
        if site == path or site in path.parents:
            return (f"--site-dir {site_dir} would replace {what} ({path}); the build replaces the whole "
                    "site folder, so give a separate folder such as ./site")
    return None


def foreign_files(site: Path) -> list[str]:
    """Files in ``site`` that its manifest does not list (all of them when it has none).

    Raises :class:`Refusal` (located) when the manifest exists but is not archdoc's.
    """
    if not os.path.isdir(site):
        return []
    listed = set(read_listing(site, SITE_MANIFEST, f"{site.name}/"))
    return [rel for rel in walk_files(site) if rel not in listed and rel != SITE_MANIFEST]


def check_site(site: Path, shown: str, force: bool = False) -> None:
    """Refuse (:class:`Refusal`, exit 2) a site folder holding files archdoc did not write.

    ``shown``: the folder as the user typed it. ``force`` replaces the folder anyway.
    """
    if os.path.lexists(site) and not os.path.isdir(site):
        raise Refusal(f"--site-dir {shown} exists and is not a folder")
    if force:
        return
    foreign = foreign_files(site)
    if foreign:
        more = f" and {len(foreign) - SHOWN_FOREIGN} more" if len(foreign) > SHOWN_FOREIGN else ""
        why = ("it has no archdoc site manifest (.archdoc-site.json)" if not os.path.lexists(site / SITE_MANIFEST)
               else "its manifest (.archdoc-site.json) does not list them")
        raise Refusal(f"--site-dir {shown} holds files archdoc did not write ({why}): "
                      f"{', '.join(foreign[:SHOWN_FOREIGN])}{more}; the build replaces the whole folder, so "
                      "give a new or empty folder, or pass --force to replace it anyway")
