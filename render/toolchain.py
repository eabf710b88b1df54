"""The installed tools whose versions change the bytes of what we render: Graphviz and the fonts.

A diagram's PNG and SVG, and the approval PDF, are drawn with the fonts fontconfig finds
for the family names we ask for, and the diagrams by the installed Graphviz. The same DOT
drawn by another Graphviz, or with another version of Noto Sans CJK, gives other bytes, so
a cache of such files is keyed by these identities too (:mod:`render.diagrams.files`,
:mod:`archdoc.inputs`), and the print's table columns are measured with the very font
files Typst will use (:mod:`render.print.columns`).

Each lookup is one short child process (``dot -V``, ``fc-match``: a few milliseconds),
done once per process.

>>> parse_graphviz_version("dot - graphviz version 2.43.0 (0)")
'2.43.0'
>>> parse_graphviz_version("no version here")
''
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["FontFile", "font_file", "font_identity", "graphviz_version", "parse_graphviz_version"]

_VERSION = re.compile(r"graphviz version (\S+)")


@dataclass(frozen=True)
class FontFile:
    """The font file fontconfig chose for a family and style."""

    path: str
    index: int
    """The face's index inside a collection (``.ttc``)."""
    version: str
    """fontconfig's ``fontversion`` (the font's own revision number)."""
    family: str
    """The family fontconfig matched (another one when the asked family is not installed)."""

    @property
    def identity(self) -> str:
        """File name, face, revision and size: what changes when the font that draws the text changes."""
        try:
            size = Path(self.path).stat().st_size
        except OSError:
            size = -1
        return f"{Path(self.path).name}#{self.index} v{self.version} {size} B"


def parse_graphviz_version(text: str) -> str:
    """The version number in ``dot -V`` output, or '' when there is none."""
    m = _VERSION.search(text)
    return m.group(1) if m else ""


@lru_cache(maxsize=None)
def graphviz_version() -> str:
    """The installed Graphviz's version ('2.43.0'), or '' when ``dot`` cannot be run."""
    dot = shutil.which("dot")
    if dot is None:
        return ""
    try:
        proc = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return parse_graphviz_version(proc.stderr + proc.stdout)


_FORMAT = "%{file}\\n%{index}\\n%{fontversion}\\n%{family[0]}\\n"
_found: dict[tuple[str, bool], FontFile | None] = {}


def _parse(stdout: str, code: int) -> FontFile | None:
    parts = stdout.split("\n")
    if code != 0 or len(parts) < 4 or not parts[0]:
        return None
    return FontFile(parts[0], int(parts[1]) if parts[1].isdigit() else 0, parts[2], parts[3])


def _look_up(wanted: list[tuple[str, bool]]) -> None:
    """Ask fontconfig for every (family, bold) not known yet, all at once (one ``fc-match`` each)."""
    todo = [w for w in dict.fromkeys(wanted) if w not in _found]
    fc = shutil.which("fc-match")
    if not todo:
        return
    if fc is None:
        _found.update((w, None) for w in todo)
        return
    procs = {}
    for family, bold in todo:
        pattern = f"{family}:weight={'bold' if bold else 'regular'}"
        try:
            procs[(family, bold)] = subprocess.Popen([fc, "-f", _FORMAT, pattern], stdout=subprocess.PIPE,
                                                     stderr=subprocess.DEVNULL, text=True)
        except OSError:
            _found[(family, bold)] = None
    for key, proc in procs.items():
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            _found[key] = None
            continue
        _found[key] = _parse(out, proc.returncode)


def font_file(family: str, bold: bool = False) -> FontFile | None:
    """The file fontconfig uses for ``family`` (regular or bold), or None without fontconfig."""
    _look_up([(family, bold)])
    return _found[(family, bold)]


def font_identity(families: tuple[str, ...]) -> str:
    """One line naming the regular and bold files of each family (cache keys compare it).

    >>> font_identity(()) == ""
    True
    """
    _look_up([(family, bold) for family in families for bold in (False, True)])
    out = []
    for family in families:
        for bold in (False, True):
            found = font_file(family, bold)
            out.append(f"{family}{' bold' if bold else ''}={found.identity if found else '(none)'}")
    return "; ".join(out)
