"""Publishing as one step: renames recorded in a journal, so that a kill at any moment is undone.

A build stages everything first (new docs files in ``.archdoc-build-<pid>-*/docs``, the new
site in ``.archdoc-site-<pid>-*/site``, beside the targets so renames stay on one
filesystem). Publishing is then a short sequence of renames:

1. the journal ``.archdoc-journal.json`` (beside docs/, or beside the site when no docs
   are kept) is written atomically with state ``prepared``: what will be put, deleted
   and swapped;
2. for each changed docs file: the old file is moved aside into the staging folder
   (``old/``), the new one moved in; each stale file is moved aside; then the site folder
   is moved aside and the new one moved in;
3. the journal is rewritten with state ``committed`` — the commit point;
4. clean-up: empty folders left by deletions, the staging folders (with the old files
   and the old site), the journal.

:func:`archdoc.recovery.recover`, run by the next build under its lock, reads a journal left by a killed
build: ``prepared`` is rolled back step by step (whatever subset of step 2 happened),
``committed`` is finished (step 4). Either way docs/ and the site are the old pair or the
new pair, never a mixture. It then removes staging folders of processes that no longer
exist. A journal is untrusted input too (it sits in the working tree): it is accepted only
when its paths are archdoc's staging folders beside its targets, and a rollback moves a
target only when it is what archdoc put there (same SHA-256, or a site with its manifest).

:func:`checkpoint` is called between the steps; tests make it raise (``FAULT``) or exit
the process (``ARCHDOC_TEST_CRASH_AT=<n>``) to prove the claim above at every step.

Made for more than docs/ and the site: a :class:`FileSet` is any folder whose files are
replaced one by one (a cache next to the outputs can be a second one), a :class:`Swap`
any folder replaced as a whole; all of them commit together.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from archdoc.failures import BuildFailure, Refusal, RollbackFailed
from archdoc.manifest import SITE_MANIFEST, read_listing, walk_files

__all__ = ["JOURNAL", "STAGE_PREFIX", "SITE_STAGE_PREFIX", "STAGE_NAME", "Put", "FileSet", "Swap", "Journal",
           "checkpoint", "run", "rollback", "finish", "remove", "FAULT", "file_sha256"]

JOURNAL = ".archdoc-journal.json"
STAGE_PREFIX = ".archdoc-build-"
SITE_STAGE_PREFIX = ".archdoc-site-"
STAGE_NAME = re.compile(r"^\.archdoc-(build|site)-(\d+)-[A-Za-z0-9_]+$")
"""A staging folder's name: kind and the id of the process that made it."""

FAULT: Callable[[str], None] | None = None
"""Test hook: called with the step name at every :func:`checkpoint` (raise to inject a fault)."""
_steps = 0


def checkpoint(step: str) -> None:
    """A point between two steps of the publish sequence (numbered from 1 in each process)."""
    global _steps
    _steps += 1
    if FAULT is not None:
        FAULT(step)
    crash = os.environ.get("ARCHDOC_TEST_CRASH_AT", "")
    if crash.isdigit() and int(crash) == _steps:
        os._exit(99)  # a kill: no clean-up, no finally blocks


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"")
    >>> file_sha256(p)[:8]
    'e3b0c442'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Put:
    path: str
    had_old: bool
    sha256: str


@dataclass
class FileSet:
    """Files replaced one by one in ``root``; new files in ``stage/docs``, old ones go to ``stage/old``."""

    root: str
    stage: str
    puts: list[Put] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    mkdirs: list[str] = field(default_factory=list)


@dataclass
class Swap:
    """The folder ``path`` replaced as a whole by ``stage/site``; the old one goes to ``stage/old``."""

    path: str
    stage: str
    had_old: bool


@dataclass
class Journal:
    files: list[FileSet]
    swaps: list[Swap]
    pid: int = field(default_factory=os.getpid)
    state: str = "prepared"
    version: int = 1


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def _write(journal: Journal, home: Path) -> None:
    """Write the journal atomically (temporary file, fsync, rename, fsync of the folder)."""
    text = json.dumps(asdict(journal), ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f"{JOURNAL}.{os.getpid()}.", dir=home)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, home / JOURNAL)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_dir(home)


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _apply(journal: Journal) -> None:
    for fs in journal.files:
        root, stage = Path(fs.root), Path(fs.stage)
        for rel in fs.mkdirs:
            (root / rel).mkdir(exist_ok=True)
        for put in fs.puts:
            dst, new, old = root / put.path, stage / "docs" / put.path, stage / "old" / put.path
            if put.had_old:
                old.parent.mkdir(parents=True, exist_ok=True)
                os.rename(dst, old)
                checkpoint(f"move aside {put.path}")
            elif _lexists(dst):
                raise BuildFailure(f"{dst} appeared while the build ran; it was not replaced")
            os.rename(new, dst)
            checkpoint(f"put {put.path}")
        for rel in fs.deletes:
            old = stage / "old" / rel
            old.parent.mkdir(parents=True, exist_ok=True)
            os.rename(root / rel, old)
            checkpoint(f"delete {rel}")
    for swap in journal.swaps:
        path, stage = Path(swap.path), Path(swap.stage)
        if swap.had_old:
            os.rename(path, stage / "old")
            checkpoint(f"move aside {path.name}/")
        os.rename(stage / "site", path)
        checkpoint(f"swap in {path.name}/")


def _is_archdoc_site(path: Path) -> bool:
    """True when ``path`` is a folder holding only files its site manifest lists."""
    try:
        listed = set(read_listing(path, SITE_MANIFEST, path.name))
    except (Refusal, OSError):
        return False
    return bool(listed) and set(walk_files(path)) <= listed | {SITE_MANIFEST}


def _same_file(path: Path, sha256: str) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and file_sha256(path) == sha256
    except OSError:
        return False


def rollback(journal: Journal) -> None:
    """Undo whatever part of :func:`_apply` happened (each step is checked on disk, not assumed)."""
    for swap in reversed(journal.swaps):
        path, stage = Path(swap.path), Path(swap.stage)
        new, old = stage / "site", stage / "old"
        if not stage.is_dir() or stage.is_symlink():
            continue
        if _lexists(path) and not _lexists(new) and _is_archdoc_site(path) and (_lexists(old) or not swap.had_old):
            os.rename(path, new)  # the new site was swapped in: take it back out
        if _lexists(old) and not _lexists(path):
            os.rename(old, path)
    for fs in reversed(journal.files):
        root, stage = Path(fs.root), Path(fs.stage)
        if not stage.is_dir() or stage.is_symlink():
            continue
        for rel in reversed(fs.deletes):
            old, dst = stage / "old" / rel, root / rel
            if _lexists(old) and not _lexists(dst):
                os.rename(old, dst)
        for put in reversed(fs.puts):
            dst, new, old = root / put.path, stage / "docs" / put.path, stage / "old" / put.path
            if not _lexists(new) and _same_file(dst, put.sha256):
                new.parent.mkdir(parents=True, exist_ok=True)
                os.rename(dst, new)
            if put.had_old and _lexists(old) and not _lexists(dst):
                os.rename(old, dst)
        for rel in reversed(fs.mkdirs):
            try:
                (root / rel).rmdir()
            except OSError:
                pass


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def remove(path: Path) -> None:
    if path.is_symlink() or (_lexists(path) and not path.is_dir()):
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path)


def finish(journal: Journal, home: Path) -> None:
    """Step 4 (after the commit): empty folders, staging folders, the journal."""
    for fs in journal.files:
        root = Path(fs.root)
        for rel in fs.deletes:
            _remove_empty_parents(root / rel, root)
    for stage in [*(fs.stage for fs in journal.files), *(s.stage for s in journal.swaps)]:
        checkpoint(f"remove {Path(stage).name}")
        remove(Path(stage))
    (home / JOURNAL).unlink(missing_ok=True)
    checkpoint("journal removed")


def run(journal: Journal, home: Path) -> list[str]:
    """Publish ``journal`` (steps 1-4). Returns warnings (a clean-up that failed after the commit).

    On a failure before the commit everything is rolled back and staging is removed;
    :class:`BuildFailure` says what failed. If even the rollback fails, the journal stays
    for the next build to finish, and the message says so.
    """
    _write(journal, home)
    try:
        checkpoint("journal written")
        _apply(journal)
        journal.state = "committed"
        _write(journal, home)  # the commit point
    except BaseException as exc:
        try:
            rollback(journal)
            for stage in [*(fs.stage for fs in journal.files), *(s.stage for s in journal.swaps)]:
                remove(Path(stage))
            (home / JOURNAL).unlink(missing_ok=True)
        except Exception as undo:  # noqa: BLE001 - the next build's recover() finishes the job
            raise RollbackFailed(f"publishing failed ({exc}) and so did the rollback ({undo}); the next "
                               f"archdoc build restores the previous docs and site from {home / JOURNAL}") from exc
        if isinstance(exc, Exception) and not isinstance(exc, BuildFailure):
            raise BuildFailure(f"publishing failed, the previous docs and site are kept: "
                               f"{type(exc).__name__}: {exc}") from exc
        raise
    try:
        checkpoint("committed")
        finish(journal, home)
    except Exception as exc:  # noqa: BLE001 - published; what is left is removed by the next build
        return [f"published, but clean-up is incomplete ({exc}); the next build removes what is left"]
    return []
