"""A build does nothing twice: nothing changed, nothing written; an unchanged site or PDF is kept.

One build of the mini model with its PDF is made once; each test works on a copy of it
(docs/, site/ and the model side by side in one folder). "Written" is judged by inode and
modification time of every file and folder, so a rename or a rewrite with the same bytes
counts as written too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archdoc import build as build_module
from archdoc import outputs, pdf_ahead
from archdoc import publish
from archdoc.build import build
from archdoc.manifest import SITE_MANIFEST
from archdoc.record import PDF_NAME, read_record
from conftest import MINI

ARCHDOC = [sys.executable, "-m", "archdoc"]
EDIT = ("00-document.yaml", "stg 環境では費用を抑えるため RDS をシングル AZ とする。",
        "stg 環境では費用を抑えるため、RDS をシングル AZ とする。")
"""One sentence of the model that one page shows (the assumptions page)."""


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of ``root`` and of everything below it."""
    out = {".": (root.stat().st_ino, root.stat().st_mtime_ns)}
    for path in root.rglob("*"):
        st = path.lstat()
        out[path.relative_to(root).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def changed(before: dict, after: dict) -> list[str]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cache")
    shutil.copytree(MINI, root / "model")
    lines: list[str] = []
    assert build(root / "model", site_dir=root / "site", docs_dir=root / "docs", progress=lines.append,
                 pdf=True) == 0, lines
    assert (root / "site" / PDF_NAME).is_file()
    return root


@pytest.fixture
def work(built, tmp_path) -> Path:
    """A copy of the built folder, its files' times kept (``copy2``)."""
    shutil.copytree(built, tmp_path / "w", copy_function=shutil.copy2)
    return tmp_path / "w"


def run(work: Path, pdf: bool = True, **kwargs) -> tuple[int, list[str]]:
    lines: list[str] = []
    code = build(work / "model", site_dir=work / "site", docs_dir=work / "docs", progress=lines.append, pdf=pdf,
                 **kwargs)
    return code, lines


def forbid_rendering(monkeypatch) -> None:
    """Make MkDocs, the PDF and Graphviz fail loudly if the build tried to run them."""
    def refuse(*args, **kwargs):
        raise AssertionError("ran although nothing changed")

    monkeypatch.setattr(publish, "start_mkdocs", refuse)
    monkeypatch.setattr(outputs, "write_pdf_job", refuse)
    monkeypatch.setattr(build_module, "_render_diagrams", refuse)


def test_nothing_changed_writes_nothing_and_runs_nothing(work, monkeypatch):
    (work / "model").joinpath("00-document.yaml").touch()  # a newer time with the same bytes is no change
    before = {name: stamps(work / name) for name in ("docs", "site", "model")}
    lock = (work / ".archdoc.lock").read_bytes()
    forbid_rendering(monkeypatch)
    code, lines = run(work)
    assert code == 0 and len(lines) == 1 and lines[0].startswith("up to date: nothing changed since the last build")
    assert lines[0].endswith(" s)") and "nothing was written" in lines[0]
    assert all(changed(before[name], stamps(work / name)) == [] for name in before)
    assert (work / ".archdoc.lock").read_bytes() == lock
    assert sorted(p.name for p in work.iterdir()) == [".archdoc.lock", "docs", "model", "site"]


def test_the_cli_says_so_in_one_line(work):
    argv = [*ARCHDOC, "build", "--model", str(work / "model"), "--docs-dir", str(work / "docs"),
            "--site-dir", str(work / "site")]
    proc = subprocess.run(argv, cwd=work, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("up to date: ") and proc.stdout.count("\n") == 1


def test_one_changed_sentence_rewrites_its_page_and_rebuilds_site_and_pdf(work, monkeypatch):
    path = work / "model" / EDIT[0]
    path.write_text(path.read_text(encoding="utf-8").replace(EDIT[1], EDIT[2]), encoding="utf-8")
    before = stamps(work / "docs")
    old_pdf = (work / "site" / PDF_NAME).stat().st_ino
    monkeypatch.setattr(build_module, "_render_diagrams", _no_new_drawings(build_module._render_diagrams))
    code, lines = run(work)
    assert code == 0, lines
    assert changed(before, stamps(work / "docs")) == [".", "assumptions.md"]  # the folder: a file was replaced
    step = next(ln for ln in lines if "build site" in ln)
    assert "site unchanged" not in step and "PDF unchanged" not in step and ", PDF " in step
    assert (work / "site" / PDF_NAME).stat().st_ino != old_pdf
    assert EDIT[2] in (work / "docs" / "assumptions.md").read_text(encoding="utf-8")


def _no_new_drawings(real):
    """``_render_diagrams`` that fails if any view was drawn again (not reused)."""
    def wrapper(loaded, out_dir, previous, *drawer):
        files = real(loaded, out_dir, previous, *drawer)
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        old = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
        assert manifest == old, "a diagram was drawn again"
        return files
    return wrapper


def test_a_changed_site_configuration_keeps_the_pdf(work):
    config = work / "mkdocs.yml"
    shutil.copyfile(Path(__file__).resolve().parent.parent / "archdoc" / "scaffold" / "mkdocs.yml", config)
    code, _ = run(work, mkdocs_config=config)  # another configuration file than the first build's
    assert code == 0
    pdf = (work / "site" / PDF_NAME).stat()
    config.write_text(config.read_text(encoding="utf-8") + "# another comment\n", encoding="utf-8")
    code, lines = run(work, mkdocs_config=config)
    assert code == 0
    step = next(ln for ln in lines if "build site" in ln)
    assert "PDF unchanged (kept)" in step and "site unchanged" not in step
    assert (work / "site" / PDF_NAME).stat().st_ino == pdf.st_ino  # the same file, linked into the new site


def test_without_the_pdf_a_still_valid_pdf_stays_and_an_unchanged_site_is_kept(work, monkeypatch):
    before = stamps(work / "site")
    monkeypatch.setattr(publish, "start_mkdocs", lambda *a, **k: pytest.fail("the site was built again"))
    code, lines = run(work, pdf=False)
    assert code == 0
    assert "site unchanged (kept), PDF unchanged (kept)" in next(ln for ln in lines if "build site" in ln)
    after = stamps(work / "site")
    files = [p for p in before if (work / "site" / p).is_file() and p != SITE_MANIFEST]
    assert PDF_NAME in files and [p for p in files if after[p][0] != before[p][0]] == []  # linked, not copied
    assert read_record(work / "site").pdf_key is not None


@pytest.mark.parametrize("where", ["site/" + PDF_NAME, "site/index.html", "docs/01-stg.md"])
def test_an_output_changed_by_hand_is_never_trusted(built, work, where):
    from archdoc.record import same_files

    target = work / where
    target.write_bytes(target.read_bytes() + b"\n")
    code, lines = run(work)
    assert code == 0 and not lines[0].startswith("up to date")
    step = next(ln for ln in lines if "build site" in ln)
    if where.endswith(".pdf"):
        assert "site unchanged (kept)" in step and "PDF unchanged" not in step
    elif where.startswith("site/"):
        assert "site unchanged" not in step and "PDF unchanged (kept)" in step
    assert target.read_bytes() == (built / where).read_bytes()  # what the build writes (Typst too)
    assert same_files(work / "site", read_record(work / "site").site)


TAMPERED = [
    lambda b: b.update(version=2),
    lambda b: b["site"].update({"index.html": "0" * 63}),
    lambda b: b["site"].update({"../outside.txt": "0" * 64}),
    lambda b: b.update(site_key="not a hash"),
    lambda b: b.update(inputs=["a list"]),
    lambda b: b["docs"].update({"/etc/passwd": "0" * 64}),
    lambda b: b["site"].pop("index.html"),
]


def _tamper(work: Path, how) -> None:
    path = work / "site" / SITE_MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    how(data["build"])
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("how", TAMPERED)
def test_a_record_not_of_archdoc_shape_is_not_read(work, how):
    from archdoc.record import unchanged

    assert read_record(work / "site") is not None
    _tamper(work, how)
    assert read_record(work / "site") is None
    assert unchanged(None, {}, work / "docs", work / "site") == "no record of an earlier build"


def test_without_a_valid_record_everything_is_built_and_the_record_rewritten(work):
    _tamper(work, TAMPERED[2])
    code, lines = run(work)
    assert code == 0 and not lines[0].startswith("up to date")
    assert "site unchanged" not in lines[3] and "PDF unchanged" not in lines[3]  # nothing taken over from it
    assert read_record(work / "site") is not None
    assert run(work)[1][0].startswith("up to date")


def test_another_graphviz_or_font_is_a_change(work, monkeypatch):
    from render.diagrams import files
    from render import toolchain

    monkeypatch.setattr(toolchain, "graphviz_version", lambda: "99.0.0")
    monkeypatch.setattr(files, "graphviz_version", lambda: "99.0.0")
    code, lines = run(work, pdf=False)
    assert code == 0 and not lines[0].startswith("up to date")
    manifest = json.loads((work / "docs" / "diagrams" / "manifest.json").read_text(encoding="utf-8"))
    assert {entry["toolchain"].split(";")[0] for entry in manifest.values()} == {"graphviz 99.0.0"}
    monkeypatch.undo()
    real = toolchain.font_identity
    monkeypatch.setattr(toolchain, "font_identity", lambda families: real(families) + " (another version)")
    code, lines = run(work)
    step = next(ln for ln in lines if "build site" in ln)
    assert code == 0 and "PDF unchanged" not in step


def test_a_pdf_failure_ends_the_site_build_and_writes_nothing(work, monkeypatch):
    (work / "docs" / "notes.md").write_text("# メモ\n", encoding="utf-8")  # the site must be built again too
    before = {name: stamps(work / name) for name in ("docs", "site")}

    def broken(*args):
        raise RuntimeError("injected PDF failure")

    monkeypatch.setattr(outputs, "write_pdf_job", broken)
    code, lines = run(work)
    assert code == 1 and lines[-1] == "error: RuntimeError: injected PDF failure"
    assert any("FAILED" in ln for ln in lines)
    assert all(changed(before[name], stamps(work / name)) == [] for name in before)
    assert sorted(p.name for p in work.iterdir()) == [".archdoc.lock", "docs", "model", "site"]


def test_a_site_failure_ends_the_pdf_and_writes_nothing(work, monkeypatch, tmp_path):
    (work / "docs" / "notes.md").write_text("# メモ\n", encoding="utf-8")
    before = {name: stamps(work / name) for name in ("docs", "site")}
    started, finished = tmp_path / "pdf-started", tmp_path / "pdf-finished"

    def slow_pdf(*args):
        started.write_text(str(os.getpid()), encoding="utf-8")
        import time
        time.sleep(60)
        finished.write_text("done", encoding="utf-8")

    def failing_site(stage_root, *args):
        import tempfile
        script = ("import pathlib, sys, time\n"
                  f"p = pathlib.Path({str(started)!r})\n"
                  "while not p.exists(): time.sleep(0.01)\n"
                  "print('ERROR    -  injected site failure'); sys.exit(1)\n")
        output = tempfile.TemporaryFile()
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=output, stderr=subprocess.STDOUT)
        return publish.MkDocsRun(proc, output, stage_root / "docs")

    monkeypatch.setattr(outputs, "write_pdf_job", slow_pdf)
    monkeypatch.setattr(publish, "start_mkdocs", failing_site)
    # the PDF must run in the forked worker; this test process may have used Typst already (then
    # no worker is forked), but this job never calls Typst, so forking is safe here once the
    # worker does no layout ahead of it either
    for name in [m for m in sys.modules if m.split(".")[0] in outputs.PDF_FRESH]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(pdf_ahead, "IDLE", None)
    code, lines = run(work)
    assert code == 1 and lines[-1] == "error: mkdocs build --strict failed:\nERROR    -  injected site failure"
    pid = int(started.read_text(encoding="utf-8"))
    assert not finished.exists() and not Path(f"/proc/{pid}").exists()  # the PDF's process was ended at once
    assert all(changed(before[name], stamps(work / name)) == [] for name in before)


def test_archdoc_pdf_reports_its_workers_failure_in_one_line(work, monkeypatch, capsys):
    from archdoc.commands.pdf import run_pdf

    def broken(*args):
        raise RuntimeError("injected\nPDF failure")

    monkeypatch.setattr(outputs, "write_pdf_job", broken)
    assert run_pdf(str(work / "model"), str(work / "out.pdf"), str(work / "docs" / "diagrams")) == 1
    assert capsys.readouterr().err == "archdoc pdf: rendering failed: RuntimeError: injected PDF failure\n"
    assert not (work / "out.pdf").exists()


def test_a_worker_given_no_job_ends_quietly():
    from archdoc.side_by_side import Worker

    worker = Worker.start(("json",))
    worker.kill()
    assert worker.status is not None


def test_an_input_changed_while_the_build_runs_is_never_vouched_for(work, monkeypatch):
    """The model is edited after the build read it: the build publishes what it made from the old
    bytes but records no inputs, so the next build does everything again."""
    real = build_module._render_diagrams

    def edit_meanwhile(*args):
        path = work / "model" / EDIT[0]
        path.write_text(path.read_text(encoding="utf-8").replace(EDIT[1], EDIT[2]), encoding="utf-8")
        return real(*args)

    (work / "docs" / "notes.md").write_text("# メモ\n", encoding="utf-8")  # something to do
    monkeypatch.setattr(build_module, "_render_diagrams", edit_meanwhile)
    code, _ = run(work, pdf=False)
    assert code == 0 and read_record(work / "site") is None
    assert EDIT[2] not in (work / "docs" / "assumptions.md").read_text(encoding="utf-8")
    monkeypatch.undo()
    code, lines = run(work, pdf=False)
    assert code == 0 and not lines[0].startswith("up to date")
    assert EDIT[2] in (work / "docs" / "assumptions.md").read_text(encoding="utf-8")


def test_no_worker_is_forked_once_this_process_has_a_fresh_module(monkeypatch):
    """A child forked after Typst ran here would wait forever for Typst's threads: the job runs here."""
    import sys
    import types

    from archdoc.side_by_side import Worker

    monkeypatch.setitem(sys.modules, "threaded_library", types.ModuleType("threaded_library"))
    assert Worker.start(("json",), fresh=("threaded_library",)) is None
    worker = Worker.start(("json",), fresh=("library_not_loaded_here",))
    assert worker is not None
    worker.kill()


def test_workers_are_forked_before_the_model_schema_is_imported(tmp_path):
    """The diagrams' and the PDF's workers start before the model is loaded (their imports use the
    second core meanwhile) and neither needs the model's types: the build forks them before the
    schema is imported, and the diagrams' worker's module does not import it."""
    script = (
        "import sys\n"
        "from archdoc import build as b\n"
        "from archdoc.commands.build import run_build\n"
        "def start(*args, **kwargs):\n"
        "    print('schema at fork:', 'model.schema' in sys.modules)\n"
        "    raise SystemExit(0)\n"
        "b.Worker.start = start\n"
        f"run_build({str(MINI)!r}, site_dir={str(tmp_path / 'site')!r}, docs_dir={str(tmp_path / 'docs')!r}, pdf=True)\n"
    )
    done = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(Path(build_module.__file__).parents[1])})
    assert (done.returncode, done.stdout, done.stderr) == (0, "schema at fork: False\n", "")
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()
    worker = subprocess.run([sys.executable, "-P", "-c", "import sys, render.diagrams.files; "
                             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'model'))"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(Path(build_module.__file__).parents[1])})
    assert (worker.returncode, worker.stdout) == (0, "[]\n")
