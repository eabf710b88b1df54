"""Requirements as model facts: the schema, the checks row by row, the city's promises, the pages.

The firing case of every code is in ``tests/test_controls.py``; here: what a row says (kept,
broken, not decidable, both lines), how a component's own requirement replaces the
environment's, how a declared relaxation silences an AWS baseline, the city model's
requirements as the seed states them, and the pages that show them.
"""

from __future__ import annotations

import typing

import pytest

from analysis.requirements import CHECKS
from analysis.review.requirements import REQUIREMENT_CODES
from conftest import MINI, PROMISES, REPO, analysis_of, variant
from model.i18n import language
from model.loader import load_model
from model.errors import ModelError
from model.index import ModelIndex
from model.migration import migration_rows
from model.schema import Requirements, Subnet, Tier
from render.pages import render_pages
from render.pages.components import component_sections

REQ_CODES = {c[0] for c in REQUIREMENT_CODES}


# ------------------------------------------------------------------ schema and validation

def test_tiers_are_the_subnet_tiers_and_every_key_has_a_check():
    assert typing.get_args(Tier) == typing.get_args(Subnet.model_fields["tier"].annotation)
    assert list(CHECKS) == list(Requirements.model_fields)
    assert {c for chk in CHECKS.values() for c in chk.codes} == REQ_CODES


def test_requirement_references_are_checked_with_did_you_mean(tmp_path):
    with pytest.raises(ModelError) as e:
        variant(tmp_path, PROMISES, ("10-places.yaml", "dr: {region: ap-northeast-3", "dr: {region: ap-northeast-33"),
                ("10-places.yaml", "must_not_reach: {envs: [stg]", "must_not_reach: {envs: [stag]"))
    got = [(p.line, p.col, p.code, p.message) for p in e.value.problems]
    assert got == [(25, 20, "E050", "unknown region 'ap-northeast-33' (did you mean 'ap-northeast-3'?)"),
                   (30, 31, "E050", "unknown environment 'stag' (did you mean 'stg'?)")]


# ------------------------------------------------------------------ rows

def test_a_row_points_at_the_promise_and_at_the_configuration(tmp_path):
    a = analysis_of(variant(tmp_path, PROMISES, ("30-nodes.yaml", "backup_retention_days: 7", "backup_retention_days: 3")))
    row = next(r for r in a.requirements_of("live") if r.key == "backup_retention_days")
    shown = ""  # a model folder outside any project: locations name its files
    assert (row.component, row.status, row.expected, row.statement, row.seed_ref, row.reason, row.code) == (
        "db", "broken", "7日以上", "バックアップは7日間", "2.3", "db のバックアップ保持が 3日（7日未満）",
        "RDS_11_BACKUP_RETENTION")
    assert row.requirement_location == shown + "10-places.yaml:22"
    assert row.config_location == shown + "30-nodes.yaml:98"


def test_a_components_own_requirement_replaces_the_environments(tmp_path):
    edits = [("30-nodes.yaml", "        subnets: [live-app-a, live-app-c]\n",
              "        subnets: [live-app-c]\n        requirements:\n"
              "          multi_az: {value: false, statement: アプリは単一AZでよい, seed_ref: \"2.9\"}\n")]
    a = analysis_of(variant(tmp_path, PROMISES, *edits))
    rows = {(r.key, r.component): r for r in a.requirements_of("live")}
    app, db = rows[("multi_az", "app")], rows[("multi_az", "db")]
    assert (app.status, app.expected, app.statement) == ("kept", "不要", "アプリは単一AZでよい")
    assert app.requirement_location == "30-nodes.yaml:69"
    assert (db.status, db.statement) == ("kept", "本番はMulti-AZ")
    # the environment's other requirements still apply to the component
    assert rows[("survive_az_loss", "app")].code == "AZ_SINGLE_POINT_OF_FAILURE"
    assert [f.code for f in a.findings] == ["AZ_SINGLE_POINT_OF_FAILURE"]


def test_egress_of_a_component_replaces_the_tier_policy_for_it(tmp_path):
    edits = [("20-filtering.yaml", "      - {direction: inbound, protocol: tcp, port: 5432, sg: app-sg, purpose: アプリからのDB接続}\n",
              "      - {direction: inbound, protocol: tcp, port: 5432, sg: app-sg, purpose: アプリからのDB接続}\n"
              "      - {direction: outbound, protocol: tcp, port: 5432, cidr: 10.20.0.0/16, purpose: レプリケーション}\n"),
             ("30-nodes.yaml", "        subnets: [live-db-a, live-db-c]\n",
              "        subnets: [live-db-a, live-db-c]\n        requirements:\n          egress:\n"
              "            - {tier: private-db, allow: vpc, statement: DBはVPC内にだけ送る, seed_ref: \"3.4\"}\n")]
    a = analysis_of(variant(tmp_path, PROMISES, *edits))
    egress = [(r.component, r.status, r.expected) for r in a.requirements_of("live") if r.key == "egress"]
    assert egress == [("app", "kept", "private-app: インターネット可（外部へは 443 のみ）"),
                      ("db", "kept", "private-db: VPC内のみ")]
    assert not [f for f in a.findings if f.code in REQ_CODES]


def test_rto_is_never_decidable_and_says_why(tmp_path):
    a = analysis_of(variant(tmp_path, PROMISES))
    rto = [r for r in a.requirements_of("live") if r.key == "rto"]
    assert [(r.component, r.status, r.expected, r.reason) for r in rto] == [
        ("", "not-decidable", "4時間以内", "復旧時間は設計モデルから決まらない（復元・切替の手順と所要時間による）")]


# ------------------------------------------------------------------ baselines and declared relaxations

def test_rds_baselines_apply_where_nothing_is_stated_and_a_declaration_silences_them(mini, tmp_path):
    # the mini model's staging keeps 1 day of backups and says so: RDS.11's baseline is silent
    assert not [f for f in analysis_of(mini).findings if f.code in REQ_CODES]
    undeclared = variant(tmp_path, MINI, ("10-places.yaml",
                                          "    requirements:\n      backup_retention_days: {value: 1, statement: "
                                          "ステージングのDBバックアップは1日分でよい, seed_ref: mini}\n", ""))
    found = [(f.env, f.code, f.message) for f in analysis_of(undeclared).findings if f.code in REQ_CODES]
    assert found == [("stg", "RDS_11_BACKUP_RETENTION", "db: db のバックアップ保持が 1日（7日未満）"
                      "（AWS Security Hub RDS.11: 自動バックアップを保持期間7日以上で有効にする）")]
    a = analysis_of(undeclared)
    assert not [r for r in a.requirements if r.env == "stg"]  # baselines are not the document's requirements
    assert [r.declared for r in a.requirement_checks if r.env == "stg" and r.status == "broken"] == [False]


def test_the_seed_poc_declares_no_encryption_so_rds3_is_silent_there(seed, seed_analysis):
    assert not [f for f in seed_analysis.findings if f.code == "RDS_3_ENCRYPTION_AT_REST"]
    poc = next(e for e in seed.model.environments if e.id == "poc")
    bare = poc.model_copy(update={"requirements": Requirements()})
    m = seed.model.model_copy(update={"environments": tuple(bare if e.id == "poc" else e
                                                            for e in seed.model.environments)})
    found = [(f.env, f.code, f.resources) for f in analysis_of(m).findings if f.code in REQ_CODES]
    assert found == [("poc", "RDS_3_ENCRYPTION_AT_REST", ("rds", "encryption_at_rest")),
                     ("prod", "DR_COPY_MISSING", ("s3", "dr"))]


def test_a_world_open_port_an_intent_declares_is_not_reported(tmp_path):
    rule = ("20-filtering.yaml", "      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS}\n",
            "      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS}\n"
            "      - {direction: inbound, protocol: tcp, port: 8443, cidr: 0.0.0.0/0, purpose: 管理画面}\n")
    intent = ("40-flows.yaml", "intents:\n", "intents:\n  - {id: admin, env: live, source: citizen, target: alb, "
              "port: 8443, expect: reach, statement: 管理画面は公開, seed_ref: mini}\n")
    found = [(f.env, f.code) for f in analysis_of(variant(tmp_path, PROMISES, rule, intent)).findings
             if f.code.startswith("EC2_")]
    assert found == [("stg", "EC2_18_UNRESTRICTED_PORT")]  # declared in live only


# ------------------------------------------------------------------ the city model

def test_the_city_requirements_as_the_seed_states_them(seed_analysis):
    rows = seed_analysis.requirements
    assert {r.env for r in rows} == {"poc", "prod"}
    assert [(r.env, r.key, r.component, r.code) for r in rows if r.status == "broken"] == [
        ("prod", "dr", "s3", "DR_COPY_MISSING")]
    assert [(r.env, r.key, r.component) for r in rows if r.status == "not-decidable"] == [
        ("prod", "encryption_at_rest", "s3"), ("prod", "encryption_at_rest", "s3-dr")]
    keys = {e: [k for k in CHECKS if any(r.env == e and r.key == k for r in rows)] for e in ("poc", "prod")}
    assert keys == {"poc": ["multi_az", "min_tasks_per_service", "autoscaling", "encryption_at_rest",
                            "backup_retention_days", "egress"],
                    "prod": ["multi_az", "min_tasks_per_service", "autoscaling", "encryption_at_rest",
                             "backup_retention_days", "dr", "egress", "alarms_notify", "must_not_reach"]}
    dr = next(r for r in rows if r.key == "dr" and r.component == "s3")
    assert (dr.statement, dr.seed_ref, dr.requirement_location, dr.config_location) == (
        "DR対応: 大阪リージョンにスナップショットコピー（日次コピー）", "2.2, 8", "model/data/prod.yaml:25",
        "model/data/nodes.yaml:236")
    assert dr.reason == "s3 の大阪リージョンへのコピーがない（一部 s3-backup のみコピーされる）"


def test_the_city_findings_report_exactly_the_broken_requirements(seed_analysis):
    assert [(f.env, f.code, f.resources) for f in seed_analysis.findings if f.code in REQ_CODES] == [
        ("prod", "DR_COPY_MISSING", ("s3", "dr"))]


# ------------------------------------------------------------------ pages

def test_requirements_page_lists_broken_first_with_both_lines(seed, seed_analysis):
    page = render_pages(seed, seed_analysis)["requirements.md"]
    assert page.startswith("# 要件の確認（設計書の約束と構成）\n")
    assert "## POC環境\n\n満たす 15 件、満たさない 0 件、判定不能 0 件。" in page
    assert "## 本番環境\n\n満たす 18 件、満たさない 1 件、判定不能 2 件。" in page
    prod = page[page.index("## 本番環境"):]
    first = prod.split("|---|---|---|---|---|---|\n")[1].splitlines()[0]
    assert first == ('| <span class="nb">✗ 満たさない</span> | DRコピー: <span class="nb">ap-northeast-3</span>へ日次でコピー'
                     ' | Amazon S3 PDF + Backup（s3） | DR対応: 大阪リージョンにスナップショットコピー（日次コピー）（2.2, 8） | '
                     's3 の大阪リージョンへのコピーがない（一部 <span class="nb">s3-backup</span> のみコピーされる）'
                     '［DR\\_COPY\\_MISSING］ | 要件 <span class="nb">model/data/prod.yaml:25</span><br>構成 '
                     '<span class="nb">model/data/nodes.yaml:236</span> |')


def test_migration_summary_rows_name_the_component_that_differs(seed):
    m = seed.model
    backend = next(n for n in m.nodes if n.id == "backend")
    prod = backend.at["prod"]
    changed = backend.model_copy(update={"at": {**backend.at, "prod": prod.model_copy(
        update={"fargate": prod.fargate.model_copy(update={"autoscaling": False})})}})
    ix = ModelIndex(m.model_copy(update={"nodes": tuple(changed if n.id == "backend" else n for n in m.nodes)}))
    rows = {r.item: (r.before, r.after) for r in migration_rows(ix, "poc", "prod")}
    assert rows["ECS Auto Scaling"] == ("無効", "ECS Fargate Frontend: 有効、ECS Fargate Backend: 無効")
    assert rows["DR対応"] == ("なし", "大阪リージョンコピー（対象: RDS PostgreSQL／"
                                 "対象外: Amazon S3 PDF + Backup）")


def test_component_sections_are_headed_by_their_labels_and_never_shared(seed):
    m = seed.model
    alb = next(n for n in m.nodes if n.id == "alb")
    twin = alb.model_copy(update={"id": "alb-admin"})
    ix = ModelIndex(m.model_copy(update={"nodes": (*m.nodes, twin)}))
    titles = [s["title"] for s in component_sections(ix)]
    assert titles == ["ECS Fargate", "RDS PostgreSQL", "Amazon Cognito User Pool",
                      "Application Load Balancer（alb）", "Application Load Balancer（alb-admin）",
                      "EventBridge + Batch処理"]


# ------------------------------------------------------------------ Aurora clusters

THREE_TIER = REPO / "examples" / "three-tier-web" / "model"
_AURORA = ("nodes.yaml", "          readers: 1\n          subnet_group: [data-a, data-b, data-c]\n"
           "          backup_retention_days: 14\n")


@pytest.mark.parametrize("edit, expected", [
    ("          readers: 0\n          subnet_group: [data-a, data-b, data-c]\n          backup_retention_days: 14\n",
     [("RDS_15_CLUSTER_MULTI_AZ", "multi_az", "aurora: aurora has no reader (readers: 0): an outage of the writer's AZ "
       "stops it until a new instance is created (AWS Well-Architected REL10: deploy the workloads of an "
       "environment with role: production across multiple AZs)")]),
    ("          readers: 1\n          subnet_group: [data-a, data-b, data-c]\n          backup_retention_days: 14\n"
     "          encryption: false\n",
     [("RDS_27_CLUSTER_ENCRYPTION_AT_REST", "encryption_at_rest", "aurora: The storage of aurora is not encrypted "
       "(encryption: false) (AWS Security Hub RDS.3 / RDS.27: encrypt the storage of RDS instances and Aurora "
       "clusters at rest)")]),
    ("          readers: 1\n          subnet_group: [data-a, data-b, data-c]\n",
     [("RDS_11_BACKUP_RETENTION", "backup_retention_days", "aurora: aurora keeps backups for 1 day(s), fewer than 7 "
       "(AWS Security Hub RDS.11: enable automatic backups with a retention period of at least 7 days)")]),
])
def test_an_aurora_cluster_is_held_to_the_database_requirements(tmp_path, edit, expected):
    """The three-tier example's Aurora cluster keeps every baseline; one edit breaks one."""
    assert not [f for f in analysis_of(load_model(THREE_TIER).model).findings]
    m = variant(tmp_path, THREE_TIER, (_AURORA[0], _AURORA[1], edit)).model
    with language("en"):  # the example's document language
        found = [(f.code, f.resources[1], f.message) for f in analysis_of(m).findings]
    assert found == expected


def test_an_aurora_cluster_without_a_reader_does_not_survive_an_az_loss(tmp_path):
    loaded = variant(tmp_path, THREE_TIER, (_AURORA[0], _AURORA[1], _AURORA[1].replace(
        "readers: 1", "readers: 0")))
    env = loaded.model.environments[0]
    reqs = Requirements.model_validate({"survive_az_loss": {"value": True, "statement": "survive one AZ",
                                                            "seed_ref": "x"}})
    m = loaded.model.model_copy(update={"environments": (env.model_copy(update={"requirements": reqs}),)})
    rows = [(r.component, r.status, r.code) for r in analysis_of(m).requirement_checks if r.key == "survive_az_loss"
            and r.component == "aurora"]
    assert rows == [("aurora", "broken", "AZ_SINGLE_POINT_OF_FAILURE")]
