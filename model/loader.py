"""Load a model from one YAML file or a folder of them, validate it, and remember where things are.

Everything downstream (diagrams, pages, reachability, findings) needs the validated
:class:`~model.schema.Model` *and* a way to say "this rule is defined at
prod.yaml:120:9". :func:`load_model` returns both as :class:`Loaded`. It reports every
problem of a load at once, each with file, line and column, and never returns a model
that failed the schema or the rules in :mod:`model.rules`.

>>> loaded = load_model()
>>> loaded.where_id("nodes", "alb"), loaded.where_id("security_groups", "rds-sg")
('model/data/nodes.yaml:83', 'model/data/shared.yaml:58')
>>> Loaded.unlocated(loaded.model).where("nodes", 0) is None
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model import rules
from model.errors import ModelError, Problem, did_you_mean
from model.project import BUNDLED_MODEL, default_display_root
from model.schema import Model
from model.schema.messages import translate
from model.yaml import Located, load_file

__all__ = ["Loaded", "load_model", "load_located", "DEFAULT_MODEL", "SECTIONS", "default_display_root"]

DEFAULT_MODEL = BUNDLED_MODEL
SECTIONS: tuple[str, ...] = tuple(Model.model_fields)
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Loaded:
    """A validated model plus the files it came from and where each item is written."""

    model: Model
    root: Path
    files: tuple[Path, ...]
    located: tuple[Located, ...] = field(repr=False, compare=False)
    origins: dict[tuple, tuple[int, tuple]] = field(repr=False, compare=False)
    """(section,) or (section, merged index) -> (file index, path prefix in that file)."""
    display_root: Path | None = field(default=None, compare=False)
    """Locations in reports (:meth:`where`) are shown relative to this folder; None: file names only."""

    @classmethod
    def unlocated(cls, model: Model, root: str | os.PathLike[str] = "<model>") -> "Loaded":
        """A model built in memory (synthetic or test models): :meth:`where` answers None."""
        return cls(model, Path(root), (), (), {}, None)

    @cached_property
    def _ids(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for section in SECTIONS:
            items = getattr(self.model, section)
            if isinstance(items, tuple):
                table: dict[str, int] = {}
                for index, item in enumerate(items):
                    item_id = getattr(item, "id", None)
                    if item_id is not None:
                        table.setdefault(item_id, index)
                out[section] = table
        return out

    @cached_property
    def _where_memo(self) -> dict[tuple, str | None]:
        return {}

    @cached_property
    def _where_id_memo(self) -> dict[tuple, str | None]:
        return {}

    def index_of(self, section: str, item_id: str) -> int | None:
        """Index of the first item of a top-level list section with that id, or None."""
        return self._ids.get(section, {}).get(item_id)

    def where(self, *keys: Any) -> str | None:
        """``file:line`` of the value at ``keys`` for reports, or None for an unlocated model.

        The file is shown relative to :attr:`display_root` (``/`` separators), so generated
        pages are the same wherever the command runs.
        """
        if not self.located or any(k is None for k in keys):
            return None
        memo = self._where_memo
        if keys not in memo:
            file, line, _col = self.locate(*keys)
            shown = _display(file, self.display_root)
            memo[keys] = f"{shown}:{line}" if line else shown
        return memo[keys]

    def where_id(self, section: str, item_id: str, *more: Any) -> str | None:
        """:meth:`where` of the item of ``section`` with that id (and ``more`` keys below it)."""
        # asked at every hop of every path the analysis walks (a hop names where its setting is
        # written): remembered by id as :meth:`where` is by index
        key = (section, item_id, *more)
        memo = self._where_id_memo
        if key not in memo:
            index = self.index_of(section, item_id)
            memo[key] = None if index is None else self.where(section, index, *more)
        return memo[key]

    def _where(self, keys: tuple) -> tuple[int, tuple] | None:
        if len(keys) >= 2 and (keys[0], keys[1]) in self.origins:
            index, prefix = self.origins[(keys[0], keys[1])]
            return index, prefix + keys[2:]
        if keys and (keys[0],) in self.origins:
            return self.origins[(keys[0],)][0], keys
        return None

    def locate(self, *keys: Any) -> tuple[str, int, int]:
        """(file, line, col) of the value at ``keys`` in the merged model, e.g. ``locate("nodes", 3, "kind")``.

        A path that is not written in any file (a default, a missing section) gives the
        nearest written ancestor, or ``(root, 0, 0)``.
        """
        return self._locate(tuple(keys), key=False)

    def locate_key(self, *keys: Any) -> tuple[str, int, int]:
        """Like :meth:`locate`, but the position of the key itself (for 'unknown key' style messages)."""
        return self._locate(tuple(keys), key=True)

    def locate_id(self, section: str, item_id: str) -> tuple[str, int, int]:
        """Where the item with ``id == item_id`` of a top-level list section is defined."""
        for index, item in enumerate(getattr(self.model, section)):
            if getattr(item, "id", None) == item_id:
                return self.locate(section, index)
        raise KeyError(f"no {section} item with id '{item_id}'")

    def problem(self, code: str, message: str, *keys: Any, key: bool = False) -> Problem:
        """A :class:`Problem` positioned at ``keys`` (the key itself when ``key``)."""
        return Problem(*self._locate(tuple(keys), key=key), code, message)

    def _locate(self, keys: tuple, key: bool) -> tuple[str, int, int]:
        where = self._where(keys)
        if where is None:
            return str(self.root), 0, 0
        index, inner = where
        loc = self.located[index]
        line, col = loc.locations.key(inner) if key else loc.locations.value(inner)
        return loc.path, line, col


def _display(file: str, base: Path | None) -> str:
    path = Path(file)
    if base is None:
        return path.name
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return os.path.relpath(path.resolve(), base.resolve()).replace(os.sep, "/")


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise ModelError([Problem(str(path), 0, 0, "E001", "no such file or directory")])
    if not path.is_dir():
        return [path]
    # not only regular files: a FIFO named *.yaml is refused (E003) rather than skipped
    found = sorted(p for p in path.iterdir() if p.suffix in _SUFFIXES and not p.is_dir())
    if not found:
        raise ModelError([Problem(str(path), 0, 0, "E002", "no model files (*.yaml, *.yml) in folder")])
    return found


def _merge(located: list[Located]) -> tuple[dict, dict, list[Problem]]:
    """Concatenate list sections in file order; keep where every item came from."""
    merged: dict[str, Any] = {}
    origins: dict[tuple, tuple[int, tuple]] = {}
    problems: list[Problem] = []
    for index, loc in enumerate(located):
        if not isinstance(loc.data, dict):
            problems.append(Problem(loc.path, 1, 1, "E007", "the top level must be a mapping of model sections"))
            continue
        for section, value in loc.data.items():
            kline, kcol = loc.locations.key((section,))
            if section not in SECTIONS:
                problems.append(Problem(loc.path, kline, kcol, "E008", f"unknown top-level section '{section}'"
                                        f"{did_you_mean(section, SECTIONS)}"))
            elif section not in merged:
                merged[section] = list(value) if isinstance(value, list) else value
                origins[(section,)] = (index, ())
                for i in range(len(value) if isinstance(value, list) else 0):
                    origins[(section, i)] = (index, (section, i))
            elif section == "document" or not isinstance(value, list) or not isinstance(merged[section], list):
                first = located[origins[(section,)][0]].path
                problems.append(Problem(loc.path, kline, kcol, "E009", f"section '{section}' is already defined in "
                                        f"{os.path.basename(first)}" + ("" if section == "document" else
                                                                        " and cannot be combined (not a list)")))
            else:
                start = len(merged[section])
                merged[section].extend(value)
                for i in range(len(value)):
                    origins[(section, start + i)] = (index, (section, i))
    return merged, origins, problems


def load_model(path: str | os.PathLike[str] | None = None) -> Loaded:
    """Load, validate and check the model at ``path`` (default: the bundled ``model/data/``).

    Raises :class:`~model.errors.ModelError` with every problem found.
    """
    root = Path(os.path.abspath(os.fspath(path))) if path is not None else DEFAULT_MODEL
    files = _files(root)
    located: list[Located] = []
    problems: list[Problem] = []
    for file in files:
        try:
            located.append(load_file(file))
        except ModelError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ModelError(problems)
    return load_located(root, located)


def load_located(root: str | os.PathLike[str], located: list[Located]) -> Loaded:
    """Merge, validate and check already-parsed files (what :func:`load_model` does after reading).

    Useful for callers that build :class:`~model.yaml.Located` data themselves (tests, fuzzing).
    """
    root = Path(root)
    files = [Path(loc.path) for loc in located]
    data, origins, problems = _merge(located)
    shown = default_display_root(root)
    try:
        model = Model.model_validate(data)
    except ValidationError as exc:
        partial = Loaded(None, root, tuple(files), tuple(located), origins, shown)  # type: ignore[arg-type]
        for data_path, at_key, code, message in translate(exc.errors(), data):
            problems.append(partial.problem(code, message, *data_path, key=at_key))
        raise ModelError(problems)
    loaded = Loaded(model, root, tuple(files), tuple(located), origins, shown)
    problems.extend(rules.check(loaded))
    if problems:
        raise ModelError(problems)
    return loaded
