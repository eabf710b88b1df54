"""Every design-time control and requirement code: one edit of a kept fixture makes it fire, exactly.

``tests/fixtures/good/promises`` is the small two-environment model with every requirement
stated for ``live`` and kept: no finding at all (the silent test). Each case below breaks one
thing in a copy of it and expects exactly these findings of the controls' and requirements'
codes: environment, code, resources, message (the requirement's words and line) and the
configuration line to change. Together the cases fire every code those rules declare.
"""

from __future__ import annotations

import pytest

from analysis.review.registry import CODES, RULES
from analysis.review.requirements import REQUIREMENT_CODES
from conftest import PROMISES, analysis_of, variant

MINE = {c[0] for c in REQUIREMENT_CODES} | {c for r in RULES if r.name.startswith("analysis.review.controls.") for c in r.codes}

CASES = {
    'rds-single-az': (
        [('30-nodes.yaml', 'multi_az: true', 'multi_az: false')],
        [('live', 'AZ_SINGLE_POINT_OF_FAILURE', ('db', 'survive_az_loss'), 'db: db はSingle-AZ（multi_az: false）。要件「1つのAZが止まってもサービスを続ける」（2.1、10-places.yaml:18）に反する', '30-nodes.yaml:97'),
         ('live', 'RDS_5_MULTI_AZ', ('db', 'multi_az'), 'db: db はSingle-AZ（multi_az: false）。要件「本番はMulti-AZ」（2.1、10-places.yaml:17）に反する', '30-nodes.yaml:97')],
    ),
    'service-one-az': (
        [('30-nodes.yaml', 'subnets: [live-app-a, live-app-c]', 'subnets: [live-app-c]')],
        [('live', 'AZ_SINGLE_POINT_OF_FAILURE', ('app', 'survive_az_loss'), 'app: app のサブネットが 1 AZ（ap-northeast-1c）のみ。要件「1つのAZが止まってもサービスを続ける」（2.1、10-places.yaml:18）に反する', '30-nodes.yaml:67'),
         ('live', 'ECS_SERVICE_SINGLE_AZ', ('app', 'multi_az'), 'app: app のサブネットが 1 AZ（ap-northeast-1c）のみ。要件「本番はMulti-AZ」（2.1、10-places.yaml:17）に反する', '30-nodes.yaml:67')],
    ),
    'cross-az-nat': (
        [('20-filtering.yaml', '      - {destination: 0.0.0.0/0, target: nat-c}', '      - {destination: 0.0.0.0/0, target: nat-a}')],
        [('live', 'AZ_SINGLE_POINT_OF_FAILURE', ('app', 'survive_az_loss'), 'app: live-app-c（ap-northeast-1c）のインターネット向け通信が別AZ（ap-northeast-1a）のNAT Gateway nat-a を通る。要件「1つのAZが止まってもサービスを続ける」（2.1、10-places.yaml:18）に反する', '20-filtering.yaml:56')],
    ),
    'one-task': (
        [('30-nodes.yaml', 'tasks: {min: 2, max: 4}', 'tasks: {min: 1, max: 4}')],
        [('live', 'AZ_SINGLE_POINT_OF_FAILURE', ('app', 'survive_az_loss'), 'app: 最小タスク数 1 < 2。要件「1つのAZが止まってもサービスを続ける」（2.1、10-places.yaml:18）に反する', '30-nodes.yaml:68'),
         ('live', 'ECS_SERVICE_MIN_TASKS', ('app', 'min_tasks_per_service'), 'app: 最小タスク数 1 < 2。要件「タスクは常に2以上」（2.2、10-places.yaml:19）に反する', '30-nodes.yaml:68')],
    ),
    'no-autoscaling': (
        [('30-nodes.yaml', 'max: 4}, autoscaling: true', 'max: 4}, autoscaling: false')],
        [('live', 'ECS_SERVICE_AUTOSCALING', ('app', 'autoscaling'), 'app: app のAuto Scalingが無効（autoscaling: false）。要件「負荷に応じて自動スケール」（2.2、10-places.yaml:20）に反する', '30-nodes.yaml:68')],
    ),
    'rds-plain': (
        [('30-nodes.yaml', '          encryption: true\n          performance_insights', '          encryption: false\n          performance_insights')],
        [('live', 'RDS_3_ENCRYPTION_AT_REST', ('db', 'encryption_at_rest'), 'db: db のストレージが暗号化されていない（encryption: false）。要件「保存データはKMSで暗号化」（2.3、10-places.yaml:21）に反する', '30-nodes.yaml:99')],
    ),
    's3-not-kms': (
        [('30-nodes.yaml', '        region: ap-northeast-1\n        s3: {encryption: sse-kms', '        region: ap-northeast-1\n        s3: {encryption: sse-s3')],
        [('live', 'S3_17_KMS_ENCRYPTION', ('files', 'encryption_at_rest'), 'files: files の暗号化が sse-s3（AWS KMSの鍵ではない）。要件「保存データはKMSで暗号化」（2.3、10-places.yaml:21）に反する', '30-nodes.yaml:114')],
    ),
    'short-backups': (
        [('30-nodes.yaml', 'backup_retention_days: 7', 'backup_retention_days: 3')],
        [('live', 'RDS_11_BACKUP_RETENTION', ('db', 'backup_retention_days'), 'db: db のバックアップ保持が 3日（7日未満）。要件「バックアップは7日間」（2.3、10-places.yaml:22）に反する', '30-nodes.yaml:98')],
    ),
    'no-dr-copy': (
        [('40-flows.yaml', '  - {source: files, target: dr-bucket, kind: backup, frequency: daily, label: 日次コピー, envs: [live]}\n', '')],
        [('live', 'DR_COPY_MISSING', ('files', 'dr'), 'files: files の大阪リージョンへのコピーがない。要件「大阪へ日次コピー」（2.4、10-places.yaml:25）に反する', '30-nodes.yaml:113'),
         ('live', 'DR_RPO_NOT_MET', ('files', 'rpo'), 'files: files の別リージョンへのコピーがなく、リージョン障害で失うデータに上限がない。要件「失うデータは最大1日分」（2.4、10-places.yaml:23）に反する', '30-nodes.yaml:113')],
    ),
    'dr-copy-elsewhere': (
        [('30-nodes.yaml', 'region: ap-northeast-3', 'region: ap-northeast-2')],
        [('live', 'DR_OUTSIDE_REGION', ('db', 'dr'), 'db: コピー先 dr-bucket がソウルリージョンにあり、DRリージョン（ap-northeast-3）ではない。要件「大阪へ日次コピー」（2.4、10-places.yaml:25）に反する', '30-nodes.yaml:120'),
         ('live', 'DR_OUTSIDE_REGION', ('files', 'dr'), 'files: コピー先 dr-bucket がソウルリージョンにあり、DRリージョン（ap-northeast-3）ではない。要件「大阪へ日次コピー」（2.4、10-places.yaml:25）に反する', '30-nodes.yaml:120')],
    ),
    'weekly-copy': (
        [('40-flows.yaml', 'frequency: daily, label: 日次コピー', 'frequency: weekly, label: 日次コピー')],
        [('live', 'DR_COPY_FREQUENCY', ('files', 'dr'), 'files: 大阪リージョンへのコピーが週次（日次より少ない）。要件「大阪へ日次コピー」（2.4、10-places.yaml:25）に反する', '40-flows.yaml:10'),
         ('live', 'DR_RPO_NOT_MET', ('files', 'rpo'), 'files: 大阪リージョンへのコピーが週次（最大 168 時間分の損失 > 24 時間）。要件「失うデータは最大1日分」（2.4、10-places.yaml:23）に反する', '40-flows.yaml:10')],
    ),
    'rpo-12h': (
        [('10-places.yaml', 'rpo: {hours: 24', 'rpo: {hours: 12')],
        [('live', 'DR_RPO_NOT_MET', ('db', 'rpo'), 'db: 大阪リージョンへのコピーが日次（最大 24 時間分の損失 > 12 時間）。要件「失うデータは最大1日分」（2.4、10-places.yaml:23）に反する', '40-flows.yaml:9'),
         ('live', 'DR_RPO_NOT_MET', ('files', 'rpo'), 'files: 大阪リージョンへのコピーが日次（最大 24 時間分の損失 > 12 時間）。要件「失うデータは最大1日分」（2.4、10-places.yaml:23）に反する', '40-flows.yaml:10')],
    ),
    'db-calls-out': (
        [('20-filtering.yaml', '      - {direction: inbound, protocol: tcp, port: 5432, sg: app-sg, purpose: アプリからのDB接続}\n', '      - {direction: inbound, protocol: tcp, port: 5432, sg: app-sg, purpose: アプリからのDB接続}\n      - {direction: outbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: 外部API}\n')],
        [('live', 'SG_EGRESS_TIER_POLICY', ('db', 'egress'), 'db: SG db-sg の送信ルール「外部API」（tcp/443 → 0.0.0.0/0）が方針（private-db: 送信なし）を超える。要件「DBは外へ出ない」（3.1、10-places.yaml:27）に反する', '20-filtering.yaml:25')],
    ),
    'alarm-to-no-one': (
        [('40-flows.yaml', '  - {source: topic, target: mail, kind: notification, envs: [live]}\n', '')],
        [('live', 'MONITORING_ALARMS_NOT_NOTIFIED', ('alarms', 'alarms_notify'), 'alarms: alarms からメールへの通知経路がない。要件「アラームはメールで通知」（4、10-places.yaml:29）に反する', '30-nodes.yaml:126')],
    ),
    'shared-account': (
        [('30-nodes.yaml', 'label: Amazon ECR\n    at:\n      stg: {region: ap-northeast-1}\n      live: {region: ap-northeast-1}', 'label: Amazon ECR\n    at:\n      stg: {region: ap-northeast-1}\n      live: {account: stg-account, region: ap-northeast-1}')],
        [('live', 'ENV_ISOLATION_BROKEN', ('stg', 'must_not_reach'), 'stg: ecr がstg環境のアカウント stg-account に置かれ、live環境と共有している。要件「本番はステージングと分離し、DBは外から届かない」（1、10-places.yaml:30）に反する', '30-nodes.yaml:107')],
    ),
    'app-reaches-db': (
        [('30-nodes.yaml', '        subnets: [live-app-a, live-app-c]\n', '        subnets: [live-app-a, live-app-c]\n        requirements:\n          must_not_reach: {tiers: [private-db], statement: アプリはDBに直接つながない, seed_ref: "3.3"}\n')],
        [('live', 'TIER_ISOLATION_BROKEN', ('app', 'must_not_reach'), 'app: app からprivate-db層の db（5432）に到達できる。要件「アプリはDBに直接つながない」（3.3、30-nodes.yaml:69）に反する', '20-filtering.yaml:24')],
    ),
    'http-forward': (
        [('30-nodes.yaml', '{protocol: HTTP, port: 80, action: redirect, redirect_protocol: HTTPS, redirect_port: 443}', '{protocol: HTTP, port: 80, action: forward, target_groups: [app-tg]}')],
        [('live', 'ELB_1_HTTP_TO_HTTPS', ('alb',), 'ALB alb のリスナー HTTP:80 がHTTPSへリダイレクトせず転送している', '30-nodes.yaml:45'),
         ('stg', 'ELB_1_HTTP_TO_HTTPS', ('alb',), 'ALB alb のリスナー HTTP:80 がHTTPSへリダイレクトせず転送している', '30-nodes.yaml:45')],
    ),
    'health-check-port': (
        [('30-nodes.yaml', 'health_check: {path: /health, interval_seconds: 30, timeout_seconds: 5}', 'health_check: {path: /health, interval_seconds: 30, timeout_seconds: 5, port: 9090}')],
        [('live', 'ALB_TARGET_NOT_ADMITTED', ('alb', 'app-tg', 'app'), 'ALB alb からターゲットグループ app-tg の app へヘルスチェックポート 9090 で到達できない（SG_EGRESS_DENIED, SG_INGRESS_DENIED）', '20-filtering.yaml:3'),
         ('stg', 'ALB_TARGET_NOT_ADMITTED', ('alb', 'app-tg', 'app'), 'ALB alb からターゲットグループ app-tg の app へヘルスチェックポート 9090 で到達できない（SG_EGRESS_DENIED, SG_INGRESS_DENIED）', '20-filtering.yaml:3')],
    ),
    'db-subnet-to-igw': (
        [('20-filtering.yaml', '      - {destination: 0.0.0.0/0, target: nat-a}\n  - id: live-private-c-rt', '      - {destination: 0.0.0.0/0, target: igw}\n  - id: live-private-c-rt')],
        [('live', 'PRIVATE_SUBNET_ROUTES_TO_IGW', ('live-app-a', 'igw'), 'サブネット live-app-a（private-app層）のルート 0.0.0.0/0 がインターネットゲートウェイ igw を向いている', '20-filtering.yaml:55'),
         ('live', 'PRIVATE_SUBNET_ROUTES_TO_IGW', ('live-db-a', 'igw'), 'サブネット live-db-a（db を置く）のルート 0.0.0.0/0 がインターネットゲートウェイ igw を向いている', '20-filtering.yaml:55'),
         ('live', 'PRIVATE_SUBNET_ROUTES_TO_IGW', ('live-db-c', 'igw'), 'サブネット live-db-c（db を置く）のルート 0.0.0.0/0 がインターネットゲートウェイ igw を向いている', '20-filtering.yaml:55')],
    ),
    'ssh-open': (
        [('20-filtering.yaml', '      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS}\n', '      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS}\n      - {direction: inbound, protocol: tcp, port: 22, cidr: 0.0.0.0/0, purpose: SSH}\n')],
        [('live', 'EC2_19_HIGH_RISK_PORT_OPEN', ('alb-sg',), 'SG alb-sg のルール「SSH」が 0.0.0.0/0 から tcp/22 を許可している（高リスクのポート 22）', '20-filtering.yaml:9'),
         ('stg', 'EC2_19_HIGH_RISK_PORT_OPEN', ('alb-sg',), 'SG alb-sg のルール「SSH」が 0.0.0.0/0 から tcp/22 を許可している（高リスクのポート 22）', '20-filtering.yaml:9')],
    ),
    '8443-open': (
        [('20-filtering.yaml', '      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS}\n', '      - {direction: inbound, protocol: tcp, port: 443, cidr: 0.0.0.0/0, purpose: HTTPS}\n      - {direction: inbound, protocol: tcp, port: 8443, cidr: 0.0.0.0/0, purpose: 管理画面}\n')],
        [('live', 'EC2_18_UNRESTRICTED_PORT', ('alb-sg',), 'SG alb-sg のルール「管理画面」が 0.0.0.0/0 から tcp/8443 を許可している（80・443以外）', '20-filtering.yaml:9'),
         ('stg', 'EC2_18_UNRESTRICTED_PORT', ('alb-sg',), 'SG alb-sg のルール「管理画面」が 0.0.0.0/0 から tcp/8443 を許可している（80・443以外）', '20-filtering.yaml:9')],
    ),
    'task-public-ip': (
        [('30-nodes.yaml', '    security_groups: [app-sg]\n', '    security_groups: [app-sg]\n    public_ip: true\n')],
        [('live', 'ECS_2_PUBLIC_IP', ('app',), 'app にパブリックIPが割り当てられる', '30-nodes.yaml:61'),
         ('stg', 'ECS_2_PUBLIC_IP', ('app',), 'app にパブリックIPが割り当てられる', '30-nodes.yaml:61')],
    ),
    'rds-public': (
        [('30-nodes.yaml', '          performance_insights: true\n', '          performance_insights: true\n          publicly_accessible: true\n')],
        [('live', 'RDS_2_PUBLIC_ACCESS', ('db',), 'RDS db がパブリックアクセス可能（publicly_accessible: true）', '30-nodes.yaml:101')],
    ),
    'bucket-public': (
        [('30-nodes.yaml', '        region: ap-northeast-1\n        s3: {encryption: sse-kms, block_public_access: true}', '        region: ap-northeast-1\n        s3: {encryption: sse-kms, block_public_access: false}')],
        [('live', 'S3_8_BLOCK_PUBLIC_ACCESS', ('files',), 'S3バケット files のパブリックアクセスブロックが無効', '30-nodes.yaml:114')],
    ),
    'alarm-no-action': (
        [('40-flows.yaml', '  - {source: topic, target: mail, kind: notification, envs: [live]}\n', ''),
         ('10-places.yaml', '      alarms_notify: {value: required, channels: [email], statement: アラームはメールで通知, seed_ref: "4"}\n', '')],
        [('live', 'CLOUDWATCH_15_ALARM_ACTIONS', ('alarms',), 'アラーム alarms の通知がどこにも届かない', '30-nodes.yaml:126')],
    ),
}


def _findings(tmp_path, edits):
    """The findings of the controls' and requirements' codes, files shown relative to the copy."""
    a = analysis_of(variant(tmp_path, PROMISES, *edits))
    prefix = f"{tmp_path.name}/{PROMISES.name}/"  # locations are shown from the copy's grandparent
    return [tuple(x.replace(prefix, "") if isinstance(x, str) else x for x in (f.env, f.code, f.resources, f.message,
                                                                               f.location))
            for f in a.findings if f.code in MINE]


def test_the_kept_fixture_is_silent(tmp_path):
    a = analysis_of(variant(tmp_path, PROMISES))
    assert a.findings == ()
    assert {(r.key, r.status) for r in a.requirements if r.status != "kept"} == {("rto", "not-decidable")}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_break_fires_exactly(tmp_path, case):
    edits, expected = CASES[case]
    assert _findings(tmp_path, edits) == expected


FIRED_ELSEWHERE = {"RDS_15_CLUSTER_MULTI_AZ", "RDS_27_CLUSTER_ENCRYPTION_AT_REST"}
"""Aurora's codes: the promises fixture has no Aurora cluster; test_requirements fires them on
one edit each of the three-tier example, which keeps them silent."""


def test_every_control_and_requirement_code_has_a_firing_case():
    fired = {code for _, expected in CASES.values() for _, code, *_ in expected}
    assert fired | FIRED_ELSEWHERE == MINE and not fired & FIRED_ELSEWHERE
    assert all(CODES[c].description and CODES[c].severity for c in MINE)
