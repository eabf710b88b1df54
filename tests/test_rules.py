"""Each rule fires on a one-place change of the mini model, and only that rule fires.

The mini model is mutated in memory and validated through :func:`model.loader.load_located`
(no YAML parsing), which keeps these tests fast; positions are covered by the golden
fixtures in tests/fixtures/bad.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import pytest

from model.errors import ModelError
from model.loader import load_located
from model.rules import CODE_TABLE, RULES
from model.yaml import Located, Locations, load_file

MINI = Path(__file__).resolve().parent / "fixtures" / "good" / "mini"


def _mini_data() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for file in sorted(MINI.glob("*.yaml")):
        for key, value in load_file(file).data.items():
            merged[key] = merged.get(key, []) + value if isinstance(value, list) else value
    return merged


MINI_DATA = _mini_data()


def _codes(data: dict[str, Any]) -> list[str]:
    try:
        load_located(MINI, [Located(str(MINI / "mini.yaml"), data, Locations())])
    except ModelError as exc:
        return sorted({p.code for p in exc.problems})
    return []


def _item(data: dict, section: str, item_id: str) -> dict:
    return next(x for x in data[section] if x.get("id") == item_id)


def _add_tgw(d: dict) -> None:
    d["vpcs"].append({**_item(d, "vpcs", "stg-vpc"), "id": "stg-shared-vpc", "cidr": "10.10.0.0/16"})
    d["nodes"] += [
        {"id": "tgw", "kind": "tgw", "label": "TGW", "at": {"stg": {"region": "ap-northeast-1"}}},
        {"id": "att-app", "kind": "tgw-attachment", "label": "a", "part_of": "tgw", "at": {"stg": {"vpc": "stg-vpc"}}},
        {"id": "att-shared", "kind": "tgw-attachment", "label": "b", "part_of": "tgw",
         "at": {"stg": {"vpc": "stg-shared-vpc"}}},
    ]


def _add_tgw_routes(d: dict, destinations: list[str]) -> None:
    d["nodes"] += [
        {"id": "tgw", "kind": "tgw", "label": "TGW", "at": {"stg": {"region": "ap-northeast-1"}}},
        {"id": "att-app", "kind": "tgw-attachment", "label": "a", "part_of": "tgw", "at": {"stg": {"vpc": "stg-vpc"}}},
    ]
    d["tgw_route_tables"] = [{"id": "tgw-rt", "env": "stg", "tgw": "tgw", "name": "rt", "associations": ["att-app"],
                              "routes": [{"destination": x, "attachment": "att-app"} for x in destinations]}]


def test_distinct_tgw_routes_are_fine() -> None:
    data = copy.deepcopy(MINI_DATA)
    _add_tgw_routes(data, ["10.10.0.0/16", "10.20.0.0/16"])
    assert _codes(data) == []


@pytest.mark.parametrize("value, code", [(True, "E092"), (1.0, "E092"), (0, "E095"), (100, "E095"),
                                         (-10 ** 100, "E095"), ("1", "E092")])
def test_environment_section_is_a_page_number(value: object, code: str) -> None:
    data = copy.deepcopy(MINI_DATA)
    _item(data, "environments", "live")["section"] = value
    assert _codes(data) == [code]


def _add_client_vpn(d: dict) -> None:
    d["named_cidrs"].append({"id": "vpn-cidr", "label": "VPN CIDR", "values": {"stg": "10.10.128.0/20"}})
    d["nodes"].append({"id": "cvpn", "kind": "client-vpn", "label": "Client VPN", "at": {"stg": {"vpc": "stg-vpc"}},
                       "client_vpn": {"client_cidr": "vpn-cidr", "associated_subnets": ["stg-app-a"],
                                      "authorization_rules": [{"destination": "10.10.0.0/16"}]}})


def _route_to_foreign_nat(d: dict) -> None:
    d["vpcs"].append({**_item(d, "vpcs", "stg-vpc"), "id": "stg-other-vpc", "cidr": "10.30.0.0/16"})
    d["subnets"].append({**_item(d, "subnets", "stg-public-a"), "id": "stg-other-a", "vpc": "stg-other-vpc",
                         "cidr": "10.30.0.0/24"})
    d["nodes"].append({"id": "other-nat", "kind": "nat-gateway", "label": "NAT", "public_ip": True,
                       "at": {"stg": {"subnets": ["stg-other-a"]}}})
    _item(d, "route_tables", "stg-private-rt")["routes"][1].update(target="other-nat")


def _add_peering(d: dict, peer_cidr: str, route: str | None = None) -> None:
    d["vpcs"].append({**_item(d, "vpcs", "stg-vpc"), "id": "stg-peer-vpc", "cidr": peer_cidr})
    d["nodes"].append({"id": "pcx", "kind": "vpc-peering", "label": "pcx", "at": {"stg": {}},
                       "peering": {"requester": "stg-vpc", "accepter": "stg-peer-vpc"}})
    if route:
        _item(d, "route_tables", "stg-private-rt")["routes"].append({"destination": route, "target": "pcx"})


def _share_tgw(d: dict, live_account: str = "net-account", attachment_envs: tuple[str, ...] = ("stg",)) -> None:
    """A TGW in a network account shared by both environments, one attachment named by its table."""
    d["accounts"].append({**_item(d, "accounts", "live-account"), "id": "net-account", "shared_with": ["stg"]})
    d["nodes"] += [
        {"id": "tgw", "kind": "tgw", "label": "TGW", "shared": True,
         "at": {"stg": {"account": "net-account", "region": "ap-northeast-1"},
                "live": {"account": live_account, "region": "ap-northeast-1"}}},
        {"id": "att", "kind": "tgw-attachment", "label": "a", "part_of": "tgw",
         "at": {e: {"vpc": f"{e}-vpc"} for e in attachment_envs}},
    ]
    d["tgw_route_tables"] = [{"id": "tgw-rt", "env": "stg", "tgw": "tgw", "name": "rt", "associations": ["att"]}]


def _set(section: str, item_id: str, **values: Any) -> Callable[[dict], None]:
    return lambda d: _item(d, section, item_id).update(values)


def _app_stg(d: dict) -> dict:
    return _item(d, "nodes", "app")["at"]["stg"]


def _two_envs_one_account(d: dict) -> None:
    """stg and live in the stg account (``shared_with``), the live account gone."""
    d["accounts"] = [a for a in d["accounts"] if a["id"] != "live-account"]
    _item(d, "accounts", "stg-account").update(shared_with=["live"])
    _item(d, "vpcs", "live-vpc").update(account="stg-account")
    for n in d["nodes"]:
        for place in n["at"].values():
            if place.get("account") == "live-account":
                place["account"] = "stg-account"


def _approvals(*changes: dict) -> Callable[[dict], None]:
    """Record one decision per ``changes`` on the mini document: an approval of its version on
    some model, with the given fields changed (None removes a field)."""
    def mutate(d: dict) -> None:
        base = {"version": d["document"]["version"], "date": "2024-04-10", "approver": "山田", "role": "課長",
                "decision": "approved", "model_sha256": "ab" * 32}
        d["document"]["approvals"] = [{k: v for k, v in {**base, **c}.items() if v is not None} for c in changes]
    return mutate


CASES: list[tuple[str, Callable[[dict], None], set[str]]] = [
    ("malformed cidr", _set("subnets", "stg-app-a", cidr="10.10.10.0/33"), {"E020"}),
    ("cidr without prefix", _set("vpcs", "live-vpc", cidr="10.20.0.0"), {"E020"}),
    ("subnet outside vpc", _set("subnets", "stg-app-a", cidr="10.11.10.0/24"), {"E021"}),
    ("host bits", _set("subnets", "stg-app-a", cidr="10.10.10.1/24"), {"E022"}),
    ("overlapping subnets", _set("subnets", "stg-app-a", cidr="10.10.0.0/23"), {"E023"}),
    ("tgw-connected vpcs overlap", _add_tgw, {"E024"}),
    ("client vpn cidr overlaps vpc", _add_client_vpn, {"E024"}),
    ("az outside region", _set("subnets", "stg-db-c", az="ap-northeast-1d"), {"E025"}),
    ("duplicate route destination", lambda d: _item(d, "route_tables", "stg-public-rt")["routes"].append(
        {"destination": "0.0.0.0/0", "target": "igw"}), {"E026"}),
    ("named route equals a cidr route", lambda d: _item(d, "route_tables", "stg-public-rt")["routes"].append(
        {"destination": "10.10.0.0/16", "target": "local"}), {"E026"}),
    ("duplicate tgw route destination", lambda d: _add_tgw_routes(d, ["10.10.0.0/16", "10.10.0.0/16"]), {"E026"}),
    ("inverted port range", lambda d: _item(d, "security_groups", "app-sg")["rules"][0].update(
        port={"from": 9000, "to": 8000}), {"E030"}),
    ("node spec on wrong kind", _set("nodes", "db", schedules={"schedules": []}), {"E031"}),
    ("placement spec on wrong kind", lambda d: _item(d, "nodes", "ecr")["at"]["stg"].update(
        batch={"cpu": 1, "memory_mb": 2, "timeout_hours": 1}), {"E031"}),
    ("tasks min > max", lambda d: _app_stg(d)["fargate"].update(tasks={"min": 3, "max": 1}), {"E032"}),
    ("duplicate node id", lambda d: d["nodes"].append(copy.deepcopy(_item(d, "nodes", "ecr"))), {"E040"}),
    ("duplicate target group", lambda d: _item(d, "nodes", "alb")["alb"]["target_groups"].append(
        copy.deepcopy(_item(d, "nodes", "alb")["alb"]["target_groups"][0])), {"E040"}),
    ("duplicate intent id", lambda d: d["intents"].append(copy.deepcopy(d["intents"][0])), {"E040"}),
    ("environment section reused", lambda d: _item(d, "environments", "live").update(section=1), {"E042"}),
    ("view on no page", lambda d: d["views"][0].update(section="9.1"), {"E043"}),
    ("view under another environment's page", lambda d: d["views"][0].update(section="1.1", envs=["live"]), {"E043"}),
    ("actor id is a node id", lambda d: d["actors"].append({**d["actors"][0], "id": "db"}), {"E041"}),
    ("listener target group", lambda d: _item(d, "nodes", "alb")["alb"]["listeners"][1].update(
        target_groups=["app-tgg"]), {"E050"}),
    ("waf protects", lambda d: _item(d, "nodes", "waf")["waf"].update(protects="alb2"), {"E050"}),
    ("route target", lambda d: _item(d, "route_tables", "stg-public-rt")["routes"][1].update(target="igw2"), {"E050"}),
    ("intent target", lambda d: d["intents"][0].update(target="alb-x"), {"E050"}),
    ("view label key", lambda d: d["views"][0].update(labels={"apq": "x"}), {"E050"}),
    ("placement key", lambda d: _item(d, "nodes", "ecr")["at"].update(prod={}), {"E050"}),
    ("assumption ref", _set("nodes", "db", assumption="a-single-az"), {"E050"}),
    ("part_of", _set("nodes", "app", part_of="ecs"), {"E050"}),
    ("target group target", lambda d: _item(d, "nodes", "alb")["alb"]["target_groups"][0].update(target="ap"),
     {"E050"}),
    ("subnet of another env", lambda d: _app_stg(d).update(subnets=["live-app-a"]), {"E051"}),
    ("placement vpc of another env", lambda d: _item(d, "nodes", "igw")["at"]["stg"].update(vpc="live-vpc"),
     {"E051"}),
    ("sg rule envs", lambda d: _item(d, "security_groups", "db-sg").update(envs=["stg"]) or
     _item(d, "security_groups", "db-sg")["rules"][0].update(envs=["live"]), {"E052"}),
    ("flow endpoint missing in env", lambda d: d["flows"][1].update(envs=["stg", "live"]), {"E053"}),
    ("vpc account of another env", _set("vpcs", "stg-vpc", account="live-account"), {"E054"}),
    ("label states another instance class", _set("nodes", "db", label="RDS PostgreSQL db.t3.micro"), {"E060"}),
    ("label states another role", _set("nodes", "db", label="RDS Standby"), {"E060"}),
    ("label states another task count", _set("nodes", "app", label="App Task 3-5"), {"E060"}),
    ("subnet name states another CIDR", _set("subnets", "stg-app-a", name="stg-app-a 10.99.0.0/24"), {"E060"}),
    ("standby of a Single-AZ primary", lambda d: d["nodes"].append(
        {"id": "db-standby", "kind": "rds", "label": "RDS", "standby_of": "db", "at": {"stg": {"subnets": ["stg-db-c"]}}}),
     {"E061"}),
    ("route to a NAT of another VPC", _route_to_foreign_nat, {"E027"}),
    ("route target kind", lambda d: _item(d, "route_tables", "stg-private-rt")["routes"][1].update(target="db"),
     {"E027"}),
    ("route to a TGW without attachment", lambda d: d["nodes"].append(
        {"id": "tgw", "kind": "tgw", "label": "TGW", "at": {"stg": {"region": "ap-northeast-1"}}}) or
     _item(d, "route_tables", "stg-private-rt")["routes"].append({"destination": "10.30.0.0/16", "target": "tgw"}),
     {"E027"}),
    ("peering between overlapping VPCs", lambda d: _add_peering(d, "10.10.128.0/20"), {"E028"}),
    ("route through peering leaves the peer", lambda d: _add_peering(d, "10.30.0.0/16", "10.0.0.0/8"), {"E029"}),
    ("peering without spec", lambda d: d["nodes"].append(
        {"id": "pcx", "kind": "vpc-peering", "label": "pcx", "at": {"stg": {}}}), {"E033"}),
    ("private IP outside its subnet", lambda d: _app_stg(d).update(ips=["10.10.11.5"]), {"E034"}),
    ("a database marked shared", _set("nodes", "db", shared=True), {"E055"}),
    ("a shared TGW in one environment", lambda d: d["nodes"].append(
        {"id": "tgw", "kind": "tgw", "label": "TGW", "shared": True, "at": {"stg": {"region": "ap-northeast-1"}}}),
     {"E055"}),
    ("a shared TGW placed in two accounts", lambda d: _share_tgw(d, live_account="live-account"), {"E056"}),
    ("a shared TGW's account does not serve an environment", lambda d: _share_tgw(d) or _item(
        d, "accounts", "net-account").update(shared_with=[]), {"E056"}),
    ("an attachment of a shared TGW in two environments", lambda d: _share_tgw(d, attachment_envs=("stg", "live")),
     {"E057"}),
    ("an environment's VPC in a network account serving it", lambda d: _share_tgw(d) or _item(
        d, "vpcs", "stg-vpc").update(account="net-account"), set()),
    ("public IP that is private", lambda d: _app_stg(d).update(public_ips=["10.10.10.5"]), {"E034"}),
    ("a WAF that protects a database", lambda d: _item(d, "nodes", "waf")["waf"].update(protects="db"), {"E058"}),
    ("an intent whose target is an actor", lambda d: d["intents"][0].update(target="citizen"), {"E058"}),
    ("a port with protocol all", lambda d: _item(d, "security_groups", "alb-sg")["rules"][0].update(protocol="all"),
     {"E059"}),
    ("a VPN connection ending at a service", lambda d: d["sites"].append(
        {"id": "office", "name": "office", "kind": "onprem", "envs": ["stg"], "cidrs": ["192.168.0.0/16"]}) or d["nodes"].extend([
        {"id": "cgw", "kind": "customer-gateway", "label": "CGW", "customer_gateway": {"site": "office", "asn": 65000},
         "at": {"stg": {"region": "ap-northeast-1"}}},
        {"id": "vpn", "kind": "vpn-connection", "label": "VPN", "vpn": {"customer_gateway": "cgw", "gateway": "app"},
         "at": {"stg": {"region": "ap-northeast-1"}}}]), {"E058"}),
    ("an API integration that is a database", lambda d: d["nodes"].append(
        {"id": "api", "kind": "api-gateway", "label": "API", "api_gateway": {"type": "http", "integrations": ["db"]},
         "at": {"stg": {"region": "ap-northeast-1"}}}), {"E080"}),
    ("a queue that is its own dead-letter queue", lambda d: d["nodes"].append(
        {"id": "q", "kind": "sqs", "label": "Q", "sqs": {"dead_letter_queue": "q"},
         "at": {"stg": {"region": "ap-northeast-1"}}}), {"E080"}),
    ("an RDS engine of no known family without port", lambda d: _set("nodes", "db", label="RDS")(d) or _item(
        d, "nodes", "db")["at"]["stg"]["rds"].update(engine="Db2"), {"E081"}),
    ("an RDS engine of no known family with its port", lambda d: _set("nodes", "db", label="RDS")(d) or _item(
        d, "nodes", "db")["at"]["stg"]["rds"].update(engine="Db2", port=50000), set()),
    ("two EFS mount targets in one AZ", lambda d: d["nodes"].append(
        {"id": "fs", "kind": "efs", "label": "EFS", "at": {"live": {"subnets": ["live-app-a", "live-db-a"]}}}),
     {"E082"}),
    ("an EFS One Zone file system in two AZs", lambda d: d["nodes"].append(
        {"id": "fs", "kind": "efs", "label": "EFS", "efs": {"one_zone": True},
         "at": {"live": {"subnets": ["live-app-a", "live-app-c"]}}}), {"E082"}),
    ("a table spec on a queue", lambda d: d["nodes"].append(
        {"id": "q", "kind": "sqs", "label": "Q", "dynamodb": {"billing_mode": "on-demand"},
         "at": {"stg": {"region": "ap-northeast-1"}}}), {"E031"}),
    ("two environments in one account", _two_envs_one_account, set()),
    ("a VPC in an account that holds other environments only", lambda d: _two_envs_one_account(d) or _item(
        d, "accounts", "stg-account").update(shared_with=[]), {"E054"}),
    ("approval of a version the document does not have", _approvals({"version": "9.9"}), {"E070"}),
    ("a decision after the approval", _approvals({}, {"decision": "returned", "model_sha256": None}), {"E071"}),
    ("a second approval of one version", _approvals({}, {}), {"E071"}),
    ("an approval without its model", _approvals({"model_sha256": None}), {"E072"}),
    ("a sending-back that names a model", _approvals({"decision": "returned"}), {"E072"}),
]


def test_mini_is_clean() -> None:
    assert _codes(copy.deepcopy(MINI_DATA)) == []


@pytest.mark.parametrize("name, mutate, expected", CASES, ids=[c[0] for c in CASES])
def test_rule_fires_alone(name: str, mutate: Callable[[dict], None], expected: set[str]) -> None:
    data = copy.deepcopy(MINI_DATA)
    mutate(data)
    assert set(_codes(data)) == expected


def test_every_rule_is_exercised() -> None:
    covered = set().union(*(c[2] for c in CASES))
    assert {r.code for r in RULES} <= covered


def test_registry_is_well_formed() -> None:
    codes = [code for code, _ in CODE_TABLE]
    assert codes == sorted(set(codes))
    for code, description in CODE_TABLE:
        assert len(code) == 4 and code.startswith("E") and description and "\n" not in description
    for r in RULES:
        assert callable(r.func) and r.description[0].islower()
