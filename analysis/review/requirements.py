"""Findings for broken requirements: each broken row of :mod:`analysis.requirements` under its code.

A requirement the document states and the configuration breaks is reported with the
requirement's words and line in the message and the configuration's line as the location
(the line to change, or the requirement to revise). Where the document states nothing, the
AWS control's baseline applies (RDS.3 encryption, RDS.11 backups of 7 days or more); a
requirement that declares a relaxation (``encryption_at_rest: not-required``) silences it.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> from analysis.review.registry import CODES
>>> CODES["RDS_3_ENCRYPTION_AT_REST"].control, CODES["RDS_11_BACKUP_RETENTION"].control
('RDS.3', 'RDS.11')
"""

from __future__ import annotations

from typing import Iterator

from analysis.requirements import RequirementRow, evaluate
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import N_, Templates, _

__all__ = ["rows_of", "REQUIREMENT_CODES"]

REQUIREMENT_CODES: tuple[tuple[str, str, str, str], ...] = (
    ("RDS_5_MULTI_AZ", "error", "an RDS instance is Single-AZ where the environment requires Multi-AZ", "RDS.5"),
    ("RDS_15_CLUSTER_MULTI_AZ", "error", "an Aurora cluster has no reader to fail over to where the environment requires "
     "Multi-AZ", "RDS.15"),
    ("ECS_SERVICE_SINGLE_AZ", "error", "an ECS service or task runs in one AZ where the environment requires Multi-AZ",
     "WA REL10-BP01"),
    ("AZ_SINGLE_POINT_OF_FAILURE", "error", "a component stops with the loss of one AZ where the environment must survive it",
     "WA REL10-BP01"),
    ("ECS_SERVICE_MIN_TASKS", "error", "an ECS service's minimum task count is below the required minimum", "WA REL10-BP01"),
    ("ECS_SERVICE_AUTOSCALING", "error", "an ECS service does not scale with load where Auto Scaling is required",
     "WA REL07-BP01"),
    ("RDS_3_ENCRYPTION_AT_REST", "error", "an RDS instance is not encrypted at rest (unless declared not required)", "RDS.3"),
    ("RDS_27_CLUSTER_ENCRYPTION_AT_REST", "error",
     "an Aurora cluster is not encrypted at rest (unless declared not required)", "RDS.27"),
    ("S3_17_KMS_ENCRYPTION", "error", "an S3 bucket is not encrypted with AWS KMS keys where KMS is required", "S3.17"),
    ("RDS_11_BACKUP_RETENTION", "error",
     "an RDS instance or Aurora cluster keeps automated backups fewer days than required (baseline 7)",
     "RDS.11"),
    ("DR_COPY_MISSING", "error", "a data store has no copy in the declared DR region", "WA REL13-BP02"),
    ("DR_OUTSIDE_REGION", "error", "a data store's DR copy lands outside the declared DR region", "WA REL13-BP02"),
    ("DR_COPY_FREQUENCY", "error", "a data store's DR copy runs less often than required", "WA REL13-BP01"),
    ("DR_RPO_NOT_MET", "error", "a data store's cross-region copies lose more data than the RPO allows", "WA REL13-BP01"),
    ("SG_EGRESS_TIER_POLICY", "error", "an outbound SG rule of a node exceeds its subnet tier's egress policy", "WA SEC05-BP02"),
    ("MONITORING_ALARMS_NOT_NOTIFIED", "error", "alarm notification is required and an alarm is missing or notifies no one",
     "WA REL06-BP03"),
    ("ENV_ISOLATION_BROKEN", "error", "environments that must stay apart share an account or a network path",
     "WA SEC01-BP01"),
    ("TIER_ISOLATION_BROKEN", "error", "a tier that must stay out of reach is reachable", "WA SEC05-BP01"),
)
"""Every code a broken requirement is reported under, with severity, description and AWS control."""

_T = Templates({
    "declared": N_("{subject}: {reason}。要件「{statement}」（{seed_ref}、{where}）に反する"),
    "baseline": N_("{subject}: {reason}（{statement}）"),
})
_FIX = {
    "RDS_5_MULTI_AZ": N_("multi_az: true にする（要件を変えるなら requirements を改める）"),
    "RDS_15_CLUSTER_MULTI_AZ": N_("別のAZにリーダーを置く（readers: 1 以上。要件を変えるなら requirements を改める）"),
    "RDS_27_CLUSTER_ENCRYPTION_AT_REST": N_("encryption: true にする（作成後は暗号化スナップショットからの復元が必要）。不要なら要件で not-required と宣言する"),
    "ECS_SERVICE_SINGLE_AZ": N_("別のAZのサブネットを加える"),
    "AZ_SINGLE_POINT_OF_FAILURE": N_("別のAZにも置く（RDSはMulti-AZ、サービスは2AZ・2タスク以上、NATは同じAZのものを使う）"),
    "ECS_SERVICE_MIN_TASKS": N_("最小タスク数を要件の値以上にする"),
    "ECS_SERVICE_AUTOSCALING": N_("Auto Scalingを有効にし、上限を下限より大きくする"),
    "RDS_3_ENCRYPTION_AT_REST": N_("encryption: true にする（作成後は暗号化スナップショットからの復元が必要）。不要なら要件で not-required と宣言する"),
    "S3_17_KMS_ENCRYPTION": N_("バケットの既定の暗号化をSSE-KMSにする"),
    "RDS_11_BACKUP_RETENTION": N_("backup_retention_days を要件の日数以上にする"),
    "DR_COPY_MISSING": N_("DRリージョンへのコピー（backup フロー）を追加するか、要件の対象外とする理由を記録する"),
    "DR_OUTSIDE_REGION": N_("コピー先をDRリージョンに置く"),
    "DR_COPY_FREQUENCY": N_("コピーの頻度を要件以上にする"),
    "DR_RPO_NOT_MET": N_("別リージョンへのコピーを追加するか頻度を上げる"),
    "SG_EGRESS_TIER_POLICY": N_("送信ルールを方針の範囲に絞る（または別の層に置く）"),
    "MONITORING_ALARMS_NOT_NOTIFIED": N_("アラーム → SNS → メール等の通知フロー（notification）を追加する"),
    "ENV_ISOLATION_BROKEN": N_("環境ごとのアカウントに置き、共有ネットワーク（ルートテーブル・SG）で環境間の経路を断つ"),
    "ENV_ISOLATION_BROKEN_TGW": N_("環境ごとのアカウントに置き、共有ネットワーク（TGWのルートテーブル・SG）で環境間の経路を断つ"),
    "TIER_ISOLATION_BROKEN": N_("到達を許すSGルール・ルートを外す"),
}


def rows_of(ctx: ReviewContext) -> tuple[RequirementRow, ...]:
    """The environment's requirement rows with baselines (from the context, else evaluated)."""
    if ctx.requirements is not None:
        return tuple(ctx.requirements)
    return evaluate(ctx.eg, ctx.net, baselines=True)


def _finding(ctx: ReviewContext, r: RequirementRow) -> Finding:
    words = {"subject": r.component or ctx.env, "reason": r.reason, "statement": r.statement, "seed_ref": r.seed_ref,
             "where": r.requirement_location or _("位置不明")}
    message = _T("declared" if r.declared else "baseline", **words)
    fix = r.code + "_TGW" if r.code + "_TGW" in _FIX and ctx.eg.scope is not None and ctx.eg.scope.shared_tgws else r.code
    return ctx.finding(r.code, (r.component or ctx.env, r.key), message, r.config_location, _(_FIX[fix]))


@rule(*REQUIREMENT_CODES)
def requirements_kept(ctx: ReviewContext) -> Iterator[Finding]:
    for r in rows_of(ctx):
        if r.status == "broken" and r.code is not None:
            yield _finding(ctx, r)
