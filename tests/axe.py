"""axe-core for the accessibility test: pinned, fetched from the npm registry once, checked, cached.

The browser test injects ``axe.min.js`` into each page of the built site (never from a
CDN: the site and its tests stay offline once the package is cached). The package is
fetched with ``npm pack`` into ``tests/.cache/`` (git-ignored) and accepted only when its
SHA-512 is the registry's published integrity for :data:`VERSION`.

>>> VERSION, INTEGRITY.startswith("sha512-")
('4.14.1', True)
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

__all__ = ["VERSION", "INTEGRITY", "CACHE", "axe_source", "RULE_TAGS", "RUN_AXE"]

VERSION = "4.14.1"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
"""The npm registry's ``dist.integrity`` of axe-core@4.14.1 (``npm view axe-core@4.14.1 dist.integrity``)."""
CACHE = Path(__file__).resolve().parent / ".cache"
RULE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""The WCAG 2.0, 2.1 and 2.2 level A and AA rules."""

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))
  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""
"""Run axe over the page (injected first); the violations as plain objects."""


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def axe_source() -> str:
    """The text of ``axe.min.js`` of the pinned version (fetched with npm on first use)."""
    tarball = CACHE / f"axe-core-{VERSION}.tgz"
    if not tarball.is_file() or _integrity(tarball.read_bytes()) != INTEGRITY:
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("the accessibility test needs npm to fetch axe-core (bash scripts/setup.sh installs it)")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "pack", f"axe-core@{VERSION}", "--pack-destination", str(CACHE), "--silent"],
                       check=True, capture_output=True, timeout=300)
    data = tarball.read_bytes()
    if _integrity(data) != INTEGRITY:
        tarball.unlink()
        raise RuntimeError(f"{tarball} is not axe-core {VERSION} as published (integrity mismatch)")
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")
