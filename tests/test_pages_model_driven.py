"""The pages say only what the model holds: no seed chapter numbers, sentences or rows.

Each test renders a small model (the mini fixture, a one-environment pattern, or an in-memory
variant) and asserts the exact text a page shows, next to the city model where the same
sentence must still appear.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import GOOD, MINI, REPO, analysis_of, loaded_of, variant
from model.index import ModelIndex
from model.loader import load_model
from model.outline import chapters
from render.pages import plan_pages, render_pages
from render.pages.network import sg_header, sg_tables

PATTERN = GOOD / "patterns" / "centralised-inspection"
"""One environment, VPCs, security groups, components, no views."""


def pages_of(m) -> dict[str, str]:
    return render_pages(loaded_of(m), analysis_of(m))


def opening(page: str) -> list[str]:
    """The paragraphs between the H1 and the first H2."""
    head = page.split("\n## ", 1)[0]
    return [p.strip() for p in head.split("\n\n")[1:] if p.strip()]


@pytest.fixture(scope="module")
def mini_pages(mini):
    return pages_of(mini)


@pytest.fixture(scope="module")
def city_pages(seed, seed_analysis):
    return render_pages(seed, seed_analysis)


# ------------------------------------------------------------------ chapter numbers and page list

def test_one_environment_numbers_its_chapters_without_a_gap():
    loaded = load_model(PATTERN)
    plan = plan_pages(ModelIndex(loaded.model))
    assert [(p.path, p.number, p.title) for p in plan if p.number] == [
        ("01-net.md", "1", "Network構成図"), ("02-network.md", "2", "ネットワーク詳細"),
        ("03-security-groups.md", "3", "セキュリティグループ構成"), ("04-components.md", "4", "コンポーネント詳細")]
    pages = pages_of(loaded)
    assert pages["02-network.md"].startswith("# 2. ネットワーク詳細\n\n## 2.1 Networkのネットワーク構成\n")
    assert "- [2. ネットワーク詳細](02-network.md)" in pages["index.md"]


def test_no_views_no_diagram_list():
    pages = pages_of(load_model(PATTERN))
    assert "diagrams.md" not in pages and "diagrams.md" not in pages["index.md"]


def test_four_environments_then_the_content_chapters(mini):
    m = mini.model
    extra = [m.environments[0].model_copy(update={"id": i, "name": f"{i}環境", "short": i.upper(), "section": n,
                                                  "baseline": None})
             for i, n in (("dev", 3), ("qa", 4))]
    four = m.model_copy(update={"environments": (*m.environments, *extra)})
    assert [(c.number, c.kind, c.env or c.view) for c in chapters(four)] == [
        (1, "environment", "stg"), (2, "environment", "live"), (3, "environment", "dev"), (4, "environment", "qa"),
        (5, "network", None), (6, "security-groups", None), (7, "components", None), (8, "view", "overview"),
        (9, "migration", "live")]
    plan = plan_pages(ModelIndex(four))
    assert [p.path for p in plan if p.number] == [
        "01-stg.md", "02-live.md", "03-dev.md", "04-qa.md", "05-network.md", "06-security-groups.md",
        "07-components.md", "08-overview.md", "09-migration.md"]


def test_a_chapter_without_content_is_left_out(mini):
    m = mini.model
    bare = m.model_copy(update={"security_groups": (), "nodes": tuple(
        n.model_copy(update={"security_groups": ()}) for n in m.nodes)})
    assert [c.kind for c in chapters(bare)][:4] == ["environment", "environment", "network", "components"]


def test_the_city_keeps_its_numbers(city_pages):
    numbered = sorted(p for p in city_pages if p[:2].isdigit())
    assert numbered == ["01-poc.md", "02-prod.md", "03-network.md", "04-security-groups.md", "05-components.md",
                        "06-cicd.md", "07-monitoring.md", "08-dr.md", "09-migration.md"]


def test_views_of_an_environment_keep_the_sections_the_model_gives_them(tmp_path):
    """Views numbered 2.2 and 2.3 (and no 2.1) print as 2.2 and 2.3; the characteristics take
    the first number no view takes (2.1 here), and the parts come in the order of their numbers."""
    loaded = variant(tmp_path, MINI, ("40-flows.yaml", 'section: "1"\n    envs: [stg, live]',
                                      'section: "2.2"\n    envs: [stg, live]'))
    second = loaded.model.views[0].model_copy(update={"id": "second", "section": "2.3", "title": "二枚目"})
    m = loaded.model.model_copy(update={"views": (*loaded.model.views, second)})
    page = pages_of(m)["02-live.md"]
    assert [line for line in page.splitlines() if line.startswith("## ")] == [
        "## 2.1 本番環境の特徴", "## 2.2 全体構成図", "## 2.3 二枚目"]


def test_the_same_waf_in_both_environments_is_not_announced_again(mini_pages, city_pages):
    """The mini's WAF protects the ALB in both environments: the second says 'same', lists no rules."""
    page = mini_pages["05-components.md"].split("## 5.3 Application Load Balancer", 1)[1]
    assert "### 本番環境（STGと同じ）" in page and page.count("WAF Rules") == 1
    assert "### 本番環境（POCと同じ + WAF）" in city_pages["05-components.md"]  # only production has one


def test_network_acls_are_on_the_routes_page_as_aws_lists_them(mini, mini_pages, city_pages):
    """The NACL rules the reachability verdicts depend on are shown to the approver: per VPC,
    associated subnets, rules per direction in number order, and the implicit '*' deny."""
    from model.schema import Nacl, NaclRule

    acl = Nacl(id="live-db-nacl", vpc="live-vpc", subnets=("live-db-a", "live-db-c"), rules=(
        NaclRule(number=200, direction="inbound", protocol="all", cidr="10.20.0.0/16", action="deny"),
        NaclRule(number=100, direction="inbound", protocol="tcp", port=5432, cidr="10.20.10.0/23", action="allow"),
        NaclRule(number=100, direction="outbound", protocol="tcp", port={"from": 1024, "to": 65535},
                 cidr="10.20.10.0/23", action="allow")))
    page = pages_of(mini.model.model_copy(update={"nacls": (acl,)}))["routes.md"]
    section = page.split("#### ネットワークACL live-db-nacl\n\n", 1)[1]
    nb = '<span class="nb">{}</span>'.format
    assert section.splitlines()[:9] == [
        "関連サブネット: live-db-a、live-db-c", "",
        "| ルール番号 | 方向 | プロトコル | ポート | CIDR | 許可／拒否 |", "|---|---|---|---|---|---|",
        f"| 100 | Inbound | TCP | 5432 | {nb('10.20.10.0/23')} | {nb('許可')} |",
        f"| 200 | Inbound | {nb('すべて')} | - | {nb('10.20.0.0/16')} | {nb('拒否')} |",
        f"| \\* | Inbound | {nb('すべて')} | - | {nb('0.0.0.0/0')} | {nb('拒否')} |",
        f"| 100 | Outbound | TCP | {nb('1024-65535')} | {nb('10.20.10.0/23')} | {nb('許可')} |",
        f"| \\* | Outbound | {nb('すべて')} | - | {nb('0.0.0.0/0')} | {nb('拒否')} |"]
    assert "ネットワークACL（ステートレス" in page.split("\n## ", 1)[0]
    assert "ネットワークACL" not in mini_pages["routes.md"] and "ネットワークACL" not in city_pages["routes.md"]


def test_security_groups_follow_their_sections(tmp_path, mini_pages):
    assert [line for line in mini_pages["04-security-groups.md"].splitlines() if line.startswith("## ")] == [
        "## 4.1 ALB Security Group", "## 4.2 App Security Group", "## 4.3 DB Security Group"]
    swapped = variant(tmp_path, MINI, ("20-filtering.yaml", 'section: "4.1"', 'section: "4.5"'))
    page = pages_of(swapped)["04-security-groups.md"]
    assert [line for line in page.splitlines() if line.startswith("## ")] == [
        "## 4.1 App Security Group", "## 4.2 DB Security Group", "## 4.3 ALB Security Group"]


# ------------------------------------------------------------------ reachability: only what the model has

MINI_OPENING = ("モデルのセキュリティグループ・ルートテーブル・ALB・WAFから、誰がどこへ届くかを設計時に計算した結果。"
                "ステートフルなSG、最長一致のルート、戻り経路、NATの送信元変換、ALBのリスナーとターゲットグループ、"
                "WAFの地域制限（レート制限は条件付き）を扱う。")


def test_reachability_names_only_the_objects_of_the_model(mini_pages):
    first, second = opening(mini_pages["reachability.md"])
    assert first == MINI_OPENING
    assert "（Linux 32768-60999、NAT Gateway・ALB・インターネットやオンプレミスの利用者 1024-65535）" in second
    assert not any(word in first + second for word in ("Direct Connect", "VIF", "TGW", "Client VPN"))


def test_reachability_names_windows_ephemeral_ports_only_where_there_are_windows_hosts(tmp_path):
    from model.i18n import language

    model = REPO / "examples" / "three-tier-web" / "model"
    for os_word, ranges in (("linux", "Linux 32768-60999, NAT Gateway, ALB, internet and on-premises users 1024-65535"),
                            ("windows", "Linux 32768-60999, Windows 49152-65535, NAT Gateway, ALB, internet and "
                                        "on-premises users 1024-65535")):
        loaded = variant(tmp_path / os_word, model, ("nodes.yaml", "asg: {instance_type: m7g.large,",
                                                       f"asg: {{os: {os_word}, instance_type: m7g.large,"))
        with language("en"):
            second = opening(pages_of(loaded.model)["reachability.md"])[1]
        assert f"ephemeral ports ({ranges})." in second


def test_reachability_of_the_city_names_its_objects_and_its_vif(city_pages):
    first, second = opening(city_pages["reachability.md"])
    assert first.startswith("モデルのセキュリティグループ・ルートテーブル・TGW・Direct Connect・Client VPN・ALB・WAFから、")
    assert "NAT・Client VPNの送信元変換" in first
    assert second.endswith("Direct Connect GatewayはTGWに関連付け済みとして解析する（設計書の「Private VIF」は"
                           "Transit VIFが必要なため指摘事項）。")


def test_the_vif_remark_comes_from_the_finding(tmp_path):
    folder = tmp_path / "city"
    shutil.copytree(REPO / "model" / "data", folder)
    nodes = folder / "nodes.yaml"
    text = nodes.read_text(encoding="utf-8")
    assert text.count("vif: Private VIF") == 1
    nodes.write_text(text.replace("vif: Private VIF", "vif: Transit VIF"), encoding="utf-8")
    loaded = load_model(folder)
    analysis = analysis_of(loaded)
    assert not any(f.code == "DXGW_TGW_REQUIRES_TRANSIT_VIF" for e in ("poc", "prod") for f in analysis.findings_of(e))
    _, second = opening(render_pages(loaded, analysis)["reachability.md"])
    assert second.endswith("前提: NACLの記載がないサブネットは既定のNACL（すべて許可）とみなす（ASSUMED_DEFAULT_NACL）。")
    assert "VIF" not in second


# ------------------------------------------------------------------ routes and security group tables

def test_routes_page_names_transit_gateway_only_when_there_is_one(mini_pages, city_pages):
    assert opening(mini_pages["routes.md"]) == ["VPCのルートテーブルです。設計書にない経路は前提・仮定に根拠を示します。"]
    assert opening(city_pages["routes.md"]) == [
        "VPCとTransit Gatewayのルートテーブルです。設計書にない経路は前提・仮定に根拠を示します。"]


def test_sg_peer_column_follows_the_directions(mini):
    ix = ModelIndex(mini.model)
    db = ix.security_groups["db-sg"]
    assert sg_tables(ix, db)[0].header == ("方向", "プロトコル", "ポート", "ソース／宛先", "用途")  # the 'なし' row
    inbound_only = db.model_copy(update={"no_outbound_note": None})
    assert sg_tables(ix, inbound_only)[0].header == ("方向", "プロトコル", "ポート", "ソース", "用途")
    app = ix.security_groups["app-sg"]
    outbound_only = app.model_copy(update={"rules": tuple(r for r in app.rules if r.direction == "outbound")})
    groups = tuple(outbound_only if g.id == "app-sg" else g for g in mini.model.security_groups)
    ix = ModelIndex(mini.model.model_copy(update={"security_groups": groups}))
    table = sg_tables(ix, outbound_only)[0]
    assert table.header == ("方向", "プロトコル", "ポート", "宛先", "用途")
    assert table.rows == (("Outbound", "TCP", "5432", "DB SG", "DB接続"),
                          ("Outbound", "TCP", "443", "0.0.0.0/0", "ECR・外部API"))
    assert sg_header({"inbound", "outbound"})[3] == "ソース／宛先"


def test_outbound_rules_are_never_under_a_source_column(city_pages):
    for block in city_pages["04-security-groups.md"].split("\n### ")[1:]:
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if any(line.startswith("| Outbound") for line in lines[2:]):
            assert "| ソース |" not in lines[0]


# ------------------------------------------------------------------ migration: no seed rows or sentences

def test_migration_without_a_source_table(mini_pages):
    page = mini_pages["07-migration.md"]
    assert "設計書" not in page and "○" not in page
    lines = page.splitlines()
    assert lines[2] == ("モデルがSTGと本番で異なる24項目です（アカウント、VPC、接続、ノードの有無、仕様の値、サブネット、"
                        "セキュリティグループのルール）。")
    assert lines[4:6] == ["| 項目 | STG | 本番 |", "|---|---|---|"]
    assert "| 項目 | モデル上の根拠 |" in lines


def test_migration_rows_are_changes_only(mini_pages, city_pages):
    for page in (mini_pages["07-migration.md"], city_pages["09-migration.md"]):
        for line in page.split("## 算出根拠")[0].splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if line.startswith("| ") and len(cells) == 3 and cells[0] != "項目":
                assert cells[1] != cells[2], line
    assert "DR対応" not in mini_pages["07-migration.md"]  # both environments have none: no row


def test_migration_with_a_declared_source_table(tmp_path):
    declared = variant(tmp_path, MINI, ("10-places.yaml", "    baseline: stg\n", "    baseline: stg\n    baseline_ref: \"7\"\n"))
    page = pages_of(declared)["07-migration.md"]
    assert "## その他の差分（モデルから検出）" in page
    assert "設計書の4項目のほかに、モデルがSTGと本番で異なる20項目です" in page
    assert "| 項目 | 設計書 | モデル上の根拠 |" in page
    assert '| <span class="nb">RDS構成</span> | ○ | rds.multi\\_az（RDSごと） |' in page
