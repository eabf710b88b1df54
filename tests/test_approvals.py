"""The approval record in the model: approve a version, keep it immutable, show what changed since.

One project (the mini model) goes through the workflow a records office expects: its PDF
is approved (``archdoc extract`` into ``approved/0.1``, the decision recorded with the
model digest), the approved version then refuses any change, and a new version shows the
change on the site's changes page and in the banner. Builds skip the PDF where the
PDF is not what is tested (the record in it is tested in ``test_records.py``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from archdoc.cli import main
from conftest import MINI, SG_NEW, SG_OLD, cli, edit, mini_project
from model.loader import load_model
from render.pages.approval import banner

DOC = "model/00-document.yaml"


def plain(path: Path) -> str:
    """A generated page without the no-break spans of its table cells."""
    return re.sub(r'<span class="nb">(.*?)</span>', r"\1", path.read_text(encoding="utf-8"))


def approve(root: Path, digest: str, version: str = "0.1") -> None:
    """Record the approval of ``version`` in the model's document (as a person would type it)."""
    edit(root / DOC, "      summary: 初版\n",
         "      summary: 初版\n  approvals:\n"
         f'    - {{version: "{version}", date: 2024-04-10, approver: 山田 太郎, role: 情報政策課長, '
         f"decision: approved, model_sha256: {digest}}}\n")


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> tuple[Path, str]:
    """A project whose version 0.1 PDF was written; (project, its model digest)."""
    import os

    root = mini_project(tmp_path_factory.mktemp("signed"))
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(["pdf", "--out", str(root / "v0.1.pdf")]) == 0
        assert main(["extract", str(root / "v0.1.pdf"), "approved/0.1"]) == 0
    finally:
        os.chdir(cwd)
    digest = json.loads((root / "approved" / "0.1" / "archdoc-manifest.json").read_text())["model_sha256"]
    return root, digest


@pytest.fixture()
def project(signed, tmp_path) -> tuple[Path, str]:
    """A fresh copy of the signed project (model, approved store, PDF) for one test to change."""
    root, digest = signed
    copy = tmp_path / "p"
    shutil.copytree(root, copy)
    return copy, digest


def test_approved_version_builds_and_says_so(project, capsys, monkeypatch):
    root, digest = project
    approve(root, digest)
    code, _, err = cli(capsys, monkeypatch, root, "build", "--no-pdf")
    assert (code, err) == (0, "")
    index = plain(root / "docs" / "index.md")
    assert "| 承認者 | 山田 太郎（情報政策課長） |" in index and "| 承認日 | 2024-04-10 |" in index
    assert "| 0.1 | 2024-04-01 | テスト担当 | 初版 | 承認 2024-04-10 山田 太郎（情報政策課長） |" in index
    changes = plain(root / "docs" / "changes.md")
    assert changes.startswith("# 承認済み第0.1版からの変更\n")
    assert "承認済みの版から設計の変更はありません" in changes and f"| {digest} |" in changes
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<p class="archdoc-banner archdoc-banner--approved">' in page
    assert "第0.1版：2024-04-10 山田 太郎（情報政策課長） 承認済み" in page
    assert cli(capsys, monkeypatch, root, "check")[0] == 0


def test_an_approved_version_is_immutable(project, capsys, monkeypatch):
    root, digest = project
    approve(root, digest)
    assert cli(capsys, monkeypatch, root, "build", "--no-pdf")[0] == 0
    before = {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    edit(root / "model" / "20-filtering.yaml", SG_OLD, SG_NEW)
    code, _, err = cli(capsys, monkeypatch, root, "build", "--no-pdf")
    message = ("model/00-document.yaml:15: version 0.1 is approved and immutable, but the model differs "
               "from the approved one in 1 item(s): security_groups[db-sg] changed; give the changes a new "
               "version (document.version and a revision entry)")
    assert (code, err) == (2, f"archdoc build: {message}\n")
    assert {p: p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()} == before  # nothing written
    code, out, _ = cli(capsys, monkeypatch, root, "check")
    assert code == 1 and out.splitlines() == [f"FAIL: {message}"]
    code, _, err = cli(capsys, monkeypatch, root, "pdf", "--out", str(root / "x.pdf"))
    assert (code, err) == (2, f"archdoc pdf: {message}\n") and not (root / "x.pdf").exists()


def test_a_new_version_shows_its_changes(project, capsys, monkeypatch):
    root, digest = project
    approve(root, digest)
    edit(root / "model" / "20-filtering.yaml", SG_OLD, SG_NEW)
    edit(root / DOC, 'version: "0.1"\n  status: ドラフト', 'version: "0.2"\n  status: 承認待ち')
    edit(root / DOC, "      summary: 初版\n", "      summary: 初版\n    - {version: \"0.2\", date: 2024-05-01, "
                                                 "author: テスト担当, summary: DBのポート変更}\n")
    code, out, _ = cli(capsys, monkeypatch, root, "build", "--no-pdf")
    assert code == 0, out
    changes = plain(root / "docs" / "changes.md")
    assert "| 判定 | 変更あり（モデルの2項目） |" in changes  # the SG rule, and the new revision entry
    assert "| 文書情報 | revisions | 変更 | — | model/00-document.yaml:10 |" in changes
    assert "| セキュリティグループ | db-sg | 変更 | rules | model/20-filtering.yaml:19 |" in changes
    assert changes.count("| SGルール | db-sg inbound tcp/5433 sg:app-sg | 追加 | — | アプリからのDB接続 |") == 2
    assert changes.count("| SGルール | db-sg inbound tcp/5432 sg:app-sg | 削除 | アプリからのDB接続 | — |") == 2
    assert changes.count("| app | db | 5432 | ✓ 到達可能 | ✗ 到達不可 | SG\\_INGRESS\\_DENIED: SG db-sg に tcp/5432 を") == 2
    assert "| 本番環境 | 新たに発生 | エラー | FLOW\\_NOT\\_ADMITTED<br>" in changes
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "承認済み第0.1版からの変更あり（現在 第0.2版・承認待ち）" in page
    assert '<a href="changes/">変更点</a>' in page
    assert "承認済み第0.1版からの変更" in (root / "site" / "changes" / "index.html").read_text(encoding="utf-8")


def test_the_approved_store_must_hold_the_approved_model(project, capsys, monkeypatch):
    root, digest = project
    store = root / "approved" / "0.1"
    approve(root, digest)
    assert cli(capsys, monkeypatch, root, "build", "--no-pdf")[0] == 0
    edit(root / DOC, f"model_sha256: {digest}", f"model_sha256: {'f' * 64}")
    message = (f"model/00-document.yaml:15: version 0.1 was approved on model {'f' * 64}, but {store} holds "
               f"model {digest}; extract the PDF that was approved into {store}")
    assert cli(capsys, monkeypatch, root, "build", "--no-pdf")[::2] == (2, f"archdoc build: {message}\n")
    assert cli(capsys, monkeypatch, root, "check") == (2, "", f"archdoc check: {message}\n")
    shutil.rmtree(store)
    edit(root / DOC, f"model_sha256: {'f' * 64}", f"model_sha256: {digest}")
    assert cli(capsys, monkeypatch, root, "build", "--no-pdf")[::2] == (
        2, f"archdoc build: model/00-document.yaml:15: version 0.1 is recorded as approved, but {store} does not "
           f"hold its model; run: archdoc extract APPROVED.pdf {store}  (with the PDF that was approved)\n")


def test_a_tampered_store_is_refused(project, capsys, monkeypatch):
    root, digest = project
    approve(root, digest)
    edit(root / "approved" / "0.1" / "model" / "20-filtering.yaml", SG_OLD, SG_NEW)
    code, _, err = cli(capsys, monkeypatch, root, "build", "--no-pdf")
    assert code == 2
    assert err.startswith(f"archdoc build: {root / 'approved' / '0.1'}: the approved model does not match its "
                          "manifest: model/20-filtering.yaml: content differs from the manifest (SHA-256 ")


def test_banner_without_an_approved_version():
    doc = load_model(MINI).model.document
    assert banner(doc, None) == {"state": "none", "text": "第0.1版（ドラフト）：承認済みの版はありません"}


def test_returned_decision_is_shown_but_approves_nothing(tmp_path, capsys, monkeypatch):
    root = mini_project(tmp_path / "p")
    edit(root / DOC, "      summary: 初版\n", "      summary: 初版\n  approvals:\n"
         '    - {version: "0.1", date: 2024-04-05, approver: 山田 太郎, role: 情報政策課長, decision: returned, '
         "comment: DBの冗長化を検討}\n")
    code, _, err = cli(capsys, monkeypatch, root, "build", "--no-pdf")
    assert (code, err) == (0, "")
    index = plain(root / "docs" / "index.md")
    assert "| 承認者 | （承認後に記入） |" in index
    assert "| 0.1 | 2024-04-01 | テスト担当 | 初版 | 差戻し 2024-04-05 山田 太郎（情報政策課長）：DBの冗長化を検討 |" in index
    assert not (root / "docs" / "changes.md").exists()
