"""What a build reads, as content hashes: the key that says whether anything changed.

``archdoc build`` skips everything when none of its inputs changed since the build that
wrote the current docs/ and site (:mod:`archdoc.record` keeps that build's key next to
the outputs). The inputs, each hashed from its bytes (never from modification times):

* ``model``: the model's files (what :func:`model.loader.load_model` reads) and where the
  model sits in its project (pages show locations relative to the project);
* ``code``: archdoc itself — its version and every file of its packages (templates, page
  assets, the site theme, the print stylesheet included), so a changed template or a
  changed line of code is a change;
* ``packages``: every installed distribution and its version (Typst, pikepdf, MkDocs,
  Material, Markdown, Pillow, ...) and the Python version;
* ``graphviz`` and ``fonts``: the Graphviz version and the font files fontconfig resolves
  for the diagrams' and the print's families (:mod:`render.toolchain`): the diagrams' and
  the PDF's bytes depend on them;
* ``mkdocs``: the site configuration's bytes; ``hand_written``: the files of docs/ that
  archdoc did not generate (they go into the site);
* ``options``: what was asked (with or without the PDF, docs kept or only staged).

Reading all of it takes a few tens of milliseconds: far less than loading the model.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Fingerprint", "fingerprint", "code_digest", "packages_digest", "tool_identity", "files_digest",
           "CODE_PACKAGES", "PRINT_FONTS"]

CODE_PACKAGES = ("archdoc", "model", "analysis", "render", "aws")
"""archdoc's packages; ``model/data`` (the city's model, a project's input like any other) is left out."""
PRINT_FONTS = ("Noto Sans CJK JP", "Noto Sans Mono CJK JP", "DejaVu Sans")
"""The families print.css names (the diagrams' label font is the first)."""
_ROOT = Path(__file__).resolve().parent.parent
_MODEL_SUFFIXES = (".yaml", ".yml")


class Unreadable(Exception):
    """An input is not a plain readable file: no key (the build then runs and reports it)."""


def _update(digest, name: str, data: bytes) -> None:
    digest.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
    digest.update(data)


def _read(path: Path) -> bytes:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise Unreadable(f"{path} is not a regular file")
        return path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"{path}: {exc}") from None


def files_digest(root: Path, rels: list[str]) -> str:
    """SHA-256 over the names and bytes of ``rels`` below ``root`` (in the given order).

    >>> import tempfile; d = Path(tempfile.mkdtemp()); _ = (d / "a").write_text("x")
    >>> files_digest(d, ["a"]) == files_digest(d, ["a"]) != files_digest(d, [])
    True
    """
    digest = hashlib.sha256()
    for rel in rels:
        _update(digest, rel, _read(root / rel))
    return digest.hexdigest()


_code: str | None = None


def code_digest() -> str:
    """archdoc's version and the bytes of every file of its packages (computed once per process)."""
    global _code
    if _code is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            digest = hashlib.sha256(version("archdoc").encode())
        except PackageNotFoundError:  # run from a source tree without installing: the files say it all
            digest = hashlib.sha256(b"source")
        for package in CODE_PACKAGES:
            for folder, dirs, files in os.walk(_ROOT / package):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not (here == _ROOT / "model" and d == "data"))
                for name in sorted(files):
                    if not name.endswith((".pyc", ".pyo")):
                        _update(digest, (here / name).relative_to(_ROOT).as_posix(), (here / name).read_bytes())
        _code = digest.hexdigest()
    return _code


def packages_digest() -> str:
    """The Python version and the distributions installed for it, with their versions (the
    ``*.dist-info`` names of its site-packages; not the working directory's, which moves)."""
    import sysconfig

    folders = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    names = sorted({name for folder in folders if os.path.isdir(folder)
                    for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info"))})
    return hashlib.sha256(json.dumps([sys.version, names]).encode()).hexdigest()


def tool_identity() -> dict[str, str]:
    """The Graphviz version and the resolved font files (see :mod:`render.toolchain`)."""
    from render.toolchain import font_identity, graphviz_version

    return {"graphviz": graphviz_version(), "fonts": font_identity(PRINT_FONTS)}


def _model_part(model: Path) -> str:
    from model.errors import ModelError
    from model.project import find_project

    model = Path(os.path.normpath(model.absolute()))
    if model.is_dir():
        names = sorted(p.name for p in model.iterdir() if p.suffix in _MODEL_SUFFIXES and not p.is_dir())
        root = model
    else:
        names, root = [model.name], model.parent
    try:  # locations on the pages are relative to the project (model.project.default_display_root)
        project = find_project(root)
    except ModelError:
        project = None
    where = model.relative_to(project.root).as_posix() if project is not None else model.name
    return hashlib.sha256(f"{where}\0".encode() + files_digest(root, names).encode()).hexdigest()


def _approved_part(model: Path) -> str:
    """The project's store of approved versions (``approved/<version>/``): the banner, the
    changes page and the approval PDF depend on it, and every build verifies it."""
    from model.errors import ModelError
    from model.project import find_project

    base = Path(os.path.normpath(model.absolute()))
    base = base if base.is_dir() else base.parent
    try:
        project = find_project(base)
    except ModelError:
        project = None
    store = project.approved if project is not None else base / "approved"
    if not store.is_dir():
        return "none"
    rels = sorted(p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file() or p.is_symlink())
    return files_digest(store, rels)


def _hand_written(docs: Path | None) -> str:
    from archdoc.failures import Refusal
    from archdoc.manifest import DOCS_MANIFEST, read_listing, walk_files

    if docs is None:
        return "-"
    if not docs.is_dir():
        return files_digest(docs, [])  # no docs folder yet: no hand-written files, as in an empty one
    try:
        generated = set(read_listing(docs, DOCS_MANIFEST, f"{docs.name}/"))
    except Refusal as exc:
        raise Unreadable(str(exc)) from None
    return files_digest(docs, [rel for rel in walk_files(docs) if rel not in generated and rel != DOCS_MANIFEST])


@dataclass(frozen=True)
class Fingerprint:
    """The hashed inputs of one build, by part (see the module docstring)."""

    parts: dict[str, str]

    @property
    def digest(self) -> str:
        """One SHA-256 over all parts."""
        return hashlib.sha256(json.dumps(self.parts, sort_keys=True).encode()).hexdigest()

    def changed(self, other: dict[str, str]) -> list[str]:
        """The parts whose hash differs from ``other`` (an earlier build's parts).

        >>> Fingerprint({"a": "1", "b": "2"}).changed({"a": "1", "b": "3"})
        ['b']
        """
        return sorted(k for k in self.parts.keys() | other.keys() if self.parts.get(k) != other.get(k))


def fingerprint(model: Path, docs: Path | None, mkdocs: Path, pdf: bool) -> Fingerprint | None:
    """The inputs of a build of ``model`` into ``docs`` with ``mkdocs``; None when one of them is not
    a plain readable file (the build then runs, and says what is wrong)."""
    try:
        parts = {
            "model": _model_part(Path(model)),
            "approved": _approved_part(Path(model)),
            "code": code_digest(),
            "packages": packages_digest(),
            **tool_identity(),
            "mkdocs": files_digest(Path(mkdocs).parent, [Path(mkdocs).name]),
            "hand_written": _hand_written(docs),
            "options": f"pdf={'yes' if pdf else 'no'} docs={'kept' if docs is not None else 'staged'}",
        }
    except Unreadable:
        return None
    return Fingerprint(parts)
