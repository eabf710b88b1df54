"""How a build fails: the exceptions the publishing modules raise and the exit code of each.

* :class:`BuildFailure` (exit 1): a step failed (Graphviz, MkDocs, a disk error); nothing
  was published, or the swap was rolled back.
* :class:`Refusal` (exit 2): the build will not start because writing would touch what
  archdoc did not write (a manifest entry outside docs/, foreign files in the site folder,
  a symbolic link out of docs/). Nothing was written; the message says which file and
  what to do.
* :class:`LockBusy` (exit 1): another build holds the lock and ``--no-wait`` was given.
* :class:`RollbackFailed` (exit 1): publishing failed and so did undoing it; the journal
  and the staging folders stay for the next build, which finishes the rollback.

>>> Refusal("x").exit_code, BuildFailure("y").exit_code, LockBusy("z").exit_code
(2, 1, 1)
"""

from __future__ import annotations

__all__ = ["BuildFailure", "Refusal", "LockBusy", "RollbackFailed"]


class BuildFailure(RuntimeError):
    """A build step failed; the message says where (file and line when known)."""

    exit_code = 1


class Refusal(BuildFailure):
    """The build refuses to write (exit 2, nothing written): the message names the file."""

    exit_code = 2


class LockBusy(BuildFailure):
    """Another build holds the lock and the caller asked not to wait."""

    exit_code = 1


class RollbackFailed(BuildFailure):
    """Publishing and its rollback both failed: keep the journal and staging for the next build."""

    exit_code = 1
