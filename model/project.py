"""Finding the project: the folder whose ``archdoc.toml`` (or ``[tool.archdoc]`` in
``pyproject.toml``) names the model, the docs folder, the site folder and ``mkdocs.yml``.

Verbs find the project by walking up from the working directory, like git, ruff and
mkdocs do, so ``archdoc check`` run anywhere inside a clone checks *that* clone — never
the folder archdoc happens to be installed from. Every path in the configuration is
relative to the folder holding it; every key has a default::

    # archdoc.toml
    model = "model"          # a YAML file or a folder of *.yaml files
    docs = "docs"            # the MkDocs docs dir the generated pages are written into
    site = "site"            # the built site (and archdoc.pdf)
    mkdocs = "mkdocs.yml"    # the site configuration
    approved = "approved"    # approved versions' models: approved/<version>/ (archdoc extract)

In ``pyproject.toml`` the same keys live under ``[tool.archdoc]``. A configuration error
is a located problem (``archdoc.toml:3:1: E016 ...``), like any model error.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "archdoc.toml").write_text('model = "design"\\n', encoding="utf-8")
>>> (root / "sub" / "deeper").mkdir(parents=True)
>>> p = find_project(root / "sub" / "deeper")
>>> p.root == root, p.model == root / "design", p.docs == root / "docs"
(True, True, True)
>>> find_project(Path(tempfile.mkdtemp())) is None
True
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.errors import ModelError, Problem, did_you_mean

__all__ = ["Project", "find_project", "read_project", "default_display_root", "BUNDLED_MODEL", "CONFIG_FILE", "KEYS"]

CONFIG_FILE = "archdoc.toml"
KEYS: dict[str, str] = {"model": "model", "docs": "docs", "site": "site", "mkdocs": "mkdocs.yml",
                        "approved": "approved"}
"""Configuration keys and their defaults (paths relative to the project folder)."""
_MAX_BYTES = 1 << 20
BUNDLED_MODEL = Path(__file__).parent / "data"
"""The city's model, shipped with archdoc (the default model of a verb run outside any project)."""


@dataclass(frozen=True)
class Project:
    """A project: its folder, the file that configures it, and the paths it names."""

    root: Path
    config: Path
    model: Path
    docs: Path
    site: Path
    mkdocs: Path
    approved: Path
    """The folder of approved versions: ``<approved>/<version>/`` holds the model a version was
    approved on, as ``archdoc extract`` writes it from the approval PDF."""

    def describe(self) -> str:
        """One line for ``--verbose``: which project, configured where, and its paths."""
        rel = {k: _shown(getattr(self, k), self.root) for k in KEYS}
        return (f"project {self.root} ({self.config.name}): model {rel['model']}, docs {rel['docs']}, "
                f"site {rel['site']}, mkdocs {rel['mkdocs']}, approved {rel['approved']}")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _where(text: str, key: str) -> tuple[int, int]:
    """Line and column of ``key = ...`` in TOML text (1, 1 when not found)."""
    m = re.search(rf"^([ \t]*){re.escape(key)}[ \t]*=", text, re.M)
    return (text.count("\n", 0, m.start()) + 1, len(m.group(1)) + 1) if m else (1, 1)


def _table(path: Path) -> tuple[dict[str, Any], str] | None:
    """The archdoc table of ``path`` (None: a pyproject.toml without ``[tool.archdoc]``)."""
    try:
        raw = path.read_bytes()[:_MAX_BYTES + 1]
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError([Problem(str(path), 0, 0, "E016", f"cannot read the project configuration: {exc}")])
    if len(raw) > _MAX_BYTES:
        raise ModelError([Problem(str(path), 0, 0, "E016", "project configuration is larger than 1 MiB")])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ModelError([Problem(str(path), line, col, "E016", f"invalid TOML: {message}")])
    if path.name == CONFIG_FILE:
        return data, text
    tool = data.get("tool", {})
    table = tool.get("archdoc") if isinstance(tool, dict) else None
    return (table, text) if isinstance(table, dict) else None


def read_project(config: Path) -> Project:
    """The project configured by ``config`` (``archdoc.toml`` or a ``pyproject.toml`` with
    ``[tool.archdoc]``); raises :class:`ModelError` with located problems."""
    found = _table(config)
    if found is None:
        raise ModelError([Problem(str(config), 0, 0, "E016", "no [tool.archdoc] table")])
    table, text = found
    root = config.parent.resolve()
    problems: list[Problem] = []
    paths: dict[str, Path] = {}
    for key, value in table.items():
        if key not in KEYS:
            problems.append(Problem(str(config), *_where(text, key), "E016",
                                    f"unknown key '{key}'{did_you_mean(key, KEYS)}; keys: {', '.join(KEYS)}"))
        elif not isinstance(value, str) or not value.strip() or "\0" in value:
            problems.append(Problem(str(config), *_where(text, key), "E016",
                                    f"'{key}' must be a non-empty path (a string), got {value!r}"))
        else:
            paths[key] = Path(os.path.normpath(root / value))
    if problems:
        raise ModelError(problems)
    for key, default in KEYS.items():
        paths.setdefault(key, root / default)
    return Project(root, config, paths["model"], paths["docs"], paths["site"], paths["mkdocs"], paths["approved"])


def find_project(start: Path | None = None) -> Project | None:
    """The project of ``start`` (default: the working directory) or of its nearest parent.

    ``archdoc.toml`` wins over ``pyproject.toml`` in the same folder; a ``pyproject.toml``
    without ``[tool.archdoc]`` is not a project (the walk goes on upward).
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in (CONFIG_FILE, "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and (name == CONFIG_FILE or _table(candidate) is not None):
                return read_project(candidate)
    return None


def default_display_root(root: Path) -> Path:
    """Where a model's locations are shown from: the folder of the nearest project around
    the model (``archdoc.toml`` or ``[tool.archdoc]``; the city's ``model/data`` gives
    ``model/data/shared.yaml:42``), else the model folder itself (the file's folder). Moving a
    project, or a model folder outside any project, leaves every location unchanged."""
    base = root if root.is_dir() else root.parent
    try:
        found = find_project(base)
    except ModelError:  # an invalid configuration is reported by the verb that resolves the project
        found = None
    return found.root if found is not None else base
