"""Shapes beyond the city's (issue 11, part 3): managed-service kinds in the reachability
analysis, database ports, icons by engine, placements in several subnets, one region box
per account, several environments in one account, optional seed-shaped fields, and the
diagram words in English. Each test mutates the mini model in memory."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from analysis.graph.build import build_graph
from analysis.paths.reach import Reachability
from model import i18n
from model.index import ModelIndex
from model.loader import load_located
from model.schema import View
from model.yaml import Located, Locations
from render.diagrams.select import select_view
from tests.test_rules import MINI, MINI_DATA, _item, _two_envs_one_account

REGIONAL = {"account": "live-account", "region": "ap-northeast-1"}


def _load(data):
    return load_located(MINI, [Located(str(MINI / "mini.yaml"), data, Locations())])


def _mini(mutate=None):
    data = copy.deepcopy(MINI_DATA)
    if mutate:
        mutate(data)
    return data


def _view(ix, **fields) -> View:
    base = {"id": "t", "title": "T", "section": "9", "envs": ["live"],
            "nesting": ["account", "region", "vpc", "az", "subnet"]}
    return View.model_validate({**base, **fields})


# ---------------------------------------------------------------- database ports

def _db_on(port: int, sg_port: int):
    """The live database listening on ``port``; the SGs admit ``sg_port`` from the app."""
    def mutate(d):
        d["nodes"][[n["id"] for n in d["nodes"]].index("db")]["at"]["live"]["rds"]["port"] = port
        for sg, j in (("app-sg", 1), ("db-sg", 0)):
            _item(d, "security_groups", sg)["rules"][j]["port"] = sg_port
    return mutate


def test_a_database_on_another_port_is_not_listening():
    loaded = _load(_mini(_db_on(5433, 5432)))
    r = Reachability(build_graph(loaded, "live")).reach("app", "db", 5432)
    assert (r.verdict, r.codes) == ("unreachable", ("PORT_NOT_LISTENING",))
    assert r.blockers[0].message == "db は 5433 で待ち受ける（5432 への接続は拒否される）"
    with i18n.language("en"):
        r = Reachability(build_graph(loaded, "live")).reach("app", "db", 5432)
        assert r.blockers[0].message == "db listens on 5433 (a connection to 5432 is refused)"


def test_a_database_on_its_port_is_reached():
    r = Reachability(build_graph(_load(_mini(_db_on(5433, 5433))), "live")).reach("app", "db", 5433)
    assert (r.verdict, r.codes) == ("reachable", ())


@pytest.mark.parametrize("engine, port", [("MySQL", 3306), ("MariaDB", 3306), ("Oracle SE2", 1521),
                                          ("SQL Server Express", 1433), ("PostgreSQL", 5432)])
def test_rds_listens_on_its_engines_default_port(engine, port):
    def mutate(d):
        db = _item(d, "nodes", "db")
        db["label"] = "RDS"
        db["at"]["live"]["rds"]["engine"] = engine
    ix = ModelIndex(_load(_mini(mutate)).model)
    assert ix.placement("db", "live").rds.listen_port() == port


def test_the_matrix_knows_the_port_a_database_listens_on():
    from analysis.paths.allpairs import all_pairs  # noqa: F401  (the matrix decides ports from recordings)
    from analysis.paths.pairpaths import PairPaths

    eg = build_graph(_load(_mini(_db_on(5433, 5432))), "live")
    pp = PairPaths(eg)
    path = pp.path(eg.enis["app"][0], eg.enis["db"][0], "private")
    assert path.ok and [c[0] for c in path.checks if c[0] == "listen"] == ["listen"]
    assert not pp.passes(path, 5432, (32768, 60999)) and pp.passes(path, 5433, (32768, 60999))


# ---------------------------------------------------------------- managed services

def _serverless(d):
    d["security_groups"] += [
        {"id": "fn-sg", "name": "fn", "envs": ["live"], "rules": [
            {"direction": "outbound", "protocol": "tcp", "port": 2049, "sg": "efs-sg", "purpose": "NFS"},
            {"direction": "outbound", "protocol": "tcp", "port": 443, "cidr": "0.0.0.0/0", "purpose": "HTTPS"}]},
        {"id": "efs-sg", "name": "efs", "envs": ["live"], "rules": [
            {"direction": "inbound", "protocol": "tcp", "port": 2049, "sg": "fn-sg", "purpose": "NFS"}]},
    ]
    d["nodes"] += [
        {"id": "fn", "kind": "lambda", "label": "Function", "security_groups": ["fn-sg"],
         "at": {"live": {"subnets": ["live-app-a", "live-app-c"]}},
         "function": {"runtime": "python3.12", "memory_mb": 256, "timeout_seconds": 5}},
        {"id": "files", "kind": "efs", "label": "Files", "security_groups": ["efs-sg"],
         "at": {"live": {"subnets": ["live-app-a", "live-app-c"]}}},
        {"id": "table", "kind": "dynamodb", "label": "Table", "at": {"live": REGIONAL},
         "dynamodb": {"billing_mode": "on-demand"}},
        {"id": "queue", "kind": "sqs", "label": "Queue", "at": {"live": REGIONAL}},
        {"id": "api", "kind": "api-gateway", "label": "API", "at": {"live": REGIONAL},
         "api_gateway": {"type": "http", "integrations": ["fn"]}},
        {"id": "cdn", "kind": "cloudfront", "label": "CDN", "at": {"live": REGIONAL},
         "cloudfront": {"origins": ["api"]}},
    ]


@pytest.mark.parametrize("source, target, port, verdict, codes", [
    ("fn", "files", 2049, "reachable", ()),               # EFS mount target ENIs with their SG
    ("fn", "files", 111, "unreachable", ("SG_EGRESS_DENIED", "SG_INGRESS_DENIED", "PORT_NOT_LISTENING")),
    ("fn", "table", 443, "reachable", ()),                # a regional endpoint through NAT
    ("fn", "queue", 443, "reachable", ()),
    ("citizen", "cdn", 443, "reachable", ()),             # front doors answer HTTPS
    ("citizen", "api", 443, "reachable", ()),
    ("citizen", "fn", 443, "reachable", ()),              # the Lambda Invoke API (IAM decides)
    ("citizen", "api", 8443, "unreachable", ("SERVICE_PORT_RESTRICTION",)),
    ("citizen", "files", 2049, "unreachable", ("NO_PUBLIC_ADDRESS", "SG_INGRESS_DENIED", "NO_RETURN_PATH")),
])
def test_managed_services_in_the_reachability_analysis(source, target, port, verdict, codes):
    r = Reachability(build_graph(_load(_mini(_serverless)), "live")).reach(source, target, port)
    assert (r.verdict, r.codes) == (verdict, codes)


def test_a_lambda_outside_a_vpc_is_a_target_not_a_source():
    q = Reachability(build_graph(_load(_mini(_serverless)), "live"))
    assert "fn" in q.sources and "api" not in q.sources and "cdn" not in q.sources
    assert {"fn", "table", "queue", "api", "cdn", "files"} <= set(q.targets)


def test_a_vpc_lambda_is_no_internet_exposure():
    from analysis.analyze import analyze
    findings = analyze(_load(_mini(_serverless))).findings
    assert [f.resources for f in findings if f.code == "INTERNET_EXPOSED_UNINTENDED" and "fn" in f.resources] == []


# ---------------------------------------------------------------- diagrams

def _icons(data, env="live"):
    ix = ModelIndex(_load(data).model)
    return {n.id: n.icon for n in select_view(ix, _view(ix, envs=[env])).nodes}


def test_icons_follow_the_engine():
    def mutate(d):
        db = _item(d, "nodes", "db")
        db["label"] = "RDS"
        db["at"]["live"]["rds"]["engine"] = "MySQL"
        d["nodes"] += [
            {"id": "cache", "kind": "elasticache", "label": "Cache", "at": {"live": {"subnets": ["live-db-a"],
             "elasticache": {"engine": "memcached", "node_type": "cache.t4g.small", "subnet_group": ["live-db-a"]}}}},
            {"id": "cluster", "kind": "aurora", "label": "Aurora", "at": {"live": {"subnets": ["live-db-c"],
             "aurora": {"engine": "aurora-mysql", "engine_version": "3", "instance_class": "db.r7g.large",
                        "subnet_group": ["live-db-a", "live-db-c"]}}}},
        ]
    icons = _icons(_mini(mutate))
    assert (icons["db"], icons["cache"], icons["cluster"]) == (
        "aws/database/rds-mysql-instance.png", "aws/database/elasticache-for-memcached.png", "aws/database/aurora.png")
    assert _icons(_mini())["db"] == "aws/database/rds-postgresql-instance.png"


def test_new_kinds_have_their_icons():
    icons = _icons(_mini(_serverless))
    assert [icons[n] for n in ("fn", "files", "table", "queue", "api", "cdn")] == [
        "aws/compute/lambda.png", "aws/storage/elastic-file-system-efs.png", "aws/database/dynamodb.png",
        "aws/integration/simple-queue-service-sqs.png", "aws/network/api-gateway.png", "aws/network/cloudfront.png"]


def test_a_node_in_several_subnets_is_marked_in_each():
    ix = ModelIndex(_load(_mini()).model)
    spec = select_view(ix, _view(ix, collapse_parts=False))
    marks = [(n.id, n.box, n.label) for n in spec.nodes if n.kind == "eni"]
    assert marks == [
        ("alb~live-public-a", "subnet-live-public-a", "ENI"),
        ("alb~live-public-c", "subnet-live-public-c", "ENI"),
        ("db~live-db-a", "subnet-live-db-a", "ENI"),
        ("db~live-db-c", "subnet-live-db-c", "ENI"),
    ]
    assert [(e.src, e.dst) for e in spec.edges if e.placement] == [(m[0].split("~")[0], m[0]) for m in marks]
    placed = {s for n in ix.nodes_in("live") for s in n.at["live"].subnets}
    assert placed <= {b.id.removeprefix("subnet-") for b in spec.boxes if b.id.startswith("subnet-")}
    assert spec.legend[-1].label == "点線（矢印なし）: 各サブネットのENI"
    plain = select_view(ix, _view(ix, collapse_parts=False, show_placements=False))
    assert not [n for n in plain.nodes if n.kind == "eni"] and not [e for e in plain.edges if e.placement]


def test_regional_services_share_their_accounts_region_box():
    ix = ModelIndex(_load(_mini()).model)   # ECR and CloudWatch Logs name a region, no account
    spec = select_view(ix, _view(ix))
    regions = [b for b in spec.boxes if b.kind == "region"]
    assert [(b.id, b.parent) for b in regions] == [("account-live-account.ap-northeast-1", "account-live-account")]
    assert {n.box for n in spec.nodes if n.id in ("ecr", "logs")} == {regions[0].id}


def test_a_peering_connection_without_a_placement_is_drawn_in_its_requesters_region():
    """pcx-1 and pcx-2 say nothing of where they are: they are the hub VPC's resources, so they
    are drawn in its account's region box, not at the top level beside the internet's actors."""
    from conftest import GOOD
    from model.loader import load_model

    ix = ModelIndex(load_model(GOOD / "patterns" / "hub-spoke-peering").model)
    spec = select_view(ix, View.model_validate({"id": "t", "title": "T", "section": "9", "envs": ["net"],
                                                "nesting": ["account", "region", "vpc", "az", "subnet"]}))
    assert {n.id: n.box for n in spec.nodes if n.id.startswith("pcx")} == {
        "pcx-1": "account-acct.ap-northeast-1", "pcx-2": "account-acct.ap-northeast-1"}


def test_a_tgw_attachment_in_subnets_of_its_own_is_marked_in_them():
    """The egress VPC's attachment has its own /28 subnets (AWS's recommendation): they are drawn,
    with its mark in each; the attachment itself stays at the VPC's level. The city's attachments
    share their subnets with the ECS tasks and get no mark (an uncluttered picture)."""
    from conftest import GOOD
    from model.loader import load_model

    ix = ModelIndex(load_model(GOOD / "patterns" / "centralised-egress").model)
    spec = select_view(ix, View.model_validate({"id": "t", "title": "T", "section": "9", "envs": ["net"],
                                                "nesting": ["account", "region", "vpc", "az", "subnet"]}))
    nodes = {n.id: n.box for n in spec.nodes}
    assert (nodes["egress-att"], nodes["egress-att~egress-tgw-a"], nodes["egress-att~egress-tgw-c"]) == (
        "vpc-egress-vpc", "subnet-egress-tgw-a", "subnet-egress-tgw-c")
    city = ModelIndex(load_model().model)
    overview = select_view(city, next(v for v in city.model.views if v.id == "prod-network"))
    assert not [n for n in overview.nodes if n.kind == "eni" and n.id.startswith("tgw-attach")]


def test_actors_no_arrow_reaches_are_not_drawn():
    """A view of the databases draws no users, and no empty internet box for them."""
    ix = ModelIndex(_load(_mini()).model)
    spec = select_view(ix, _view(ix, node_kinds=["rds"], nesting=["site", "account", "region", "vpc"]))
    assert [n.id for n in spec.nodes if n.kind == "actor"] == []
    assert [b.id for b in spec.boxes if b.id.startswith("site-")] == []
    full = select_view(ix, _view(ix, nesting=["site", "account", "region", "vpc"]))
    assert [(n.id, n.box) for n in full.nodes if n.kind == "actor"] == [("citizen", "site-internet")]
    assert "site-internet" in [b.id for b in full.boxes]


def test_two_environments_in_one_account():
    ix = ModelIndex(_load(_mini(_two_envs_one_account)).model)
    spec = select_view(ix, _view(ix, envs=["stg", "live"], nesting=["account", "region", "vpc"]))
    assert [b.id for b in spec.boxes if b.kind in ("account", "region", "vpc")] == [
        "account-stg-account", "account-stg-account.ap-northeast-1", "vpc-stg-vpc", "vpc-live-vpc"]


def test_diagram_words_in_english():
    from render.diagrams.dot import to_dot
    ix = ModelIndex(_load(_mini()).model)
    with i18n.language("en"):
        spec = select_view(ix, _view(ix))
        assert [e.label for e in spec.legend] == [
            "Solid line: traffic and data flow", "Dashed line: image pull, logs",
            "Dotted line (no arrow): ENI in each subnet"]
        assert spec.node("db~live-db-a").label == "ENI"
        assert 'label="Legend"' in to_dot(spec)


# ---------------------------------------------------------------- optional seed-shaped fields

def test_seed_shaped_fields_are_optional():
    def mutate(d):
        for e in d["environments"]:
            for key in ("short", "section", "role"):
                e.pop(key)
        for v in d["vpcs"]:
            v.pop("role"), v.pop("role_name")
        for g in d["security_groups"]:
            g.pop("section")
        for a in d["actors"]:
            a.pop("persona"), a.pop("persona_label")
        for i in d["intents"]:
            i.pop("seed_ref")
    m = _load(_mini(mutate)).model
    assert [(e.id, e.short, e.section, e.role) for e in m.environments] == [
        ("stg", "ステージング環境", 1, "production"), ("live", "本番環境", 2, "production")]
    assert [(v.role, v.role_name) for v in m.vpcs] == [("stg-vpc", "stg-vpc"), ("live-vpc", "live-vpc")]
    assert {g.section for g in m.security_groups} == {"-"}
    assert [(a.persona, a.persona_label) for a in m.actors] == [("citizen", "市民"), ("tester", "テスト担当者")]
    assert {i.seed_ref for i in m.intents} == {"-"}


def test_an_environment_without_section_takes_the_first_free_number():
    def mutate(d):
        d["environments"][0].pop("section")   # live keeps 2; stg takes 1
        d["environments"][1]["section"] = 1   # ... unless 1 is taken
    m = _load(_mini(mutate)).model
    assert [(e.id, e.section) for e in m.environments] == [("stg", 2), ("live", 1)]


def test_the_schema_reference_carries_no_seed_text():
    import re
    text = "\n".join(p.read_text(encoding="utf-8") for p in Path("model/schema").glob("*.py")
                     if p.name != "document.py")
    assert not re.search(r"section \d|\bPOC\b|the seed|\bcity\b|市職員|table 3\.x|東京|大阪", text)


def test_a_flow_to_a_database_on_another_port_is_reported():
    from analysis.analyze import analyze
    findings = analyze(_load(_mini(_db_on(5433, 5432)))).findings
    assert [(f.env, f.code, f.resources) for f in findings if f.code == "FLOW_NOT_ADMITTED"] == [
        ("live", "FLOW_NOT_ADMITTED", ("app", "db"))]
    assert "PORT_NOT_LISTENING" in next(f.message for f in findings if f.code == "FLOW_NOT_ADMITTED")
