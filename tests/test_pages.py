"""The generated pages, read back: every table parsed and compared with the seed and the model.

The expected rows below are copied from the seed document (sections 3, 4, 5, 9); the
rest is compared with the model itself, so a page that drifts from either fails here.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from conftest import MINI, analysis_of, loaded_of
from model.index import ModelIndex
from model.loader import load_model
from render.pages import render_pages
from render.pages.markdown import md_cell, md_text
from render.pages.templating import environment


def pages_of(m) -> dict[str, str]:
    """Every generated page of a loaded or in-memory model."""
    return render_pages(loaded_of(m), analysis_of(m))


# ------------------------------------------------------------------ a small Markdown reader

def _split_row(line: str) -> list[str]:
    """Cells of ``| a | b\\|c |``; an escaped pipe stays inside its cell."""
    body = line.strip()
    assert body.startswith("|") and body.endswith("|"), line
    cells, cur, i = [], "", 1
    while i < len(body) - 1:
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) - 1:
            cur += body[i:i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur.strip())
    return cells


def unescape(cell: str) -> str:
    """Invert the escaping of :func:`render.pages.markdown.md_cell` (what a reader would see)."""
    cell = re.sub(r'<span class="nb">(.*?)</span>', r"\1", cell)  # keeps an id on one line: invisible
    text = re.sub(r"\\(.)", r"\1", cell).replace("<br>", "\n")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def tables(markdown: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(nearest heading above, header, rows) of every table, cells unescaped."""
    out, heading, lines, i = [], "", markdown.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1]):
            header = _split_row(line)
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                row = _split_row(lines[i])
                assert len(row) == len(header), f"column count broken: {lines[i]!r}"
                rows.append([unescape(c) for c in row])
                i += 1
            out.append((heading, [unescape(c) for c in header], rows))
            continue
        i += 1
    return out


def section(markdown: str, heading_prefix: str) -> str:
    """The text from the heading that starts with ``heading_prefix`` to the next heading of its level."""
    lines = markdown.splitlines()
    for n, line in enumerate(lines):
        m = re.match(r"^(#+) (.*)$", line)
        if m and m.group(2).startswith(heading_prefix):
            level = len(m.group(1))
            end = next((k for k in range(n + 1, len(lines))
                        if re.match(r"^#{1,%d} " % level, lines[k])), len(lines))
            return "\n".join(lines[n:end])
    raise AssertionError(f"no heading {heading_prefix!r}")


@pytest.fixture(scope="module")
def loaded():
    return load_model()


@pytest.fixture(scope="module")
def pages(loaded):
    return pages_of(loaded)


# ------------------------------------------------------------------ section 3

SEED_31 = {
    "共有系VPC (10.0.0.0/16)": [
        ["Public Subnet 1", "10.0.1.0/24", "ap-northeast-1a", "Client VPN Endpoint"]],
    "アプリ系VPC (10.1.0.0/16)": [
        ["Public Subnet 1", "10.1.1.0/24", "ap-northeast-1a", "ALB, NAT Gateway"],
        ["Public Subnet 2", "10.1.2.0/24", "ap-northeast-1c", "NAT Gateway"],
        ["Private Subnet App 1", "10.1.11.0/24", "ap-northeast-1a", "ECS Fargate"],
        ["Private Subnet App 2", "10.1.12.0/24", "ap-northeast-1c", "ECS Fargate"],
        ["Private Subnet DB 1", "10.1.21.0/24", "ap-northeast-1a", "RDS"]],
}
SEED_32 = [
    ["Public Subnet 1", "10.1.1.0/24", "ap-northeast-1a", "ALB, NAT Gateway"],
    ["Public Subnet 2", "10.1.2.0/24", "ap-northeast-1c", "ALB, NAT Gateway"],
    ["Private Subnet App 1", "10.1.11.0/24", "ap-northeast-1a", "ECS Fargate"],
    ["Private Subnet App 2", "10.1.12.0/24", "ap-northeast-1c", "ECS Fargate"],
    ["Private Subnet DB 1", "10.1.21.0/24", "ap-northeast-1a", "RDS Primary"],
    ["Private Subnet DB 2", "10.1.22.0/24", "ap-northeast-1c", "RDS Standby"],
]


def test_network_tables_match_seed_31_and_32(pages):
    page = pages["03-network.md"]
    poc = {h: rows for h, head, rows in tables(section(page, "3.1 POC環境"))}
    assert poc == SEED_31
    prod = tables(section(page, "3.2 本番環境"))
    assert [rows for _, _, rows in prod] == [SEED_32]
    for _, head, _ in tables(page):
        assert head == ["サブネット種別", "CIDR", "AZ", "用途"]


# ------------------------------------------------------------------ section 4

SEED_SG = {
    "ALB Security Group": [
        ["Inbound", "TCP", "443", "0.0.0.0/0", "HTTPS（事業者）"],
        ["Inbound", "TCP", "443", "VPC CIDR", "HTTPS（市職員）"],
        ["Outbound", "TCP", "3000", "ECS SG", "Frontend"],
        ["Outbound", "TCP", "5000", "ECS SG", "Backend API"]],
    "ECS Security Group": [
        ["Inbound", "TCP", "3000", "ALB SG", "Frontend"],
        ["Inbound", "TCP", "5000", "ALB SG", "Backend API"],
        ["Inbound", "TCP", "3000", "VPN CIDR", "Frontend（POC開発者）"],
        ["Inbound", "TCP", "5000", "VPN CIDR", "Backend API（POC開発者）"],
        ["Outbound", "TCP", "5432", "RDS SG", "PostgreSQL"],
        ["Outbound", "TCP", "443", "0.0.0.0/0", "AWS API, SES, S3"]],
    "RDS Security Group": [
        ["Inbound", "TCP", "5432", "ECS SG", "PostgreSQL"],
        ["Outbound", "-", "-", "-", "なし"]],
}


def test_security_group_tables_per_environment(pages):
    page = pages["04-security-groups.md"]
    for number, name in (("4.1", "ALB Security Group"), ("4.2", "ECS Security Group"), ("4.3", "RDS Security Group")):
        found = {h: rows for h, _, rows in tables(section(page, f"{number} {name}"))}
        assert found["POC環境"] == SEED_SG[name]
        # the VPN CIDR rows are POC-only: production has the seed's rows without them
        assert found["本番環境"] == [r for r in SEED_SG[name] if r[3] != "VPN CIDR"]
    assumed = section(page, "4.4 Client VPN Security Group（仮定）")
    assert "!!! warning" in assumed and "assumptions.md#a-cvpn" in assumed


def test_every_sg_rule_of_the_model_is_on_the_page(pages, loaded):
    ix = ModelIndex(loaded.model)
    page = pages["04-security-groups.md"]
    for group in loaded.model.security_groups:
        body = page.split(f" {group.name}", 1)[1].split("\n## ", 1)[0]
        env_tables = {h: rows for h, _, rows in tables(body)}
        for env in group.envs:
            purposes = [r[4] for r in env_tables[ix.envs[env].name]]
            assert [r.purpose for r in ix.sg_rules(group.id, env)] == [p for p in purposes if p != "なし"]


# ------------------------------------------------------------------ section 5

def test_component_values(pages):
    page = pages["05-components.md"]
    ecs = section(page, "5.1 ECS Fargate")
    poc, prod = section(ecs, "POC環境"), section(ecs, "本番環境")
    assert poc.count("CPU: 256 (.25 vCPU)") == 2 and poc.count("Memory: 512 MB") == 2
    assert poc.count("タスク数: 1-2") == 2 and "コンテナポート: 3000" in poc and "コンテナポート: 5000" in poc
    assert "CPU: 512 (.5 vCPU)" in prod and "CPU: 1024 (1 vCPU)" in prod and "Memory: 2048 MB" in prod
    assert "タスク数: 2-6（Auto Scaling）" in prod and "タスク数: 2-8（Auto Scaling）" in prod
    rds = section(page, "5.2 RDS PostgreSQL")
    rds_poc, rds_prod = section(rds, "POC環境"), section(rds, "本番環境")
    for line in ("**エンジン**: PostgreSQL 15", "**インスタンスクラス**: db.t3.micro", "**ストレージ**: 20 GB GP3",
                 "**構成**: Single-AZ", "**バックアップ**: 7日間", "**暗号化**: 無効（コスト削減）"):
        assert f"- {line}" in rds_poc
    assert "Performance Insights" not in rds_poc
    for line in ("**インスタンスクラス**: db.m5.large", "**ストレージ**: 100 GB GP3（Auto Scaling有効）",
                 "**構成**: Multi-AZ", "**バックアップ**: 30日間", "**暗号化**: 有効（KMS）",
                 "**Performance Insights**: 有効"):
        assert f"- {line}" in rds_prod
    cognito = section(page, "5.3 Amazon Cognito")
    for text in ("**User Pool**: 1つ", "Administrators（市職員）", "**MFA**: オプション", "最小長: 8文字",
                 "大文字・小文字・数字・記号必須", "Pre Sign-up（自己登録防止）"):
        assert text in cognito
    alb = section(page, "5.4 Application Load Balancer")
    for text in ("**スキーム**: Internet-facing", "HTTP:80 → HTTPS:443リダイレクト", "HTTPS:443 → Target Group",
                 "Frontend: /", r"Backend: /api/\*", "パス: /health", "間隔: 30秒", "タイムアウト: 5秒"):
        assert text in section(alb, "POC環境")
    waf = section(alb, "本番環境（POCと同じ + WAF）")
    for text in ("SQLインジェクション防止", "XSS防止", "レート制限（100 req/5min/IP）", "地域制限（日本のみ許可）"):
        assert f"    - {text}" in waf
    batch = section(page, "5.5 EventBridge + Batch処理")
    assert r"日次集計: cron(0 2 \* \* ? \*) 毎日2:00" in batch
    assert r"月次締め: cron(0 3 1 \* ? \*) 毎月1日3:00" in batch
    for text in ("CPU: 512", "Memory: 1024 MB", "タイムアウト: 6時間"):
        assert f"    - {text}" in batch


# ------------------------------------------------------------------ section 9 and the cover

SEED_9 = [
    ["AWSアカウント", "1アカウント（2VPC）", "共有系 + 本番用（2アカウント）"],
    ["共有系VPC", "10.0.0.0/16", "共有系アカウントに移行"],
    ["アプリ系VPC", "10.1.0.0/16", "本番アカウントに移行"],
    ["ネットワーク接続（市職員）", "Client VPN", "Direct Connect + TGW"],
    ["Transit Gateway", "POCで検証済み", "アカウント分離"],
    ["RDS構成", "Single-AZ", "Multi-AZ"],
    ["RDSインスタンス", "db.t3.micro", "db.m5.large"],
    ["ECS Auto Scaling", "無効", "有効"],
    ["WAF", "なし", "あり"],
    ["GuardDuty", "なし", "あり"],
    ["Config", "なし", "あり"],
    # the seed's "大阪リージョンコピー", naming what is and is not copied
    ["DR対応", "なし", "大阪リージョンコピー（対象: RDS PostgreSQL／対象外: Amazon S3 PDF + Backup）"],
    ["暗号化", "無効", "有効"],
]


def test_migration_table_is_the_seed_rows_then_the_further_differences(pages):
    (_, head, rows), (heading, head2, extra) = tables(pages["09-migration.md"])[:2]
    assert head == head2 == ["項目", "POC", "本番"]
    assert rows == SEED_9  # the seed's table on its own, so an approver sees which rows are the design's
    assert heading == "その他の差分（モデルから検出）"
    assert len(extra) == 33 and ["ECS Fargate Backend CPU", "256", "1024"] in extra


def test_cover_page(pages):
    cover = pages["index.md"]
    info = dict(tables(section(cover, "文書情報"))[0][2])
    assert info["作成日"] == "2025-09-30" and info["版数"] == "1.0"
    assert info["承認者"] == "（承認後に記入）" and info["承認日"] == "（承認後に記入）"
    assert info["文書番号"] == "（未記入）" and info["組織"] == "（未記入）"  # the seed has neither
    _, head, rows = tables(section(cover, "承認欄"))[0]
    assert head == ["", "作成", "審査", "承認"]
    assert rows == [["氏名", "（未記入）", "（未記入）", "（未記入）"], ["日付", "（未記入）", "（未記入）", "（未記入）"]]
    links = re.findall(r"^- \[(.+?)\]\((.+?)\)$", cover, re.M)
    assert links[0] == ("1. POC環境構成図", "01-poc.md")
    assert [p for _, p in links] == [p for p in pages if p != "index.md"]


def test_approval_block_comes_from_the_document_metadata(loaded):
    """Number, organisation and stamps as the model states them; no stamp boxes when it lists none."""
    doc = loaded.model.document
    stamped = doc.model_copy(update={"number": "設-2025-001", "organization": "情報政策課", "stamps": (
        doc.stamps[0].model_copy(update={"name": "山田", "date": datetime.date(2025, 10, 1)}), *doc.stamps[1:])})
    cover = pages_of(loaded.model.model_copy(update={"document": stamped}))["index.md"]
    info = dict(tables(section(cover, "文書情報"))[0][2])
    assert (info["文書番号"], info["組織"]) == ("設-2025-001", "情報政策課")
    assert tables(section(cover, "承認欄"))[0][2][:2] == [["氏名", "山田", "（未記入）", "（未記入）"],
                                                       ["日付", "2025-10-01", "（未記入）", "（未記入）"]]
    bare = pages_of(loaded.model.model_copy(update={"document": doc.model_copy(update={"stamps": ()})}))
    assert "## 承認欄" not in bare["index.md"]


def test_pages_embed_diagrams_and_characteristics(pages, loaded):
    assert "![全体構成（POC）](diagrams/poc-overview.svg)" in pages["01-poc.md"]
    assert "[PNG](diagrams/poc-overview.png)" in pages["01-poc.md"]
    assert "- **Multi-AZ構成**: RDS、ECSタスクが複数AZに分散" in pages["02-prod.md"]
    assert ("- **2つのアクセス経路**:\n    - 事業者: インターネット → ALB（本番と同じ経路）\n"
            "    - 市職員役（開発者）: Client VPN → TGW → アプリVPC（本番はDirect Connectに置き換え）\n"
            ) in pages["01-poc.md"]  # the seed's nested bullets stay nested
    listed = pages["diagrams.md"]
    for view in loaded.model.views:
        assert f"(diagrams/{view.id}.svg)" in listed and f"(diagrams/{view.id}.png)" in listed


def test_assumptions_and_schema_pages(pages, loaded):
    rows = tables(pages["assumptions.md"])[0][2]
    assert [r[0] for r in rows] == [a.id for a in loaded.model.assumptions]
    assert {r[0] for r in rows if r[1] == "矛盾"} == {a.id for a in loaded.model.assumptions if a.kind == "contradiction"}
    schema = pages["schema.md"]
    assert "## Subnet" in schema and "| approver |" in schema
    rows = [r for _, _, rs in tables(schema) for r in rs if r[0] == "approver"]
    assert ["approver", "string (maxLength=2000)", "必須", "Who decided (person or post), e.g. '山田 太郎'.",
            ""] in rows


def test_deterministic(loaded, pages):
    assert pages_of(loaded) == pages


def test_second_model_has_its_own_environments():
    mini = pages_of(load_model(MINI))
    assert "01-stg.md" in mini and "02-live.md" in mini and not any("poc" in p for p in mini)
    migration = [p for p in mini if p.endswith("-migration.md")]
    assert len(migration) == 1
    assert tables(mini[migration[0]])[0][1] == ["項目", "STG", "本番"]


# ------------------------------------------------------------------ escaping

HOSTILE = "a | b <script>alert(1)</script> *em* _u_ `code` [x](http://e) {: .c} # h\nnext &amp; \\"


def test_md_cell_keeps_the_table_and_shows_text_literally():
    line = "| " + " | ".join([md_cell(HOSTILE), md_cell("ok")]) + " |"
    assert _split_row(line) == [md_cell(HOSTILE), "ok"]
    assert unescape(md_cell(HOSTILE)) == HOSTILE.strip()
    cell = md_cell(HOSTILE)
    assert "<script" not in cell and "\n" not in cell and "|" not in cell.replace("\\|", "")


def test_rendered_html_shows_hostile_text_literally():
    import markdown

    table = f"| h1 | h2 |\n|---|---|\n| {md_cell(HOSTILE)} | z |\n"
    html = markdown.markdown(table, extensions=["tables", "attr_list", "md_in_html"])
    assert html.count("<td>") == 2 and "<script" not in html and "<em>" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<br" in html
    inline = markdown.markdown(f"text {md_text(HOSTILE)}", extensions=["attr_list"])
    assert "<script" not in inline and "<code>" not in inline and 'class="c"' not in inline
    for lead in ("- item", "1. item", "# title", "> quote", "==="):
        assert markdown.markdown(md_text(lead)).startswith("<p>"), lead


def test_finalize_escapes_values_a_template_forgot_to_filter():
    env = environment()
    out = env.from_string("{{ v }} / {{ v | md_cell }}").render(v="<b>|*")
    assert out == r"&lt;b&gt;\|\* / &lt;b&gt;\|\*"


def test_hostile_model_values_stay_literal(loaded):
    doc = loaded.model.document.model_copy(update={"title": "T | <i>x</i>", "status": "a\nb|c"})
    sg = loaded.model.security_groups[0]
    rule = sg.rules[0].model_copy(update={"purpose": "p | <script>*_`"})
    sg = sg.model_copy(update={"rules": (rule, *sg.rules[1:])})
    model = loaded.model.model_copy(update={"document": doc, "security_groups": (sg, *loaded.model.security_groups[1:])})
    out = pages_of(model)
    info = dict(tables(section(out["index.md"], "文書情報"))[0][2])
    assert info["文書名"] == "T | <i>x</i>" and info["ステータス"] == "a\nb|c"
    first = tables(out["04-security-groups.md"])[0][2][0]
    assert first[4] == "p | <script>*_`"
    assert "<script" not in "".join(out.values()) and "<i>" not in "".join(out.values())


def test_cover_titles_match_each_page_and_reachability_is_wired(pages, loaded):
    for label, path in re.findall(r"^- \[(.+?)\]\((.+?)\)$", pages["index.md"], re.M):
        assert pages[path].splitlines()[0] == f"# {label}", path
    rows = [r for heading, _, rs in tables(pages["reachability.md"]) if heading.startswith("意図") for r in rs]
    assert [row[1] for row in rows] == [r.id for r in analysis_of(loaded).intents]


def test_every_analysis_code_has_a_japanese_gloss(pages):
    """Approvers read English codes with a Japanese gloss: every registered code has one, and the
    reachability page explains the codes it shows."""
    from analysis.results import BLOCKER_CODES
    from analysis.review.registry import CODES
    from render.pages.codes_ja import BLOCKER_GLOSS, FINDING_GLOSS

    assert sorted(FINDING_GLOSS) == sorted(CODES)
    assert sorted(BLOCKER_GLOSS) == sorted(BLOCKER_CODES)
    page = pages["reachability.md"]
    for heading, head, rows in tables(page):
        if head[:2] == ["重要度", "コード"]:
            assert all(r[1] == f"{r[1].splitlines()[0]}\n（{FINDING_GLOSS[r[1].splitlines()[0]]}）" for r in rows)
    explained = {r[0]: r[1] for _, head, rows in tables(page) if head == ["コード", "意味"] for r in rows}
    assert explained["WAF_GEO_BLOCKED"] == BLOCKER_GLOSS["WAF_GEO_BLOCKED"]
    assert explained["SG_INGRESS_DENIED"] == BLOCKER_GLOSS["SG_INGRESS_DENIED"]
