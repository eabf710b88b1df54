"""AWS's documented network patterns, each a small fixture under tests/fixtures/good/patterns/,
with verdicts and exact hop lists derived by hand from the AWS documentation.

A hop is ``(direction, action, node, reason)``: ``f`` the request, ``r`` the reply traced back
by the same engine. Above each expected path, the AWS statements each hop comes from
(guides cited by title; the text is the 2022-2023 awsdocs copy, see
shared/reference/aws-forwarding-constructs.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.graph.types import net
from analysis.paths.reach import Reachability, reach
from conftest import GOOD, graph_of
from model.loader import load_model
from model.schema import Route, TgwRoute

PATTERNS = GOOD / "patterns"
LOADED = {p.name: load_model(p) for p in sorted(PATTERNS.iterdir()) if p.is_dir()}


def hops(r) -> list[tuple[str, str, str, str]]:
    return [(h.direction[0], h.action, h.node, h.reason) for h in r.hops]


def graph(pattern: str, **update):
    m = LOADED[pattern]
    return graph_of(m.model.model_copy(update=update) if update else m, "net")


def test_every_pattern_is_a_valid_model():
    assert sorted(LOADED) == ["centralised-egress", "centralised-inspection", "hub-spoke-peering", "interface-endpoints",
                              "nlb-client-ip", "s3-gateway-endpoint", "two-regions", "vpn-tgw-static"]


# --- centralised egress ------------------------------------------------------------------------
# TGW guide, "Centralized outbound routing to the internet":
# - spoke route table 0.0.0.0/0 -> TGW (hop 3); the TGW is reached through the attachment's
#   subnet in the sender's AZ ("Transit gateway attachments to a VPC", hop 4);
# - the route table associated with the spoke attachments has a static 0.0.0.0/0 -> egress
#   attachment (hop 5); the TGW sends to the egress VPC's attachment ENI in the same AZ
#   ("how-transit-gateways-work": traffic stays in its AZ), whose subnet route table sends
#   0.0.0.0/0 to the NAT gateway (hops 6-7);
# - the NAT gateway translates the source to its EIP, traffic from a TGW attachment included
#   ("NAT gateways": routing through a TGW is allowed for centralized egress; hop 8), and the
#   public subnet routes 0.0.0.0/0 to the IGW (hops 9-10);
# - return: the internet delivers the NAT's EIP to the egress VPC's IGW, IGW -> NAT (EIP back to
#   the private address, hops 13-15), the public subnet routes the spoke CIDRs to the TGW
#   (hop 16), the egress attachment's table has the propagated spoke CIDR (hops 17-18), into
#   the spoke VPC in the same AZ and locally to the instance (19-21).
EGRESS = [
    ('f', 'ORIGINATED', 'app', 'app（spoke-a-app-a 10.1.1.0/24, ap-northeast-1a）'),
    ('f', 'PERMITTED', 'app', 'SG app-sg 送信ルール「HTTPS out」'),
    ('f', 'FORWARDED', 'spoke-a-app-a', 'ルートテーブル spoke-a-rt: 0.0.0.0/0 → tgw'),
    ('f', 'FORWARDED', 'spoke-a-att', 'TGWアタッチメント spoke-a-att（ap-northeast-1a, ap-northeast-1c）'),
    ('f', 'FORWARDED', 'tgw', 'TGWルートテーブル spokes-rt: 0.0.0.0/0 → egress-att（static）'),
    ('f', 'FORWARDED', 'egress-att', 'アタッチメント egress-att からVPC egress-vpc へ（egress-tgw-a, ap-northeast-1a）'),
    ('f', 'FORWARDED', 'egress-tgw-a', 'ルートテーブル egress-tgw-a-rt: 0.0.0.0/0 → nat-a'),
    ('f', 'TRANSFORMED', 'nat-a', 'SNAT: 送信元 10.1.1.0/24 → NAT nat-a のEIP'),
    ('f', 'FORWARDED', 'egress-public-a', 'ルートテーブル egress-public-rt: 0.0.0.0/0 → igw'),
    ('f', 'FORWARDED', 'igw', 'IGW igw: 送信元 nat-a のパブリックIP のままインターネットへ'),
    ('f', 'FORWARDED', 'internet', 'インターネット'),
    ('f', 'RECEIVED', 's3', 'Amazon S3（ap-northeast-1 のリージョナルHTTPSエンドポイント）'),
    ('r', 'FORWARDED', 'internet', 'インターネット'),
    ('r', 'TRANSFORMED', 'igw', 'IGW: 宛先 パブリックIP nat-a のパブリックIP → プライベートIP 10.0.0.0/24（1:1 NAT）'),
    ('r', 'TRANSFORMED', 'nat-a', 'SNATの逆変換: 宛先 NAT nat-a → 10.1.1.0/24'),
    ('r', 'FORWARDED', 'egress-public-a', 'ルートテーブル egress-public-rt: 10.0.0.0/8 → tgw'),
    ('r', 'FORWARDED', 'egress-att', 'TGWアタッチメント egress-att（ap-northeast-1a, ap-northeast-1c）'),
    ('r', 'FORWARDED', 'tgw', 'TGWルートテーブル egress-rt: 10.1.0.0/16 → spoke-a-att（propagated）'),
    ('r', 'FORWARDED', 'spoke-a-att', 'アタッチメント spoke-a-att からVPC spoke-a-vpc へ（spoke-a-app-a, ap-northeast-1a）'),
    ('r', 'FORWARDED', 'spoke-a-app-a', 'ルートテーブル spoke-a-rt: 10.1.0.0/16 → local'),
    ('r', 'RECEIVED', 'app', 'app が応答を受信'),
]


def test_centralised_egress_spoke_reaches_the_internet():
    r = reach(graph("centralised-egress"), "app", "s3", 443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == EGRESS


def test_centralised_egress_blackhole_routes_stop_spoke_to_spoke():
    # TGW guide: "Blackhole routes for spoke CIDRs in the spokes' route table stop spoke-to-spoke traffic"
    r = reach(graph("centralised-egress"), "app", "app-b", 8080)
    assert r.codes == ("NULL_ROUTED",)
    assert r.blockers[0].message == "TGWルートテーブル spokes-rt の 10.2.0.0/16 はブラックホール"
    assert r.blockers[0].location.endswith("centralised-egress/10-network.yaml:64")


def test_centralised_egress_needs_the_return_route_in_the_public_subnet():
    # TGW guide: "Public subnet route table must have spoke CIDR -> tgw"; without it the NAT's reply to the
    # spoke address follows 0.0.0.0/0 to the IGW, which does not route private destinations
    m = LOADED["centralised-egress"].model
    tables = tuple(rt.model_copy(update={"routes": (Route(destination="0.0.0.0/0", target="igw"),)})
                   if rt.id == "egress-public-rt" else rt for rt in m.route_tables)
    r = reach(graph("centralised-egress", route_tables=tables), "app", "s3", 443)
    assert r.codes == ("NO_RETURN_PATH",)
    assert r.blockers[0].node == "igw"
    assert r.blockers[0].message == ("応答が戻れない: 宛先 10.1.1.0/24 はパブリックアドレスではなく、Internet Gatewayは"
                                     "インターネットへ送らない（IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS）")


# --- centralised inspection -----------------------------------------------------------------------
# TGW guide, "Appliance in a shared services VPC" and Network Firewall guide, "Avoiding asymmetric
# routing": spoke attachments are associated with a table holding static 0.0.0.0/0 -> inspection
# attachment (hop 5); the inspection VPC's TGW subnets route 0.0.0.0/0 to the firewall endpoint of
# their AZ (hops 6-8: "VPC route table configuration for AWS Network Firewall"), the firewall
# subnets route 0.0.0.0/0 back to the TGW (hop 9), whose inspection table has the propagated
# spoke CIDRs (hops 10-11). The destination VPC's attachment subnet route table delivers locally
# (hops 12-15). With appliance mode "a flow hash picks one ENI in the appliance VPC for the life
# of the flow. Both directions use that ENI" (hop 20): the reply meets the same endpoint, whose
# stateful engine holds the flow (hop 22).
INSPECTION = [
    ('f', 'ORIGINATED', 'app', 'app（a-app-a 10.1.1.0/24, ap-northeast-1a）'),
    ('f', 'PERMITTED', 'app', 'SG app-sg 送信ルール「Service」'),
    ('f', 'FORWARDED', 'a-app-a', 'ルートテーブル a-rt: 0.0.0.0/0 → tgw'),
    ('f', 'FORWARDED', 'a-att', 'TGWアタッチメント a-att（ap-northeast-1a, ap-northeast-1c）'),
    ('f', 'FORWARDED', 'tgw', 'TGWルートテーブル spokes-rt: 0.0.0.0/0 → inspection-att（static）'),
    ('f', 'FORWARDED', 'inspection-att', 'アタッチメント inspection-att からVPC inspection-vpc へ（insp-tgw-a, ap-northeast-1a）'),
    ('f', 'FORWARDED', 'insp-tgw-a', 'ルートテーブル insp-tgw-rt: 0.0.0.0/0 → fw'),
    ('f', 'PERMITTED', 'fw', 'Network Firewall fw（insp-fw-a, ap-northeast-1a）: ステートフルルール service（pass）'),
    ('f', 'FORWARDED', 'insp-fw-a', 'ルートテーブル insp-fw-rt: 0.0.0.0/0 → tgw'),
    ('f', 'FORWARDED', 'inspection-att', 'TGWアタッチメント inspection-att（ap-northeast-1a, ap-northeast-1c）'),
    ('f', 'FORWARDED', 'tgw', 'TGWルートテーブル inspection-rt: 10.2.0.0/16 → b-att（propagated）'),
    ('f', 'FORWARDED', 'b-att', 'アタッチメント b-att からVPC spoke-b-vpc へ（b-tgw-a, ap-northeast-1a）'),
    ('f', 'FORWARDED', 'b-tgw-a', 'ルートテーブル b-rt: 10.2.0.0/16 → local'),
    ('f', 'PERMITTED', 'db', 'SG db-sg 受信ルール「Service from spoke A」'),
    ('f', 'RECEIVED', 'db', 'db（b-db-c, ap-northeast-1c）が tcp/8080 を受信'),
    ('r', 'MATCHED_SESSION', 'db', 'SG（ステートフル）: 往路の接続の応答として許可'),
    ('r', 'FORWARDED', 'b-db-c', 'ルートテーブル b-rt: 0.0.0.0/0 → tgw'),
    ('r', 'FORWARDED', 'b-att', 'TGWアタッチメント b-att（ap-northeast-1a, ap-northeast-1c）'),
    ('r', 'FORWARDED', 'tgw', 'TGWルートテーブル spokes-rt: 0.0.0.0/0 → inspection-att（static）'),
    ('r', 'FORWARDED', 'inspection-att', 'アタッチメント inspection-att からVPC inspection-vpc へ（insp-tgw-a, ap-northeast-1a、アプライアンスモード: 往路と同じENI）'),
    ('r', 'FORWARDED', 'insp-tgw-a', 'ルートテーブル insp-tgw-rt: 0.0.0.0/0 → fw'),
    ('r', 'MATCHED_SESSION', 'fw', 'Network Firewall fw（insp-fw-a, ap-northeast-1a）: 往路のフローの応答として許可'),
    ('r', 'FORWARDED', 'insp-fw-a', 'ルートテーブル insp-fw-rt: 0.0.0.0/0 → tgw'),
    ('r', 'FORWARDED', 'inspection-att', 'TGWアタッチメント inspection-att（ap-northeast-1a, ap-northeast-1c）'),
    ('r', 'FORWARDED', 'tgw', 'TGWルートテーブル inspection-rt: 10.1.0.0/16 → a-att（propagated）'),
    ('r', 'FORWARDED', 'a-att', 'アタッチメント a-att からVPC spoke-a-vpc へ（a-tgw-a, ap-northeast-1a）'),
    ('r', 'FORWARDED', 'a-tgw-a', 'ルートテーブル a-rt: 10.1.0.0/16 → local'),
    ('r', 'RECEIVED', 'app', 'app が応答を受信'),
]


def test_centralised_inspection_with_appliance_mode():
    r = reach(graph("centralised-inspection"), "app", "db", 8080)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == INSPECTION


def test_centralised_inspection_firewall_rule_drops_ssh():
    # Network Firewall guide, strict rule order: the first matching stateful rule decides
    r = reach(graph("centralised-inspection"), "app", "db", 22)
    assert r.codes == ("FIREWALL_RULES_RESTRICTION",)
    assert r.blockers[0].message == ("Network Firewall fw（insp-fw-a）のステートフルルール no-ssh が tcp/22 "
                                     "10.1.1.0/24 → 10.2.2.0/24 を破棄")


def test_centralised_inspection_without_appliance_mode_is_asymmetric():
    # Without appliance mode the reply enters the TGW in the destination's AZ (ap-northeast-1c) and
    # leaves to the inspection VPC in that AZ: another firewall endpoint, which has no flow state
    # ("Avoiding asymmetric routing": both directions must use the same endpoint).
    m = LOADED["centralised-inspection"].model
    nodes = tuple(n.model_copy(update={"tgw_attachment": None}) if n.id == "inspection-att" else n for n in m.nodes)
    r = reach(graph("centralised-inspection", nodes=nodes), "app", "db", 8080)
    assert (r.verdict, r.codes) == ("unreachable", ("FIREWALL_ASYMMETRIC_ROUTING",))
    assert r.blockers[0].message == ("Network Firewall fw の insp-fw-c（ap-northeast-1c）には往路のフローの状態がない"
                                     "（往路は insp-fw-a）。ステートフルエンジンは片方向だけの通信を破棄する")
    assert ("r", "FORWARDED", "inspection-att",
            "アタッチメント inspection-att からVPC inspection-vpc へ（insp-tgw-c, ap-northeast-1c）") in hops(r)


# --- hub-and-spoke peering --------------------------------------------------------------------------
# VPC Peering guide, "VPC peering basics": a route sends traffic to the peering connection (hop 3),
# the peer VPC delivers it locally (hops 4-6); both sides need routes (reply, hops 8-10).
PEERING = [
    ('f', 'ORIGINATED', 'one', 'one（spoke1-a 10.1.1.0/24, ap-northeast-1a）'),
    ('f', 'PERMITTED', 'one', 'SG host-sg 送信ルール「HTTPS to the network」'),
    ('f', 'FORWARDED', 'spoke1-a', 'ルートテーブル spoke1-rt: 10.0.0.0/16 → pcx-1'),
    ('f', 'FORWARDED', 'pcx-1', 'VPCピアリング pcx-1: VPC spoke1-vpc → VPC hub-vpc'),
    ('f', 'PERMITTED', 'hub', 'SG host-sg 受信ルール「HTTPS from the network」'),
    ('f', 'RECEIVED', 'hub', 'hub（hub-a, ap-northeast-1a）が tcp/443 を受信'),
    ('r', 'MATCHED_SESSION', 'hub', 'SG（ステートフル）: 往路の接続の応答として許可'),
    ('r', 'FORWARDED', 'hub-a', 'ルートテーブル hub-rt: 10.1.0.0/16 → pcx-1'),
    ('r', 'FORWARDED', 'pcx-1', 'VPCピアリング pcx-1: VPC hub-vpc → VPC spoke1-vpc'),
    ('r', 'RECEIVED', 'one', 'one が応答を受信'),
]


def test_peering_hub_and_spoke():
    r = reach(graph("hub-spoke-peering"), "one", "hub", 443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == PEERING
    assert reach(graph("hub-spoke-peering"), "hub", "two", 443).verdict == "reachable"


def test_peering_is_not_transitive():
    # "Non-transitive. B cannot reach C through A": the valid model has no route spoke1 -> spoke2
    assert reach(graph("hub-spoke-peering"), "one", "two", 443).codes == ("NO_ROUTE",)
    # and a route that tries (E029 rejects it in a model file) is dropped by the peering connection
    m = LOADED["hub-spoke-peering"].model
    tables = tuple(rt.model_copy(update={"routes": rt.routes + (Route(destination="10.2.0.0/16", target="pcx-1"),)})
                   if rt.id == "spoke1-rt" else rt for rt in m.route_tables)
    r = reach(graph("hub-spoke-peering", route_tables=tables), "one", "two", 443)
    assert r.codes == ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",)
    assert r.blockers[0].message == (
        "ピアリング接続 pcx-1 は送信元がVPC spoke1-vpc（10.1.0.0/16）内、宛先がVPC hub-vpc（10.0.0.0/16）内の通信だけを運ぶ。"
        "10.1.1.0/24 → 10.2.1.0/24 は運ばれない（推移的ルーティング・エッジ間ルーティング不可）")


# --- site-to-site VPN on a TGW, static routes -------------------------------------------------------------
# Site-to-Site VPN guide, "How AWS Site-to-Site VPN works" and TGW guide, "VPN attachments": the
# VPN attachment is associated with a TGW route table (hops 2-3: the site's packets are looked up
# in it); a static TGW route sends the site's prefix to the VPN attachment (reply hop 11); the
# VPC routes the site's prefix to the TGW (reply hop 9).
VPN_IN = [
    ('f', 'ORIGINATED', 'operator', 'Operator（Data centre 192.168.0.0/16）'),
    ('f', 'FORWARDED', 'dc-vpn', 'サイト間VPN dc-vpn（static、トンネル 2 本）'),
    ('f', 'FORWARDED', 'tgw', 'TGWルートテーブル tgw-rt: 10.1.0.0/16 → app-att（propagated）'),
    ('f', 'FORWARDED', 'app-att', 'アタッチメント app-att からVPC app-vpc へ（app-a, ap-northeast-1a）'),
    ('f', 'FORWARDED', 'app-a', 'ルートテーブル app-rt: 10.1.0.0/16 → local'),
    ('f', 'PERMITTED', 'app', 'SG app-sg 受信ルール「From the data centre」'),
    ('f', 'RECEIVED', 'app', 'app（app-a, ap-northeast-1a）が tcp/8443 を受信'),
    ('r', 'MATCHED_SESSION', 'app', 'SG（ステートフル）: 往路の接続の応答として許可'),
    ('r', 'FORWARDED', 'app-a', 'ルートテーブル app-rt: 192.168.0.0/16 → tgw'),
    ('r', 'FORWARDED', 'app-att', 'TGWアタッチメント app-att（ap-northeast-1a, ap-northeast-1c）'),
    ('r', 'FORWARDED', 'tgw', 'TGWルートテーブル tgw-rt: 192.168.0.0/16 → dc-vpn（static）'),
    ('r', 'FORWARDED', 'dc-vpn', 'サイト間VPN dc-vpn（トンネル 2 本）→ Data centre'),
    ('r', 'RECEIVED', 'datacentre', 'Data centre の送信元が応答を受信'),
]

VPN_OUT = [
    ('f', 'ORIGINATED', 'app', 'app（app-a 10.1.1.0/24, ap-northeast-1a）'),
    ('f', 'PERMITTED', 'app', 'SG app-sg 送信ルール「To the data centre database」'),
    ('f', 'FORWARDED', 'app-a', 'ルートテーブル app-rt: 192.168.0.0/16 → tgw'),
    ('f', 'FORWARDED', 'app-att', 'TGWアタッチメント app-att（ap-northeast-1a, ap-northeast-1c）'),
    ('f', 'FORWARDED', 'tgw', 'TGWルートテーブル tgw-rt: 192.168.0.0/16 → dc-vpn（static）'),
    ('f', 'FORWARDED', 'dc-vpn', 'サイト間VPN dc-vpn（トンネル 2 本）→ Data centre'),
    ('f', 'RECEIVED', 'datacentre', 'Data centre（192.168.10.5/32、オンプレミスの機器はモデル外）が tcp/1521 を受信'),
    ('r', 'FORWARDED', 'dc-vpn', 'サイト間VPN dc-vpn（static、トンネル 2 本）'),
    ('r', 'FORWARDED', 'tgw', 'TGWルートテーブル tgw-rt: 10.1.0.0/16 → app-att（propagated）'),
    ('r', 'FORWARDED', 'app-att', 'アタッチメント app-att からVPC app-vpc へ（app-a, ap-northeast-1a）'),
    ('r', 'FORWARDED', 'app-a', 'ルートテーブル app-rt: 10.1.0.0/16 → local'),
    ('r', 'RECEIVED', 'app', 'app が応答を受信'),
]


def test_vpn_on_tgw_with_static_routes():
    eg = graph("vpn-tgw-static")
    r = reach(eg, "operator", "app", 8443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == VPN_IN
    r = Reachability(eg).reach_ip(1521, source="app", dst_ip=net("192.168.10.5/32"))
    assert (r.verdict, r.target, r.target_address) == ("reachable", "192.168.10.5/32", "192.168.10.5/32")
    assert hops(r) == VPN_OUT


def test_vpn_without_the_static_tgw_route():
    # "Peering attachments support only static routes" / static VPN: without the route nothing goes to the tunnel
    m = LOADED["vpn-tgw-static"].model
    rts = tuple(rt.model_copy(update={"routes": ()}) for rt in m.tgw_route_tables)
    r = Reachability(graph("vpn-tgw-static", tgw_route_tables=rts)).reach_ip(1521, source="app",
                                                                            dst_ip=net("192.168.10.5/32"))
    assert r.codes == ("TGW_RTB_NO_ROUTE",)
    assert r.blockers[0].message == "TGWルートテーブル tgw-rt に 192.168.10.5/32 へのルートがない"


# --- S3 gateway endpoint ------------------------------------------------------------------------------------
# PrivateLink guide, "Gateway endpoints": the endpoint adds a prefix-list route to the chosen route
# tables (hop 3), which wins over no route at all here: a private subnet without NAT reaches S3
# (hops 4-5); the reply comes back through the endpoint (hops 6-7).
S3 = [
    ('f', 'ORIGINATED', 'app', 'app（private-a 10.1.1.0/24, ap-northeast-1a）'),
    ('f', 'PERMITTED', 'app', 'SG app-sg 送信ルール「HTTPS out」'),
    ('f', 'FORWARDED', 'private-a', 'ルートテーブル private-rt: プレフィックスリスト（s3） → s3-endpoint'),
    ('f', 'FORWARDED', 's3-endpoint', 'ゲートウェイエンドポイント s3-endpoint（s3）'),
    ('f', 'RECEIVED', 's3', 'Amazon S3（ap-northeast-1 のリージョナルHTTPSエンドポイント）'),
    ('r', 'FORWARDED', 's3-endpoint', 'ゲートウェイエンドポイント s3-endpoint からVPC app-vpc へ（local ルート）'),
    ('r', 'RECEIVED', 'app', 'app が応答を受信'),
]


def test_s3_gateway_endpoint():
    eg = graph("s3-gateway-endpoint")
    r = reach(eg, "app", "s3", 443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == S3
    # a service without an endpoint is on the internet: no NAT, no IGW, no route
    assert reach(eg, "app", "ecr", 443).codes == ("NO_ROUTE",)


def test_s3_gateway_endpoint_policy_can_deny():
    m = LOADED["s3-gateway-endpoint"].model
    nodes = tuple(n.model_copy(update={"endpoint": n.endpoint.model_copy(update={"policy": "deny"})})
                  if n.id == "s3-endpoint" else n for n in m.nodes)
    r = reach(graph("s3-gateway-endpoint", nodes=nodes), "app", "s3", 443)
    assert r.codes == ("VPCE_POLICY_DENIED",)
    assert r.blockers[0].message == "VPCエンドポイント s3-endpoint のエンドポイントポリシーが s3 へのリクエストを拒否"


# --- interface endpoints ------------------------------------------------------------------------------------
# PrivateLink guide, "Interface endpoints": with private DNS the service name resolves to the
# endpoint's ENIs in the VPC (the same-AZ ENI first); the endpoint's SG must allow the clients
# (hops 4-6); the reply is local (hops 7-9).
INTERFACE = [
    ('f', 'ORIGINATED', 'app', 'app（private-a 10.1.1.0/24, ap-northeast-1a）'),
    ('f', 'PERMITTED', 'app', 'SG app-sg 送信ルール「HTTPS to endpoints」'),
    ('f', 'FORWARDED', 'private-a', 'ルートテーブル private-rt: 10.1.0.0/16 → local'),
    ('f', 'PERMITTED', 'secrets-endpoint', 'SG endpoint-sg 受信ルール「HTTPS from the VPC」'),
    ('f', 'PERMITTED', 'secrets-endpoint', 'インターフェイスエンドポイント secrets-endpoint（secrets-manager）: エンドポイントポリシーで許可'),
    ('f', 'RECEIVED', 'secrets-endpoint', 'secrets-endpoint（endpoints-a, ap-northeast-1a）が tcp/443 を受信'),
    ('r', 'MATCHED_SESSION', 'secrets-endpoint', 'SG（ステートフル）: 往路の接続の応答として許可'),
    ('r', 'FORWARDED', 'endpoints-a', 'ルートテーブル private-rt: 10.1.0.0/16 → local'),
    ('r', 'RECEIVED', 'app', 'app が応答を受信'),
]


def test_interface_endpoint_with_its_own_sg():
    eg = graph("interface-endpoints")
    r = reach(eg, "app", "secrets-manager", 443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == INTERFACE
    r = reach(eg, "app", "logs", 443)  # its endpoint's SG has no inbound rule
    assert r.codes == ("SG_INGRESS_DENIED",)
    assert r.blockers[0].message == "SG closed-sg に tcp/443 を送信元 10.1.1.0/24（SG app-sg） から許可する受信ルールがない"


# --- NLB client IP preservation -----------------------------------------------------------------------------
# ELB guide, "Edit target group attributes" (NLB): client IP preservation is on by default for
# instance targets and off for IP targets over TCP. With it on, the target's SG sees the client's
# address (here: the internet, which the target SG does not admit): the listener cannot serve.
NLB_PRESERVED = [
    ('f', 'ORIGINATED', 'visitor', 'Visitor（インターネット）'),
    ('f', 'TRANSFORMED', 'igw', 'IGW: 宛先 パブリックIP nlb のパブリックIP → プライベートIP 10.1.0.0/24（1:1 NAT）'),
    ('f', 'PERMITTED', 'nlb', 'リスナー TCP:443（forward）'),
    ('f', 'NOTE', 'nlb', 'ターゲットグループ web → web:8080 に到達できない（クライアントIPを保持（送信元 インターネット（パブリックアドレス））: SG_INGRESS_DENIED）'),
    ('f', 'NOTE', 'nlb', '候補経路の終点（阻害要因のため届かない）: nlb（public-a, ap-northeast-1a）が tcp/443 を受信'),
    ('r', 'MATCHED_SESSION', 'nlb', '往路の接続への応答を送信'),
    ('r', 'FORWARDED', 'public-a', 'ルートテーブル public-rt: 0.0.0.0/0 → igw'),
    ('r', 'TRANSFORMED', 'igw', 'IGW: 送信元 プライベートIP 10.1.0.0/24 → パブリックIP nlb のパブリックIP（1:1 NAT）'),
    ('r', 'FORWARDED', 'internet', 'インターネット'),
    ('r', 'NOTE', 'internet', '候補経路の終点（阻害要因のため届かない）: インターネット上の送信元 インターネット（パブリックアドレス） が応答を受信'),
]

# Without it, the target sees the NLB's private address (a new connection from its ENI).
NLB_IP = [
    ('f', 'ORIGINATED', 'visitor', 'Visitor（インターネット）'),
    ('f', 'TRANSFORMED', 'igw', 'IGW: 宛先 パブリックIP nlb-ip のパブリックIP → プライベートIP 10.1.0.0/24（1:1 NAT）'),
    ('f', 'PERMITTED', 'nlb-ip', 'リスナー TCP:443（forward）'),
    ('f', 'FORWARDED', 'nlb-ip', 'ターゲットグループ web-ip → web:8080（NLBから新しい接続、到達可）'),
    ('f', 'RECEIVED', 'nlb-ip', 'nlb-ip（public-a, ap-northeast-1a）が tcp/443 を受信'),
    ('r', 'MATCHED_SESSION', 'nlb-ip', '往路の接続への応答を送信'),
    ('r', 'FORWARDED', 'public-a', 'ルートテーブル public-rt: 0.0.0.0/0 → igw'),
    ('r', 'TRANSFORMED', 'igw', 'IGW: 送信元 プライベートIP 10.1.0.0/24 → パブリックIP nlb-ip のパブリックIP（1:1 NAT）'),
    ('r', 'FORWARDED', 'internet', 'インターネット'),
    ('r', 'RECEIVED', 'internet', 'インターネット上の送信元 インターネット（パブリックアドレス） が応答を受信'),
]


def test_nlb_with_and_without_client_ip_preservation():
    eg = graph("nlb-client-ip")
    r = reach(eg, "visitor", "nlb", 443)
    assert (r.verdict, r.codes) == ("unreachable", ("TARGET_UNREACHABLE",))
    assert hops(r) == NLB_PRESERVED
    r = reach(eg, "visitor", "nlb-ip", 443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert hops(r) == NLB_IP
