"""The bundled model says exactly what the seed document says.

Expected values are copied from the seed (`../shared/seed/000_4f57de4549017385.txt`),
section by section; the model side is always computed (用途 from node placement, section 9
from model.migration).
"""

from __future__ import annotations

import pytest

from model.index import ModelIndex
from model.loader import load_model
from model.migration import migration_rows


@pytest.fixture(scope="module")
def ix() -> ModelIndex:
    return ModelIndex(load_model().model)


def subnet_rows(ix: ModelIndex, vpc: str) -> list[tuple[str, str, str, str]]:
    env = ix.vpcs[vpc].env
    return [(s.name, s.cidr, s.az, ix.subnet_purpose(s.id, env)) for s in ix.subnets_of(vpc)]


def test_table_3_1_poc_shared_vpc(ix):
    assert ix.vpcs["poc-shared-vpc"].cidr == "10.0.0.0/16"
    assert subnet_rows(ix, "poc-shared-vpc") == [
        ("Public Subnet 1", "10.0.1.0/24", "ap-northeast-1a", "Client VPN Endpoint"),
    ]


def test_table_3_1_poc_app_vpc(ix):
    assert ix.vpcs["poc-app-vpc"].cidr == "10.1.0.0/16"
    assert subnet_rows(ix, "poc-app-vpc") == [
        ("Public Subnet 1", "10.1.1.0/24", "ap-northeast-1a", "ALB, NAT Gateway"),
        ("Public Subnet 2", "10.1.2.0/24", "ap-northeast-1c", "NAT Gateway"),
        ("Private Subnet App 1", "10.1.11.0/24", "ap-northeast-1a", "ECS Fargate"),
        ("Private Subnet App 2", "10.1.12.0/24", "ap-northeast-1c", "ECS Fargate"),
        ("Private Subnet DB 1", "10.1.21.0/24", "ap-northeast-1a", "RDS"),
    ]


def test_table_3_2_prod(ix):
    assert ix.vpcs["prod-vpc"].cidr == "10.1.0.0/16"
    assert subnet_rows(ix, "prod-vpc") == [
        ("Public Subnet 1", "10.1.1.0/24", "ap-northeast-1a", "ALB, NAT Gateway"),
        ("Public Subnet 2", "10.1.2.0/24", "ap-northeast-1c", "ALB, NAT Gateway"),
        ("Private Subnet App 1", "10.1.11.0/24", "ap-northeast-1a", "ECS Fargate"),
        ("Private Subnet App 2", "10.1.12.0/24", "ap-northeast-1c", "ECS Fargate"),
        ("Private Subnet DB 1", "10.1.21.0/24", "ap-northeast-1a", "RDS Primary"),
        ("Private Subnet DB 2", "10.1.22.0/24", "ap-northeast-1c", "RDS Standby"),
    ]


def sg_table(ix: ModelIndex, sg: str, env: str) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for r in ix.sg_rules(sg, env):
        peer = r.cidr or (ix.named_cidrs[r.named].label if r.named else None)
        if r.sg:
            peer = ix.security_groups[r.sg].name.replace(" Security Group", " SG")
        rows.append((r.direction.capitalize(), r.protocol.upper(), str(r.port), peer, r.purpose))
    return rows


ALB_SG = [
    ("Inbound", "TCP", "443", "0.0.0.0/0", "HTTPS（事業者）"),
    ("Inbound", "TCP", "443", "VPC CIDR", "HTTPS（市職員）"),
    ("Outbound", "TCP", "3000", "ECS SG", "Frontend"),
    ("Outbound", "TCP", "5000", "ECS SG", "Backend API"),
]
ECS_SG_COMMON = [
    ("Inbound", "TCP", "3000", "ALB SG", "Frontend"),
    ("Inbound", "TCP", "5000", "ALB SG", "Backend API"),
]
ECS_SG_VPN = [
    ("Inbound", "TCP", "3000", "VPN CIDR", "Frontend（POC開発者）"),
    ("Inbound", "TCP", "5000", "VPN CIDR", "Backend API（POC開発者）"),
]
ECS_SG_OUT = [
    ("Outbound", "TCP", "5432", "RDS SG", "PostgreSQL"),
    ("Outbound", "TCP", "443", "0.0.0.0/0", "AWS API, SES, S3"),
]


@pytest.mark.parametrize("env", ["poc", "prod"])
def test_section_4_alb_and_rds(ix, env):
    assert sg_table(ix, "alb-sg", env) == ALB_SG
    assert sg_table(ix, "rds-sg", env) == [("Inbound", "TCP", "5432", "ECS SG", "PostgreSQL")]
    assert ix.security_groups["rds-sg"].no_outbound_note == "なし"


def test_section_4_ecs_vpn_rows_only_in_poc(ix):
    assert sg_table(ix, "ecs-sg", "poc") == ECS_SG_COMMON + ECS_SG_VPN + ECS_SG_OUT
    assert sg_table(ix, "ecs-sg", "prod") == ECS_SG_COMMON + ECS_SG_OUT


@pytest.mark.parametrize("env,node,expected", [
    ("poc", "frontend", (256, 512, 1, 2, False, 3000)),
    ("poc", "backend", (256, 512, 1, 2, False, 5000)),
    ("prod", "frontend", (512, 1024, 2, 6, True, 3000)),
    ("prod", "backend", (1024, 2048, 2, 8, True, 5000)),
])
def test_section_5_1_fargate(ix, env, node, expected):
    f = ix.placement(node, env).fargate
    assert (f.cpu, f.memory_mb, f.tasks.min, f.tasks.max, f.autoscaling, f.container_port) == expected


def test_section_5_2_rds(ix):
    poc, prod = ix.placement("rds", "poc").rds, ix.placement("rds", "prod").rds
    assert (poc.engine, poc.engine_version, poc.instance_class, poc.storage_gb, poc.storage_type,
            poc.storage_autoscaling, poc.multi_az, poc.backup_retention_days, poc.encryption,
            poc.encryption_note, poc.performance_insights) == (
        "PostgreSQL", "15", "db.t3.micro", 20, "GP3", False, False, 7, False, "コスト削減", None)
    assert (prod.engine, prod.engine_version, prod.instance_class, prod.storage_gb, prod.storage_type,
            prod.storage_autoscaling, prod.multi_az, prod.backup_retention_days, prod.encryption,
            prod.encryption_note, prod.performance_insights) == (
        "PostgreSQL", "15", "db.m5.large", 100, "GP3", True, True, 30, True, "KMS", True)


def test_section_5_3_cognito(ix):
    c = ix.nodes["cognito"].cognito
    assert c.user_pools == 1
    assert [(g.name, g.description) for g in c.groups] == [
        ("Administrators", "市職員"), ("BusinessUsers", "事業者")]
    assert c.mfa == "optional"
    p = c.password_policy
    assert (p.min_length, p.require_uppercase, p.require_lowercase, p.require_numbers,
            p.require_symbols) == (8, True, True, True, True)
    assert [(t.trigger, t.purpose) for t in c.lambda_triggers] == [
        ("Pre Sign-up", "自己登録防止"), ("Post Authentication", "ログイン記録")]
    assert set(ix.nodes["cognito"].at) == {"poc", "prod"}


def test_section_5_4_alb_and_waf(ix):
    a = ix.nodes["alb"].alb
    assert a.scheme == "internet-facing"
    assert [(lst.protocol, lst.port, lst.action, lst.redirect_protocol, lst.redirect_port,
             lst.target_groups) for lst in a.listeners] == [
        ("HTTP", 80, "redirect", "HTTPS", 443, ()),
        ("HTTPS", 443, "forward", None, None, ("tg-frontend", "tg-backend"))]
    assert [(t.name, t.path, t.target, t.port) for t in a.target_groups] == [
        ("Frontend", "/", "frontend", 3000), ("Backend", "/api/*", "backend", 5000)]
    hc = a.health_check
    assert (hc.path, hc.interval_seconds, hc.timeout_seconds) == ("/health", 30, 5)
    assert set(ix.nodes["alb"].at) == {"poc", "prod"}
    w = ix.nodes["waf"]
    assert set(w.at) == {"prod"} and w.waf.protects == "alb"
    assert [(r.name, r.kind) for r in w.waf.rules] == [
        ("SQLインジェクション防止", "managed-sqli"), ("XSS防止", "managed-xss"),
        ("レート制限（100 req/5min/IP）", "rate-based"), ("地域制限（日本のみ許可）", "geo-allow")]
    rate = w.waf.rules[2]
    assert (rate.limit, rate.window_seconds, rate.aggregate) == (100, 300, "ip")
    assert w.waf.rules[3].countries == ("JP",)


def test_section_5_5_schedules_and_batch(ix):
    s = ix.nodes["eventbridge"].schedules.schedules
    assert [(x.name, x.expression, x.description, x.target) for x in s] == [
        ("日次集計", "cron(0 2 * * ? *)", "毎日2:00", "batch"),
        ("月次締め", "cron(0 3 1 * ? *)", "毎月1日3:00", "batch")]
    for env in ("poc", "prod"):
        b = ix.placement("batch", env).batch
        assert (b.cpu, b.memory_mb, b.timeout_hours) == (512, 1024, 6)


def test_required_ids_exist(ix):
    assert {"business-user", "developer", "city-staff"} <= set(ix.actors)
    assert {"alb", "igw", "nat-a", "nat-c", "tgw", "client-vpn", "dx-gateway", "waf", "frontend",
            "backend", "batch", "rds", "s3", "ses", "ecr", "cognito", "cloudwatch",
            "eventbridge"} <= set(ix.nodes)
    assert set(ix.envs) == {"poc", "prod"}
    assert set(ix.nodes["client-vpn"].at) == {"poc"}
    assert set(ix.nodes["dx-gateway"].at) == {"prod"}


def test_document_metadata(ix):
    d = ix.model.document
    assert (d.title, str(d.created), d.approvals, d.approval, d.last_approved) == ("AWS構成図", "2025-09-30", (), None, None)


SECTION_9 = [
    ("AWSアカウント", "1アカウント（2VPC）", "共有系 + 本番用（2アカウント）"),
    ("共有系VPC", "10.0.0.0/16", "共有系アカウントに移行"),
    ("アプリ系VPC", "10.1.0.0/16", "本番アカウントに移行"),
    ("ネットワーク接続（市職員）", "Client VPN", "Direct Connect + TGW"),
    ("Transit Gateway", "POCで検証済み", "アカウント分離"),
    ("RDS構成", "Single-AZ", "Multi-AZ"),
    ("RDSインスタンス", "db.t3.micro", "db.m5.large"),
    ("ECS Auto Scaling", "無効", "有効"),
    ("WAF", "なし", "あり"),
    ("GuardDuty", "なし", "あり"),
    ("Config", "なし", "あり"),
    ("DR対応", "なし", "大阪リージョンコピー（対象: RDS PostgreSQL／対象外: Amazon S3 PDF + Backup）"),
    ("暗号化", "無効", "有効"),
]


def test_section_9_seed_rows_derived(ix):
    rows = migration_rows(ix, "poc", "prod")
    assert [(r.item, r.before, r.after) for r in rows if r.seed] == SECTION_9
    assert [r.seed for r in rows[:13]] == [True] * 13


def test_section_9_further_differences(ix):
    extra = {(r.item, r.before, r.after) for r in migration_rows(ix, "poc", "prod") if not r.seed}
    assert ("ECS Fargate Backend CPU", "256", "1024") in extra
    assert ("アプリ系VPC Private Subnet DB 2", "なし", "10.1.22.0/24（RDS Standby）") in extra
    assert ("ECS Security Group: inbound TCP 3000 VPN CIDR（Frontend（POC開発者））", "あり", "なし") in extra
    assert all(before != after for _, before, after in extra)


def test_section_9_follows_the_model(ix):
    """Change the model, and the derived table changes with it (nothing is typed twice)."""
    m = ix.model
    rds = next(n for n in m.nodes if n.id == "rds")
    prod = rds.at["prod"]
    changed_rds = rds.model_copy(update={"at": {**rds.at, "prod": prod.model_copy(
        update={"rds": prod.rds.model_copy(update={"instance_class": "db.r6g.large", "encryption": False})})}})
    nodes = tuple(changed_rds if n.id == "rds" else n for n in m.nodes if n.id != "waf")
    flows = tuple(f for f in m.flows if "waf" not in (f.source, f.target))
    rows = {r.item: (r.before, r.after) for r in migration_rows(
        ModelIndex(m.model_copy(update={"nodes": nodes, "flows": flows})), "poc", "prod")}
    assert rows["RDSインスタンス"] == ("db.t3.micro", "db.r6g.large")
    assert "暗号化" not in rows  # unencrypted in both: no change, no row
    assert "WAF" not in rows


@pytest.mark.parametrize("env", ["poc", "prod"])
def test_section_9_of_an_environment_with_itself_is_empty(ix, env):
    assert [(r.item, r.before, r.after) for r in migration_rows(ix, env, env)
            if r.before != r.after] == []
