"""``archdoc check``: passes on a docs tree the model produces, fails naming the file or view.

The docs tree is written from :func:`archdoc.build.gather` (pages and DOT sources) with
stand-in image bytes and manifests: the check never looks at pixels, only at the hashes
the manifest recorded, so this is exactly what it sees in a real repository, without
running Graphviz. Every run happens in-process and in ``tmp_path``; a snapshot of the
tree before and after proves the check writes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archdoc.build import gather
from archdoc.commands.check import run_check
from model.loader import DEFAULT_MODEL, load_model


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def in_dir(folder: Path, fn, *args, **kwargs):
    """Run ``fn`` with ``folder`` as the working directory (pages print model paths relative to it)."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return fn(*args, **kwargs)
    finally:
        os.chdir(cwd)


def write_docs(model_dir: Path, docs: Path) -> None:
    """What ``archdoc build`` commits, with fake PNG/SVG bytes and their real hashes."""
    generated = in_dir(model_dir.parent.parent, lambda: gather(load_model("model/data")))
    files = {rel: text.encode("utf-8") for rel, text in generated.pages.items()}
    manifest = {}
    for view, dot in generated.dots.items():
        images = {"png": b"\x89PNG fake " + view.encode(), "svg": f"<svg>{view}</svg>".encode()}
        files[f"diagrams/{view}.dot"] = dot.encode("utf-8")
        files.update({f"diagrams/{view}.{ext}": data for ext, data in images.items()})
        manifest[view] = {"dot_sha256": sha(dot.encode("utf-8")),
                          **{f"{ext}_sha256": sha(data) for ext, data in images.items()}}
    files["diagrams/manifest.json"] = json.dumps(manifest, indent=2).encode()
    for rel, data in files.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(data)
    listing = {"generator": "archdoc build", "files": sorted(files)}
    (docs / ".archdoc-generated.json").write_text(json.dumps(listing, indent=2) + "\n")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(DEFAULT_MODEL, root / "model" / "data")  # pages cite model/data/<file>:<line>
    write_docs(root / "model" / "data", root / "docs")
    return root


@pytest.fixture
def repo(pristine, tmp_path) -> Path:
    shutil.copytree(pristine, tmp_path / "repo")
    return tmp_path / "repo"


def check(repo: Path, *, strict: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    rc = in_dir(repo, run_check, "model/data", "docs", strict=strict, out=out)
    return rc, out.getvalue()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_clean_tree_passes_without_graphviz_and_writes_nothing(repo, monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"check started a process: {args!r}")
    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    before = snapshot(repo)
    rc, out = check(repo)
    assert rc == 0, out
    assert "OK:" in out and "known intent violations" in out
    assert snapshot(repo) == before


def test_known_violations_fail_only_when_strict():
    from analysis.analyze import analyze
    from archdoc.commands.check import _intents

    analysis, out = analyze(load_model()), io.StringIO()
    assert _intents(analysis, False, out) is False
    assert _intents(analysis, True, out) is True
    assert "(fail: --strict)" in out.getvalue()


CHANGES = {
    "cidr": ("poc.yaml", "cidr: 10.1.11.0/24", "cidr: 10.1.13.0/24",
             ["03-network.md", "diagrams/poc-overview.dot",
              "~ box subnet-poc-app-private-app-1: label 'Private Subnet App 1 10.1.11.0/24 (AZ-a)' -> "
              "'Private Subnet App 1 10.1.13.0/24 (AZ-a)'", "+| Private Subnet App 1 | 10.1.13.0/24 |"]),
    "sg-rule": ("shared.yaml", "      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS（事業者）}\n",
                "      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS（事業者）}\n"
                "      - {direction: inbound, protocol: tcp, port: 80, cidr: 0.0.0.0/0, purpose: HTTP（リダイレクト）}\n",
                ["04-security-groups.md", "HTTP（リダイレクト）"]),
    "node-label": ("nodes.yaml", "    label: Internet Gateway\n", "    label: Internet GW\n",
                   ["diagrams/poc-overview.dot", "~ node igw: label", "Internet GW"]),
    "node-added": ("nodes.yaml", "nodes:\n",
                   "nodes:\n  - {id: sqs-queue, kind: sns, label: Amazon SQS Queue, tags: [overview],"
                   " at: {poc: {account: poc-account, region: ap-northeast-1}}}\n",
                   ["diagrams/poc-overview.dot", "+ node sqs-queue 'Amazon SQS Queue'"]),
    "flow-added": ("flows.yaml", "flows:\n",
                   "flows:\n  - {source: batch, target: s3, label: 帳票出力, kind: network, protocol: tcp, port: 443,"
                   " envs: [poc], tags: [overview]}\n",
                   ["diagrams/poc-overview.dot", "+ edge batch -> s3 '帳票出力'"]),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_model_change_fails_naming_file_and_change(repo, name):
    file, old, new, wanted = CHANGES[name]
    edit(repo / "model/data" / file, old, new)
    before = snapshot(repo)
    rc, out = check(repo)
    assert rc == 1, out
    for text in wanted:
        assert text in out, f"{text!r} not in report:\n{out}"
    assert "Fix: archdoc build --model model/data --docs-dir docs" in out
    assert snapshot(repo) == before, "the check wrote into the tree"


def test_images_from_another_graphviz_pass(repo):
    """Other pixels and SVG bytes for the same DOT (another Graphviz/cairo/fonts), manifest updated."""
    folder = repo / "docs/diagrams"
    manifest = json.loads((folder / "manifest.json").read_text())
    for view, entry in manifest.items():
        for ext in ("png", "svg"):
            data = (folder / f"{view}.{ext}").read_bytes() + b" rendered by graphviz 9.0, cairo 1.18"
            (folder / f"{view}.{ext}").write_bytes(data)
            entry[f"{ext}_sha256"] = sha(data)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    rc, out = check(repo)
    assert rc == 0, out


def test_each_defect_of_the_tree_is_named(repo):
    """Hand edits, images not matching the manifest, missing and extra files: all in one report."""
    docs = repo / "docs"
    edit(docs / "09-migration.md", "| db.t3.micro | db.m5.large |", "| db.t3.micro | db.m5.xlarge |")
    (docs / "diagrams/dr.png").write_bytes(b"\x89PNG edited by hand")
    manifest = json.loads((docs / "diagrams/manifest.json").read_text())
    manifest["cicd"]["dot_sha256"] = sha(b"an older DOT")
    (docs / "diagrams/manifest.json").write_text(json.dumps(manifest))
    (docs / "08-dr.md").unlink()
    (docs / "diagrams/old-view.dot").write_text("digraph {}")
    (docs / "diagrams/poc-access.svg").unlink()
    rc, out = check(repo)
    assert rc == 1
    for text in ("-| RDSインスタンス | db.t3.micro | db.m5.xlarge |",
                 "+| RDSインスタンス | db.t3.micro | db.m5.large |",
                 "diagrams/dr.png: view 'dr': PNG does not match its manifest hash",
                 "view 'cicd': images were rendered from another DOT",
                 "08-dr.md: generated file is missing",
                 "diagrams/old-view.dot: diagram file of a view the model no longer has",
                 "diagrams/poc-access.svg: view 'poc-access': SVG missing"):
        assert text in out, f"{text!r} not in report:\n{out}"


def test_violated_intent_fails(repo):
    edit(repo / "model/data/intents.yaml", "id: poc-internet-no-rds, env: poc, source: business-user, target: rds, port: 5432",
         "id: poc-internet-no-rds, env: poc, source: business-user, target: alb, port: 443")
    rc, out = check(repo)
    assert rc == 1 and "violated intents (1):" in out and "poc/poc-internet-no-rds" in out


def test_model_error_exits_2_with_location(repo, capsys):
    edit(repo / "model/data/poc.yaml", "cidr: 10.1.11.0/24", "cidr: 10.1.11.0/33")
    rc, _ = check(repo)
    err = capsys.readouterr().err
    assert rc == 2 and err == "model/data/poc.yaml:59:85: E020 '10.1.11.0/33' is not a valid CIDR (expected a.b.c.d/n)\n"


def test_missing_docs_folder_exits_2(repo, capsys):
    rc = in_dir(repo, run_check, "model/data", "nope", out=io.StringIO())
    assert rc == 2 and "does not exist" in capsys.readouterr().err
