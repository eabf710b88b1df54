"""Child processes end with the build: a killed archdoc leaves no Graphviz or MkDocs run behind.

SIGKILL ends archdoc at once, but not its children: a ``dot`` or ``mkdocs`` run would go on
writing into a staging folder that the next build's recovery is removing, and leave it
behind again. On Linux every child is started through ``setpriv --pdeathsig KILL``
(util-linux, in every Debian), which asks the kernel to kill it when its parent dies.
Where ``setpriv`` is missing the command runs as it is.

>>> tied(["dot", "-V"])[-2:]
['dot', '-V']
"""

from __future__ import annotations

import shutil
import sys

__all__ = ["tied"]

_SETPRIV = shutil.which("setpriv") if sys.platform.startswith("linux") else None


def tied(argv: list[str]) -> list[str]:
    """``argv`` run so that the child is killed when this process (the thread starting it) dies."""
    return [_SETPRIV, "--pdeathsig", "KILL", "--", *argv] if _SETPRIV else list(argv)
