"""One build at a time per folder: an exclusive ``flock`` on ``.archdoc.lock`` beside docs/ and site/.

Two builds writing the same docs/ and site/ would interleave their swaps ("last writer
wins", file by file). A build therefore holds an exclusive :func:`fcntl.flock` on the
file ``.archdoc.lock`` in every folder it stages into (the parents of docs/ and of the
site folder) from before recovery until its staging folders are gone. A second build
waits, saying so once, or with ``no_wait`` fails at once with a one-line
:class:`~archdoc.failures.LockBusy`. The kernel drops the lock when the process dies, even
by SIGKILL, so a killed build never leaves a stale lock; the file stays (deleting a lock
file races with the next locker) and holds the last holder's process id for messages.

Locks are taken in sorted path order, so two builds that share folders cannot deadlock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Callable, Iterable

from archdoc.failures import LockBusy, Refusal

__all__ = ["LOCK_NAME", "BuildLock"]

LOCK_NAME = ".archdoc.lock"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


class BuildLock:
    """Exclusive locks on ``.archdoc.lock`` in each of ``folders`` (a context manager).

    ``progress`` gets one line when the build has to wait. Raises :class:`LockBusy` with
    ``no_wait`` when a lock is held, :class:`Refusal` when the lock file is a symbolic link.
    With ``note_pid`` False the lock file is not written (a build that finds nothing changed
    touches no file).
    """

    def __init__(self, folders: Iterable[Path], progress: Callable[[str], object] = print, no_wait: bool = False,
                 note_pid: bool = True):
        self.folders = sorted({Path(f).resolve() for f in folders})
        self.progress, self.no_wait, self.note_pid = progress, no_wait, note_pid
        self.fds: dict[Path, int] = {}

    def __enter__(self) -> "BuildLock":
        try:
            for folder in self.folders:
                self._take(folder, wait=not self.no_wait)
        except BaseException:
            self.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def holds(self, folder: Path) -> bool:
        """True when this lock covers ``folder`` (recovery touches only such folders)."""
        return Path(folder).resolve() in self.fds

    def _take(self, folder: Path, wait: bool) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if os.path.islink(path):
                raise Refusal(f"{path} is a symbolic link; archdoc's lock file must be a plain file "
                              "(remove the link)") from None
            raise
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                who = _holder(fd)
                if not wait:
                    raise LockBusy(f"another archdoc build{who} is writing here (lock {path}); "
                                   "try again when it has finished") from None
                self.progress(f"waiting for another archdoc build{who} to finish (lock {path}) ...")
                fcntl.flock(fd, fcntl.LOCK_EX)
            if self.note_pid:  # a build that only reads (nothing changed) leaves the file as it is
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self.fds[folder] = fd

    def release(self) -> None:
        for folder, fd in sorted(self.fds.items(), reverse=True):
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        self.fds.clear()
