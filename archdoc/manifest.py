"""The lists of files archdoc wrote: ``docs/.archdoc-generated.json`` and ``site/.archdoc-site.json``.

A build deletes a file only when a manifest says archdoc wrote it, so a manifest is
untrusted input like the model (it sits in the repository, anyone can edit it): an entry
``../victim.txt`` or ``/etc/passwd`` must not become a deletion. Every manifest is read
through :func:`read_listing`, which accepts only a JSON object whose ``files`` is a list
of normalised relative paths inside the folder, none of them passing through a symbolic
link; anything else stops the build with a located :class:`~archdoc.failures.Refusal`
(``path:line:col: entry 3 "../x": ...``, exit 2) before anything is written.

>>> rel_problem("diagrams/a.svg") is None
True
>>> [rel_problem(p) for p in ("../x", "/etc/passwd", "a//b", "a\\\\b", "", 7)]
['leaves the folder', 'is an absolute path', "is not normalised (write 'a/b')", 'contains a backslash', 'is empty', 'is not a string']
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat
from pathlib import Path
from typing import Iterable

from archdoc.failures import Refusal

__all__ = ["DOCS_MANIFEST", "SITE_MANIFEST", "GENERATOR", "rel_problem", "symlink_on_the_way",
           "read_listing", "listing_text", "walk_files"]

DOCS_MANIFEST = ".archdoc-generated.json"
"""In docs/: the generated pages and diagrams (everything else there is hand-written)."""
SITE_MANIFEST = ".archdoc-site.json"
"""In the site folder: every file the build wrote there (a folder holding more is not ours)."""
GENERATOR = "archdoc build"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def rel_problem(rel: object) -> str | None:
    """Why ``rel`` is not a normalised relative POSIX path inside its folder, or None."""
    if not isinstance(rel, str):
        return "is not a string"
    if not rel:
        return "is empty"
    if _CONTROL.search(rel):
        return "contains a control character"
    if "\\" in rel:
        return "contains a backslash"
    if rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        return "is an absolute path"
    if ".." in rel.split("/"):
        return "leaves the folder"
    if posixpath.normpath(rel) != rel or rel.startswith("./"):
        return f"is not normalised (write '{posixpath.normpath(rel)}')"
    return None


def symlink_on_the_way(root: Path, rel: str) -> str | None:
    """The first part of ``root/rel`` below ``root`` that is a symbolic link (as a relative path), or None.

    Parts that do not exist end the walk: nothing below them can be a link.
    """
    current = Path(root)
    parts = rel.split("/")
    for depth, part in enumerate(parts, start=1):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            return None
        if stat.S_ISLNK(mode):
            return "/".join(parts[:depth])
    return None


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _entry_offsets(text: str) -> list[int]:
    """Offsets of the items of the top-level ``"files"`` list (best effort, for positions)."""
    match = re.search(r'"files"\s*:\s*\[', text)
    if not match:
        return []
    decoder, offsets, index = json.JSONDecoder(), [], match.end()
    try:
        while True:
            index = len(text) - len(text[index:].lstrip())
            if text[index] == "]":
                return offsets
            offsets.append(index)
            _, index = decoder.raw_decode(text, index)
            index = len(text) - len(text[index:].lstrip())
            if text[index] == ",":
                index += 1
    except (ValueError, IndexError):
        return offsets


def read_listing(folder: Path, name: str, shown: str) -> list[str]:
    """The files listed by ``folder/name`` (empty when there is no manifest), validated.

    ``shown`` is how messages name the folder (``docs/``). Raises :class:`Refusal` with a
    ``path:line:col:`` prefix for a manifest that is not archdoc's: not JSON, the wrong shape,
    an entry that is not a relative path inside the folder or that passes through a link.
    """
    from model.errors import display_path

    path = Path(folder) / name
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return []
    where = display_path(path)
    remedy = (f"archdoc deletes only files this manifest lists inside {shown}, so it stops here: "
              "fix the entry or delete the manifest")
    if not stat.S_ISREG(mode):
        raise Refusal(f"{where}:0:0: the manifest is not a regular file (a link or a folder); {remedy}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise Refusal(f"{where}:0:0: the manifest is not UTF-8 text; {remedy}") from None
    except json.JSONDecodeError as exc:
        raise Refusal(f"{where}:{exc.lineno}:{exc.colno}: the manifest is not valid JSON ({exc.msg}); "
                      f"{remedy}") from None
    if not isinstance(data, dict):
        raise Refusal(f'{where}:1:1: the manifest must be a JSON object with a "files" list; {remedy}')
    files = data.get("files")
    if not isinstance(files, list):
        at = text.find('"files"')
        line, col = _position(text, at) if at >= 0 else (1, 1)
        raise Refusal(f'{where}:{line}:{col}: "files" must be a list of paths; {remedy}')
    offsets = _entry_offsets(text)
    for k, rel in enumerate(files):
        why = rel_problem(rel)
        if why is None and rel == name:
            why = "is the manifest itself"
        if why is None:
            link = symlink_on_the_way(folder, rel)
            why = f"passes through the symbolic link '{link}'" if link else None
        if why:
            line, col = _position(text, offsets[k]) if k < len(offsets) else (1, 1)
            raise Refusal(f"{where}:{line}:{col}: entry {k + 1} {json.dumps(rel, ensure_ascii=False)} "
                          f"{why}; {remedy}")
    return list(files)


def listing_text(files: Iterable[str], build: dict | None = None) -> str:
    """The manifest's JSON text for ``files`` (sorted; the same files give the same bytes), with the
    site's build record (:mod:`archdoc.record`) under ``"build"`` when given.

    >>> print(listing_text(["b.md", "a.md"]), end="")
    {
      "generator": "archdoc build",
      "files": [
        "a.md",
        "b.md"
      ]
    }
    """
    data: dict = {"generator": GENERATOR, "files": sorted(set(files))}
    if build is not None:
        data["build"] = build
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def walk_files(folder: Path) -> list[str]:
    """Every non-folder entry below ``folder`` (files, links, pipes) as sorted relative paths.

    Links are listed, never followed, so a link to a big tree outside is one entry.
    """
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath).relative_to(folder)
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = sorted(d for d in dirnames if d not in links)
        out.extend((base / name).as_posix() for name in [*filenames, *links])
    return sorted(out)
