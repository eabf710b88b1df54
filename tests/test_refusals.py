"""A build deletes or overwrites only what archdoc wrote, whatever the manifest, the site folder or links say.

Each hostile case stops the build with exit 2 and one located line before anything is
written: docs/ and the site keep every byte, the victim file outside is still there, no
staging folder is left.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from archdoc.build import build
from archdoc.lock import LOCK_NAME
from archdoc.manifest import DOCS_MANIFEST, SITE_MANIFEST
from test_build import MINI, snapshot

REMEDY = ("archdoc deletes only files this manifest lists inside docs/, so it stops here: fix the entry or "
          "delete the manifest")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("refusals")
    assert build(MINI, site_dir=root / "site", docs_dir=root / "docs", progress=lambda _: None) == 0
    return root


@pytest.fixture
def work(built, tmp_path, monkeypatch):
    """A copy of the built docs/ and site/ in the working directory, and a victim file beside it."""
    shutil.copytree(built / "docs", tmp_path / "docs")
    shutil.copytree(built / "site", tmp_path / "site")
    (tmp_path / "victim.txt").write_text("precious", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(work: Path, left: tuple[str, ...] = (), **kwargs) -> str:
    """Build into ``work`` expecting a refusal: the one error line; nothing changed, nothing left
    (but ``left``, archdoc-named files that were there before)."""
    before = snapshot(work)
    lines: list[str] = []
    assert build(MINI, site_dir=work / "site", docs_dir=work / "docs", progress=lines.append, **kwargs) == 2, lines
    after = snapshot(work)
    after.pop(LOCK_NAME, None)
    assert after == before
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".archdoc-")) == sorted(left)
    errors = [ln for ln in lines if ln.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], lines
    return errors[0].removeprefix("error: ")


def _manifest(work: Path, text: str) -> None:
    (work / "docs" / DOCS_MANIFEST).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("text, where, why", [
    (json.dumps({"files": ["index.md", "../victim.txt"]}, indent=2), "4:5", 'entry 2 "../victim.txt" leaves the folder'),
    ('{"files": ["index.md",\n  "VICTIM"]}', "2:3", 'entry 2 "VICTIM" is an absolute path'),
    ('{"files": ["./index.md"]}', "1:12", "entry 1 \"./index.md\" is not normalised (write 'index.md')"),
    ("{", "1:2", "the manifest is not valid JSON (Expecting property name enclosed in double quotes)"),
    ("[]", "1:1", 'the manifest must be a JSON object with a "files" list'),
    ('{"files": [1]}', "1:12", "entry 1 1 is not a string"),
    ('{"files": "abc"}', "1:2", '"files" must be a list of paths'),
    ('{"files": ["a", ".archdoc-generated.json"]}', "1:17", 'entry 2 ".archdoc-generated.json" is the manifest itself'),
], ids=["parent", "absolute", "not-normalised", "truncated", "array", "number", "string", "itself"])
def test_a_manifest_that_is_not_archdocs_stops_the_build(work, text, where, why):
    _manifest(work, text.replace("VICTIM", str(work / "victim.txt")))
    message = _refused(work)
    assert message == f"docs/{DOCS_MANIFEST}:{where}: {why.replace('VICTIM', str(work / 'victim.txt'))}; {REMEDY}"
    assert (work / "victim.txt").read_text(encoding="utf-8") == "precious"


def test_a_manifest_entry_through_a_symbolic_link_stops_the_build(work, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "victim.md").write_text("precious", encoding="utf-8")
    (work / "docs" / "linked").symlink_to(outside, target_is_directory=True)
    _manifest(work, json.dumps({"files": ["index.md", "linked/victim.md"]}))
    message = _refused(work)
    assert message == (f'docs/{DOCS_MANIFEST}:1:24: entry 2 "linked/victim.md" passes through the symbolic '
                       f"link 'linked'; {REMEDY}")
    assert (outside / "victim.md").read_text(encoding="utf-8") == "precious"


def test_a_manifest_that_is_a_link_stops_the_build(work):
    (work / "docs" / DOCS_MANIFEST).unlink()
    (work / "docs" / DOCS_MANIFEST).symlink_to(work / "victim.txt")
    assert _refused(work) == f"docs/{DOCS_MANIFEST}:0:0: the manifest is not a regular file (a link or a folder); {REMEDY}"


@pytest.mark.parametrize("files, shown", [
    ({"index.html": "<h1>me</h1>", "README.md": "# mine", "src/app.py": "print()"},
     "README.md, index.html, src/app.py"),
    ({".bashrc": "alias x=y", "work/notes.txt": "n", "index.html": "home"}, ".bashrc, index.html, work/notes.txt"),
], ids=["web-project", "home-like"])
def test_a_site_folder_with_foreign_files_is_refused_then_replaced_with_force(work, built, files, shown):
    shutil.rmtree(work / "site")
    for rel, text in files.items():
        (work / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / "site" / rel).write_text(text, encoding="utf-8")
    message = _refused(work)
    assert message == (f"--site-dir {work / 'site'} holds files archdoc did not write (it has no archdoc site "
                       f"manifest (.archdoc-site.json)): {shown}; the build replaces the whole folder, so give a "
                       "new or empty folder, or pass --force to replace it anyway")
    assert build(MINI, site_dir=work / "site", docs_dir=work / "docs", progress=lambda _: None, force=True) == 0
    assert snapshot(work / "site") == snapshot(built / "site")


def test_a_file_added_to_an_earlier_site_is_named(work):
    (work / "site" / "notes").mkdir()
    (work / "site" / "notes" / "mine.txt").write_text("keep", encoding="utf-8")
    message = _refused(work)
    assert message.startswith(f"--site-dir {work / 'site'} holds files archdoc did not write (its manifest "
                              f"({SITE_MANIFEST}) does not list them): notes/mine.txt; ")


def test_a_site_path_that_is_a_file_is_refused(work):
    shutil.rmtree(work / "site")
    (work / "site").write_text("a file", encoding="utf-8")
    assert _refused(work) == f"--site-dir {work / 'site'} exists and is not a folder"


def test_a_hand_written_link_out_of_docs_is_never_published(work, tmp_path_factory):
    outside = tmp_path_factory.mktemp("secret")
    (outside / "secret.md").write_text("# 秘密\n\nAKIA-SECRET\n", encoding="utf-8")
    (work / "docs" / "secret.md").symlink_to(outside / "secret.md")
    message = _refused(work)
    assert message == (f"docs/secret.md:0:0: a symbolic link to {outside / 'secret.md'}, outside docs/; archdoc "
                       "does not publish files from outside (copy the file in)")
    assert not any(b"AKIA-SECRET" in data for data in snapshot(work / "site").values())


def test_a_link_at_the_old_temporary_manifest_name_is_refused(work):
    """archdoc before the journal wrote ``docs/.archdoc-generated.json.tmp``: a link there overwrote its target."""
    (work / "docs" / f"{DOCS_MANIFEST}.tmp").symlink_to(work / "victim.txt")
    assert _refused(work).startswith(f"docs/{DOCS_MANIFEST}.tmp:0:0: a symbolic link to ")
    assert (work / "victim.txt").read_text(encoding="utf-8") == "precious"


def test_a_link_where_archdoc_writes_is_refused(work, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    shutil.move(work / "docs" / "diagrams", outside / "diagrams")
    (work / "docs" / "diagrams").symlink_to(outside / "diagrams", target_is_directory=True)
    before = snapshot(outside)
    message = _refused(work)
    assert message.startswith(f"docs/{DOCS_MANIFEST}:") and "passes through the symbolic link 'diagrams'" in message
    assert snapshot(outside) == before


def test_a_link_inside_docs_to_a_file_inside_is_published(work):
    (work / "docs" / "notes.md").write_text("# メモ\n", encoding="utf-8")
    (work / "docs" / "alias.md").symlink_to("notes.md")
    assert build(MINI, site_dir=work / "site", docs_dir=work / "docs", progress=lambda _: None) == 0
    assert (work / "site" / "alias" / "index.html").is_file()
    assert (work / "docs" / "alias.md").is_symlink()


def test_a_hand_written_file_where_a_generated_one_goes_is_kept(work):
    """Not only pages: any file archdoc did not list (here a script) is never overwritten."""
    (work / "docs" / DOCS_MANIFEST).unlink()
    (work / "docs" / "assets" / "zoom.js").write_text("// my own script\n", encoding="utf-8")
    lines: list[str] = []
    assert build(MINI, site_dir=work / "site", docs_dir=work / "docs", progress=lines.append) == 1
    assert (work / "docs" / "assets" / "zoom.js").read_text(encoding="utf-8") == "// my own script\n"
    assert "hand-written files would be overwritten" in lines[-1] and "assets/zoom.js" in lines[-1]


def test_a_journal_that_is_not_archdocs_is_refused(work):
    (work / ".archdoc-journal.json").write_text("{", encoding="utf-8")
    message = _refused(work, left=(".archdoc-journal.json",))
    assert message.startswith(f"{work / '.archdoc-journal.json'}:0:0: not a journal archdoc wrote (unreadable: ")


def test_a_journal_naming_other_folders_moves_nothing_there(work, tmp_path_factory):
    """A journal is untrusted: one naming folders this build does not lock is left alone."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "docs").mkdir()
    (elsewhere / "docs" / "victim.md").write_text("precious", encoding="utf-8")
    stage = elsewhere / ".archdoc-build-1-abc"
    (stage / "docs").mkdir(parents=True)
    journal = {"version": 1, "pid": 1, "state": "prepared", "swaps": [],
               "files": [{"root": str(elsewhere / "docs"), "stage": str(stage), "mkdirs": [], "deletes": [],
                          "puts": [{"path": "victim.md", "had_old": False, "sha256": "0" * 64}]}]}
    (work / ".archdoc-journal.json").write_text(json.dumps(journal), encoding="utf-8")
    lines: list[str] = []
    assert build(MINI, site_dir=work / "site", docs_dir=work / "docs", progress=lines.append) == 0
    assert (elsewhere / "docs" / "victim.md").read_text(encoding="utf-8") == "precious" and stage.is_dir()
    assert any("names folders another build has locked" in ln for ln in lines)
    assert not os.path.exists(elsewhere / LOCK_NAME)
