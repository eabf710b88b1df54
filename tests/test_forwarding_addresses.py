"""Real addresses in the forwarding engine (issue 19), on tests/fixtures/good/patterns/two-regions.

Two regions, a TGW in each, one VPN per region from a data centre that uses 203.0.113.0/24
(a documentation range), public and private instances. Derivations (AWS VPC guide,
"Internet gateways": an IGW performs 1:1 NAT for instances with a public IPv4 address and
routes public destinations only; Reachability Analyzer explanation codes
IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS / IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS).
"""

from __future__ import annotations

import json

import pytest

from analysis.graph.addresses import is_public
from analysis.graph.types import net
from analysis.paths.reach import Reachability, UnknownAddress
from conftest import GOOD, graph_of
from model.loader import load_model
from model.schema import Route

TWO = load_model(GOOD / "patterns" / "two-regions")
EG = graph_of(TWO, "net")
Q = Reachability(EG)


def hops(r) -> list[tuple[str, str, str, str]]:
    return [(h.direction[0], h.action, h.node, h.reason) for h in r.hops]


def _with_site(cidr: str):
    """The data centre moved to ``cidr``, routed to the TGWs from both VPCs."""
    m = TWO.model
    sites = tuple(s.model_copy(update={"cidrs": (cidr,)}) if s.id == "datacentre" else s for s in m.sites)
    tables = tuple(rt.model_copy(update={"routes": tuple(Route(destination=cidr, target=r.target)
                                                          if r.destination == "203.0.113.0/24" else r
                                                          for r in rt.routes)}) for rt in m.route_tables)
    return graph_of(m.model_copy(update={"sites": sites, "route_tables": tables}), "net")


def test_the_internet_is_an_address_outside_every_modelled_prefix():
    plan = EG.addresses
    assert is_public(plan.internet)
    written = [net(c) for c in ("10.1.0.0/16", "10.2.0.0/16", "203.0.113.0/24", "54.250.0.10/32")]
    assert not any(plan.internet.overlaps(p) for p in written)
    # allocated public addresses are distinct, deterministic and outside the model too
    allocated = [a for e, a in plan.public.items() if e not in plan.written]
    assert len(set(allocated)) == len(allocated) and plan.internet not in allocated
    assert graph_of(load_model(GOOD / "patterns" / "two-regions"), "net").addresses == plan


@pytest.mark.parametrize("cidr", ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "52.95.0.0/16"])
def test_onprem_ranges_do_not_change_internet_verdicts(cidr):
    # the measured bug: a data centre in 203.0.113.0/24 caught the fixed internet address
    eg = _with_site(cidr)
    assert not eg.addresses.internet.overlaps(net(cidr))
    r = Reachability(eg).reach("visitor", "web-tokyo", 443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert [h[:3] for h in hops(r)] == [
        ("f", "ORIGINATED", "visitor"), ("f", "TRANSFORMED", "igw-tokyo"), ("f", "PERMITTED", "web-tokyo"),
        ("f", "RECEIVED", "web-tokyo"), ("r", "MATCHED_SESSION", "web-tokyo"), ("r", "FORWARDED", "tokyo-public"),
        ("r", "TRANSFORMED", "igw-tokyo"), ("r", "FORWARDED", "internet"), ("r", "RECEIVED", "internet")]
    assert Reachability(eg).reach("visitor", "app-tokyo", 443).codes == ("NO_PUBLIC_ADDRESS",)


def test_cross_region_private_address_is_not_delivered():
    private, public = Q.reach_by_address("web-tokyo", "web-osaka", 443)
    assert (private.target_address, private.verdict, private.codes) == (
        "10.2.0.10/32", "unreachable", ("IGW_PRIVATE_DESTINATION",))
    b = private.blockers[0]
    assert b.node == "igw-tokyo" and b.location == TWO.where("route_tables", 0, "routes", 0)
    assert b.message == ("宛先 10.2.0.10/32 はパブリックアドレスではなく、Internet Gatewayはインターネットへ送らない"
                         "（IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS）")
    assert public.verdict == "reachable" and public.target_address == str(EG.addresses.public[EG.enis["web-osaka"][0]])


def test_cross_region_public_address_through_both_igws():
    public = Q.reach_by_address("web-tokyo", "web-osaka", 443)[1]
    assert hops(public) == [
        ("f", "ORIGINATED", "web-tokyo", "web-tokyo（tokyo-public 10.1.0.10/32, ap-northeast-1a）"),
        ("f", "PERMITTED", "web-tokyo", "SG web-sg 送信ルール「HTTPS to anywhere」"),
        ("f", "FORWARDED", "tokyo-public", "ルートテーブル tokyo-rt: 0.0.0.0/0 → igw-tokyo"),
        ("f", "TRANSFORMED", "igw-tokyo", "IGW: 送信元 プライベートIP 10.1.0.10/32 → パブリックIP 54.250.0.10/32（1:1 NAT）"),
        ("f", "FORWARDED", "internet", "インターネット"),
        ("f", "TRANSFORMED", "igw-osaka", "IGW: 宛先 パブリックIP web-osaka のパブリックIP → プライベートIP 10.2.0.10/32（1:1 NAT）"),
        ("f", "PERMITTED", "web-osaka", "SG web-sg 受信ルール「HTTPS from anywhere」"),
        ("f", "RECEIVED", "web-osaka", "web-osaka（osaka-public, ap-northeast-3a）が tcp/443 を受信"),
        ("r", "MATCHED_SESSION", "web-osaka", "SG（ステートフル）: 往路の接続の応答として許可"),
        ("r", "FORWARDED", "osaka-public", "ルートテーブル osaka-rt: 0.0.0.0/0 → igw-osaka"),
        ("r", "TRANSFORMED", "igw-osaka", "IGW: 送信元 プライベートIP 10.2.0.10/32 → パブリックIP web-osaka のパブリックIP（1:1 NAT）"),
        ("r", "FORWARDED", "internet", "インターネット"),
        ("r", "TRANSFORMED", "igw-tokyo", "IGW: 宛先 パブリックIP 54.250.0.10/32 → プライベートIP 10.1.0.10/32（1:1 NAT）"),
        ("r", "RECEIVED", "web-tokyo", "web-tokyo が応答を受信"),
    ]
    # the best of both addresses is what intents and the matrix use
    assert Q.reach("web-tokyo", "web-osaka", 443).verdict == "reachable"


def test_questions_by_address():
    r = Q.reach_ip(443, source="web-osaka", dst_ip=net("54.250.0.10/32"))  # web-tokyo's written EIP
    assert (r.target, r.verdict, r.target_address) == ("web-tokyo", "reachable", "54.250.0.10/32")
    r = Q.reach_ip(443, source="web-osaka", dst_ip=net("10.1.0.10/32"))  # its private address
    assert (r.target, r.codes) == ("web-tokyo", ("IGW_PRIVATE_DESTINATION",))
    r = Q.reach_ip(443, src_ip=net("8.8.8.8/32"), target="web-tokyo")  # a host on the internet
    assert (r.source, r.source_address, r.verdict) == ("8.8.8.8/32", "8.8.8.8/32", "reachable")
    assert hops(r)[-1] == ("r", "RECEIVED", "internet", "インターネット上の送信元 8.8.8.8/32 が応答を受信")
    r = Q.reach_ip(443, source="web-tokyo", dst_ip=net("93.184.216.34/32"))
    assert r.verdict == "reachable" and ("f", "RECEIVED", "internet",
                                          "インターネット上のホスト 93.184.216.34/32 が tcp/443 を受信") in hops(r)
    with pytest.raises(UnknownAddress):
        Q.reach_ip(443, source="web-tokyo", dst_ip=net("10.9.9.9/32"))


def test_a_site_uses_the_connection_whose_routes_match():
    # one VPN per region: each TGW's route table advertises its own VPC only
    to_osaka = Q.reach_ip(443, src_ip=net("203.0.113.7/32"), target="web-osaka")
    assert to_osaka.verdict == "reachable" and hops(to_osaka)[1][2] == "vpn-osaka"
    to_tokyo = Q.reach("operator", "app-tokyo", 443)
    assert to_tokyo.verdict == "reachable" and hops(to_tokyo)[1][2] == "vpn-tokyo"
    assert ("r", "FORWARDED", "vpn-tokyo", "サイト間VPN vpn-tokyo（トンネル 2 本）→ Data centre") in hops(to_tokyo)


def test_cli_reach_by_address(capsys):
    from archdoc.commands.reach import run_reach

    model = str(GOOD / "patterns" / "two-regions")
    assert run_reach("net", "web-tokyo", "web-osaka", 443, model_path=model) == 0
    out = capsys.readouterr().out
    assert "宛先アドレス別:\n  10.2.0.10/32: 到達不可（IGW_PRIVATE_DESTINATION）\n  web-osaka のパブリックIP（" in out
    assert run_reach("net", "web-tokyo", None, 443, model_path=model, dst_ip="10.2.0.10", as_json=True) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["target"], data["target_address"], data["source_address"]) == ("web-osaka", "10.2.0.10/32",
                                                                                "10.1.0.10/32")
    assert data["hops"][0]["direction"] == "forward" and data["by_address"] == []
    assert run_reach("net", None, "web-tokyo", 443, model_path=model, src_ip="10.9.9.9") == 2
    assert "no node, subnet or site of environment net has the address 10.9.9.9/32" in capsys.readouterr().err


def test_cli_address_flags(capsys):
    from archdoc.cli import main

    model = str(GOOD / "patterns" / "two-regions")
    base = ["reach", "--model", model, "--env", "net", "--port", "443"]
    assert main([*base, "--from-ip", "8.8.8.8", "--to", "web-tokyo"]) == 0
    assert "8.8.8.8/32 → web-tokyo tcp/443: 到達可能" in capsys.readouterr().out
    assert main([*base, "--from", "web-tokyo", "--to-ip", "web-osaka"]) == 2
    assert "argument --to-ip: 'web-osaka' is not an IPv4 address (a.b.c.d)" in capsys.readouterr().err
    assert main([*base, "--from", "web-tokyo", "--to", "web-osaka", "--to-ip", "10.2.0.10"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_node_without_a_public_address_lists_only_its_private_one():
    """app-tokyo has no public IP: one row, not an empty or 'allocated' public one."""
    rows = Q.reach_by_address("web-tokyo", "app-tokyo", 443)
    assert [r.target_address for r in rows] == [str(EG.enis["app-tokyo"][0].net)]
    assert (Q.has_address("app-tokyo", "private"), Q.has_address("app-tokyo", "public")) == (True, False)
    assert Q.has_address("web-osaka", "public") is True



def test_a_source_address_is_the_one_asked_about_or_refused_clearly():
    """--from-ip inside a subnet: its only node sends from exactly that address when the model
    writes none for it (so a NACL's /32 applies to it); a written address elsewhere in the
    subnet, or a subnet of several nodes, is refused with the reason."""
    from analysis.paths.query import address_source
    from conftest import REPO, analysis_of

    node, actor, enis = address_source(Q, net("10.1.1.20/32"))
    assert (node, actor, [str(e.net) for e in enis]) == ("app-tokyo", None, ["10.1.1.20/32"])
    with pytest.raises(UnknownAddress) as exc:
        address_source(Q, net("10.1.1.99/32"))
    assert str(exc.value) == ("10.1.1.99/32 is in subnet tokyo-private, but its only node app-tokyo has the "
                              "address 10.1.1.20/32")
    starter = analysis_of(load_model(REPO / "archdoc" / "scaffold" / "starter" / "model").model).network("prod")
    node, _, enis = address_source(starter, net("10.0.11.7/32"))  # app's subnet app-c; no written address
    assert (node, [(e.subnet, str(e.net)) for e in enis]) == ("app", [("app-c", "10.0.11.7/32")])
    r = starter.reach_ip(5432, src_ip=net("10.0.11.7/32"), target="db")
    assert (r.source, r.source_address, r.verdict) == ("app", "10.0.11.7/32", "reachable")



def test_an_address_in_a_subnet_of_several_nodes_names_them():
    from analysis.paths.query import address_source
    from conftest import REPO, analysis_of

    model = load_model(REPO / "archdoc" / "scaffold" / "starter" / "model").model
    app = next(n for n in model.nodes if n.id == "app")
    model = model.model_copy(update={"nodes": (*model.nodes, app.model_copy(update={"id": "worker"}))})
    with pytest.raises(UnknownAddress) as exc:
        address_source(analysis_of(model).network("prod"), net("10.0.10.9/32"))
    assert str(exc.value) == ("10.0.10.9/32 is in subnet app-a, which holds several nodes (app, worker): "
                              "ask with --from NODE, or write the node's address in the model")


def test_parsed_networks_stand_in_for_plain_ipaddress_networks():
    """net() remembers a network's hash and text (issue 10): it must still be the same value as
    the ipaddress network for every use the engine makes of it - keys, sets, order, copies."""
    import ipaddress
    import pickle

    plain = ipaddress.ip_network("10.1.0.0/16")
    kept = net("10.1.2.3/16")
    assert kept == plain and plain == kept and hash(kept) == hash(plain)
    assert {plain: "vpc"}[kept] == "vpc" and kept in {plain} and len({kept, plain}) == 1
    assert kept == net("10.1.0.0/16") and kept is not net("10.1.0.0/16")  # two parses, one value
    assert kept != net("10.1.0.0/24") and kept != ipaddress.ip_network("10.2.0.0/16")
    assert sorted([net("10.2.0.0/16"), plain, net("10.0.0.0/8")]) == [
        ipaddress.ip_network(t) for t in ("10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16")]
    assert net("10.1.9.0/24").subnet_of(kept) and kept.overlaps(ipaddress.ip_network("10.1.5.0/24"))
    copy = pickle.loads(pickle.dumps(kept))
    assert (copy, hash(copy), str(copy), repr(copy)) == (plain, hash(plain), "10.1.0.0/16", "IPv4Network('10.1.0.0/16')")
    assert net("2001:db8::1/64") == ipaddress.ip_network("2001:db8::/64") != kept
    with pytest.raises(ValueError, match="^'10.1.0.0/33' does not appear to be an IPv4 or IPv6 network$"):
        net("10.1.0.0/33")
