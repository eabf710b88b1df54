"""Seed-shaped leaks in the analysis (issue 11): locations that move with the folder, the main
route table of a subnet with no association, arrows with no port."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, variant
from analysis.analyze import analyze
from model.loader import load_model

STARTER = REPO / "archdoc" / "scaffold" / "starter" / "model"


def _report(folder: Path) -> list:
    """Everything the analysis says with locations: findings, intents, one reach answer."""
    a = analyze(load_model(folder))
    r = a.network("prod").reach("user", "db", 5432)
    return ([(f.code, f.message, f.location) for f in a.findings]
            + [(i.id, i.verdict, i.location) for i in a.intents]
            + [(h.node, h.reason, h.location) for h in r.hops] + [(b.code, b.location) for b in r.blockers])


def test_locations_do_not_depend_on_where_the_model_folder_is(tmp_path):
    one, two = tmp_path / "a" / "model", tmp_path / "b" / "c" / "d" / "elsewhere"
    shutil.copytree(STARTER, one)
    shutil.copytree(STARTER, two)
    report = _report(one)
    assert report == _report(two)
    blockers = [x for x in report if x[0] == "SG_INGRESS_DENIED"]
    assert blockers == [("SG_INGRESS_DENIED", "filtering.yaml:20")]  # relative to the model folder


def test_locations_are_relative_to_the_project_wherever_it_is(tmp_path):
    for root in (tmp_path / "x", tmp_path / "y" / "z"):
        shutil.copytree(STARTER, root / "model")
        (root / "archdoc.toml").write_text('model = "model"\n', encoding="utf-8")
    report = _report(tmp_path / "x" / "model")
    assert report == _report(tmp_path / "y" / "z" / "model")
    assert ("SG_INGRESS_DENIED", "model/filtering.yaml:20") in report


def _app_in_c_without_table(tmp: Path, *more):
    """The app runs in app-c only, and app-c has no route table association."""
    return variant(tmp, STARTER, ("filtering.yaml", "subnets: [app-c]", "subnets: []"),
                   ("nodes.yaml", "subnets: [app-a, app-c]", "subnets: [app-c]"), *more)


def test_a_subnet_without_association_uses_the_vpcs_default_main_route_table(tmp_path):
    r = analyze(_app_in_c_without_table(tmp_path)).network("prod").reach("app", "ecr", 443)
    assert (r.verdict, r.codes, r.notes) == ("unreachable", ("NO_ROUTE",),
                                            ("ASSUMED_MAIN_ROUTE_TABLE",))
    assert [(b.node, b.message, b.location) for b in r.blockers] == [
        ("app-c", "ルートテーブル main（VPC vpc のメインルートテーブル） に インターネット（パブリックアドレス） へのルートがない", "places.yaml:32")]


def test_a_main_route_table_the_vpc_names_is_used_and_named(tmp_path):
    loaded = _app_in_c_without_table(tmp_path, ("places.yaml", "    cidr: 10.0.0.0/16\n",
                                                "    cidr: 10.0.0.0/16\n    main_route_table: app-a-rt\n"))
    a = analyze(loaded)
    r = a.network("prod").reach("app", "ecr", 443)
    assert (r.verdict, r.notes) == ("reachable", ("ASSUMED_DEFAULT_NACL",))
    assert [(h.node, h.reason, h.location) for h in r.hops if h.action == "FORWARDED"][0] == (
        "app-c", "ルートテーブル app-a-rt: 0.0.0.0/0 → nat-a", "filtering.yaml:42")
    # the rules see the same table: app-c (AZ c) now leaves through nat-a (AZ a)
    assert [(f.code, f.resources) for f in a.findings] == [("ECS_SERVICE_SINGLE_AZ", ("app", "multi_az")),
                                                          ("NAT_CROSS_AZ_DEPENDENCY", ("nat-a", "app-c"))]


def test_a_main_route_table_of_another_vpc_is_refused(tmp_path):
    import pytest
    from model.errors import ModelError

    with pytest.raises(ModelError) as caught:
        variant(tmp_path, STARTER, ("places.yaml", "    cidr: 10.0.0.0/16\n", "    cidr: 10.0.0.0/16\n"
                                    "    main_route_table: no-such-rt\n"))
    assert [(p.code, p.line) for p in caught.value.problems] == [("E050", 40)]


def test_the_main_route_table_must_be_one_of_the_vpcs_own(tmp_path):
    import pytest
    from model.errors import ModelError

    other_vpc = ("    assumption: a-example-addresses\n", "    assumption: a-example-addresses\n    main_route_table: other-rt\n"
                 "  - {id: other, env: prod, account: prod-account, region: ap-northeast-1, name: Other, role: other, "
                 "role_name: Other, cidr: 10.9.0.0/16}\n")
    other_rt = ("route_tables:\n", "route_tables:\n  - {id: other-rt, vpc: other, name: Other, subnets: []}\n")
    with pytest.raises(ModelError) as caught:
        variant(tmp_path, STARTER, ("places.yaml", *other_vpc), ("filtering.yaml", *other_rt))
    assert [(p.code, p.line, p.message) for p in caught.value.problems] == [
        ("E050", 41, "route table 'other-rt' belongs to VPC 'other', not 'vpc'")]


def _portless_logs(tmp: Path, *more):
    """The app's image-pull arrow drawn with no port (as a logs or metrics arrow usually is)."""
    return variant(tmp, STARTER, ("flows.yaml", "kind: image-pull, protocol: tcp, port: 443,", "kind: logs,"), *more)


def test_an_arrow_without_port_from_an_application_is_checked_on_its_targets_port(tmp_path):
    clean = analyze(_portless_logs(tmp_path / "clean"))
    assert [f.code for f in clean.findings] == []
    no_exit = analyze(_portless_logs(tmp_path / "cut", ("filtering.yaml", "      - {destination: 0.0.0.0/0, target: nat-a}\n", ""),
                                     ("filtering.yaml", "      - {destination: 0.0.0.0/0, target: nat-c}\n", "")))
    flows = [(f.code, f.resources, f.message, f.location) for f in no_exit.findings if f.code == "FLOW_NOT_ADMITTED"]
    assert flows == [("FLOW_NOT_ADMITTED", ("app", "ecr"),
                      "構成図の矢印 app → ecr（tcp/443）を通す経路がない（NO_ROUTE）", "flows.yaml:6")]
    # the matrix shows the same cell blocked
    m = no_exit.matrix("prod")
    column = m.columns.index(("ecr", 443))
    row = next(r for r in m.rows if r.source == "app")
    assert (row.cells[column].verdict, row.cells[column].codes) == ("unreachable", ("NO_ROUTE",))


def test_an_arrow_without_port_from_a_managed_service_is_not_a_packet_of_the_design(tmp_path):
    # an ALB's metrics are delivered by AWS, not through the ALB's network interfaces
    loaded = variant(tmp_path, STARTER, ("flows.yaml", "kind: image-pull, protocol: tcp, port: 443,", "kind: logs,"),
                     ("flows.yaml", "{source: app, target: ecr, kind: logs", "{source: alb, target: ecr, kind: logs"))
    assert [f.code for f in analyze(loaded).findings] == []


def test_a_private_vif_to_a_vgw_names_no_tgw_in_the_alb_note():
    from analysis.paths.reach import Reachability
    from conftest import GOOD, graph_of
    from model.schema import (AlbSpec, DxGatewaySpec, HealthCheck, Listener, Node, Placement, Route, TargetGroup)

    vpn = load_model(GOOD / "patterns" / "vpn-tgw-static").model
    vgw = Node(id="vgw", kind="vgw", label="VGW", at={"net": Placement(vpc="app-vpc")})
    dx = Node(id="dx", kind="dx-gateway", label="DX", at={"net": Placement(region="ap-northeast-1")},
              dx_gateway=DxGatewaySpec(site="datacentre", allowed_prefixes=(), vgws=("vgw",), vif="Private VIF"))
    alb = Node(id="alb", kind="alb", label="ALB", security_groups=("app-sg",),
               at={"net": Placement(subnets=("app-a", "app-c"))},
               alb=AlbSpec(scheme="internet-facing",
                           listeners=(Listener(protocol="HTTPS", port=8443, action="forward", target_groups=("tg",)),),
                           target_groups=(TargetGroup(id="tg", name="tg", path="/", target="app", port=8443),),
                           health_check=HealthCheck(path="/", interval_seconds=30, timeout_seconds=5)))
    nodes = tuple(n for n in vpn.nodes if n.kind.value not in ("vpn-connection", "customer-gateway")) + (vgw, dx, alb)
    model = vpn.model_copy(update={
        "nodes": nodes, "actors": tuple(a.model_copy(update={"via": ("dx",)}) for a in vpn.actors),
        "route_tables": tuple(rt.model_copy(update={"routes": (Route(destination="192.168.0.0/16", target="vgw"),)})
                              for rt in vpn.route_tables),
        "tgw_route_tables": ()})
    r = Reachability(graph_of(model, "net")).reach("operator", "alb", 8443)
    assert [h.reason for h in r.hops if "INTERNET_FACING_ALB_VIA_PRIVATE_IP" in h.reason] == [
        "ALB alb はインターネット向けで、DNS名はパブリックアドレスに解決される。閉域経路（Direct Connect）で接続するには、"
        "ALBノードのプライベートIP（変わりうる）を返すプライベートDNS（Route 53 プライベートホストゾーン等）が必要。"
        "TLS証明書の名前は利用するホスト名に合わせる（INTERNET_FACING_ALB_VIA_PRIVATE_IP）"]
