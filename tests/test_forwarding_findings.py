"""The findings issue 15 adds, each on a minimally modified model (and not where it is fine)."""

from __future__ import annotations

from conftest import GOOD, analysis_of
from model.loader import load_model
from model.schema import Intent, Nacl, NaclRule, SgRule

SEED = load_model().model
INSPECTION = load_model(GOOD / "patterns" / "centralised-inspection").model


def _codes(model, env: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in analysis_of(model).findings_of(env):
        out.setdefault(f.code, []).append(f)
    return out


def _sg_rule(sg_id: str, **rule):
    sgs = tuple(g.model_copy(update={"rules": g.rules + (SgRule(purpose="追加", **rule),)}) if g.id == sg_id else g
                for g in SEED.security_groups)
    return SEED.model_copy(update={"security_groups": sgs})


def test_database_port_open_to_the_world_is_an_error():
    model = _sg_rule("rds-sg", direction="inbound", protocol="tcp", port=1521, cidr="0.0.0.0/0")
    rows = _codes(model, "prod")["DATA_PORT_OPEN_TO_WORLD"]
    assert [(f.severity, f.resources) for f in rows] == [("error", ("rds-sg", "rds", "rds-standby"))]
    assert rows[0].message == ("SG rds-sg のルール「追加」がインターネット全体（0.0.0.0/0）に 1521（Oracle）を開いている"
                               "（rds, rds-standby に付与）")
    # the public ALB's 443 from 0.0.0.0/0 is not a data port: the seed has no such finding
    assert "DATA_PORT_OPEN_TO_WORLD" not in _codes(SEED, "prod")


def test_a_port_ec2_19_names_is_reported_once():
    # PostgreSQL is on Security Hub EC2.19's list: that control reports it, this rule does not repeat it
    codes = _codes(_sg_rule("rds-sg", direction="inbound", protocol="tcp", port=5432, cidr="0.0.0.0/0"), "prod")
    assert "EC2_19_HIGH_RISK_PORT_OPEN" in codes and "DATA_PORT_OPEN_TO_WORLD" not in codes


def test_an_all_ports_rule_names_each_data_port():
    model = _sg_rule("ecs-sg", direction="inbound", protocol="all", cidr="0.0.0.0/0")
    message = _codes(model, "poc")["DATA_PORT_OPEN_TO_WORLD"][0].message
    assert "1521（Oracle）, 5439（Redshift）, 6379（Redis）, 11211（Memcached）, 27017（MongoDB）" in message


def test_an_intent_that_declares_internet_reach_silences_it():
    model = _sg_rule("rds-sg", direction="inbound", protocol="tcp", port=1521, cidr="0.0.0.0/0")
    intent = Intent(id="public-db", env="prod", source="business-user", target="rds", port=1521, expect="reach",
                    statement="公開DB", seed_ref="-", known_violation="テスト")
    model = model.model_copy(update={"intents": model.intents + (intent,)})
    assert "DATA_PORT_OPEN_TO_WORLD" not in _codes(model, "prod")


def test_a_range_no_route_delivers_never_matches():
    model = _sg_rule("rds-sg", direction="inbound", protocol="tcp", port=5432, cidr="172.31.0.0/16")
    rows = [f for f in _codes(model, "prod")["SG_RULE_NEVER_MATCHES"]]
    assert [(f.severity, f.resources) for f in rows] == [("warning", ("rds-sg",))]
    assert rows[0].message == ("SG rds-sg のルール「追加」の送信元 172.31.0.0/16 には、VPC prod-vpc のどのルート・サイト・VPNも"
                               "届かない（このルールは一致しない）")
    # the city hall's range is delivered by Direct Connect over the TGW: not reported
    model = _sg_rule("rds-sg", direction="inbound", protocol="tcp", port=5432, cidr="192.168.10.0/24")
    assert "SG_RULE_NEVER_MATCHES" not in _codes(model, "prod")


def test_nacl_rule_never_matches():
    acl = Nacl(id="db-acl", vpc="prod-vpc", subnets=("prod-private-db-1",), rules=(
        NaclRule(number=100, direction="inbound", protocol="tcp", port=5432, cidr="10.1.0.0/16", action="allow"),
        NaclRule(number=110, direction="inbound", protocol="tcp", port=5432, cidr="172.31.0.0/16", action="allow")))
    rows = _codes(SEED.model_copy(update={"nacls": (acl,)}), "prod")["NACL_RULE_NEVER_MATCHES"]
    assert [f.message for f in rows] == ["NACL db-acl のルール 110（inbound 172.31.0.0/16）の範囲には、VPC prod-vpc の"
                                         "どのルート・サイト・VPNも届かない（一致しないルール）"]


def test_appliance_mode_off_on_an_inspection_attachment():
    assert "TGW_APPLIANCE_MODE_DISABLED" not in _codes(INSPECTION, "net")
    nodes = tuple(n.model_copy(update={"tgw_attachment": None}) if n.id == "inspection-att" else n
                  for n in INSPECTION.nodes)
    rows = _codes(INSPECTION.model_copy(update={"nodes": nodes}), "net")["TGW_APPLIANCE_MODE_DISABLED"]
    assert [(f.severity, f.resources) for f in rows] == [("warning", ("inspection-att", "fw"))]
