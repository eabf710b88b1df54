"""Publishing is one step: a fault or a kill at any moment leaves the old pair or the new pair.

The pair is docs/ and the site folder. An "old" build of the mini model and a "new" build
of a changed copy (another title, the second environment renumbered, so pages are
replaced, created and deleted) are made once; then the publish step of the new build is
replayed from a copy of its staging folders, with a fault at each of its steps in turn:

* in-process, :data:`archdoc.journal.FAULT` raises at step k: the build's own rollback
  must restore the old pair exactly (after the commit point: the new pair, clean-up left);
* in a subprocess, ``ARCHDOC_TEST_CRASH_AT=k`` ends the process with ``os._exit`` at step k
  (no ``finally``): the next build's recovery must give the old or the new pair exactly;
* a real SIGKILL of ``archdoc build`` at several moments, then recovery.

After each, no staging folder, journal or temporary is left.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archdoc import journal, publish, recovery
from archdoc.build import build
from archdoc.failures import BuildFailure
from archdoc.lock import LOCK_NAME, BuildLock
from test_build import MINI, snapshot

REPO = Path(__file__).resolve().parent.parent
ARCHDOC = [sys.executable, "-m", "archdoc"]


def _new_model(folder: Path) -> Path:
    """The mini model with another title and the second environment renumbered (section 3)."""
    shutil.copytree(MINI, folder)
    places = folder / "10-places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("    section: 2\n", "    section: 3\n"),
                      encoding="utf-8")
    doc = folder / "00-document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("title: ミニ構成 システム構成書",
                                                           "title: ミニ構成 システム構成書 改訂"), encoding="utf-8")
    return folder


def _pair(root: Path) -> tuple[dict, dict]:
    return snapshot(root / "docs"), snapshot(root / "site")


def _debris(root: Path) -> list[str]:
    """Anything in ``root`` besides docs/, site/ and the lock file."""
    return sorted(p.name for p in root.iterdir() if p.name not in ("docs", "site", LOCK_NAME, "model"))


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    """Old and new (docs, site) snapshots, the new model, and the new build's staged publish input."""
    root = tmp_path_factory.mktemp("publish")
    new_model = _new_model(root / "new-model")
    old, new = root / "old", root / "new"
    assert build(MINI, site_dir=old / "site", docs_dir=old / "docs", progress=lambda _: None) == 0
    shutil.copytree(old, new)
    saved = root / "staged"
    real = publish.publish

    def capture(stage_root, docs, files, site_root, site, record=None):
        shutil.copytree(stage_root, saved / "build")
        shutil.copytree(site_root, saved / "site")
        (saved / "files.json").write_text(json.dumps(files), encoding="utf-8")
        (saved / "record.json").write_text(json.dumps(record), encoding="utf-8")
        return real(stage_root, docs, files, site_root, site, record=record)

    publish.publish = capture
    try:
        assert build(new_model, site_dir=new / "site", docs_dir=new / "docs", progress=lambda _: None) == 0
    finally:
        publish.publish = real
    return {"old": _pair(old), "new": _pair(new), "old_dir": old, "model": new_model, "saved": saved}


def _replay_setup(pairs, work: Path) -> tuple[list, Path]:
    """``work`` holds the old pair and the new build's staging folders; returns publish's arguments
    (the last one the build record the site manifest carries)."""
    shutil.copytree(pairs["old_dir"] / "docs", work / "docs")
    shutil.copytree(pairs["old_dir"] / "site", work / "site")
    stage_root = work / f"{journal.STAGE_PREFIX}{os.getpid()}-replay"
    site_root = work / f"{journal.SITE_STAGE_PREFIX}{os.getpid()}-replay"
    shutil.copytree(pairs["saved"] / "build", stage_root)
    shutil.copytree(pairs["saved"] / "site", site_root)
    files = json.loads((pairs["saved"] / "files.json").read_text(encoding="utf-8"))
    record = json.loads((pairs["saved"] / "record.json").read_text(encoding="utf-8"))
    assert record and record["site_key"], "the build recorded what it was made of"
    return [stage_root, work / "docs", files, site_root, work / "site", record], work


def _record_says(pairs, work: Path) -> str | None:
    """What the record left in ``work``'s site says about a build of the new model there: None when it
    vouches for the outputs (nothing to do), else why the build must run."""
    from archdoc.inputs import fingerprint
    from archdoc.paths import DEFAULT_MKDOCS
    from archdoc.record import read_record, unchanged

    inputs = fingerprint(pairs["model"], work / "docs", DEFAULT_MKDOCS, pdf=False)
    return unchanged(read_record(work / "site"), inputs.parts, work / "docs", work / "site")


def _steps(pairs, tmp_path) -> list[str]:
    args, _ = _replay_setup(pairs, tmp_path / "count")
    seen: list[str] = []
    journal.FAULT = seen.append
    try:
        assert publish.publish(*args) == []
    finally:
        journal.FAULT = None
    assert _pair(tmp_path / "count") == pairs["new"]
    return seen


def test_the_publish_sequence_has_the_expected_steps(pairs, tmp_path):
    steps = _steps(pairs, tmp_path)
    assert steps[0] == "journal written" and "committed" in steps and steps[-1] == "journal removed"
    assert {"put 03-live.md", "delete 02-live.md", "move aside index.md", "put index.md",
            "move aside site/", "swap in site/"} <= set(steps)
    assert steps.index("swap in site/") < steps.index("committed")


def test_a_fault_at_any_step_is_rolled_back_or_finished(pairs, tmp_path):
    steps = _steps(pairs, tmp_path)
    commit = steps.index("committed")
    for k, step in enumerate(steps):
        args, work = _replay_setup(pairs, tmp_path / f"fault-{k}")

        calls = iter(range(len(steps)))

        def fault(name, _at=k):
            if next(calls) == _at:
                raise OSError(f"injected fault at {name}")

        journal.FAULT = fault
        try:
            if k < commit:
                with pytest.raises(BuildFailure, match=f"injected fault at {step}"):
                    publish.publish(*args)
            else:  # the commit point is passed: published, only clean-up is left for later
                assert publish.publish(*args), step  # a warning says what is left
        finally:
            journal.FAULT = None
        expected = pairs["old"] if k < commit else pairs["new"]
        assert _pair(work) == expected, f"fault at step {k} ({step})"
        with BuildLock([work], progress=lambda _: None) as lock:
            recovery.recover([work], lock, progress=lambda _: None)
        assert _pair(work) == expected and _debris(work) == [], f"fault at step {k} ({step})"
        # the record published with the site vouches for exactly the pair that is there
        assert (_record_says(pairs, work) is None) == (k >= commit), f"fault at step {k} ({step})"


def test_a_crash_at_any_step_is_recovered_by_the_next_build(pairs, tmp_path):
    steps = _steps(pairs, tmp_path)
    commit = steps.index("committed")
    script = ("import json, sys; from pathlib import Path; from archdoc import publish\n"
              "a = json.loads(sys.argv[1]); a[2] = json.loads(Path(a[2]).read_text())\n"
              "a[5] = json.loads(Path(a[5]).read_text())\n"
              "publish.publish(*[x if i in (2, 5) else Path(x) for i, x in enumerate(a)])\n")
    for k in range(1, len(steps) + 1):
        args, work = _replay_setup(pairs, tmp_path / f"crash-{k}")
        argv = [str(a) for a in args]
        argv[2] = str(pairs["saved"] / "files.json")
        argv[5] = str(pairs["saved"] / "record.json")
        proc = subprocess.run([sys.executable, "-c", script, json.dumps(argv)], cwd=REPO, capture_output=True,
                              text=True, timeout=120, env=dict(os.environ, ARCHDOC_TEST_CRASH_AT=str(k)))
        assert proc.returncode == 99, (k, proc.stderr)
        lines: list[str] = []
        with BuildLock([work], progress=lines.append) as lock:
            recovery.recover([work], lock, progress=lines.append)
        expected = pairs["old"] if k - 1 < commit else pairs["new"]
        assert _pair(work) == expected, f"crash at step {k} ({steps[k - 1]}): {lines}"
        assert _debris(work) == [], f"crash at step {k} ({steps[k - 1]})"
        assert (_record_says(pairs, work) is None) == (k - 1 >= commit), f"crash at step {k} ({steps[k - 1]})"


def test_sigkill_during_real_builds_then_recovery(pairs, tmp_path):
    """A real ``archdoc build`` killed with SIGKILL at moments spread over its run."""
    work = tmp_path / "kill"
    shutil.copytree(pairs["old_dir"], work)
    argv = [*ARCHDOC, "build", "--no-pdf", "--model", str(pairs["model"]), "--docs-dir", str(work / "docs"),
            "--site-dir", str(work / "site")]
    start = time.monotonic()
    subprocess.run(argv, cwd=tmp_path, capture_output=True, timeout=300, check=True)
    duration = time.monotonic() - start
    outcomes = set()
    for fraction in (0.5, 0.85, 0.97, 1.05):
        shutil.rmtree(work)
        shutil.copytree(pairs["old_dir"], work)
        proc = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        with BuildLock([work], progress=lambda _: None) as lock:
            recovery.recover([work], lock, progress=lambda _: None)
        state = _pair(work)
        assert state in (pairs["old"], pairs["new"]), f"killed after {fraction:.0%} of a build"
        assert _debris(work) == [], f"killed after {fraction:.0%} of a build"
        outcomes.add("new" if state == pairs["new"] else "old")
    lines: list[str] = []
    assert build(pairs["model"], site_dir=work / "site", docs_dir=work / "docs", progress=lines.append) == 0
    assert _pair(work) == pairs["new"] and _debris(work) == []
    assert outcomes  # which ones depends on timing; every one of them was a whole pair


def test_two_builds_at_once_take_turns(pairs, tmp_path):
    work = tmp_path / "race"
    shutil.copytree(pairs["old_dir"], work)
    procs = []
    for model in (MINI, pairs["model"]):
        argv = [*ARCHDOC, "build", "--no-pdf", "--model", str(model), "--docs-dir", str(work / "docs"),
                "--site-dir", str(work / "site")]
        procs.append(subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    assert not any("Traceback" in err for _, _, err in results)
    # a build takes the lock twice: the nothing-changed check, then (after validating the model,
    # outside the lock) the build. Only a wait for the build's lock orders the two publications.
    waited = [i for i, (_, out, _) in enumerate(results) if _waited_to_build(out)]
    state = _pair(work)
    assert state in (pairs["old"], pairs["new"]) and _debris(work) == [] and len(waited) <= 1
    if waited:  # the one that waited for the other's build published last
        assert state == (pairs["old"], pairs["new"])[waited[0]]


def _waited_to_build(out: str) -> bool:
    """The build waited for the lock of the build itself (a wait after "validate model"; a wait
    before it is the nothing-changed check's, after which the other build may still go first)."""
    at = out.find("validate model")
    return at >= 0 and "waiting for another archdoc build" in out[at:]


def test_no_wait_fails_at_once_with_one_line(pairs, tmp_path):
    work = tmp_path / "busy"
    shutil.copytree(pairs["old_dir"], work)
    with BuildLock([work], progress=lambda _: None):
        proc = subprocess.run([*ARCHDOC, "build", "--no-pdf", "--no-wait", "--model", str(MINI), "--docs-dir",
                               str(work / "docs"), "--site-dir", str(work / "site")],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"archdoc build: another archdoc build (pid {os.getpid()}) is writing here (lock {work / LOCK_NAME}); "
        "try again when it has finished"]
    assert _pair(work) == pairs["old"] and _debris(work) == []


def test_debris_of_dead_processes_is_removed_and_of_live_ones_kept(pairs, tmp_path):
    import tempfile

    work = tmp_path / "debris"
    shutil.copytree(pairs["old_dir"], work)
    dead = subprocess.Popen(["true"])
    dead.wait()
    live = os.getppid()
    icons = Path(tempfile.gettempdir()) / f"archdoc-icons-{dead.pid}-test{os.getpid()}"
    made = [work / f".archdoc-build-{dead.pid}-abc", work / f".archdoc-site-{dead.pid}-abc",
            work / f".site.old-{dead.pid}", work / ".archdoc-build-x1y2z3w4", icons]
    kept = work / f".archdoc-build-{live}-abc"
    for folder in [*made, kept]:
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "f.txt").write_text("x", encoding="utf-8")
    assert build(MINI, site_dir=work / "site", docs_dir=work / "docs", progress=lambda _: None) == 0
    assert not [p for p in made if p.exists()] and kept.is_dir()
    assert _debris(work) == [kept.name] and _pair(work) == pairs["old"]


def test_a_failed_rollback_is_finished_by_the_next_build(pairs, tmp_path, monkeypatch):
    from archdoc.failures import RollbackFailed

    steps = _steps(pairs, tmp_path)
    args, work = _replay_setup(pairs, tmp_path / "double")
    at = steps.index("swap in site/")
    calls = iter(range(len(steps)))

    def fault(name):
        if next(calls) == at:
            raise OSError("disk gone")

    def broken_rollback(_journal):
        raise OSError("still gone")

    journal.FAULT = fault
    monkeypatch.setattr(journal, "rollback", broken_rollback)
    try:
        with pytest.raises(RollbackFailed, match="the next archdoc build restores the previous docs and site"):
            publish.publish(*args)
    finally:
        journal.FAULT = None
    monkeypatch.undo()
    assert (work / journal.JOURNAL).is_file() and _debris(work)  # kept for the next build
    lines: list[str] = []
    with BuildLock([work], progress=lines.append) as lock:
        recovery.recover([work], lock, progress=lines.append)
    assert _pair(work) == pairs["old"] and _debris(work) == []
    assert lines == [f"recovered: rolled back an interrupted build (pid {os.getpid()}); docs and site are as before it"]
