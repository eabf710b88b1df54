"""Load the model for the analysis and turn model paths into ``file:line`` strings.

The analysis needs the validated :class:`~model.schema.Model` and, for every blocker
and finding, *where* the rule or resource to change is written. :func:`load` returns a
:class:`Source` holding both, through :func:`model.loader.load_model` (model errors are
raised as :class:`~model.errors.ModelError`), cached per model folder and file stamps.

Locations are printed relative to the *parent of the model folder's parent* (for the
bundled model ``model/data`` that is the project root, giving ``model/data/shared.yaml:42``),
never relative to the current directory, so generated pages are the same wherever the
command runs.

>>> src = load()
>>> src.where("nodes", src.index_of("nodes", "alb"))
'model/data/nodes.yaml:83'
>>> src.where_id("security_groups", "rds-sg")
'model/data/shared.yaml:58'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.schema import Model

__all__ = ["Source", "load", "from_model"]

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "model" / "data"


@dataclass(frozen=True)
class Source:
    """A model plus an optional locator (``loaded`` is a :class:`model.loader.Loaded` or None)."""

    model: Model
    loaded: Any = None
    root: Path | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def index_of(self, section: str, item_id: str) -> int | None:
        key = ("#index", section, item_id)
        if key not in self._cache:
            self._cache[key] = next((i for i, item in enumerate(getattr(self.model, section))
                                     if getattr(item, "id", None) == item_id), None)
        return self._cache[key]

    def where(self, *keys: Any) -> str | None:
        """``file:line`` of the value at ``keys`` in the merged data, or None without a locator."""
        if self.loaded is None or any(k is None for k in keys):
            return None
        if keys in self._cache:
            return self._cache[keys]
        self._cache[keys] = value = self._where(keys)
        return value

    def _where(self, keys: tuple) -> str | None:
        try:
            file, line, _col = self.loaded.locate(*keys)
        except Exception:  # a locator that cannot answer is not an analysis error
            return None
        return f"{_display(file, self.root)}:{line}" if line else _display(file, self.root)

    def where_id(self, section: str, item_id: str, *more: Any) -> str | None:
        index = self.index_of(section, item_id)
        return None if index is None else self.where(section, index, *more)


def _display(file: str, root: Path | None) -> str:
    path = Path(file)
    if root is None:
        return path.name
    base = root if root.is_dir() else root.parent
    base = base.parent.parent
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return os.path.relpath(path.resolve(), base.resolve()).replace(os.sep, "/")


def from_model(model: Model) -> Source:
    """A :class:`Source` without locations (synthetic and test models)."""
    return Source(model, None, None)


def load(path: str | os.PathLike[str] | None = None) -> Source:
    """Load the model at ``path`` (default: the bundled ``model/data``)."""
    root = Path(os.path.abspath(os.fspath(path))) if path is not None else DEFAULT_MODEL
    stamp = _stamp(root)
    cached = _CACHE.get(root)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    src = _load(root)
    _CACHE[root] = (stamp, src)
    return src


_CACHE: dict[Path, tuple[tuple, Source]] = {}


def _stamp(root: Path) -> tuple:
    """Names, sizes and modification times of the model files (cache key)."""
    try:
        files = sorted(root.iterdir()) if root.is_dir() else [root]
        return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.suffix in (".yaml", ".yml"))
    except OSError:
        return ()


def _load(root: Path) -> Source:
    from model.loader import load_model

    loaded = load_model(root)
    return Source(loaded.model, loaded, root)
