"""``document.language``: the site's theme, the PDF and the verbs' text follow the document (issue 11).

The language is set where the verbs load the model (:func:`archdoc.common.load_checked`),
by the build for a library caller, and by the PDF job in the worker forked before the model
was known. The Japanese output is unchanged; the English is tested with exact strings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from archdoc.cli import main
from archdoc.site_language import JA_SEPARATOR, apply_language
from conftest import REPO
from model import i18n
from model.loader import load_model
from model.schema import Document

SCAFFOLD_MKDOCS = REPO / "archdoc" / "scaffold" / "mkdocs.yml"


@pytest.fixture(autouse=True)
def japanese_afterwards():
    """Every test starts and ends in the source language (a verb must not leak its model's)."""
    assert i18n.current() == "ja"
    yield
    assert i18n.current() == "ja"
    i18n.set_language("ja")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    """A project from 'archdoc init' (the starter model: language en), built with its PDF."""
    root = tmp_path_factory.mktemp("english") / "web"
    assert main(["init", str(root)]) == 0
    proc = subprocess.run([sys.executable, "-m", "archdoc", "build"], cwd=root, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


# ------------------------------------------------------------------ the site

def test_an_english_document_builds_an_english_site(english):
    index = (english / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in index
    for text in ('Skip to content', 'placeholder="Search"', 'title="Switch to dark mode"',
                 'title="Switch to light mode"'):
        assert text in index, text
    for text in ("コンテンツにスキップ", "ダークモードに切り替え", "検索"):
        assert text not in index, text
    search = json.loads((english / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert search["config"]["lang"] == ["en"]
    assert search["config"]["separator"] == r"[\s\-]+"  # Material's own: no Japanese separator


def test_the_city_site_stays_japanese():
    """The city's mkdocs.yml already speaks Japanese: the copy MkDocs reads is left as written."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    before = json.loads(json.dumps(config))
    apply_language(config, "ja")
    assert config == before


def test_a_japanese_configuration_made_english_keeps_everything_else():
    config = yaml.safe_load(SCAFFOLD_MKDOCS.read_text(encoding="utf-8"))
    apply_language(config, "en")
    theme = config["theme"]
    assert theme["language"] == "en"
    assert [p["toggle"]["name"] for p in theme["palette"]] == ["Switch to dark mode", "Switch to light mode"]
    assert [p["toggle"]["icon"] for p in theme["palette"]] == ["material/brightness-7", "material/brightness-4"]
    assert config["plugins"] == [{"search": {"lang": "en"}}]
    assert theme["features"] == yaml.safe_load(SCAFFOLD_MKDOCS.read_text(encoding="utf-8"))["theme"]["features"]


def test_an_english_configuration_made_japanese_gets_the_japanese_search():
    config = {"theme": {"name": "material", "palette": [{"scheme": "default", "toggle": {"name": "Dark"}},
                                                         {"scheme": "slate", "toggle": {"name": "Light"}}]},
              "plugins": ["search", "tags"]}
    apply_language(config, "ja")
    assert config["theme"]["language"] == "ja"
    assert [p["toggle"]["name"] for p in config["theme"]["palette"]] == ["ダークモードに切り替え", "ライトモードに切り替え"]
    assert config["plugins"] == [{"search": {"lang": "ja", "separator": JA_SEPARATOR}}, "tags"]


def test_a_configuration_in_the_documents_language_is_the_projects_choice():
    config = {"theme": {"name": "material", "language": "en"},
              "plugins": [{"search": {"lang": "en", "separator": "[\\s]+"}}]}
    apply_language(config, "en")
    assert config == {"theme": {"name": "material", "language": "en"},
                      "plugins": [{"search": {"lang": "en", "separator": "[\\s]+"}}]}


@pytest.mark.parametrize("path", [REPO / "mkdocs.yml", SCAFFOLD_MKDOCS])
def test_the_japanese_separator_is_the_one_the_site_configuration_explains(path):
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["plugins"] == [{"search": {"lang": "ja", "separator": JA_SEPARATOR}}]


def test_the_site_and_pdf_keys_change_with_the_language(tmp_path):
    from archdoc.inputs import Fingerprint
    from archdoc.outputs import keys

    (tmp_path / "index.md").write_text("# x\n", encoding="utf-8")
    doc = load_model().model.document
    inputs = Fingerprint({"code": "c", "packages": "p", "mkdocs": "m", "model": "x", "fonts": "f"})
    ja = keys(inputs, doc, {"index.md": "# x\n"}, tmp_path)
    en = keys(inputs, doc.model_copy(update={"language": "en"}), {"index.md": "# x\n"}, tmp_path)
    assert ja["site_key"] != en["site_key"] and ja["pdf_key"] != en["pdf_key"]


# ------------------------------------------------------------------ the PDF

def _pdf_text(pdf: Path) -> str:
    """The PDF's text in reading order, without white space (poppler splits letter-spaced words)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_an_english_document_prints_an_english_cover(english):
    """The PDF job runs in the worker forked before the model was loaded: it still prints English."""
    cover = _pdf_text(english / "site" / "archdoc.pdf").split("Revisionhistory", 1)[0]
    for text in ("Design document", "Web service architecture", "Document number(not entered)",
                 "Organization(not entered)", "Version0.1", "StatusDraft", "Model digest", "ApprovalCreated",
                 "2026-01-01",
                 "Approver", "Approval date", "Signature"):
        assert text.replace(" ", "") in cover, text
    assert cover.count("(tobeenteredafter") == 2  # approver and date: not approved yet
    layout = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(english / "site" / "archdoc.pdf"), "-"],
                            check=True, capture_output=True, text=True).stdout
    assert re.search(r"Version +Date +Author +Summary +Approval\n+ *0\.1 +2026-01-01 +Architecture team", layout)
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", cover)


def test_print_source_in_english_and_in_japanese():
    from render.print.document import print_source

    doc = load_model().model.document.model_copy(update={"approval_placeholder": None})
    ja = print_source({}, REPO / "docs", doc).markup
    assert 'lang: "ja"' in ja and "[設計書]" in ja
    assert 'description: "AWS構成図 第1.0版（承認待ち）"' in ja
    assert 'text(weight: "bold")[文書番号], placeholder[（未記入）],' in ja
    assert ja.count("placeholder[（承認後に記入）]") == 2
    with i18n.language("en"):
        en = print_source({}, REPO / "docs", doc).markup
    assert 'lang: "en"' in en and "[Design document]" in en
    assert 'description: "AWS構成図, version 1.0 (承認待ち)"' in en
    assert 'text(weight: "bold")[Document number], placeholder[(not entered)],' in en
    assert en.count("placeholder[(to be entered after approval)]") == 2
    assert ("table.header([#strong[Created]], [#strong[Approver]], [#strong[Approval date]], "
            "[#strong[Signature]])") in en
    assert ("table.header([#strong[Version]], [#strong[Date]], [#strong[Author]], [#strong[Summary]], "
            "[#strong[Approval]])") in en
    assert "[Revision history]" in en and "[Contents]" in en


def test_figure_captions_follow_the_language(tmp_path):
    from render.print.html import chapters

    page = {"a.md": "# 1. Overview\n\n![The network](x.png)\n"}
    assert "<figcaption>図1-1 The network</figcaption>" in chapters(page, tmp_path)[0].html
    with i18n.language("en"):
        assert "<figcaption>Figure 1-1 The network</figcaption>" in chapters(page, tmp_path)[0].html


def test_document_placeholders_follow_the_language_unless_the_model_sets_them():
    doc = Document(title="T", version="1", status="Draft", created="2026-01-01")
    assert (doc.placeholder_text, doc.blank_text) == ("（承認後に記入）", "（未記入）")
    with i18n.language("en"):
        assert (doc.placeholder_text, doc.blank_text) == ("(to be entered after approval)", "(not entered)")
        own = doc.model_copy(update={"approval_placeholder": "TBD", "blank": "-"})
        assert (own.placeholder_text, own.blank_text) == ("TBD", "-")


# ------------------------------------------------------------------ the verbs

def test_a_verb_speaks_its_models_language_and_restores_the_callers(capsys, english, monkeypatch):
    monkeypatch.chdir(english)
    code, out, err = run(capsys, "reach", "--env", "prod", "--from", "user", "--to", "db", "--port", "5432")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == "prod: user → db tcp/5432: unreachable"
    assert lines[1] == "Path:" and "Blockers:" in lines
    assert i18n.current() == "ja"


def test_reach_text_in_english():
    from archdoc.commands.reach import format_addresses, format_result

    hop = SimpleNamespace(direction="forward", action="enter", node="alb", reason="listener 443", location=None)
    back = SimpleNamespace(direction="reply", action="return", node="alb", reason="stateful", location="m.yaml:3")
    cond = SimpleNamespace(conditional=True, code="WAF_RATE_LIMIT", node="waf", message="100 req/5 min",
                           location=None)
    r = SimpleNamespace(env="prod", source="user", target="alb", protocol="tcp", port=443, verdict="conditional",
                        hops=(hop, back), blockers=(cond,), notes=("ASSUMED_DEFAULT_NACL",))
    with i18n.language("en"):
        text = format_result(r)
        addresses = format_addresses((SimpleNamespace(target_address="10.0.0.1/32", verdict="reachable", codes=()),
                                      SimpleNamespace(target_address="203.0.113.1/32", verdict="unreachable",
                                                      codes=("NO_ROUTE",))))
    assert text.splitlines() == [
        "prod: user → alb tcp/443: conditional",
        "  Conditions: WAF_RATE_LIMIT: 100 req/5 min",
        "Path:",
        "   1. enter           alb: listener 443",
        "Reply:",
        "   2. return          alb: stateful  [m.yaml:3]",
        "Blockers:",
        "  - [condition] WAF_RATE_LIMIT @ waf: 100 req/5 min  [location unknown]",
        "Assumptions: ASSUMED_DEFAULT_NACL",
    ]
    assert addresses.splitlines() == ["By target address:", "  10.0.0.1/32: reachable",
                                      "  203.0.113.1/32: unreachable (NO_ROUTE)"]
    assert format_result(r).splitlines()[0] == "prod: user → alb tcp/443: 条件付き（conditional）"


def test_findings_text_in_english():
    from archdoc.commands.findings import format_findings

    rows = [SimpleNamespace(env="prod", severity="warning", code="X_CODE", resources=("a", "b"), message="m",
                            location="f.yaml:1", fix="do this"),
            SimpleNamespace(env="prod", severity="info", code="Y_CODE", resources=("c",), message="n",
                            location=None, fix="")]
    with i18n.language("en"):
        assert format_findings(rows).splitlines() == [
            "== prod ==", "Warning X_CODE a, b: m  [f.yaml:1]", "    Fix: do this",
            "Info Y_CODE c: n  [location unknown]", "Total: errors 0 / warnings 1 / info 1"]
    assert format_findings(rows).splitlines() == [
        "== prod ==", "警告(warning) X_CODE a, b: m  [f.yaml:1]", "    修正: do this",
        "情報(info) Y_CODE c: n  [位置不明]", "計: エラー 0 / 警告 1 / 情報 1"]


def test_diff_text_in_english():
    from archdoc.commands.diff import format_diff

    d = SimpleNamespace(from_env="test", to_env="live", config=(
        SimpleNamespace(kind="node", key="db", change="changed", from_value="small", to_value="large"),),
        reach=(SimpleNamespace(source="user", target="alb", port=443, from_verdict="reachable",
                               to_verdict="unreachable", from_source="user", to_source="user",
                               from_reason="allowed", to_reason="SG_INGRESS_DENIED"),))
    with i18n.language("en"):
        assert format_diff(d).splitlines() == [
            "Configuration differences (test → live):", "  ~ node db: small → large",
            "Reachability differences (test → live):", "  user → alb:443  ✓ reachable → ✗ unreachable",
            "      test (user): allowed", "      live (user): SG_INGRESS_DENIED"]
        empty = SimpleNamespace(from_env="a", to_env="b", config=(), reach=())
        assert format_diff(empty).splitlines()[1] == "  (none)"


def test_drift_markdown_in_english():
    from archdoc.commands.drift import format_markdown

    row = SimpleNamespace(kind="missing", resource="subnet", model_id="app-a", aspect=None, model_value="10.0.1.0/24",
                          deployed_value=None, location="m.yaml:9", aws_id=None)
    report = SimpleNamespace(env="prod", account="main", rows=[row], skipped=["WAF rules"])
    with i18n.language("en"):
        assert format_markdown(report, "us-east-1").splitlines() == [
            "## Differences between the design and the deployed environment (prod / main / us-east-1)", "",
            "| Kind | Resource | Model id | Aspect | Model | Deployed | Defined at | AWS id |",
            "|---|---|---|---|---|---|---|---|",
            "| Missing | subnet | app-a | (whole resource) | 10.0.1.0/24 | - | m.yaml:9 | - |", "",
            "Not compared: WAF rules"]
        assert format_markdown(SimpleNamespace(env="e", account="a", rows=[], skipped=[]), None) == (
            "## Differences between the design and the deployed environment (e / a)\n\nNo differences.\n")


def test_revision_diff_text_in_english():
    from archdoc.commands.approved import format_revision_diff

    d = SimpleNamespace(items=(), envs_added=("live",), envs_removed=(), same=False, findings=(),
                        from_version="1.0", to_version="1.1",
                        envs=(SimpleNamespace(env="test", config=(), reach=()),))
    with i18n.language("en"):
        assert format_revision_diff(d, None).splitlines() == [
            "Model changes (0):", "  (none)", "Added environments: live", "Environment test:",
            "  Configuration differences:", "    (none)", "  Reachability differences:", "    (none)",
            "Finding changes (0):", "  (none)"]


def test_the_cloudformation_readme_in_english(english):
    from render.cloudformation.export import export_environment

    model = load_model(english / "model").model
    with i18n.language("en"):
        readme = export_environment(model, "prod")["README.md"]
    lines = readme.splitlines()
    assert lines[0] == "# CloudFormation templates (environment prod)"
    for heading in ("## Deploy order", "## Not exported", "## Notes"):
        assert heading in lines, heading
    assert any(re.fullmatch(r"1\. `prod-[a-z0-9-]+\.yaml` \(account [a-z0-9-]+, region [a-z0-9-]+\)", x)
               for x in lines)
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uff08\uff09]", readme)
    assert export_environment(model, "prod")["README.md"].startswith("# CloudFormation テンプレート（環境 prod）\n")


def test_check_approved_and_extract_speak_the_models_language(capsys, english, monkeypatch, tmp_path):
    from importlib.metadata import version

    monkeypatch.chdir(english)
    code, out, err = run(capsys, "check", "--approved", "site/archdoc.pdf")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    digest = lines[1].removeprefix("Approved model digest: ")
    assert lines == [
        f"Approval PDF: site/archdoc.pdf (Web service architecture, version 0.1, Draft, archdoc {version('archdoc')})",
        f"Approved model digest: {digest}", f"Current model digest:  {digest} (version 0.1)", "Model changes (0):",
        "  (none)", "OK: the current model is the model of site/archdoc.pdf (version 0.1)"]
    code, out, err = run(capsys, "extract", "site/archdoc.pdf", str(tmp_path / "copy"))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1] == f"document: Web service architecture, version 0.1 (Draft), built by archdoc {version('archdoc')}"
    assert lines[5] == (f'  - {{version: "0.1", date: YYYY-MM-DD, approver: NAME, role: ROLE, decision: approved, '
                        f"model_sha256: {digest}}}")
    assert (tmp_path / "copy" / "archdoc.toml").read_text(encoding="utf-8").splitlines()[0] == (
        f"# Written by 'archdoc extract': the model of Web service architecture, version 0.1 (model digest {digest}).")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_verb_prints_the_cover_in_the_documents_language(capsys, english, monkeypatch, tmp_path):
    monkeypatch.chdir(english)
    code, out, err = run(capsys, "pdf", "--out", str(tmp_path / "x.pdf"))
    assert (code, err) == (0, ""), out
    cover = _pdf_text(tmp_path / "x.pdf").split("Revisionhistory", 1)[0]
    assert cover.startswith("Designdocument" "Webservicearchitecture" "Documentnumber(notentered)")


def test_a_library_build_renders_in_the_models_language(english, tmp_path):
    """build() called without the CLI (no loader that sets the language) still renders the
    document's language: the blank fields of the home page say so in English."""
    from archdoc.build import build

    lines: list[str] = []
    assert build(english / "model", site_dir=tmp_path / "site", docs_dir=tmp_path / "docs",
                 progress=lines.append) == 0, lines
    index = (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")
    assert index.count("(not entered)") == 2 and "（未記入）" not in index
    assert '<html lang="en"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("separator", ["・", "|", "·"])
def test_diagram_download_links_leave_the_print_whatever_their_separator(tmp_path, separator):
    from render.print.html import chapters

    page = {"a.md": f"# 1. Overview\n\nText.\n\n[PNG](d/x.png) {separator} [SVG](d/x.svg) {separator} [DOT](d/x.dot)\n"}
    assert chapters(page, tmp_path)[0].html.strip() == "<p>Text.</p>"
