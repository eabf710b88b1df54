"""Environments that share a network, analysed together (issue 17, part 3).

The fixture ``tests/fixtures/good/shared-tgw``: one Transit Gateway in a network account,
shared with staging (an app VPC, a CI VPC) and production (an app VPC); a TGW route table
per environment, and production's table also associated with staging's CI attachment (the
defect). The city's POC and production share nothing and stay two scopes.
"""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.analyze import analyze
from analysis.paths.across import crossing_hop, reach_across, split_endpoint
from analysis.paths.reach import UnknownEndpoint
from archdoc.build import gather
from archdoc.cli import main
from conftest import GOOD, variant
from model.loader import load_model

SHARED = GOOD / "shared-tgw"
NET = "tests/fixtures/good/shared-tgw/20-network.yaml"
NODES = "tests/fixtures/good/shared-tgw/30-nodes.yaml"


@pytest.fixture(scope="module")
def shared():
    return analyze(load_model(SHARED))


@pytest.fixture(scope="module")
def city():
    return analyze(load_model())


# ------------------------------------------------------------------ scopes
def test_a_shared_tgw_joins_its_environments_and_the_city_stays_apart(shared, city):
    assert [(s.envs, s.shared) for s in shared.scopes] == [(("stg", "prod"), ("tgw",))]
    assert [(s.envs, s.shared) for s in city.scopes] == [(("poc",), ()), (("prod",), ())]
    assert shared.graph("stg").scope is shared.graph("prod").scope
    assert city.graph("poc").scope is not city.graph("prod").scope


def test_every_environment_sees_every_table_of_the_shared_tgw(shared):
    for env in ("stg", "prod"):
        assert sorted(shared.graph(env).tgw_rts) == ["prod-tgw-rt", "stg-tgw-rt"]
    # production's table propagates staging's CI VPC: its CIDR comes from staging's graph
    routes = [(str(r.net), r.target, r.origin) for r in shared.graph("prod").tgw_rts["prod-tgw-rt"].routes]
    assert routes == [("10.20.0.0/16", "prod-attach", "propagated"), ("10.11.0.0/16", "ci-attach", "propagated")]


def test_one_address_plan_for_the_scope(shared):
    stg, prod = shared.graph("stg").addresses, shared.graph("prod").addresses
    assert stg.internet == prod.internet
    assert not set(stg.public.values()) & set(prod.public.values())
    assert stg.owner is prod.owner  # the internet delivers to whichever environment owns an address


# ------------------------------------------------------------------ point queries across environments
def test_staging_app_cannot_reach_production_db(shared):
    r = reach_across(shared.network("stg"), "prod", "app", "db", 5432)
    assert (r.env, r.source, r.target, r.verdict) == ("stg", "stg:app", "prod:db", "unreachable")
    assert [(b.code, b.node, b.message, b.location) for b in r.blockers] == [
        ("TGW_RTB_NO_ROUTE", "tgw", "TGWルートテーブル stg-tgw-rt に 10.20.20.0/24 へのルートがない", f"{NET}:47")]


def test_staging_ci_reaches_production_through_the_shared_table_and_back(shared):
    r = reach_across(shared.network("stg"), "prod", "runner", "app", 8080)
    assert r.verdict == "reachable" and r.blockers == ()
    assert [(h.node, h.action, h.direction) for h in r.hops] == [
        ("runner", "ORIGINATED", "forward"), ("runner", "PERMITTED", "forward"), ("ci-a", "FORWARDED", "forward"),
        ("ci-attach", "FORWARDED", "forward"), ("tgw", "FORWARDED", "forward"), ("tgw", "FORWARDED", "forward"),
        ("prod:prod-attach", "FORWARDED", "forward"), ("prod:prod-app-a", "FORWARDED", "forward"),
        ("prod:app", "PERMITTED", "forward"), ("prod:app", "RECEIVED", "forward"),
        ("prod:app", "MATCHED_SESSION", "reply"), ("prod:prod-app-a", "FORWARDED", "reply"),
        ("prod:prod-attach", "FORWARDED", "reply"), ("tgw", "FORWARDED", "reply"), ("tgw", "FORWARDED", "reply"),
        ("ci-attach", "FORWARDED", "reply"), ("ci-a", "FORWARDED", "reply"), ("runner", "RECEIVED", "reply")]
    hop = crossing_hop(r)
    assert hop.reason == ("共有TGW tgw のルートテーブル prod-tgw-rt（ci-attach が関連付け）から環境 prod のアタッチメント "
                          "prod-attach へ（環境をまたぐ）")
    assert hop.location == f"{NET}:59"  # the association that puts staging's attachment under production's table
    assert (r.source_address, r.target_address) == ("10.11.10.0/24", "10.20.10.0/24")


def test_single_environment_questions_stay_inside_the_environment(shared):
    r = shared.network("stg").reach("app", "db", 5432)
    assert (r.target, r.verdict) == ("db", "reachable")
    assert all(":" not in h.node for h in r.hops)
    assert reach_across(shared.network("stg"), "stg", "app", "db", 5432) is r


def test_environments_that_share_nothing_say_so(city):
    r = reach_across(city.network("poc"), "prod", "frontend", "rds", 5432)
    assert (r.verdict, r.codes, r.hops) == ("unreachable", ("DISCONNECTED",), ())
    assert r.blockers[0].message == (
        "環境 poc と環境 prod は共有するネットワーク（TGW・Direct Connect Gateway・Client VPNエンドポイント・VPN接続）"
        "がなく、poc:frontend から prod:rds への閉域の経路はない（パブリックアドレスを持つ宛先へはインターネット経由の"
        "経路を確認する）")
    assert r.blockers[0].location == city.loaded.where_id("nodes", "frontend")


def test_a_public_target_of_an_environment_that_shares_nothing_is_reached_over_the_internet(city):
    """POC's frontend leaves through its NAT gateway and IGW; production's ALB is reached from the
    internet through its IGW: two legs, one answer (conditional on production's WAF), the
    target's hops named prod:id. A private target stays DISCONNECTED, and the isolation check
    (private addresses only) is not affected."""
    r = reach_across(city.network("poc"), "prod", "frontend", "alb", 443)
    assert (r.source, r.target, r.verdict, r.codes) == (
        "poc:frontend", "prod:alb", "conditional", ("WAF_RATE_BASED_CONDITIONAL", "WAF_GEO_UNDETERMINED"))
    assert [(h.node, h.action, h.direction) for h in r.hops] == [
        ("frontend", "ORIGINATED", "forward"), ("frontend", "PERMITTED", "forward"),
        ("poc-app-private-app-1", "FORWARDED", "forward"), ("nat-a", "TRANSFORMED", "forward"),
        ("poc-app-public-1", "FORWARDED", "forward"), ("igw", "FORWARDED", "forward"),
        ("internet", "FORWARDED", "forward"), ("internet", "RECEIVED", "forward"),
        ("internet", "FORWARDED", "reply"), ("igw", "TRANSFORMED", "reply"), ("nat-a", "TRANSFORMED", "reply"),
        ("poc-app-public-1", "FORWARDED", "reply"), ("frontend", "RECEIVED", "reply"),
        ("prod:internet", "ORIGINATED", "forward"), ("prod:igw", "TRANSFORMED", "forward"),
        ("prod:alb", "PERMITTED", "forward"), ("prod:alb", "PERMITTED", "forward"),
        ("prod:waf", "PERMITTED", "forward"), ("prod:waf", "PERMITTED", "forward"),
        ("prod:alb", "FORWARDED", "forward"), ("prod:alb", "FORWARDED", "forward"),
        ("prod:alb", "RECEIVED", "forward"), ("prod:alb", "MATCHED_SESSION", "reply"),
        ("prod:prod-public-1", "FORWARDED", "reply"), ("prod:igw", "TRANSFORMED", "reply"),
        ("prod:internet", "FORWARDED", "reply"), ("prod:internet", "RECEIVED", "reply")]
    assert reach_across(city.network("poc"), "prod", "frontend", "alb", 443, "tcp", "private").codes == ("DISCONNECTED",)


def test_unknown_endpoints_across_environments(shared):
    q = shared.network("stg")
    with pytest.raises(UnknownEndpoint, match=r"target 'runner' is not a network endpoint in environment prod"):
        reach_across(q, "prod", "app", "runner", 8080)
    with pytest.raises(UnknownEndpoint, match=r"environment 'prd'.*did you mean prod"):
        reach_across(q, "prd", "app", "db", 5432)
    assert split_endpoint("prod:db", "stg") == ("prod", "db") and split_endpoint("db", "stg") == ("stg", "db")


# ------------------------------------------------------------------ intents, requirements, findings
def test_cross_environment_intents(shared):
    res = {r.id: r for r in shared.intents}
    hold = res["stg-app-no-prod-db"]
    assert (hold.status, hold.verdict, hold.codes, hold.target_name) == ("holds", "unreachable",
                                                                         ("TGW_RTB_NO_ROUTE",), "prod:db")
    caught = res["stg-ci-no-prod-app"]
    assert (caught.status, caught.verdict, caught.target_env, caught.target_name) == (
        "known-violation", "reachable", "prod", "prod:app")


def test_the_isolation_intent_catches_the_shared_route_table(tmp_path):
    loaded = variant(tmp_path, SHARED, ("40-intents.yaml",
                                        "    known_violation: 本番用TGWルートテーブルにステージングのCIアタッチメントが関連付けられている\n",
                                        ""))
    a = analyze(loaded)
    [f] = [f for f in a.findings if f.code == "INTENT_VIOLATED"]
    assert (f.env, f.resources) == ("stg", ("stg-ci-no-prod-app", "runner", "prod:app"))
    assert f.message == "意図「ステージングのCIランナーは本番のアプリに届かない。」に反する: runner → prod:app tcp/8080 は reachable（—）"


def _fixed(tmp_path):
    """The defect repaired: staging's CI attachment associated with staging's table."""
    return variant(tmp_path, SHARED,
                   ("20-network.yaml", "    associations: [prod-attach, ci-attach]\n    propagations: [prod-attach, ci-attach]",
                    "    associations: [prod-attach]\n    propagations: [prod-attach]"),
                   ("20-network.yaml", "    associations: [stg-attach]", "    associations: [stg-attach, ci-attach]"))


def test_isolation_requirement_is_checked_by_paths_both_ways(shared, tmp_path):
    [row] = [r for r in shared.requirements if r.key == "must_not_reach"]
    assert (row.env, row.component, row.status, row.code, row.config_location) == (
        "prod", "stg", "broken", "ENV_ISOLATION_BROKEN", f"{NET}:59")
    assert row.reason == ("stg:runner から prod:app（tcp/8080）に到達できる: 共有TGW tgw のルートテーブル prod-tgw-rt"
                          "（ci-attach が関連付け）から環境 prod のアタッチメント prod-attach へ（環境をまたぐ）")
    fixed = analyze(_fixed(tmp_path))
    [row] = [r for r in fixed.requirements if r.key == "must_not_reach"]
    assert (row.status, row.reason) == ("kept", "共通のアカウントは共有ネットワークアカウント net-account のみ（tgw を共有）。"
                                                "prod と stg の間に届く経路はない（両方向、10 組を確認）")
    assert {r.id: r.status for r in fixed.intents}["stg-ci-no-prod-app"] == "holds"
    assert [f.code for f in fixed.findings if f.code in ("ENV_ISOLATION_BROKEN", "TGW_RTB_MIXES_ENVIRONMENTS",
                                                          "INTENT_KNOWN_VIOLATION_STALE")] == [
        "INTENT_KNOWN_VIOLATION_STALE"]


def test_a_workload_in_the_network_account_shares_the_account(tmp_path):
    loaded = variant(tmp_path, SHARED, ("30-nodes.yaml", "      stg: {subnets: [ci-a], ec2: {instance_type: t3.small}}",
                                        "      stg: {subnets: [ci-a], account: net-account, ec2: {instance_type: t3.small}}"))
    rows = [r for r in analyze(loaded).requirements if r.key == "must_not_reach"]
    assert [(r.status, r.reason) for r in rows] == [
        ("broken", "runner がprod環境のアカウント net-account に置かれ、stg環境と共有している")]


def test_a_vpc_in_the_other_environments_account_is_named(tmp_path):
    """stg's CI VPC placed in prod's account (which says it serves stg): the VPC is what shares
    the account, named at its account line (not the first gateway found there)."""
    loaded = variant(tmp_path, SHARED, (
        "10-places.yaml", "  - {id: stg-ci-vpc, env: stg, account: stg-account,",
        "  - {id: stg-ci-vpc, env: stg, account: prod-account,"), (
        "10-places.yaml", "  - id: prod-account\n    env: prod\n", "  - id: prod-account\n    env: prod\n    shared_with: [stg]\n"))
    rows = [r for r in analyze(loaded).requirements if r.key == "must_not_reach"]
    assert [(r.status, r.reason, r.config_location.rsplit("/", 1)[-1]) for r in rows] == [
        ("broken", "stg-ci-vpc がprod環境のアカウント prod-account に置かれ、stg環境と共有している", "10-places.yaml:43")]


def test_a_shared_tgw_table_that_mixes_environments_is_a_finding(shared, city, tmp_path):
    found = [f for f in shared.findings if f.code == "TGW_RTB_MIXES_ENVIRONMENTS"]
    assert [(f.env, f.severity, f.resources, f.location) for f in found] == [
        ("prod", "warning", ("prod-tgw-rt", "ci-attach"), f"{NET}:59")]
    assert found[0].message == ("共有TGW tgw のルートテーブル prod-tgw-rt（prod環境用）がstg環境のアタッチメント ci-attach を"
                                "関連付けている。環境ごとのルートテーブルで分離されず、prod環境とstg環境の間に経路ができうる")
    assert [f for f in city.findings if f.code == "TGW_RTB_MIXES_ENVIRONMENTS"] == []


def test_rules_used_only_by_paths_across_environments_are_not_unused(shared):
    unused = {(f.env, f.message.split("「")[1].split("」")[0]) for f in shared.findings if f.code == "SG_RULE_UNUSED"}
    # production's app-sg admits staging's CI runner: the cross-environment path uses it
    assert ("prod", "社内ネットワークから") not in unused and ("stg", "デプロイ先のアプリ") not in unused
    assert ("stg", "社内のDB") in unused


NETWORK_VPC = """\
vpcs:
  - {id: net-vpc, env: prod, account: net-account, region: ap-northeast-1, name: net-vpc, role: network,
     role_name: ネットワークVPC, cidr: 10.30.0.0/16}
subnets:
  - {id: net-a, vpc: net-vpc, name: net-a, cidr: 10.30.1.0/24, az: ap-northeast-1a, tier: public}
  - {id: net-c, vpc: net-vpc, name: net-c, cidr: 10.30.2.0/24, az: ap-northeast-1c, tier: public}
named_cidrs:
  - {id: vpn-cidr, label: VPN CIDR, values: {stg: 172.16.0.0/22, prod: 172.16.0.0/22}}
sites:
  - {id: internet, name: インターネット, kind: internet, envs: [stg, prod], cidrs: [0.0.0.0/0]}
route_tables:
  - {id: net-rt, vpc: net-vpc, name: net-rt, subnets: [net-a, net-c], routes: [{destination: 10.0.0.0/8, target: tgw}]}
tgw_route_tables:
  - {id: net-tgw-rt, env: prod, tgw: tgw, name: ネットワーク用, associations: [net-attach], propagations: [stg-attach, net-attach]}
nodes:
  - {id: net-attach, kind: tgw-attachment, label: TGW Attachment net-vpc, tgw_attachment: {tgw: tgw},
     at: {prod: {subnets: [net-a, net-c]}}}
  - id: cvpn
    kind: client-vpn
    label: Client VPN Endpoint
    shared: true
    at: {stg: {subnets: [net-a, net-c]}, prod: {subnets: [net-a, net-c]}}
    client_vpn: {client_cidr: vpn-cidr, associated_subnets: [net-a, net-c], authorization_rules: [{destination: 10.10.0.0/16}],
                 routes: [10.10.0.0/16]}
actors:
  - {id: operator, label: 運用者, role: 運用者, envs: [stg], site: internet, via: [cvpn], persona: operator,
     persona_label: 運用者, vpn_client: true}
"""


def test_a_client_vpn_endpoint_in_the_network_account_serves_staging(tmp_path):
    """The endpoint sits in production's network VPC (network account); staging's operator enters
    there, and the shared TGW carries the request into staging and the reply back."""
    folder = tmp_path / "shared-tgw"
    shutil.copytree(SHARED, folder)
    (folder / "50-network-vpc.yaml").write_text(NETWORK_VPC, encoding="utf-8")
    network = folder / "20-network.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "    propagations: [stg-attach, ci-attach]", "    propagations: [stg-attach, ci-attach, net-attach]"),
        encoding="utf-8")
    a = analyze(load_model(folder))
    r = a.network("stg").reach("operator", "app", 8080)
    assert (r.verdict, r.blockers) == ("reachable", ())
    assert [(h.node, h.action) for h in r.hops] == [
        ("operator", "ORIGINATED"), ("cvpn", "PERMITTED"), ("cvpn", "FORWARDED"), ("cvpn", "PERMITTED"),
        ("cvpn", "TRANSFORMED"), ("prod:net-a", "FORWARDED"), ("prod:net-attach", "FORWARDED"), ("tgw", "FORWARDED"),
        ("tgw", "FORWARDED"), ("stg-attach", "FORWARDED"), ("stg-app-a", "FORWARDED"), ("app", "PERMITTED"),
        ("app", "RECEIVED"), ("app", "MATCHED_SESSION"), ("stg-app-a", "FORWARDED"), ("stg-attach", "FORWARDED"),
        ("tgw", "FORWARDED"), ("tgw", "FORWARDED"), ("prod:net-attach", "FORWARDED"), ("prod:net-a", "FORWARDED"),
        ("cvpn", "TRANSFORMED"), ("operator", "RECEIVED")]
    # the endpoint's own findings are reported once, in the environment whose VPC holds it
    assert [(f.env, f.code) for f in a.findings if f.code.startswith("CVPN_")] == []
    assert [r.status for r in a.requirements if r.key == "must_not_reach"] == ["broken"]  # the CI runner still


# ------------------------------------------------------------------ the page
def test_the_page_has_an_isolation_section(shared, city):
    page = gather(shared.loaded, shared).pages["reachability.md"]
    section = page.split("## 環境間の分離\n", 1)[1]
    assert section.startswith("\n### ステージング環境・本番環境\n\nステージング環境・本番環境は Transit Gateway（tgw） を共有するため")
    assert "#### ステージング環境 → 本番環境\n\n環境をまたいで到達できる組み合わせ: 1 件（stg:runner → prod:app:8080）。" in section
    assert "| runner | ✓ | ✗ SG\\_EGRESS\\_DENIED |" in section
    assert "#### 本番環境 → ステージング環境\n\n環境をまたいで到達できる組み合わせはない（4 件を確認）。" in section
    assert [(m.source_env, m.target_env, len(m.open)) for m in shared.cross_matrices] == [("stg", "prod", 1),
                                                                                          ("prod", "stg", 0)]
    text = gather(city.loaded, city).pages["reachability.md"].split("## 環境間の分離\n", 1)[1]
    assert text == ("\nPOC環境・本番環境は、共有するネットワーク（Transit Gateway・Direct Connect Gateway・Client VPN"
                    "エンドポイント・VPN接続・ネットワークアカウント）がない。環境ごとに別のネットワークとして解析しており、"
                    "環境をまたぐ閉域の経路はない（同じIDのノードも環境ごとに別のリソース）。\n")


# ------------------------------------------------------------------ the CLI
def _reach(capsys, *argv):
    code = main(["reach", "--model", str(SHARED), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_reach_across_environments(capsys):
    code, out, err = _reach(capsys, "--from", "stg:runner", "--to", "prod:app", "--port", "8080")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "stg:runner → prod:app tcp/8080: 到達可能（reachable）"
    code, out, _ = _reach(capsys, "--env", "stg", "--from", "app", "--to", "prod:db", "--port", "5432", "--json")
    d = json.loads(out)
    assert (code, d["env"], d["source"], d["target"], d["verdict"]) == (1, "stg", "stg:app", "prod:db", "unreachable")
    assert [b["code"] for b in d["blockers"]] == ["TGW_RTB_NO_ROUTE"]


def test_cli_a_plain_target_belongs_to_env_not_to_the_source(capsys):
    """``--env prod --from stg:app --to db`` asks for prod's db (README: --env is the default
    environment of a plain name), not for the source environment's own db."""
    code, out, _ = _reach(capsys, "--env", "prod", "--from", "stg:app", "--to", "db", "--port", "5432", "--json")
    d = json.loads(out)
    assert (code, d["source"], d["target"], d["verdict"]) == (1, "stg:app", "prod:db", "unreachable")
    assert [b["code"] for b in d["blockers"]] == ["TGW_RTB_NO_ROUTE"]
    code, out, _ = _reach(capsys, "--from", "stg:app", "--to", "db", "--port", "5432", "--json")
    d = json.loads(out)  # without --env a plain target is in the source's environment
    assert (code, d["env"], d["source"], d["target"], d["verdict"]) == (0, "stg", "app", "db", "reachable")


@pytest.mark.parametrize("argv, message", [
    (("--from", "stgg:runner", "--to", "prod:app"), "archdoc reach: unknown environment 'stgg' (did you mean 'stg'?)"),
    (("--from", "stg:runner", "--to", "prd:app"), "archdoc reach: unknown environment 'prd' (did you mean 'prod'?)"),
    (("--from", "stg:runer", "--to", "prod:app"),
     "archdoc reach: unknown source 'runer' in environment stg (did you mean 'runner'?); sources in stg: app, runner, db"),
    (("--from", "stg:runner", "--to", "prod:ap"),
     "archdoc reach: unknown target 'ap' in environment prod (did you mean 'app'?); targets in prod: app, db"),
    (("--env", "stg", "--from-ip", "10.11.10.5", "--to", "prod:app"),
     "archdoc reach: addresses are asked within one environment (stg and prod given)"),
])
def test_cli_reach_errors_are_one_line_with_did_you_mean(capsys, argv, message):
    code, out, err = _reach(capsys, *argv, "--port", "8080")
    assert (code, out, err) == (2, "", message + "\n")


def test_cli_reach_needs_an_environment_for_a_plain_source(capsys):
    code, _, err = _reach(capsys, "--from", "app", "--to", "prod:db", "--port", "5432")
    assert code == 2 and "the following arguments are required: --env" in err
