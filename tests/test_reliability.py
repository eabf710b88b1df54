"""Reliability basics on any design: each rule fires on one edit of a clean model and is silent on it.

The clean model is the starter archdoc init writes (one production environment over two
AZs, one NAT gateway per AZ, an HTTPS load balancer, a Multi-AZ database): it has no findings.
"""

from __future__ import annotations

import pytest

from conftest import REPO, analysis_of
from model.loader import load_model

STARTER = REPO / "archdoc" / "scaffold" / "starter" / "model"


@pytest.fixture(scope="module")
def starter():
    return load_model(STARTER).model


def _codes(model) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.resources) for f in analysis_of(model).findings]


def test_the_starter_is_clean(starter):
    assert _codes(starter) == []


def _one_nat(starter):
    """Both app subnets leave through nat-a (AZ a)."""
    tables = tuple(rt.model_copy(update={"routes": tuple(r.model_copy(update={"target": "nat-a"})
                                                          if r.target == "nat-c" else r for r in rt.routes)})
                   for rt in starter.route_tables)
    return starter.model_copy(update={"route_tables": tables})


def test_a_nat_gateway_used_across_azs_is_a_warning_naming_the_subnets(starter):
    rows = [f for f in analysis_of(_one_nat(starter)).findings if f.code == "NAT_CROSS_AZ_DEPENDENCY"]
    assert [(f.severity, f.resources, f.message) for f in rows] == [(
        "warning", ("nat-a", "app-c"),
        "nat-a（ap-northeast-1a）を ap-northeast-1c のサブネット app-c がインターネットへの出口（0.0.0.0/0）に使っている。"
        "ap-northeast-1a の障害でこれらのサブネットはインターネットに出られなくなり、AZ間の通信料金もかかる")]


def test_declaring_that_an_az_loss_may_stop_the_service_silences_it(starter):
    from model.schema import Flag

    model = _one_nat(starter)
    env = model.environments[0]
    reqs = env.requirements.model_copy(update={"survive_az_loss": Flag(
        value=False, statement="検証用のためAZ障害は許容", seed_ref="x")})
    model = model.model_copy(update={"environments": (env.model_copy(update={"requirements": reqs}),)})
    assert [f for f in analysis_of(model).findings if f.code == "NAT_CROSS_AZ_DEPENDENCY"] == []


def _with_node(model, node_id: str, **update):
    nodes = tuple(n.model_copy(update=update) if n.id == node_id else n for n in model.nodes)
    return model.model_copy(update={"nodes": nodes})


def test_an_internet_facing_load_balancer_without_https_is_a_warning(starter):
    alb = next(n for n in starter.nodes if n.id == "alb")
    http_only = alb.alb.model_copy(update={"listeners": (alb.alb.listeners[1].model_copy(
        update={"protocol": "HTTP", "port": 80}),)})
    codes = _codes(_with_node(starter, "alb", alb=http_only))
    assert ("ALB_NO_HTTPS_LISTENER", ("alb",)) in codes
    internal = http_only.model_copy(update={"scheme": "internal"})
    assert ("ALB_NO_HTTPS_LISTENER", ("alb",)) not in _codes(_with_node(starter, "alb", alb=internal))


def test_a_production_environment_is_held_to_multi_az_where_its_document_is_silent(starter):
    db = next(n for n in starter.nodes if n.id == "db")
    single = {env: p.model_copy(update={"rds": p.rds.model_copy(update={"multi_az": False})}) for env, p in db.at.items()}
    assert ("RDS_5_MULTI_AZ", ("db", "multi_az")) in _codes(_with_node(starter, "db", at=single))
    app = next(n for n in starter.nodes if n.id == "app")
    one_az = {env: p.model_copy(update={"subnets": ("app-a",)}) for env, p in app.at.items()}
    assert ("ECS_SERVICE_SINGLE_AZ", ("app", "multi_az")) in _codes(_with_node(starter, "app", at=one_az))
    # the same design marked as a verification environment: no Multi-AZ baseline
    env = starter.environments[0].model_copy(update={"role": "verification"})
    verification = _with_node(starter, "db", at=single).model_copy(update={"environments": (env,)})
    assert [c for c in _codes(verification) if c[0] in ("RDS_5_MULTI_AZ", "ECS_SERVICE_SINGLE_AZ")] == []


# ------------------------------------------------------------------ one root cause, one set of findings

def _app_sg_rule(starter, index: int, **update):
    sgs = tuple(sg.model_copy(update={"rules": tuple(r.model_copy(update=update) if i == index else r
                                                     for i, r in enumerate(sg.rules))}) if sg.id == "app-sg" else sg
                for sg in starter.security_groups)
    return starter.model_copy(update={"security_groups": sgs})


def test_a_target_port_the_target_sg_does_not_admit_is_not_blamed_on_the_listener(starter):
    """The app SG admits 8000 while the target group sends 8080: the balancer reaches no target.
    The client's connection still ends at the balancer (it answers 503), so its listener, the
    arrow to it and the SG rule that lets the client in are not reported; the target side is."""
    model = _app_sg_rule(starter, 0, port=8000)
    assert sorted(_codes(model)) == [
        ("ALB_TARGET_NOT_ADMITTED", ("alb", "app-tg", "app")),
        ("FLOW_NOT_ADMITTED", ("alb", "app")),
        ("INTENT_VIOLATED", ("user-alb-https", "user", "alb")),
        ("SG_RULE_UNUSED", ("alb-sg",)),
        ("SG_RULE_UNUSED", ("app-sg",)),
    ]
    unused = [f.message for f in analysis_of(model).findings if f.code == "SG_RULE_UNUSED"]
    assert [m.split("「")[1].split("」")[0] for m in unused] == ["to the application", "from the load balancer"]


def test_a_rule_that_covers_a_used_rule_is_not_unused(starter):
    """A second rule from anywhere admitting the app's traffic to the database: the narrower one
    is shadowed, the wider one is used (acting on both findings must not break app → db)."""
    dbsg = next(sg for sg in starter.security_groups if sg.id == "db-sg")
    wide = dbsg.rules[0].model_copy(update={"sg": None, "cidr": "0.0.0.0/0", "purpose": "from anywhere"})
    sgs = tuple(sg.model_copy(update={"rules": (*sg.rules, wide)}) if sg.id == "db-sg" else sg
                for sg in starter.security_groups)
    codes = _codes(starter.model_copy(update={"security_groups": sgs}))
    assert codes == [("EC2_19_HIGH_RISK_PORT_OPEN", ("db-sg",)), ("SG_RULE_SHADOWED", ("db-sg",))]


def test_a_nacl_that_admits_part_of_the_reply_ports_is_a_warning_once_per_flow(starter):
    """The DB subnets' NACL lets replies out on 49152-65535 only: the app (Linux, 32768-60999)
    connects only when it picks a port above 49151. The arrow app → db and the intent app-db
    are one question: one finding, located at the NACL, naming the allowed span."""
    from model.schema import Nacl, NaclRule

    acl = Nacl(id="db-nacl", vpc="vpc", subnets=("db-a", "db-c"), rules=(
        NaclRule(number=100, direction="inbound", protocol="tcp", port=5432, cidr="10.0.0.0/16", action="allow"),
        NaclRule(number=100, direction="outbound", protocol="tcp", port={"from": 49152, "to": 65535},
                 cidr="10.0.0.0/16", action="allow")))
    found = [f for f in analysis_of(starter.model_copy(update={"nacls": (acl,)})).findings]
    assert [(f.code, f.severity, f.resources) for f in found] == [
        ("NACL_REPLY_PORTS_PARTIAL", "warning", ("app", "db", "db-a"))]
    assert found[0].message.startswith("app → db（tcp/5432）は一部の接続だけが成立する: ")
    assert "49152-60999" in found[0].message
