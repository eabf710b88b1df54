"""Which model, docs folder, site folder and ``mkdocs.yml`` a verb works on.

Flags win; otherwise the project decides (:mod:`model.project`: ``archdoc.toml`` or
``[tool.archdoc]``, found by walking up from the working directory, or named with
``--project``). A model given with ``--model`` that is some project's own model belongs to
that project, wherever the verb runs (``archdoc check --model examples/x/model`` from
another project checks ``examples/x``'s docs, and the build it advises writes them, not the
other project's site). Without a project a verb needs ``--model``, and for a model that is
no project's own:

* the generated docs are only staged unless ``--docs-dir`` is given (a model that is not
  the project's never writes over the project's docs);
* the site goes to ``./site`` unless ``--site-dir`` is given;
* the site is configured by the ``mkdocs.yml`` archdoc ships (:data:`DEFAULT_MKDOCS`).

Nothing here depends on where archdoc is installed: a venv built from one clone, run
inside another clone, works on the other clone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from model.project import CONFIG_FILE, Project, find_project, read_project

__all__ = ["Paths", "resolve", "describe", "NoProject", "DEFAULT_MKDOCS"]

DEFAULT_MKDOCS = Path(__file__).resolve().parent / "scaffold" / "mkdocs.yml"
"""The site configuration of a model outside any project (and what ``archdoc init`` writes)."""


class NoProject(Exception):
    """No project here and no ``--model``: the verb does not know what to work on."""


@dataclass(frozen=True)
class Paths:
    """What one verb works on."""

    project: Project | None
    """The project the paths come from (None: a model given with ``--model`` outside any project)."""
    model: Path
    docs: Path | None
    """The docs folder generated pages go into (None: staged only, never kept)."""
    site: Path
    mkdocs: Path

    @property
    def own(self) -> bool:
        """True when the model is the project's own model."""
        return self.project is not None and self.model.resolve() == self.project.model.resolve()


def _project_at(path: str) -> Project:
    """The project of ``--project PATH``: a folder holding its configuration, or the file itself."""
    target = Path(path)
    if target.is_dir():
        for name in (CONFIG_FILE, "pyproject.toml"):
            if (target / name).is_file():
                return read_project(target / name)
        raise NoProject(f"--project {path}: no {CONFIG_FILE} or pyproject.toml in that folder")
    if target.is_file():
        return read_project(target)
    raise NoProject(f"--project {path}: no such file or folder")


def _project_of(model: Path) -> Project | None:
    """The project whose own model ``model`` is (found by walking up from it), or None."""
    found = find_project(model if model.is_dir() else model.parent)
    return found if found is not None and found.model.resolve() == model.resolve() else None


def resolve(model: str | os.PathLike[str] | None = None, docs: str | os.PathLike[str] | None = None,
            site: str | os.PathLike[str] | None = None, project: str | None = None) -> Paths:
    """The paths a verb uses (see the module docstring); raises :class:`NoProject`, or
    :class:`~model.errors.ModelError` for an invalid project configuration."""
    found = _project_at(project) if project is not None else None
    if model is None:
        found = found or find_project()
        if found is None:
            raise NoProject(f"no archdoc project in {Path.cwd()} or its parents (no {CONFIG_FILE}, no [tool.archdoc] "
                            "in pyproject.toml); run 'archdoc init' to start one, or give --model PATH")
        model_path = found.model
    else:
        model_path = Path(os.path.normpath(Path(model).absolute()))
        found = found or _project_of(model_path) or find_project()
    own = found is not None and model_path.resolve() == found.model.resolve()
    docs_path = Path(docs).absolute() if docs is not None else (found.docs if own else None)
    site_path = Path(site).absolute() if site is not None else (found.site if own else Path("site").absolute())
    mkdocs = found.mkdocs if own and found.mkdocs.is_file() else DEFAULT_MKDOCS
    return Paths(found, model_path, docs_path, site_path, mkdocs)


def describe(paths: Paths) -> str:
    """One line for ``--verbose``."""
    if paths.project is not None and paths.own:
        return paths.project.describe()
    where = f"project {paths.project.root}, " if paths.project is not None else "no project, "
    return (f"{where}model {paths.model} (given with --model), docs {paths.docs or '(staged only)'}, "
            f"site {paths.site}, mkdocs {paths.mkdocs}")

