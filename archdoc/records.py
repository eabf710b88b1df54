"""Approved versions as records: the model inside an approval PDF, the project's approved store,
and the comparison of the current model with the last approved one.

Where the build finds the approved model (the decision this module implements):

* the **approval record** lives in the model (``document.approvals``): version, date,
  approver, role, decision and, for an approval, the ``model_sha256`` printed on the
  approved PDF's cover;
* the **approved model** lives in the project, in the folder ``approved`` of
  ``archdoc.toml`` (default ``approved/``): ``approved/<version>/`` is exactly what
  ``archdoc extract APPROVED.pdf approved/<version>`` writes (the model files, their
  manifest, an ``archdoc.toml``). Plain text that git diffs, verified against its
  manifest and against the ``model_sha256`` of the approval on every build and check.

So the site and the docs are reproducible from the repository alone (model, approval
record, approved store), ``archdoc check`` stays read-only, and the PDF in the records
office can always be matched with the record (its model digest is on its cover and in
its XMP metadata). :func:`approved_state` is what the build and the check call;
:func:`read_pdf` and :func:`write_project` serve ``archdoc check --approved`` and
``archdoc extract``. Every failure is a :class:`RecordError` with a one-line message.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from model.archive import (MANIFEST_NAME, MAX_FILE_BYTES, MAX_FILES, ArchiveFile, Manifest, ManifestError,
                           model_root, read_manifest, safe_part, verify)
from model.project import CONFIG_FILE, find_project

__all__ = ["RecordError", "Immutable", "Embedded", "ApprovedState", "read_pdf", "write_project", "load_store",
           "approved_dir", "approved_state", "approved_files", "pdf_record", "archdoc_version", "MAX_PDF_BYTES"]

MAX_PDF_BYTES = 256 << 20
"""A PDF larger than this is refused before it is parsed (an approval PDF is a few MiB)."""


class RecordError(Exception):
    """An approval PDF, an approved store or an approval record that cannot be used (one line)."""


class Immutable(RecordError):
    """The current version is approved, but its model differs from the one it was approved on."""


@dataclass(frozen=True)
class Embedded:
    """The archive an approval PDF carries: its manifest and every embedded file, verified."""

    manifest: Manifest
    manifest_bytes: bytes
    files: dict[str, bytes]


def read_pdf(pdf: Path) -> Embedded:
    """The model archive attached to ``pdf``; raises :class:`RecordError` when there is none
    or it does not match its manifest (a file missing, altered, or a path that is not safe)."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        size = pdf.stat().st_size
    except OSError as exc:
        raise RecordError(f"cannot read {pdf}: {exc.strerror or exc}") from None
    if size > MAX_PDF_BYTES:
        raise RecordError(f"{pdf} is larger than {MAX_PDF_BYTES >> 20} MiB; not an archdoc approval PDF")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is reported once, below
    try:
        reader = PdfReader(str(pdf), strict=False)
        found = reader.attachments
        names = list(found)
        if len(names) > 2 * MAX_FILES + 2:
            raise RecordError(f"{pdf} has {len(names)} embedded files; not an archdoc approval PDF")
        files: dict[str, bytes] = {}
        for name in names:
            contents = found[name]
            if len(contents) != 1 or len(contents[0]) > MAX_FILE_BYTES:
                raise RecordError(f"{pdf}: embedded file {name[:80]!r} is repeated or larger than 1 MiB")
            files[name] = contents[0]
    except RecordError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise RecordError(f"{pdf} is not a readable PDF: {type(exc).__name__}: {str(exc)[:200]}") from None
    if MANIFEST_NAME not in files:
        raise RecordError(f"{pdf} carries no archdoc model (no {MANIFEST_NAME} attached); was it written by "
                          "'archdoc build' or 'archdoc pdf'?")
    try:
        manifest = read_manifest(files[MANIFEST_NAME])
    except ManifestError as exc:
        raise RecordError(f"{pdf}: {MANIFEST_NAME}: {exc}") from None
    problems = verify(manifest, files)
    if manifest.approved is not None:
        prefix = manifest.approved_prefix
        problems += verify(manifest.approved, files, prefix)
        stored = files.get(prefix + MANIFEST_NAME)
        if stored is None or _manifest_or_none(stored) != manifest.approved:
            problems.append(f"{prefix}{MANIFEST_NAME}: missing or not the manifest the document names")
    if problems:
        raise RecordError(f"{pdf}: the embedded model does not match its manifest: {problems[0]}"
                          + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return Embedded(manifest, files[MANIFEST_NAME], files)


def _manifest_or_none(data: bytes) -> Manifest | None:
    try:
        return read_manifest(data)
    except ManifestError:
        return None


def _config_text(manifest: Manifest) -> str:
    return ("# Written by 'archdoc extract': the model of " f"{manifest.title}, version {manifest.version} "
            f"(model digest {manifest.model_sha256}).\n# Rebuild: cd into this folder, then 'archdoc build'.\n"
            f"model = {_toml(manifest.model)}\ndocs = \"docs\"\nsite = \"site\"\napproved = \"approved\"\n")


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_project(embedded: Embedded, folder: Path) -> list[str]:
    """Write the archive of ``embedded`` into ``folder`` (new or empty) as a project that
    ``archdoc build`` rebuilds: the model files at their paths, the manifest, an
    ``archdoc.toml``, and the approved version it was compared with under
    ``approved/<version>/``. Atomic: written beside ``folder``, then renamed into place.
    Returns the paths written (relative, sorted)."""
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and (not folder.is_dir() or any(folder.iterdir()))):
        raise RecordError(f"{folder} exists and is not an empty folder; give a new folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".archdoc-extract-", dir=folder.parent))
    try:
        m = embedded.manifest
        out = {MANIFEST_NAME: embedded.manifest_bytes, CONFIG_FILE: _config_text(m).encode("utf-8")}
        out.update({path: embedded.files[path] for path, _, _ in m.files})
        if m.approved is not None:
            prefix = m.approved_prefix
            out[prefix + MANIFEST_NAME] = embedded.files[prefix + MANIFEST_NAME]
            out[prefix + CONFIG_FILE] = _config_text(m.approved).encode("utf-8")
            out.update({prefix + path: embedded.files[prefix + path] for path, _, _ in m.approved.files})
        for rel, data in out.items():
            target = stage.joinpath(*PurePosixPath(rel).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if folder.exists():
            folder.rmdir()
        os.replace(stage, folder)
    except OSError as exc:
        raise RecordError(f"cannot write {folder}: {exc.strerror or exc}") from None
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return sorted(out)


def load_store(folder: Path) -> tuple[Manifest, Any]:
    """The manifest and the loaded model of an approved store (``approved/<version>/``),
    verified file by file against the manifest."""
    from model.errors import ModelError
    from model.loader import load_model

    try:
        manifest = read_manifest((folder / MANIFEST_NAME).read_bytes())
    except OSError as exc:
        raise RecordError(f"{folder / MANIFEST_NAME}: cannot read: {exc.strerror or exc}") from None
    except ManifestError as exc:
        raise RecordError(f"{folder / MANIFEST_NAME}: {exc}") from None
    files = {}
    for path, _, _ in manifest.files:
        try:
            files[path] = folder.joinpath(*PurePosixPath(path).parts).read_bytes()
        except OSError:
            continue  # reported as missing by verify
    problems = verify(manifest, files)
    if problems:
        raise RecordError(f"{folder}: the approved model does not match its manifest: {problems[0]}")
    try:
        loaded = load_model(model_root(manifest, folder))
    except ModelError as exc:
        raise RecordError(f"{folder}: the approved model does not load with this archdoc: {exc.problems[0]}") from None
    return manifest, loaded


def approved_dir(loaded: Any) -> Path:
    """The approved store of the model's project (its ``approved`` folder), or ``approved/``
    beside a model that belongs to no project."""
    base = loaded.root if loaded.root.is_dir() else loaded.root.parent
    project = find_project(base)
    return project.approved if project is not None else base / "approved"


def approved_files(store: Path, manifest: Manifest) -> tuple[ArchiveFile, ...]:
    """The store's manifest and model files, named ``approved/<version>/...`` for the PDF."""
    prefix = f"approved/{manifest.version}/"
    files = [ArchiveFile(prefix + MANIFEST_NAME, (store / MANIFEST_NAME).read_bytes())]
    files += [ArchiveFile(prefix + path, store.joinpath(*PurePosixPath(path).parts).read_bytes())
              for path, _, _ in manifest.files]
    return tuple(files)


@dataclass(frozen=True)
class ApprovedState:
    """The last approved version: its record, its store, its model and the diff to the current one."""

    approval: Any
    store: Path
    manifest: Manifest
    loaded: Any
    diff: Any
    """:class:`analysis.diff.revisions.RevisionDiff` from the approved model to the current one."""


def approved_state(loaded: Any, analysis: Any, store_root: Path | None = None) -> ApprovedState | None:
    """Compare the current model with the one its last approved version was approved on.

    None when no version was ever approved. Raises :class:`RecordError` when the approved
    store is missing or does not hold the model the approval names, and when the current
    version is the approved one but its model differs (an approved version is immutable).
    """
    doc = loaded.model.document
    a = doc.last_approved
    if a is None:
        return None
    from analysis.analyze import analyze
    from analysis.diff import revision_diff

    where = loaded.where("document", "approvals", doc.approvals.index(a)) or "document.approvals"
    if not safe_part(a.version):
        raise RecordError(f"{where}: version {a.version!r} cannot name the folder of its approved model "
                          "(approved/<version>/); use a version without '/' or '..'")
    store = (store_root if store_root is not None else approved_dir(loaded)) / a.version
    if not (store / MANIFEST_NAME).is_file():
        raise RecordError(f"{where}: version {a.version} is recorded as approved, but {store} does not hold its "
                          f"model; run: archdoc extract APPROVED.pdf {store}  (with the PDF that was approved)")
    manifest, old = load_store(store)
    if manifest.model_sha256 != a.model_sha256:
        raise RecordError(f"{where}: version {a.version} was approved on model {a.model_sha256}, but {store} holds "
                          f"model {manifest.model_sha256}; extract the PDF that was approved into {store}")
    diff = revision_diff(analyze(old), analysis)
    if doc.approval is not None and not diff.same:
        shown = ", ".join(f"{c.section}[{c.key}] {c.change}" for c in diff.items[:5])
        more = f" and {len(diff.items) - 5} more" if len(diff.items) > 5 else ""
        raise Immutable(f"{where}: version {doc.version} is approved and immutable, but the model differs from "
                          f"the approved one in {len(diff.items)} item(s): {shown}{more}; give the changes a new "
                          "version (document.version and a revision entry)")
    return ApprovedState(a, store, manifest, old, diff)


def archdoc_version() -> str:
    """The installed archdoc's version (the manifest and the PDF's creator name it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("archdoc")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def pdf_record(loaded: Any, state: ApprovedState | None) -> Any:
    """What the approval PDF carries: the model as built, its manifest, and the approved
    version's model it was compared with (:class:`render.print.archival.Record`)."""
    from model.archive import archive_of, manifest_json
    from render.print.archival import Record

    archive = archive_of(loaded)
    version = archdoc_version()
    manifest = manifest_json(archive, loaded.model.document, version, state.manifest if state else None)
    if state is None:
        return Record(archive, manifest, version)
    return Record(archive, manifest, version, approved_files(state.store, state.manifest),
                  state.manifest.version, state.manifest.model_sha256)
