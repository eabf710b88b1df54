"""The model as a record: its files exactly as built, their SHA-256 and the manifest that lists them.

The approval PDF carries the model it was built from (:mod:`render.print.archival`), so
that years later the approved version can be compared with the current one or rebuilt.
:func:`archive_of` takes the files of a loaded model as bytes, each named by its path
relative to the project folder (the folder locations in the pages are shown from, so a
rebuilt model gives the same pages). The **model digest** names the model in one value:
the SHA-256 of its ``sha256sum`` listing (``<sha256>  <path>`` lines sorted by path), so
anyone can recompute it with standard tools::

    cd extracted && LC_ALL=C sha256sum model/data/*.yaml | sha256sum

The manifest (``archdoc-manifest.json``) lists every embedded file with its SHA-256 and
size, the model digest, the archdoc version and the document's version. It is read back
from files nobody here wrote, so :func:`read_manifest` accepts only its exact shape,
bounded sizes and safe relative paths.

>>> a = ModelArchive("m", (ArchiveFile("m/b.yaml", b"b: 1\\n"), ArchiveFile("m/a.yaml", b"a: 1\\n")))
>>> [f.path for f in a.files], a.digest[:12]
(['m/a.yaml', 'm/b.yaml'], '539e6f299b39')
>>> listing(a.files).splitlines()[0]
'37b128c59f1f5097f73f82691cb519f1f568667faab5ced1b4ab979d36837eae  m/a.yaml'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = ["ArchiveFile", "ModelArchive", "Manifest", "ManifestError", "archive_of", "listing", "sha256",
           "manifest_json", "read_manifest", "verify", "model_root", "safe_path", "safe_part", "MANIFEST_NAME", "FORMAT", "MAX_FILES", "MAX_FILE_BYTES"]

MANIFEST_NAME = "archdoc-manifest.json"
FORMAT = "archdoc-model-archive/1"
MAX_FILES = 500
"""At most this many files in one archive (a model is a few dozen)."""
MAX_FILE_BYTES = 1 << 20
"""At most this many bytes per file: the loader's own limit for a model file (E003)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ArchiveFile:
    """One file of the archive: its path (POSIX, relative to the project folder) and bytes."""

    path: str
    data: bytes

    @property
    def sha256(self) -> str:
        return sha256(self.data)


def listing(files: tuple[ArchiveFile, ...] | list[ArchiveFile]) -> str:
    """The ``sha256sum`` listing of ``files``: ``<sha256>  <path>`` lines, sorted by path (bytes)."""
    ordered = sorted(files, key=lambda f: f.path.encode("utf-8"))
    return "".join(f"{f.sha256}  {f.path}\n" for f in ordered)


@dataclass(frozen=True)
class ModelArchive:
    """The model files as built: ``model`` is the model's path relative to the project folder."""

    model: str
    files: tuple[ArchiveFile, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", tuple(sorted(self.files, key=lambda f: f.path.encode("utf-8"))))

    @property
    def digest(self) -> str:
        """The model digest (モデル識別子): SHA-256 of :func:`listing` of the model files."""
        return sha256(listing(self.files).encode("utf-8"))


def archive_of(loaded: Any) -> ModelArchive:
    """The files of ``loaded`` (a :class:`model.loader.Loaded`) as they are on disk now.

    Paths are relative to the folder the model's locations are shown from (its project);
    a model without files (built in memory) has an empty archive.
    """
    root = loaded.root if loaded.root.is_dir() else loaded.root.parent
    base = Path(loaded.display_root or root).resolve()
    files = []
    for file in loaded.files:
        path = Path(file).resolve()
        files.append(ArchiveFile(_relative(path, base), path.read_bytes()))
    return ModelArchive(_relative(Path(loaded.root).resolve(), base), tuple(files))


def _relative(path: Path, base: Path) -> str:
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:  # not below the project folder: keep the name only
        rel = path.name
    return rel or "."


class ManifestError(ValueError):
    """A manifest that is not exactly what :func:`manifest_json` writes (untrusted input)."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: the model digest, each file's SHA-256 and size, who wrote it."""

    archdoc: str
    """The archdoc version that built the document."""
    title: str
    version: str
    """The document version the archive was built for."""
    status: str
    model: str
    """The model's path relative to the project folder ('.' when the project folder is the model folder)."""
    model_sha256: str
    files: tuple[tuple[str, str, int], ...]
    """(path, sha256, size) of every model file, sorted by path."""
    approved: "Manifest | None" = None
    """The manifest of the approved version the document was compared with (its model files are
    embedded under ``approved/<version>/``), or None."""

    @property
    def approved_prefix(self) -> str | None:
        """Where the approved model's files are in the archive: ``approved/<version>/``."""
        return None if self.approved is None else f"approved/{self.approved.version}/"


def manifest_json(archive: ModelArchive, document: Any, archdoc_version: str,
                  approved: Manifest | None = None) -> str:
    """The manifest of ``archive`` (deterministic text: fixed key order, sorted files)."""
    return json.dumps(_manifest_dict(archive.model, archive.digest, [(f.path, f.sha256, len(f.data)) for f in archive.files],
                                     document.title, document.version, document.status, archdoc_version, approved),
                      ensure_ascii=False, indent=2) + "\n"


def _manifest_dict(model: str, digest: str, files, title: str, version: str, status: str, archdoc: str,
                   approved: Manifest | None) -> dict:
    out = {"format": FORMAT, "archdoc": archdoc,
           "document": {"title": title, "version": version, "status": status},
           "model": model, "model_sha256": digest,
           "files": [{"path": p, "sha256": h, "bytes": n} for p, h, n in files]}
    if approved is not None:
        out["approved"] = _manifest_dict(approved.model, approved.model_sha256, approved.files, approved.title,
                                         approved.version, approved.status, approved.archdoc, None)
    return out


_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_PART = re.compile(r"^[^/\\\x00-\x1f]{1,255}$")


def safe_path(path: str) -> bool:
    """A relative POSIX path with no '..', no '.', no empty part, no backslash or control character.

    >>> safe_path("model/data/nodes.yaml"), safe_path("../x.yaml"), safe_path("/etc/passwd"), safe_path("a//b")
    (True, False, False, False)
    """
    if not isinstance(path, str) or not path or len(path) > 1024 or path.startswith("/"):
        return False
    parts = path.split("/")
    return all(_PART.match(p) and p not in (".", "..") for p in parts)


def safe_part(text: str) -> bool:
    """One safe path component (a version used as a folder name: ``approved/<version>/``).

    >>> safe_part("1.0"), safe_part("../1.0"), safe_part("1.0/rc"), safe_part("..")
    (True, False, False, False)
    """
    return safe_path(text) and "/" not in text


def _text(obj: dict, key: str, where: str, limit: int = 2000) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ManifestError(f"{where}.{key} must be a non-empty string")
    return value


def _parse(obj: Any, where: str, nested: bool) -> Manifest:
    if not isinstance(obj, dict):
        raise ManifestError(f"{where} must be an object")
    known = {"format", "archdoc", "document", "model", "model_sha256", "files"} | (set() if nested else {"approved"})
    extra = sorted(set(obj) - known)
    if extra:
        raise ManifestError(f"{where}: unknown key '{extra[0]}'")
    if obj.get("format") != FORMAT:
        raise ManifestError(f"{where}.format must be '{FORMAT}', got {str(obj.get('format'))[:60]!r}")
    doc = obj.get("document")
    if not isinstance(doc, dict) or set(doc) != {"title", "version", "status"}:
        raise ManifestError(f"{where}.document must hold title, version and status")
    model = _text(obj, "model", where, 1024)
    if model != "." and not safe_path(model):
        raise ManifestError(f"{where}.model is not a safe relative path: {model[:80]!r}")
    digest = _text(obj, "model_sha256", where, 64)
    if not _HEX64.match(digest):
        raise ManifestError(f"{where}.model_sha256 is not a SHA-256 (64 hex digits)")
    files = obj.get("files")
    if not isinstance(files, list) or not files or len(files) > MAX_FILES:
        raise ManifestError(f"{where}.files must list 1 to {MAX_FILES} files")
    rows = []
    for i, f in enumerate(files):
        if not isinstance(f, dict) or set(f) != {"path", "sha256", "bytes"}:
            raise ManifestError(f"{where}.files[{i}] must hold path, sha256 and bytes")
        path, digest_i, size = f["path"], f["sha256"], f["bytes"]
        if not safe_path(path) or path == MANIFEST_NAME:
            raise ManifestError(f"{where}.files[{i}].path is not a safe relative path: {str(path)[:80]!r}")
        if not path.endswith((".yaml", ".yml")):
            raise ManifestError(f"{where}.files[{i}].path is not a model file (*.yaml, *.yml): {path[:80]!r}")
        if not isinstance(digest_i, str) or not _HEX64.match(digest_i):
            raise ManifestError(f"{where}.files[{i}].sha256 is not a SHA-256 (64 hex digits)")
        if type(size) is not int or not 0 <= size <= MAX_FILE_BYTES:
            raise ManifestError(f"{where}.files[{i}].bytes must be an integer 0-{MAX_FILE_BYTES}")
        rows.append((path, digest_i, size))
    if len({p for p, _, _ in rows}) != len(rows):
        raise ManifestError(f"{where}.files lists a path twice")
    expected = sha256("".join(f"{h}  {p}\n" for p, h, _ in sorted(rows, key=lambda r: r[0].encode("utf-8"))).encode())
    if expected != digest:
        raise ManifestError(f"{where}.model_sha256 is not the digest of the files it lists")
    approved = None
    if not nested and obj.get("approved") is not None:
        approved = _parse(obj["approved"], f"{where}.approved", True)
        if not safe_part(approved.version):  # it names the folder approved/<version>/
            raise ManifestError(f"{where}.approved.document.version cannot name a folder: {approved.version[:80]!r}")
    return Manifest(_text(obj, "archdoc", where, 100), _text(doc, "title", f"{where}.document"),
                    _text(doc, "version", f"{where}.document", 200), _text(doc, "status", f"{where}.document"),
                    model, digest, tuple(sorted(rows, key=lambda r: r[0].encode("utf-8"))), approved)


def read_manifest(data: bytes) -> Manifest:
    """Parse a manifest; raises :class:`ManifestError` for anything but the exact shape written."""
    if len(data) > MAX_FILE_BYTES:
        raise ManifestError("the manifest is larger than 1 MiB")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"the manifest is not JSON: {exc}") from None
    return _parse(obj, "manifest", False)


def verify(manifest: Manifest, files: dict[str, bytes], prefix: str = "") -> list[str]:
    """What does not match between ``manifest`` and ``files`` ({path: bytes}); empty: all match.

    ``prefix`` is put before every path of the manifest (``approved/1.0/``).
    """
    problems = []
    for path, digest, size in manifest.files:
        data = files.get(prefix + path)
        if data is None:
            problems.append(f"{prefix + path}: missing")
        elif len(data) != size or sha256(data) != digest:
            problems.append(f"{prefix + path}: content differs from the manifest (SHA-256 {sha256(data)[:12]}…, "
                            f"listed {digest[:12]}…)")
    return problems


def model_root(manifest: Manifest, folder: str | os.PathLike[str]) -> Path:
    """The model path of an archive written into ``folder``."""
    return Path(folder) / PurePosixPath(manifest.model)
