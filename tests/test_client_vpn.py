"""Client VPN semantics (issue 17, part 4), on one-place edits of the city's POC endpoint.

* The VPN connection goes to the endpoint's public address whatever routes it pushes.
* Split tunnel: only destinations inside the pushed routes enter the tunnel. Full tunnel
  (split tunnel off, or a 0.0.0.0/0 route): everything does, and leaves by the associated
  subnets' route tables; internet access needs a way to an IGW or NAT from them, reported by
  ``CVPN_FULL_TUNNEL_NO_INTERNET`` when missing.
* Authorization rules by longest prefix: the most specific rules containing the destination
  decide (0.0.0.0/0 covers what no more specific rule covers), a rule naming groups admits
  only their members.
"""

from __future__ import annotations

import pytest

from analysis.analyze import analyze
from analysis.forwarding.entry import authorizing_rules, full_tunnel, tunnelled
from analysis.graph.types import net
from conftest import REPO, variant
from model.schema import AuthorizationRule, ClientVpnSpec

CITY = REPO / "model" / "data"
ROUTES = ("nodes.yaml", "      routes: [10.1.0.0/16]\n", "      routes: [10.1.0.0/16, 0.0.0.0/0]\n")
AUTH_ALL = ("nodes.yaml", "        - {destination: 10.1.0.0/16}\n      routes:",
            "        - {destination: 10.1.0.0/16}\n        - {destination: 0.0.0.0/0}\n      routes:")
SHARED_RT = "      - {destination: 10.1.0.0/16, target: tgw}\n    assumption: a-routing\n  - id: poc-app-public-rt"


def _poc(tmp_path, *edits):
    a = analyze(variant(tmp_path, CITY, *edits))
    return a, a.network("poc")


def _cvpn_findings(a):
    return [(f.message, f.location, f.fix) for f in a.findings if f.code == "CVPN_FULL_TUNNEL_NO_INTERNET"]


def test_full_tunnel_needs_no_route_to_reach_the_endpoint_itself(tmp_path):
    a, q = _poc(tmp_path, ROUTES, AUTH_ALL)
    r = q.reach("developer", "client-vpn", 443, "udp")
    assert (r.verdict, r.blockers, r.notes) == ("reachable", (), ())
    assert [(h.node, h.action) for h in r.hops[:3]] == [("developer", "ORIGINATED"), ("internet", "FORWARDED"),
                                                         ("client-vpn", "RECEIVED")]
    assert q.reach("developer", "client-vpn", 1194, "udp").codes == ("CVPN_TRANSPORT_MISMATCH",)


def test_full_tunnel_internet_leaves_by_the_associated_subnet_and_is_reported_when_it_cannot(tmp_path):
    a, q = _poc(tmp_path, ROUTES, AUTH_ALL)
    r = q.reach("developer", "s3", 443)
    assert r.codes == ("NO_ROUTE",)
    assert ("client-vpn", "TRANSFORMED") in [(h.node, h.action) for h in r.hops]
    assert r.blockers[0].message == "ルートテーブル poc-shared-public-rt に インターネット（パブリックアドレス） へのルートがない"
    assert _cvpn_findings(a) == [(
        "Client VPN client-vpn はフルトンネル（スプリットトンネル無効）で、クライアントの通信はすべてエンドポイントに入るが、"
        "VPNクライアント developer からインターネットへの経路が止まる（ルートテーブル poc-shared-public-rt に インターネット"
        "（パブリックアドレス） へのルートがない）。クライアントはインターネットに出られない",
        r.blockers[0].location,
        "poc-shared-public-1 のルートテーブルに 0.0.0.0/0 → インターネットゲートウェイまたはNAT Gateway（集約する場合はTGW）"
        "への経路を用意する")]
    assert r.blockers[0].location == a.loaded.where_id("route_tables", "poc-shared-public-rt")


def test_full_tunnel_through_an_internet_gateway_of_the_endpoint_vpc(tmp_path):
    igw = ("nodes.yaml", "  # ------------------------------------------------------------ entry\n",
           "  - {id: igw-shared, kind: igw, label: Internet Gateway, at: {poc: {vpc: poc-shared-vpc}}}\n"
           "  # ------------------------------------------------------------ entry\n")
    route = ("poc.yaml", SHARED_RT, SHARED_RT.replace("    assumption", "      - {destination: 0.0.0.0/0, target: "
                                                                     "igw-shared}\n    assumption", 1))
    a, q = _poc(tmp_path, ROUTES, AUTH_ALL, igw, route)
    r = q.reach("developer", "s3", 443)
    assert (r.verdict, r.blockers) == ("reachable", ())
    steps = [(h.node, h.action, h.direction) for h in r.hops]
    assert ("igw-shared", "TRANSFORMED", "forward") in steps  # SNAT to the endpoint ENI's public address
    assert steps[-2:] == [("client-vpn", "TRANSFORMED", "reply"), ("developer", "RECEIVED", "reply")]
    assert _cvpn_findings(a) == []


def test_full_tunnel_through_a_central_nat_behind_the_tgw(tmp_path):
    route = ("poc.yaml", SHARED_RT, SHARED_RT.replace("    assumption", "      - {destination: 0.0.0.0/0, target: "
                                                                     "tgw}\n    assumption", 1))
    tgw = ("poc.yaml", "    propagations: [tgw-attach-shared, tgw-attach-app]\n",
           "    propagations: [tgw-attach-shared, tgw-attach-app]\n    routes:\n"
           "      - {destination: 0.0.0.0/0, attachment: tgw-attach-app}\n")
    a, q = _poc(tmp_path, ROUTES, AUTH_ALL, route, tgw)
    r = q.reach("developer", "s3", 443)
    assert (r.verdict, r.blockers) == ("reachable", ())
    assert "nat-a" in {h.node for h in r.hops}
    assert _cvpn_findings(a) == []


def test_full_tunnel_without_a_default_route_drops_at_the_endpoint(tmp_path):
    split_off = ("nodes.yaml", "      routes: [10.1.0.0/16]\n", "      routes: [10.1.0.0/16]\n      split_tunnel: false\n")
    a, q = _poc(tmp_path, split_off)
    r = q.reach("developer", "s3", 443)
    assert r.codes[0] == "CVPN_ROUTE_MISSING"
    assert r.blockers[0].message == "Client VPNのルートに インターネット（パブリックアドレス） がない"
    assert q.reach("developer", "client-vpn", 443, "udp").verdict == "reachable"
    [(message, location, fix)] = _cvpn_findings(a)
    assert message.endswith("入るが、インターネット（0.0.0.0/0）へのルートがない。クライアントはインターネットに出られない")
    assert location == a.loaded.where_id("nodes", "client-vpn", "client_vpn", "routes")
    assert fix == "client_vpn.routes に 0.0.0.0/0 を追加する（スプリットトンネルにするなら split_tunnel: true）"


def test_split_tunnel_stated_or_assumed(tmp_path, seed_analysis):
    r = seed_analysis.network("poc").reach("developer", "s3", 443)
    assert (r.verdict, r.notes) == ("reachable", ("SPLIT_TUNNEL_ASSUMED",))  # the city states nothing
    stated = ("nodes.yaml", "      routes: [10.1.0.0/16]\n", "      routes: [10.1.0.0/16]\n      split_tunnel: true\n")
    a, q = _poc(tmp_path, stated)
    r = q.reach("developer", "s3", 443)
    assert (r.verdict, r.notes) == ("reachable", ())
    assert ("client-vpn", "TRANSFORMED") not in [(h.node, h.action) for h in r.hops]
    assert _cvpn_findings(a) == []


@pytest.mark.parametrize("rules, groups, target, port, expected", [
    # the /16 rule names a group the developer is not in: 0.0.0.0/0 does not cover what it covers
    ("[{destination: 10.1.0.0/16, groups: [admins]}, {destination: 0.0.0.0/0}]", (), "alb", 443,
     "10.1.1.0/24 に最長一致する認可ルール 10.1.0.0/16 はグループ admins のみ許可し、developer のグループ（なし）を含まない"),
    ("[{destination: 10.1.0.0/16, groups: [admins]}, {destination: 0.0.0.0/0}]", ("admins",), "alb", 443, None),
    # 0.0.0.0/0 covers every destination no more specific rule covers
    ("[{destination: 10.1.21.0/24, groups: [ops]}, {destination: 0.0.0.0/0}]", (), "alb", 443, None),
    ("[{destination: 10.1.21.0/24, groups: [ops]}, {destination: 0.0.0.0/0}]", (), "rds", 5432,
     "10.1.21.0/24 に最長一致する認可ルール 10.1.21.0/24 はグループ ops のみ許可し、developer のグループ（なし）を含まない"),
])
def test_authorization_rules_by_longest_prefix(tmp_path, rules, groups, target, port, expected):
    edits = [("nodes.yaml", "      authorization_rules:\n        - {destination: 10.1.0.0/16}\n",
              f"      authorization_rules: {rules}\n")]
    if groups:
        edits.append(("nodes.yaml", "    vpn_client: true\n", f"    vpn_client: true\n    vpn_groups: [{', '.join(groups)}]\n"))
    _, q = _poc(tmp_path, *edits)
    r = q.reach_by_address("developer", target, port)[0]  # its private address: through the tunnel
    assert r.target_address.startswith("10.1.")
    auth = [b for b in r.blockers if b.code == "CVPN_AUTHORIZATION_RULE_MISSING"]
    if expected is None:
        assert auth == []
        assert any(h.node == "client-vpn" and h.reason.startswith("認可ルール") for h in r.hops)
    else:
        assert [b.message for b in auth] == [expected]


def test_the_semantics_as_functions():
    spec = ClientVpnSpec(client_cidr="vpn", associated_subnets=("s",), routes=("10.1.0.0/16",),
                         authorization_rules=(AuthorizationRule(destination="10.1.0.0/16", groups=("a",)),
                                              AuthorizationRule(destination="10.1.11.0/24"),
                                              AuthorizationRule(destination="0.0.0.0/0")))
    assert not full_tunnel(spec)
    assert full_tunnel(spec.model_copy(update={"split_tunnel": False}))
    assert full_tunnel(spec.model_copy(update={"routes": ("0.0.0.0/0",)}))
    assert not full_tunnel(spec.model_copy(update={"split_tunnel": True}))
    assert tunnelled(spec, net("10.1.5.0/24"), False) and tunnelled(spec, net("8.8.8.8/32"), True)
    assert not tunnelled(spec, net("8.8.8.8/32"), False)
    assert authorizing_rules(spec, net("10.1.11.7/32")) == [1]
    assert authorizing_rules(spec, net("10.1.12.0/24")) == [0]
    assert authorizing_rules(spec, net("8.8.8.8/32")) == [2]
    assert authorizing_rules(spec.model_copy(update={"authorization_rules": ()}), net("8.8.8.8/32")) == []
