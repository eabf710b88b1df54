"""The record of the build that wrote the current docs/ and site: what it read and what it wrote.

The record lives in the site manifest (``site/.archdoc-site.json``, key ``"build"``), so
it is published with the site in the same journaled step (:mod:`archdoc.journal`): a
killed build leaves the old site with the old record or the new site with the new one.
It holds:

* ``inputs``: the build's :class:`archdoc.inputs.Fingerprint` (its parts);
* ``site_key`` / ``pdf_key``: hashes of what the MkDocs site and the PDF were made from
  (:func:`site_key`, :func:`pdf_key`);
* ``docs``: the SHA-256 of every generated file of docs/ (None when docs were only staged);
* ``site``: the SHA-256 of every file of the site folder.

A later build uses it three ways: nothing changed and every output is as recorded → it
writes nothing at all (:func:`unchanged`); the site's inputs are the same → the site is
not built again; the PDF's inputs are the same → the PDF is not rendered again. Every use
first checks the files against their recorded hashes, so an output edited, deleted or
half-copied by hand is rebuilt, never trusted.

The record is untrusted input like every manifest (it sits in a folder anyone can edit):
:func:`read_record` accepts only the exact shape archdoc writes (hex digests, normalised
relative paths inside the folder) and otherwise ignores it (a full build follows).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archdoc.journal import JOURNAL, file_sha256
from archdoc.manifest import DOCS_MANIFEST, SITE_MANIFEST, rel_problem, symlink_on_the_way, walk_files

__all__ = ["Record", "read_record", "unchanged", "site_key", "pdf_key", "same_files", "hashes", "VERSION",
           "PDF_NAME"]

VERSION = 1
PDF_NAME = "archdoc.pdf"
"""The PDF's name inside the site folder."""
_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Record:
    """One build's record (see the module docstring)."""

    inputs: dict[str, str]
    site_key: str
    pdf_key: str | None
    docs: dict[str, str] | None
    site: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"version": VERSION, "inputs": dict(sorted(self.inputs.items())), "site_key": self.site_key,
                "pdf_key": self.pdf_key, "docs": None if self.docs is None else dict(sorted(self.docs.items())),
                "site": dict(sorted(self.site.items()))}


def _hashes_ok(value: Any) -> bool:
    return (isinstance(value, dict) and all(isinstance(k, str) and rel_problem(k) is None for k in value)
            and all(isinstance(v, str) and _HEX.match(v) for v in value.values()))


def _parse(data: Any, listed: list[str]) -> Record | None:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    inputs, site, docs = data.get("inputs"), data.get("site"), data.get("docs")
    keys = (data.get("site_key"), data.get("pdf_key"))
    if not (isinstance(inputs, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items())):
        return None
    if not isinstance(keys[0], str) or not _HEX.match(keys[0]):
        return None
    if keys[1] is not None and not (isinstance(keys[1], str) and _HEX.match(keys[1])):
        return None
    if not _hashes_ok(site) or sorted(site) != sorted(listed):
        return None
    if docs is not None and not _hashes_ok(docs):
        return None
    return Record(dict(inputs), keys[0], keys[1], None if docs is None else dict(docs), dict(site))


def read_record(site: Path) -> Record | None:
    """The record in ``site``'s manifest, or None (no site, no record, or not exactly archdoc's shape).

    A manifest that is not archdoc's at all is the site guard's business
    (:func:`archdoc.site_guard.check_site`); here it just means "no record".
    """
    from archdoc.failures import Refusal
    from archdoc.manifest import read_listing

    path = Path(site) / SITE_MANIFEST
    try:
        listed = read_listing(Path(site), SITE_MANIFEST, f"{Path(site).name}/")
        data = json.loads(path.read_bytes().decode("utf-8")) if listed else None
    except (Refusal, OSError, ValueError):
        return None
    return _parse(data.get("build"), listed) if isinstance(data, dict) else None


def hashes(root: Path, rels: list[str]) -> dict[str, str]:
    """``{rel: sha256}`` of files below ``root``."""
    return {rel: file_sha256(Path(root) / rel) for rel in sorted(rels)}


def same_files(root: Path, recorded: dict[str, str], exact: bool = True) -> bool:
    """True when the files below ``root`` are exactly those recorded (with ``exact``: no other file),
    each a regular file (not reached through a symbolic link) with the recorded hash."""
    root = Path(root)
    if exact and set(walk_files(root)) - {SITE_MANIFEST} != set(recorded):
        return False
    for rel, digest in recorded.items():
        path = root / rel
        if symlink_on_the_way(root, rel) or not path.is_file():
            return False
        try:
            if file_sha256(path) != digest:
                return False
        except OSError:
            return False
    return True


def unchanged(record: Record | None, inputs: dict[str, str], docs: Path | None, site: Path) -> str | None:
    """Why the build must run (a short phrase), or None when nothing changed and every output is as
    recorded: same inputs, docs/ holding exactly the recorded generated files (and its manifest
    listing them), the site folder exactly the recorded files, no interrupted build to finish and
    nothing left by one (:func:`archdoc.recovery.debris`)."""
    from archdoc.recovery import debris

    homes = {Path(site).parent, *((Path(docs).parent,) if docs is not None else ())}
    for home in homes:
        if os.path.lexists(home / JOURNAL):
            return "an interrupted build is to be finished"
    if debris(homes, sites=[Path(site)]):
        return "an interrupted build left staging folders to remove"
    if record is None:
        return "no record of an earlier build"
    if record.inputs != inputs:
        from archdoc.inputs import Fingerprint

        return "changed: " + ", ".join(Fingerprint(inputs).changed(record.inputs))
    if (docs is None) != (record.docs is None):
        return "changed: docs folder kept or not"
    if docs is not None:
        from archdoc.failures import Refusal
        from archdoc.manifest import read_listing

        try:
            listed = set(read_listing(docs, DOCS_MANIFEST, f"{Path(docs).name}/")) | {DOCS_MANIFEST}
        except Refusal:
            return "the docs manifest is not archdoc's"
        if listed != set(record.docs) or not same_files(docs, record.docs, exact=False):
            return "generated files in docs/ differ from the last build's"
    if not same_files(site, record.site):
        return "the site folder differs from the last build's"
    return None


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(f"{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def site_key(inputs: dict[str, str], docs_digest: str, site_name: str) -> str:
    """What the MkDocs site is made of: the staged docs (every file), the site configuration,
    the site's name, archdoc's code and the installed packages (MkDocs, Material)."""
    return _digest("site", docs_digest, inputs.get("mkdocs", ""), site_name, inputs.get("code", ""),
                   inputs.get("packages", ""))


def pdf_key(inputs: dict[str, str], docs_digest: str, document_json: str, order: list[str]) -> str:
    """What the PDF is made of: the staged docs (pages and the images they show), the document
    metadata, the pages' order, archdoc's code (print template), the installed packages
    (Typst), the fonts, and the model's files themselves (a PDF that carries the model
    must change with any byte of it, even one no page shows)."""
    return _digest("pdf", docs_digest, document_json, "\n".join(order), inputs.get("code", ""),
                   inputs.get("packages", ""), inputs.get("fonts", ""), inputs.get("model", ""))
