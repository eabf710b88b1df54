"""Expected verdicts for the seed, derived by hand from its SG tables (section 4) and routing.

Each row: env, source, target, port, protocol, expected verdict, blocking codes that must
be present (all of them, on the best candidate path).
"""

from __future__ import annotations

import pytest

from conftest import analysis_of, graph_of, loaded_of
from model.loader import load_model
from analysis.paths.reach import UnknownEndpoint, reach
from model.schema import Actor

SRC = load_model()
G = {e: graph_of(SRC, e) for e in ("poc", "prod")}

# Derivations (the short why is in the comment of each row)
TABLE = [
    # 4.1: ALB SG admits 443 from 0.0.0.0/0; ALB internet-facing in a public subnet (0/0 -> IGW).
    ("poc", "business-user", "alb", 443, "tcp", "reachable", ()),
    # prod: same path, WAF rate-based rule makes it conditional (JP passes the geo rule).
    ("prod", "business-user", "alb", 443, "tcp", "conditional", ("WAF_RATE_BASED_CONDITIONAL",)),
    # HTTP:80 listener exists (5.4) but ALB SG has no inbound 80.
    ("poc", "business-user", "alb", 80, "tcp", "unreachable", ("SG_INGRESS_DENIED",)),
    # no listener on 8443: SG denies and the listener is missing, both reported.
    ("poc", "frontend", "alb", 8443, "tcp", "unreachable", ("SG_INGRESS_DENIED", "LISTENER_PORT_MISMATCH")),
    # RDS: private (no public address), rds-sg only from ecs-sg, DB route table has no IGW route.
    ("poc", "business-user", "rds", 5432, "tcp", "unreachable", ("NO_PUBLIC_ADDRESS", "SG_INGRESS_DENIED", "NO_RETURN_PATH")),
    ("prod", "business-user", "rds", 5432, "tcp", "unreachable", ("NO_PUBLIC_ADDRESS", "SG_INGRESS_DENIED", "NO_RETURN_PATH")),
    # ECS ports only from ALB SG (and VPN CIDR in POC); ECS private; app RT 0/0 -> NAT (asymmetric reply).
    ("poc", "business-user", "frontend", 3000, "tcp", "unreachable", ("NO_PUBLIC_ADDRESS", "SG_INGRESS_DENIED", "NO_RETURN_PATH")),
    ("prod", "business-user", "backend", 5000, "tcp", "unreachable", ("NO_PUBLIC_ADDRESS", "SG_INGRESS_DENIED", "NO_RETURN_PATH")),
    # POC developer: Client VPN SNATs 172.16.0.0/22 to the ENI in 10.0.1.0/24; ecs-sg VPN CIDR rows never match.
    ("poc", "developer", "frontend", 3000, "tcp", "unreachable", ("SG_INGRESS_DENIED",)),
    ("poc", "developer", "backend", 5000, "tcp", "unreachable", ("SG_INGRESS_DENIED",)),
    # ...but the ALB admits 443 from 0.0.0.0/0, which contains the ENI address; app public RT routes 10.0/16 -> TGW.
    ("poc", "developer", "alb", 443, "tcp", "reachable", ()),
    ("poc", "developer", "client-vpn", 443, "udp", "reachable", ()),
    # prod city staff (192.168.0.0/16 via DX/TGW): the VPN rows are POC-only, nothing admits 192.168/16 on 3000.
    ("prod", "city-staff", "frontend", 3000, "tcp", "unreachable", ("SG_INGRESS_DENIED",)),
    # city staff -> ALB 443: admitted by 0.0.0.0/0; WAF assigns a private address the country XX,
    # which the JP-only geo rule blocks (HTTP 403); the rate rule (priority 2) is evaluated before it.
    ("prod", "city-staff", "alb", 443, "tcp", "unreachable", ("WAF_RATE_BASED_CONDITIONAL", "WAF_GEO_BLOCKED")),
    # city staff -> RDS: rds-sg denies, and the DB route table has no route back to 192.168/16.
    ("prod", "city-staff", "rds", 5432, "tcp", "unreachable", ("SG_INGRESS_DENIED", "NO_RETURN_PATH")),
    # ECS -> RDS: ecs-sg outbound 5432 to rds-sg, rds-sg inbound 5432 from ecs-sg, local route.
    ("poc", "frontend", "rds", 5432, "tcp", "reachable", ()),
    ("prod", "backend", "rds", 5432, "tcp", "reachable", ()),
    ("prod", "batch", "rds", 5432, "tcp", "reachable", ()),
    # ECS -> AWS services: ecs-sg 443 to 0.0.0.0/0, 0/0 -> NAT (SNAT) -> public RT 0/0 -> IGW.
    ("poc", "frontend", "s3", 443, "tcp", "reachable", ()),
    ("prod", "backend", "secrets-manager", 443, "tcp", "reachable", ()),
    ("prod", "frontend", "ecr", 443, "tcp", "reachable", ()),
    # ECS -> SES on SMTP 587: ecs-sg has no outbound 587, and the endpoint is modelled HTTPS-only.
    ("prod", "backend", "ses", 587, "tcp", "unreachable", ("SG_EGRESS_DENIED", "SERVICE_PORT_RESTRICTION")),
    # RDS has no outbound rule (4.3 なし) and the DB route table has no default route.
    ("poc", "rds", "s3", 443, "tcp", "unreachable", ("SG_EGRESS_DENIED", "NO_ROUTE")),
    ("prod", "rds", "frontend", 3000, "tcp", "unreachable", ("SG_EGRESS_DENIED", "SG_INGRESS_DENIED")),
    # ALB -> targets on the target-group ports.
    ("prod", "alb", "frontend", 3000, "tcp", "reachable", ()),
    ("prod", "alb", "rds", 5432, "tcp", "unreachable", ("SG_EGRESS_DENIED", "SG_INGRESS_DENIED")),
    # NAT gateways never accept new inbound connections.
    ("prod", "frontend", "nat-a", 443, "tcp", "unreachable", ("NAT_INBOUND_NOT_ALLOWED",)),
]


@pytest.mark.parametrize("env,source,target,port,proto,verdict,codes", TABLE,
                         ids=[f"{r[0]}-{r[1]}-{r[2]}-{r[3]}" for r in TABLE])
def test_seed_verdicts(env, source, target, port, proto, verdict, codes):
    r = reach(G[env], source, target, port, proto)
    assert r.verdict == verdict, (r.codes, [b.message for b in r.blockers])
    for code in codes:
        assert code in r.codes
    if verdict == "reachable":
        assert r.blockers == ()


def test_explanation_names_rule_and_location():
    r = reach(G["poc"], "frontend", "rds", 5432)
    reasons = [(h.action, h.reason, h.location) for h in r.hops]
    assert ("PERMITTED", "SG ecs-sg 送信ルール「PostgreSQL」", "model/data/shared.yaml:56") in reasons
    assert ("PERMITTED", "SG rds-sg 受信ルール「PostgreSQL」", "model/data/shared.yaml:63") in reasons
    assert r.hops[0].action == "ORIGINATED" and r.hops[-1].action == "RECEIVED"


def test_blocker_location_points_at_the_thing_to_change():
    r = reach(G["poc"], "business-user", "rds", 5432)
    locs = {b.code: b.location for b in r.blockers}
    assert locs["SG_INGRESS_DENIED"] == SRC.where_id("security_groups", "rds-sg")
    assert locs["NO_RETURN_PATH"].startswith("model/data/poc.yaml:")
    assert locs["NO_PUBLIC_ADDRESS"].startswith("model/data/nodes.yaml:")


def test_cvpn_path_shows_snat_and_authorization():
    r = reach(G["poc"], "developer", "frontend", 3000)
    actions = [(h.node, h.action) for h in r.hops]
    assert ("client-vpn", "TRANSFORMED") in actions
    assert any("認可ルール" in h.reason for h in r.hops)
    assert "CVPN_SNAT_SOURCE_IS_ENI" in r.notes
    assert "VPN CIDR" in r.blockers[0].message


def test_cvpn_snat_explanation_only_when_a_vpn_cidr_rule_would_match():
    r = reach(G["poc"], "developer", "frontend", 3000)
    assert r.blockers[0].message == (
        "SG ecs-sg に tcp/3000 を送信元 10.0.1.0/24 から許可する受信ルールがない（Client VPNはクライアントCIDRを"
        "ENIアドレスに変換するため、VPN CIDRの行「Frontend（POC開発者）」は一致しない）")
    # rds-sg has no rule on the client CIDR: a plain denial, no SNAT explanation
    r = reach(G["poc"], "developer", "rds", 5432)
    deny = next(b for b in r.blockers if b.code == "SG_INGRESS_DENIED")
    assert deny.message == "SG rds-sg に tcp/5432 を送信元 10.0.1.0/24 から許可する受信ルールがない"
    # ecs-sg has VPN CIDR rows, but none on this port
    deny = next(b for b in reach(G["poc"], "developer", "frontend", 8080).blockers if b.code == "SG_INGRESS_DENIED")
    assert "Client VPN" not in deny.message


def test_dx_private_vif_is_analysed_as_associated_and_flagged():
    r = reach(G["prod"], "city-staff", "alb", 443)
    assert "DXGW_PRIVATE_VIF_ASSUMED_TRANSIT" in r.notes
    assert any("c-dx-private-vif" in h.reason for h in r.hops)


def test_onprem_to_internet_facing_alb_notes_private_ip():
    r = reach(G["prod"], "city-staff", "alb", 443)
    assert "INTERNET_FACING_ALB_VIA_PRIVATE_IP" in r.notes
    note = next(h for h in r.hops if h.action == "NOTE" and h.node == "alb" and "INTERNET_FACING" in h.reason)
    assert note.reason == (
        "ALB alb はインターネット向けで、DNS名はパブリックアドレスに解決される。閉域経路（Direct Connect・TGW）で"
        "接続するには、ALBノードのプライベートIP（変わりうる）を返すプライベートDNS（Route 53 プライベートホストゾーン等）"
        "が必要。TLS証明書の名前は利用するホスト名に合わせる（INTERNET_FACING_ALB_VIA_PRIVATE_IP）")
    assert note.location == SRC.where_id("nodes", "alb", "alb")
    # not on other on-premises paths, nor on internet paths to the ALB
    assert "INTERNET_FACING_ALB_VIA_PRIVATE_IP" not in reach(G["prod"], "city-staff", "frontend", 3000).notes
    assert "INTERNET_FACING_ALB_VIA_PRIVATE_IP" not in reach(G["prod"], "business-user", "alb", 443).notes


def test_vpn_path_to_internet_facing_alb_notes_private_ip_too():
    r = reach(G["poc"], "developer", "alb", 443)
    assert r.verdict == "reachable" and "INTERNET_FACING_ALB_VIA_PRIVATE_IP" in r.notes
    note = next(h for h in r.hops if h.action == "NOTE" and h.node == "alb")
    assert "閉域経路（Client VPN・TGW）で接続するには" in note.reason
    assert "INTERNET_FACING_ALB_VIA_PRIVATE_IP" not in reach(G["poc"], "developer", "frontend", 3000).notes


def test_onprem_internet_access_is_a_condition_not_a_block():
    r = reach(G["prod"], "city-staff", "cognito", 443)
    assert r.verdict == "conditional" and r.codes == ("ONPREM_INTERNET_NOT_MODELED",)
    b = r.blockers[0]
    assert b.conditional and b.node == "city-hall" and b.location == SRC.where_id("sites", "city-hall")
    assert b.message == ("オンプレミス（市庁舎） のインターネット接続はモデル化されていない。cognito への到達は "
                         "オンプレミス（市庁舎） のインターネット接続（回線・プロキシ・ファイアウォール等、モデル外）に依存する")
    assert r.hops[-1].action == "RECEIVED" and r.hops[-1].node == "cognito"
    # the service endpoint's own port restriction still applies
    r = reach(G["prod"], "city-staff", "cognito", 5432)
    assert r.verdict == "unreachable" and r.codes == ("ONPREM_INTERNET_NOT_MODELED", "SERVICE_PORT_RESTRICTION")


def test_cvpn_endpoint_accepts_only_its_transport():
    r = reach(G["poc"], "developer", "client-vpn", 443, "tcp")
    assert r.verdict == "unreachable" and r.codes == ("CVPN_TRANSPORT_MISMATCH",)
    assert r.blockers[0].message == "Client VPNエンドポイントは UDP 443 でのみ接続を受け付ける（tcp/443 は不可）"
    assert reach(G["poc"], "developer", "client-vpn", 443, "udp").verdict == "reachable"
    assert reach(G["poc"], "developer", "client-vpn", 1194, "udp").codes == ("CVPN_TRANSPORT_MISMATCH",)
    assert any(h.reason == "Client VPN トンネル（UDP 443）" for h in reach(G["poc"], "developer", "alb", 443).hops)


def test_cvpn_transport_is_read_from_the_spec():
    m = SRC.model
    nodes = tuple(n.model_copy(update={"client_vpn": n.client_vpn.model_copy(update={"transport": "tcp", "vpn_port": 1194})})
                  if n.id == "client-vpn" else n for n in m.nodes)
    g = graph_of(m.model_copy(update={"nodes": nodes}), "poc")
    assert reach(g, "developer", "client-vpn", 1194, "tcp").verdict == "reachable"
    r = reach(g, "developer", "client-vpn", 443, "udp")
    assert r.codes == ("CVPN_TRANSPORT_MISMATCH",)
    assert r.blockers[0].message == "Client VPNエンドポイントは TCP 1194 でのみ接続を受け付ける（udp/443 は不可）"
    assert any(h.reason == "Client VPN トンネル（TCP 1194）" for h in reach(g, "developer", "alb", 443).hops)


def test_default_nacl_is_recorded():
    assert "ASSUMED_DEFAULT_NACL" in reach(G["poc"], "frontend", "rds", 5432).notes


def _with_actor(country: str):
    m = SRC.model
    actor = Actor(id="foreign-user", label="海外の利用者", role="事業者", envs=("prod",), site="internet",
                  persona="foreign", persona_label="海外", country=country)
    return graph_of(m.model_copy(update={"actors": m.actors + (actor,)}), "prod")


def test_non_jp_actor_is_geo_blocked():
    r = reach(_with_actor("US"), "foreign-user", "alb", 443)
    assert r.verdict == "unreachable"
    assert "WAF_GEO_BLOCKED" in r.codes and "WAF_RATE_BASED_CONDITIONAL" in r.codes


def test_private_source_is_geo_blocked_as_xx():
    r = reach(G["prod"], "city-staff", "alb", 443)
    assert r.verdict == "unreachable"
    assert r.codes == ("WAF_RATE_BASED_CONDITIONAL", "WAF_GEO_BLOCKED")
    geo = r.blockers[1]
    assert geo.node == "waf" and not geo.conditional
    assert geo.message == (
        "WAF 地域制限（日本のみ許可）: 送信元 192.168.0.0/16 はプライベートアドレスのため国を判定できず、"
        "WAFは国コード XX を割り当てる。JP 以外をブロックするルールによりブロック（HTTP 403）。対処: "
        "192.168.0.0/16 をIPセットで許可するルールをこの地域制限より高い優先度（小さい番号）で追加するか、"
        "192.168.0.0/16 からの接続には内部ALBを使う")
    assert "WAF_GEO_UNDETERMINED" not in r.codes


def test_internet_actor_without_country_stays_undetermined():
    r = reach(_with_actor("JP"), "foreign-user", "alb", 443)
    assert r.codes == ("WAF_RATE_BASED_CONDITIONAL",)
    m = SRC.model
    actor = Actor(id="anon-user", label="国不明の利用者", role="事業者", envs=("prod",), site="internet",
                  persona="anon", persona_label="不明")
    r = reach(graph_of(m.model_copy(update={"actors": m.actors + (actor,)}), "prod"), "anon-user", "alb", 443)
    assert r.verdict == "conditional" and r.codes == ("WAF_RATE_BASED_CONDITIONAL", "WAF_GEO_UNDETERMINED")


def test_jp_actor_passes_geo_rule():
    r = reach(_with_actor("JP"), "foreign-user", "alb", 443)
    assert r.verdict == "conditional" and r.codes == ("WAF_RATE_BASED_CONDITIONAL",)


def test_sg_drop_stops_listener_and_waf_evaluation():
    r = reach(G["prod"], "business-user", "alb", 80)
    assert r.verdict == "unreachable" and r.codes == ("SG_INGRESS_DENIED",)  # no WAF_RATE_BASED_CONDITIONAL
    assert not any(h.node in ("alb", "waf") and h.action in ("PERMITTED", "FORWARDED") for h in r.hops)
    assert not any(h.node == "waf" for h in r.hops)
    assert any(h.reason == "受信SGで接続（SYN）が破棄されるため、リスナー HTTP:80・WAF・ターゲットグループは評価しない"
               for h in r.hops)
    # a missing listener is still reported next to the SG denial (both must change)
    assert reach(G["prod"], "frontend", "alb", 8443).codes == ("SG_EGRESS_DENIED", "SG_INGRESS_DENIED", "LISTENER_PORT_MISMATCH")


def test_poc_has_no_waf():
    assert not any(h.node == "waf" for h in reach(G["poc"], "business-user", "alb", 443).hops)


def test_unknown_endpoint_suggests():
    with pytest.raises(UnknownEndpoint) as exc:
        reach(G["poc"], "develper", "alb", 443)
    assert "developer" in str(exc.value)
    with pytest.raises(UnknownEndpoint):
        reach(G["poc"], "developer", "waf", 443)  # WAF exists only in prod


def test_results_are_frozen_and_deterministic():
    a = reach(graph_of(SRC, "prod"), "city-staff", "alb", 443)
    b = reach(graph_of(SRC, "prod"), "city-staff", "alb", 443)
    assert a == b and a.to_dict() == b.to_dict()
    with pytest.raises(Exception):
        a.verdict = "reachable"  # type: ignore[misc]
