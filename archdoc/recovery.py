"""Recovery at the start of a build: finish or roll back a killed build, remove its debris.

Runs under the build lock (:mod:`archdoc.lock`), so no other build of ours is writing. A
journal left by a killed build (:mod:`archdoc.journal`) is checked first — it sits in the
working tree and is untrusted like a manifest: only a journal whose targets have archdoc's
staging folders beside them is accepted — then rolled back (state ``prepared``) or
finished (``committed``). Then staging folders, journal temporaries and icon scratch
folders of processes that no longer exist are removed.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from archdoc.failures import Refusal
from archdoc.journal import JOURNAL, STAGE_NAME, FileSet, Journal, Put, Swap, finish, remove, rollback
from archdoc.manifest import rel_problem

__all__ = ["recover", "remove_debris", "debris", "load_journal", "stage_name_pid"]

_LEGACY = re.compile(r"^\.archdoc-(build|site)-[A-Za-z0-9_]{8}$")
_SCRATCH = re.compile(r"^archdoc-(?:icons|pdf)-(\d+)-[A-Za-z0-9_]+$")
"""Throwaway folders in the temp dir: resized icons (read-only cache) and ``archdoc pdf``'s docs."""


def _bad(path: Path, why: str) -> Refusal:
    return Refusal(f"{path}:0:0: not a journal archdoc wrote ({why}); if no archdoc build is running, "
                   "inspect and remove it")


def _stage_ok(target: str, stage: str, kind: str) -> bool:
    t, s = Path(target), Path(stage)
    m = STAGE_NAME.match(s.name)
    return t.is_absolute() and s.is_absolute() and s.parent == t.parent and bool(m) and m.group(1) == kind


def load_journal(path: Path) -> Journal:
    """Read and check a journal; :class:`Refusal` when it is not one archdoc could have written."""
    if path.is_symlink() or not path.is_file():
        raise _bad(path, "not a regular file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = [FileSet(root=f["root"], stage=f["stage"], puts=[Put(**p) for p in f["puts"]],
                         deletes=list(f["deletes"]), mkdirs=list(f["mkdirs"])) for f in data["files"]]
        swaps = [Swap(**s) for s in data["swaps"]]
        journal = Journal(files, swaps, pid=int(data["pid"]), state=data["state"], version=data["version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise _bad(path, f"unreadable: {exc}") from None
    if journal.version != 1 or journal.state not in ("prepared", "committed"):
        raise _bad(path, "unknown version or state")
    for fs in files:
        rels = [p.path for p in fs.puts] + fs.deletes + fs.mkdirs
        if not _stage_ok(fs.root, fs.stage, "build") or any(rel_problem(r) for r in rels):
            raise _bad(path, f"paths outside {fs.root} or its staging folder")
        if not all(isinstance(p.had_old, bool) and re.fullmatch(r"[0-9a-f]{64}", str(p.sha256)) for p in fs.puts):
            raise _bad(path, "malformed entries")
    for swap in swaps:
        if not _stage_ok(swap.path, swap.stage, "site") or not isinstance(swap.had_old, bool):
            raise _bad(path, f"paths outside {swap.path}'s folder")
    return journal


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # only an earlier process with our id can have left it; nothing of ours exists yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def stage_name_pid(name: str) -> int | None:
    """The process id in a staging folder's name, or None (not a staging folder).

    >>> stage_name_pid(".archdoc-build-4242-x1y2"), stage_name_pid("docs")
    (4242, None)
    """
    m = STAGE_NAME.match(name)
    return int(m.group(2)) if m else None


def recover(folders: Iterable[Path], lock, progress: Callable[[str], object] = print,
            sites: Iterable[Path] = ()) -> None:
    """Finish or roll back a build that was killed, then remove debris of dead processes.

    ``folders`` are the folders this build locked (``lock`` a :class:`archdoc.lock.BuildLock`).
    Holding the lock proves that the journal's writer is gone (it held the lock throughout),
    whatever process now has its id. A journal that names a folder this build does not
    hold (docs and site of another pair of folders) is left, with its staging folders, for
    a build of those folders: recovery never writes where this build took no lock. ``sites``: site folders of this build, whose
    ``.<name>.old-<pid>`` folders (left by archdoc versions before the journal) are debris.
    """
    keep: set[Path] = set()
    for home in sorted({Path(f) for f in folders}):
        path = home / JOURNAL
        if not os.path.lexists(path):
            continue
        journal = load_journal(path)
        others = {Path(t).parent for t in [*(f.root for f in journal.files), *(s.path for s in journal.swaps)]}
        if not all(lock.holds(o) for o in others):
            keep |= {Path(s) for s in [*(f.stage for f in journal.files), *(s.stage for s in journal.swaps)]}
            progress(f"note: {path} also names folders another build has locked; left for a later build")
            continue
        if journal.state == "committed":
            finish(journal, home)
            progress(f"recovered: finished publishing an interrupted build (pid {journal.pid})")
        else:
            rollback(journal)
            for stage in [*(fs.stage for fs in journal.files), *(s.stage for s in journal.swaps)]:
                remove(Path(stage))
            path.unlink(missing_ok=True)
            progress(f"recovered: rolled back an interrupted build (pid {journal.pid}); "
                     "docs and site are as before it")
    remove_debris(folders, keep, sites)


def debris(folders: Iterable[Path], keep: set[Path] = frozenset(), sites: Iterable[Path] = ()) -> list[Path]:
    """Staging folders, journal temporaries and scratch folders (temp dir) of dead processes.

    A process id that is alive is left alone (a build of an older archdoc took no lock);
    names without an id (left by archdoc before the journal) count: the lock says no build of ours runs.
    """
    olds = tuple(f".{Path(s).name}.old-" for s in sites)
    candidates: list[tuple[Path, int | None]] = []
    for home in {Path(f) for f in folders}:
        for entry in (home.iterdir() if home.is_dir() else ()):
            m = STAGE_NAME.match(entry.name)
            if m:
                candidates.append((entry, int(m.group(2))))
            elif _LEGACY.match(entry.name) or re.match(rf"^{re.escape(JOURNAL)}\.\d+\.", entry.name):
                pid = re.search(r"\.(\d+)\.", entry.name)
                candidates.append((entry, int(pid.group(1)) if pid else None))
            elif olds and entry.name.startswith(olds) and entry.name.rsplit("-", 1)[1].isdigit():
                candidates.append((entry, int(entry.name.rsplit("-", 1)[1])))  # the swap before the journal
    for entry in Path(tempfile.gettempdir()).glob("archdoc-*"):
        m = _SCRATCH.match(entry.name)
        if m:
            candidates.append((entry, int(m.group(1))))
    return [entry for entry, pid in candidates if entry not in keep and not (pid is not None and _alive(pid))]


def remove_debris(folders: Iterable[Path], keep: set[Path] = frozenset(), sites: Iterable[Path] = ()) -> list[Path]:
    """Remove the :func:`debris` of dead processes; return what was removed."""
    removed = debris(folders, keep, sites)
    for entry in removed:
        remove(entry)
    return removed
