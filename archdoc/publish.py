"""Staging, the strict MkDocs run and the publish plan of :mod:`archdoc.build`.

The rules that protect ``docs/`` are in this file: generated files are known only through
the manifest ``docs/.archdoc-generated.json`` (read by :mod:`archdoc.manifest`); anything
else in ``docs/`` is hand-written and is copied into staging (so the site includes it)
but never moved, replaced or deleted. A hand-written file that is a symbolic link out of
docs/ (or not a regular file) stops the build: its target would be published. The swap
itself is :mod:`archdoc.journal`'s.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import yaml

from archdoc import journal
from archdoc.failures import BuildFailure, Refusal
from archdoc.manifest import DOCS_MANIFEST, SITE_MANIFEST, listing_text, read_listing, symlink_on_the_way, walk_files
from archdoc.site_runner import Standby

__all__ = ["MANIFEST", "BuildFailure", "read_manifest", "hand_written", "stage_docs", "run_mkdocs", "start_mkdocs",
           "MkDocsRun", "plan", "publish"]

MANIFEST = DOCS_MANIFEST


def read_manifest(docs: Path | None) -> set[str]:
    """Doc-relative paths an earlier build generated in ``docs`` (empty when there is none).

    Raises :class:`~archdoc.failures.Refusal` for a manifest that is not archdoc's.
    """
    if docs is None:
        return set()
    return set(read_listing(docs, MANIFEST, f"{Path(docs).name}/"))


def _shown(docs: Path, rel: str) -> str:
    from model.errors import display_path

    return display_path(docs / rel)


def hand_written(docs: Path, generated: set[str]) -> list[str]:
    """The hand-written files of ``docs`` (not in the manifest), checked before they are copied.

    A symbolic link is followed only to a file inside docs/; a link out of docs/ (a secret
    would be published), a link to a folder, or a FIFO or device raises :class:`Refusal`.
    """
    root = docs.resolve()
    out = []
    for rel in walk_files(docs):
        if rel in generated or rel == MANIFEST:
            continue
        path = docs / rel
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            target = path.resolve()
            if root not in target.parents:
                raise Refusal(f"{_shown(docs, rel)}:0:0: a symbolic link to {os.readlink(path)}, outside "
                              f"{docs.name}/; archdoc does not publish files from outside (copy the file in)")
            if not target.is_file():
                raise Refusal(f"{_shown(docs, rel)}:0:0: a symbolic link to a folder or to nothing; "
                              "archdoc copies files only")
        elif not stat.S_ISREG(mode):
            raise Refusal(f"{_shown(docs, rel)}:0:0: not a regular file (a FIFO, socket or device)")
        out.append(rel)
    return out


def stage_docs(docs: Path | None, stage: Path, pages: dict[str, str]) -> None:
    """Fill ``stage`` with the hand-written files of ``docs`` and the newly generated pages."""
    stage.mkdir(parents=True, exist_ok=True)
    if docs is not None and docs.is_dir():
        for rel in hand_written(docs, read_manifest(docs)):
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(docs / rel, stage / rel)
    for rel, text in pages.items():
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


class MkDocsRun:
    """``mkdocs build --strict`` running in a child process (:func:`start_mkdocs`); :meth:`finish`
    waits for it and raises :class:`BuildFailure` with its warnings and errors when it failed."""

    def __init__(self, proc: subprocess.Popen, output, stage: Path):
        self.proc, self.output, self.stage = proc, output, stage

    def finished(self) -> bool:
        return self.proc.poll() is not None

    def wait(self) -> int:
        return self.proc.wait()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.output.close()

    def finish(self) -> None:
        try:
            code = self.proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.kill()
            raise BuildFailure("mkdocs build --strict did not finish within 600 s") from None
        self.output.seek(0)
        text = self.output.read().decode("utf-8", "replace")
        self.output.close()
        if code != 0:
            lines = [ln for ln in text.splitlines()
                     if ln.startswith(("WARNING", "ERROR", "Error", "Aborted")) or "Error" in ln]
            shown = "\n".join(lines or text.splitlines()[-20:])
            raise BuildFailure("mkdocs build --strict failed:\n" + shown.replace(str(self.stage), "docs"))


def start_mkdocs(stage_root: Path, stage: Path, site: Path, site_name: str, mkdocs_config: Path,
                 banner: dict[str, str] | None = None, language: str | None = None,
                 standby: Standby | None = None) -> MkDocsRun:
    """Start ``mkdocs build --strict`` of ``stage`` into ``site`` with the project's ``mkdocs.yml``.

    The configuration is copied with ``docs_dir``/``site_dir`` pointing into staging,
    ``site_name`` set to the model's title (so every model's site carries its own name),
    ``extra.archdoc_banner`` set to ``banner`` (the approval banner every page shows) and
    the theme's ``custom_dir`` set to archdoc's own override (:data:`render.escape.THEME_DIR`:
    page titles escaped after Material's ``striptags``, the banner), whatever the project's
    file says, and, with ``language`` (the document's), the theme and the search in that
    language (:func:`archdoc.site_language.apply_language`).
    The run's output goes to a temporary file (a pipe nobody reads could fill and stall it).
    MkDocs runs in ``standby`` (:class:`archdoc.site_runner.Standby`, started when the build
    started, its imports done) or in a child started now.
    """
    from render.escape import THEME_DIR, mkdocs_text

    try:
        config = yaml.safe_load(mkdocs_config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise Refusal(f"{mkdocs_config}:0:0: cannot read the site configuration: {exc}")
    if not isinstance(config, dict):
        raise Refusal(f"{mkdocs_config}:0:0: the site configuration is not a mapping")
    config.update(docs_dir=str(stage), site_dir=str(site), site_name=mkdocs_text(site_name))
    if banner:
        extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
        # model text, escaped like site_name (the theme renders without autoescaping)
        config["extra"] = {**extra, "archdoc_banner": {k: mkdocs_text(v) for k, v in banner.items()}}
    if language is not None:
        from archdoc.site_language import apply_language

        apply_language(config, language)
    theme = config.setdefault("theme", {"name": "material"})
    if isinstance(theme, dict):
        theme["custom_dir"] = str(THEME_DIR)
    cfg = stage_root / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    args = ["build", "--strict", "-f", str(cfg)]
    if standby is None or not standby.go(stage_root, args):
        standby = Standby()
        if not standby.go(stage_root, args):
            standby.close()
            raise BuildFailure("mkdocs build --strict could not be started")
    return MkDocsRun(standby.proc, standby.output, stage)


def run_mkdocs(stage_root: Path, stage: Path, site: Path, site_name: str, mkdocs_config: Path,
               banner: dict[str, str] | None = None, language: str | None = None) -> None:
    """``mkdocs build --strict`` of ``stage`` into ``site`` (:func:`start_mkdocs`), waiting for it."""
    start_mkdocs(stage_root, stage, site, site_name, mkdocs_config, banner, language).finish()


def _same(a: Path, b: Path) -> bool:
    return (b.is_file() and not b.is_symlink() and a.stat().st_size == b.stat().st_size
            and a.read_bytes() == b.read_bytes())


def _check_targets(stage: Path, docs: Path, files: list[str], previous: set[str]) -> None:
    """Refuse to replace a file archdoc did not write, or to write through a symbolic link."""
    for rel in sorted(set(files) | previous):
        link = symlink_on_the_way(docs, rel)
        if link:
            raise Refusal(f"{_shown(docs, link)}:0:0: a symbolic link where archdoc writes {rel}; archdoc "
                          "writes only real files and folders inside docs/ (replace the link)")
    clashes = [rel for rel in files if rel not in previous and rel != MANIFEST
               and os.path.lexists(docs / rel) and not _same(stage / rel, docs / rel)]
    if clashes:
        raise BuildFailure("hand-written files would be overwritten (move them, or delete them "
                           "to let archdoc generate them): " + ", ".join(f"{docs / c}" for c in clashes))


def _write_site_manifest(stage: Path, stage_site: Path, docs: Path | None, files: list[str],
                         record: dict | None) -> None:
    """The site manifest, with the build record (:mod:`archdoc.record`) when ``record`` gives its keys."""
    from archdoc.record import Record, hashes

    listed = [rel for rel in walk_files(stage_site) if rel != SITE_MANIFEST]
    build = None
    if record is not None:
        build = Record(record["inputs"], record["site_key"], record["pdf_key"],
                       None if docs is None else hashes(stage, [*files, MANIFEST]),
                       hashes(stage_site, listed)).to_json()
    (stage_site / SITE_MANIFEST).write_text(listing_text(listed, build), encoding="utf-8")


def plan(stage_root: Path, docs: Path | None, files: list[str], site_root: Path, site: Path,
         record: dict | None = None) -> journal.Journal:
    """Write both manifests into staging and list the renames that publish the build.

    ``record``: the build's ``inputs``, ``site_key`` and ``pdf_key``; the site manifest then
    also records them with the hashes of every file published (:mod:`archdoc.record`).
    """
    stage, stage_site = stage_root / "docs", site_root / "site"
    swaps = [journal.Swap(str(site), str(site_root), had_old=os.path.lexists(site))]
    if docs is None:
        _write_site_manifest(stage, stage_site, None, files, record)
        return journal.Journal([], swaps)
    docs.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(docs)
    _check_targets(stage, docs, files, previous)
    (stage / MANIFEST).write_text(listing_text(files), encoding="utf-8")
    _write_site_manifest(stage, stage_site, docs, files, record)
    fileset = journal.FileSet(str(docs), str(stage_root))
    for rel in [*sorted(files), MANIFEST]:
        if _same(stage / rel, docs / rel):
            continue
        fileset.puts.append(journal.Put(rel, os.path.lexists(docs / rel), journal.file_sha256(stage / rel)))
        parts = rel.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if not os.path.lexists(docs / folder) and folder not in fileset.mkdirs:
                fileset.mkdirs.append(folder)
    fileset.deletes = sorted(rel for rel in previous - set(files) - {MANIFEST} if (docs / rel).is_file())
    return journal.Journal([fileset], swaps)


def publish(stage_root: Path, docs: Path | None, files: list[str], site_root: Path, site: Path,
            record: dict | None = None) -> list[str]:
    """Publish the staged build: docs files and the site folder (with the build ``record``) in one
    journaled step.

    Returns warnings (clean-up left for the next build); raises :class:`BuildFailure` with
    everything rolled back when a step fails.
    """
    if os.path.lexists(site) and (os.path.islink(site) or not os.path.isdir(site)):
        raise Refusal(f"{site} exists and is not a folder")
    home = docs.parent if docs is not None else site.parent
    return journal.run(plan(stage_root, docs, files, site_root, site, record), home)
