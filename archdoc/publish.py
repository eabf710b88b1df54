"""Staging, the strict MkDocs run and the final swap of :mod:`archdoc.build`.

Kept apart from the build's orchestration so the rules that protect ``docs/`` are in
one short file: generated files are known only through the manifest
``docs/.archdoc-generated.json``; anything else in ``docs/`` is hand-written and is
copied into staging (so the site includes it) but never moved, replaced or deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

__all__ = ["MANIFEST", "BuildFailure", "read_manifest", "stage_docs", "run_mkdocs", "publish",
           "MKDOCS_CONFIG"]

MANIFEST = ".archdoc-generated.json"
MKDOCS_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"


class BuildFailure(RuntimeError):
    """A build step failed; the message says where (file and line when known)."""


def read_manifest(docs: Path | None) -> set[str]:
    """Doc-relative paths an earlier build generated in ``docs`` (empty when there is none)."""
    if docs is None or not (docs / MANIFEST).is_file():
        return set()
    data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    return set(data.get("files", []))


def _hand_written(docs: Path, generated: set[str]) -> list[str]:
    out = []
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and rel != MANIFEST and rel not in generated:
            out.append(rel)
    return out


def stage_docs(docs: Path | None, stage: Path, pages: dict[str, str]) -> None:
    """Fill ``stage`` with the hand-written files of ``docs`` and the newly generated pages."""
    stage.mkdir(parents=True, exist_ok=True)
    if docs is not None and docs.is_dir():
        for rel in _hand_written(docs, read_manifest(docs)):
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(docs / rel, stage / rel)
    for rel, text in pages.items():
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def run_mkdocs(stage_root: Path, stage: Path, site: Path, site_name: str) -> None:
    """``mkdocs build --strict`` of ``stage`` into ``site`` with the repository's ``mkdocs.yml``.

    The configuration is copied with ``docs_dir``/``site_dir`` pointing into staging and
    ``site_name`` set to the model's title, so another model's site carries its own name.
    """
    from render.escape import mkdocs_text

    config = yaml.safe_load(MKDOCS_CONFIG.read_text(encoding="utf-8"))
    config.update(docs_dir=str(stage), site_dir=str(site), site_name=mkdocs_text(site_name))
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):  # relative to the original file
        theme["custom_dir"] = str(MKDOCS_CONFIG.parent / theme["custom_dir"])
    cfg = stage_root / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(cfg)],
                          capture_output=True, text=True, env=env, cwd=stage_root, timeout=600)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines()
                 if ln.startswith(("WARNING", "ERROR", "Error", "Aborted")) or "Error" in ln]
        text = "\n".join(lines or (proc.stdout + proc.stderr).splitlines()[-20:])
        raise BuildFailure("mkdocs build --strict failed:\n" + text.replace(str(stage), "docs"))


def _same(a: Path, b: Path) -> bool:
    return b.is_file() and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _check_collisions(stage: Path, docs: Path, files: list[str], previous: set[str]) -> None:
    """Refuse to overwrite a hand-written page that happens to sit where a page is generated."""
    clashes = [rel for rel in files if rel.endswith(".md") and rel not in previous
               and (docs / rel).exists() and not _same(stage / rel, docs / rel)]
    if clashes:
        raise BuildFailure("hand-written files would be overwritten (move them, or delete them "
                           "to let archdoc generate them): " + ", ".join(f"{docs / c}" for c in clashes))


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def publish(stage: Path, docs: Path | None, files: list[str], stage_site: Path, site: Path) -> None:
    """Move generated files into ``docs``, drop stale ones, then swap in the new site."""
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
        previous = read_manifest(docs)
        _check_collisions(stage, docs, files, previous)
        for rel in files:
            src, dst = stage / rel, docs / rel
            if _same(src, dst):
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
        for rel in sorted(previous - set(files)):
            stale = docs / rel
            if stale.is_file():
                stale.unlink()
                _remove_empty_parents(stale, docs)
        manifest = json.dumps({"generator": "archdoc build", "files": sorted(files)},
                              ensure_ascii=False, indent=2) + "\n"
        tmp = docs / (MANIFEST + ".tmp")
        tmp.write_text(manifest, encoding="utf-8")
        os.replace(tmp, docs / MANIFEST)
    if site.exists() and not site.is_dir():
        raise BuildFailure(f"{site} exists and is not a folder")
    old = site.with_name(f".{site.name}.old-{os.getpid()}")
    if site.exists():
        os.replace(site, old)
    os.replace(stage_site, site)
    shutil.rmtree(old, ignore_errors=True)
