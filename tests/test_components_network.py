"""Section 5 rows for the kinds beyond the seed (render/pages/components_network.py), on the pattern fixtures."""

from __future__ import annotations

from conftest import GOOD, loaded_of
from analysis.analyze import analyze
from model.index import ModelIndex
from model.loader import load_model
from render.pages import render_pages
from render.pages.components import component_sections

PATTERNS = GOOD / "patterns"


def _sections(pattern: str) -> dict[str, list]:
    return {s["title"]: s["groups"] for s in component_sections(ModelIndex(load_model(PATTERNS / pattern).model))}


def test_nlb_endpoint_vpn_firewall_peering_rows():
    nlb = _sections("nlb-client-ip")["Network Load Balancer"]
    assert nlb[0] == ("NLB (client IP preserved)", [
        ("スキーム", "Internet-facing", ()), ("リスナー", None, [(None, "TCP:443 → web", ())]),
        ("ターゲットグループ", None, [(None, "web: web:8080（instance、クライアントIP保持: 有効（既定））", ())]),
        ("クロスゾーン", "無効", ())])
    assert nlb[1][1][2] == ("ターゲットグループ", None, [(None, "web-ip: web:8080（ip、クライアントIP保持: 無効（既定））", ())])
    gateway = _sections("s3-gateway-endpoint")["VPCエンドポイント"]
    assert gateway == [("S3 gateway endpoint", [("種類", "ゲートウェイ", ()), ("サービス", "s3", ()),
                                                ("ルートテーブル", "private-rt", ()), ("エンドポイントポリシー", "許可", ())])]
    vpn = _sections("vpn-tgw-static")["サイト間VPN"]
    assert vpn == [("Site-to-site VPN", [("カスタマーゲートウェイ", "dc-cgw（datacentre）", ()), ("接続先", "tgw", ()),
                                         ("ルーティング", "静的", ()), ("トンネル", "2本", ())])]
    fw = dict(_sections("centralised-inspection")["Network Firewall"])["Network Firewall"]
    assert fw[2] == ("ルール", None, [(None, "no-ssh: ステートフル 優先度1 drop tcp 0.0.0.0/0 → 0.0.0.0/0 ポート 22", ()),
                                    (None, "service: ステートフル 優先度2 pass tcp 10.0.0.0/8 → 10.0.0.0/8 ポート 8080", ())])
    assert _sections("hub-spoke-peering")["VPCピアリング"][0] == (
        "hub-spoke1", [("リクエスタ", "hub-vpc", ()), ("アクセプタ", "spoke1-vpc", ())])
    # the seed has none of these kinds: its section 5 is unchanged
    assert [s["title"] for s in component_sections(ModelIndex(load_model().model))][-1] == "EventBridge + Batch処理"


def test_components_page_of_a_pattern_renders_them():
    loaded = load_model(PATTERNS / "centralised-inspection")
    page = render_pages(loaded_of(loaded), analyze(loaded))["04-components.md"]  # one environment: 1, 2, 3, 4
    assert "## 4.1 EC2" in page and "## 4.2 Network Firewall" in page
    assert "- **ステートフル既定アクション**: drop" in page
