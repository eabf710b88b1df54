"""The example projects under examples/ (issue 11, part 5): each is copied to a temporary
folder, built and checked there with zero findings, and its intents have exactly the verdicts
(and blocker codes) the design says; ``archdoc reach`` answers in the copy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.analyze import analyze
from archdoc.cli import main
from model.loader import load_model

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_BUILT = ("site", ".archdoc.lock", ".archdoc-journal*", ".archdoc-build-*", ".archdoc-site-*")
"""What a build leaves beside docs/ (never committed): not copied."""

PRIVATE = ("NO_PUBLIC_ADDRESS", "SG_INGRESS_DENIED", "NO_RETURN_PATH")
"""A private instance from the internet: no public address, its SG admits only its tier, no way back."""

VERDICTS = {
    "three-tier-web": {
        "customer-alb": ("reachable", ()),
        "customer-no-app": ("unreachable", PRIVATE),
        "customer-no-ssh": ("unreachable", PRIVATE),
        "customer-no-db": ("unreachable", PRIVATE),
        "customer-no-cache": ("unreachable", PRIVATE),
        "app-db": ("reachable", ()),
        "app-db-wrong-port": ("unreachable", ("SG_EGRESS_DENIED", "SG_INGRESS_DENIED", "PORT_NOT_LISTENING")),
        "app-cache": ("reachable", ()),
        "app-logs": ("reachable", ()),
    },
    "serverless-api": {
        "customer-cdn": ("reachable", ()),
        "customer-api": ("reachable", ()),
        "customer-no-efs": ("unreachable", ("NO_ROUTE",)),  # the worker VPC has no internet gateway
        "worker-table": ("reachable", ()),
        "worker-queue": ("reachable", ()),
        "worker-templates": ("reachable", ()),
        "worker-no-api": ("unreachable", ("NO_ROUTE",)),
    },
}


@pytest.fixture(scope="module", params=sorted(VERDICTS))
def project(request, tmp_path_factory) -> tuple[str, Path]:
    """A copy of one example, without its built site (the build must make it)."""
    name = request.param
    copy = tmp_path_factory.mktemp(name) / name
    shutil.copytree(EXAMPLES / name, copy, ignore=shutil.ignore_patterns(*_BUILT))
    return name, copy


def _run(capsys, monkeypatch, folder: Path, *argv: str) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.iterdir() if (p / "archdoc.toml").is_file()) == sorted(VERDICTS)


def test_build_then_check_passes_with_no_findings(project, capsys, monkeypatch):
    name, folder = project
    code, out = _run(capsys, monkeypatch, folder, "build")
    assert code == 0, out
    assert (folder / "site" / "archdoc.pdf").is_file()
    code, out = _run(capsys, monkeypatch, folder, "check")
    assert code == 0, out
    assert f"intents: {len(VERDICTS[name])} hold, 0 violated, 0 known violations" in out
    assert str(folder / "docs") + " matches the model" in out
    findings = analyze(load_model(folder / "model")).findings
    assert [(f.code, f.severity) for f in findings] == []


def test_the_committed_docs_are_current(project, capsys, monkeypatch):
    """The example's docs/ in the repository is what a build writes (check in the pristine copy)."""
    name, folder = project
    fresh = folder.parent / (name + "-pristine")
    shutil.copytree(EXAMPLES / name, fresh, ignore=shutil.ignore_patterns(*_BUILT))
    code, out = _run(capsys, monkeypatch, fresh, "check")
    assert code == 0, out


def test_intent_verdicts(project):
    name, folder = project
    results = {r.id: (r.verdict, tuple(r.codes), r.status) for r in analyze(load_model(folder / "model")).intents}
    assert results == {k: (*v, "holds") for k, v in VERDICTS[name].items()}


@pytest.mark.parametrize("name, argv, code, verdict", [
    ("three-tier-web", ("--env", "production", "--from", "web", "--to", "aurora", "--port", "3306"), 0, "reachable"),
    ("three-tier-web", ("--env", "production", "--from", "customer", "--to", "redis", "--port", "6379"), 1,
     "unreachable"),
    ("serverless-api", ("--env", "production", "--from", "worker-fn", "--to", "templates", "--port", "2049"), 0,
     "reachable"),
    ("serverless-api", ("--env", "production", "--from", "worker-fn", "--to", "api", "--port", "443"), 1,
     "unreachable"),
])
def test_reach_in_the_example(name, argv, code, verdict, capsys, monkeypatch, tmp_path):
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder, ignore=shutil.ignore_patterns("docs", *_BUILT))
    got, out = _run(capsys, monkeypatch, folder, "reach", *argv, "--json")
    assert got == code, out
    results = json.loads(out)
    rows = results if isinstance(results, list) else [results]
    assert [r["verdict"] for r in rows] == [verdict]
