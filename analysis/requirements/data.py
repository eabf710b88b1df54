"""Data-protection and DR requirements: encryption at rest, backups, DR copies, RPO and RTO.

Data stores are active RDS instances and Aurora clusters (with a spec) and S3 buckets (an S3 node that is not a
part of another S3 node: a part such as a backup prefix shares its bucket's settings).

* ``encryption_at_rest`` - RDS storage encrypted (``RDS_3_ENCRYPTION_AT_REST``, RDS.3; RDS
  encryption always uses AWS KMS keys), an Aurora cluster's storage likewise
  (``RDS_27_CLUSTER_ENCRYPTION_AT_REST``, RDS.27); an S3 bucket with KMS keys when 'kms' is required
  (``S3_17_KMS_ENCRYPTION``, S3.17). S3 encrypts every new object since January 2023
  (SSE-S3), so 'required' holds for a bucket the design says nothing about, and 'kms' is
  then not decidable. Baseline without a requirement: RDS.3 (encrypted).
* ``backup_retention_days`` - ``RDS_11_BACKUP_RETENTION`` (RDS.11; baseline 7 days, the
  control's default ``backupRetentionMinimum``), for RDS instances and Aurora clusters alike.
* ``dr`` - every data store outside the DR region reaches, through ``backup`` flows, a copy
  in the DR region at least as often as required: ``DR_COPY_MISSING``,
  ``DR_OUTSIDE_REGION`` (the copy lands in another region), ``DR_COPY_FREQUENCY``.
* ``rpo`` - the most frequent cross-region copy runs at least every ``hours``
  (``DR_RPO_NOT_MET``); ``rto`` is never decidable from a design.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from analysis.requirements.availability import database_spec, databases
from analysis.requirements.rows import CheckContext, Outcome, check
from analysis.i18n import N_, Templates, _
from model.schema import FREQUENCY_HOURS, Encryption, FlowKind, Node, RetentionDays

__all__ = ["data_stores", "Copy", "copies", "ENCRYPTION_BASELINE", "RETENTION_BASELINE"]

_T = Templates({
    "not_required": N_("要求なし（宣言: {statement}）"),
    "rds_encrypted": N_("暗号化 有効（RDSの暗号化はAWS KMSの鍵を使う）"),
    "rds_plain": N_("{label} のストレージが暗号化されていない（encryption: false）"),
    "s3_default": N_("S3は新しいオブジェクトを既定で暗号化する（SSE-S3、2023年1月以降）"),
    "s3_unknown_kms": N_("S3の暗号化方式（KMSの鍵か）が設計書にない"),
    "s3_mode": N_("暗号化 {mode}"),
    "s3_not_kms": N_("{label} の暗号化が {mode}（AWS KMSの鍵ではない）"),
    "retention_ok": N_("バックアップ保持 {days}日"),
    "retention_short": N_("{label} のバックアップ保持が {days}日（{needed}日未満）"),
    "copy_ok": N_("{path} で{region}へ{frequency}コピー"),
    "copy_unknown_frequency": N_("{path} で{region}へコピーするが、頻度の記載がない"),
    "copy_rare": N_("{region}へのコピーが{frequency}（{needed}より少ない）"),
    "copy_elsewhere": N_("コピー先 {target} が{region}にあり、DRリージョン（{dr_region}）ではない"),
    "copy_missing": N_("{label} の{region}へのコピーがない"),
    "copy_partial": N_("（一部 {parts} のみコピーされる）"),
    "rpo_ok": N_("{region}へ{frequency}コピー（最大 {hours} 時間分の損失）"),
    "rpo_no_copy": N_("{label} の別リージョンへのコピーがなく、リージョン障害で失うデータに上限がない"),
    "rpo_unknown": N_("別リージョンへのコピーの頻度が記載されていない"),
    "rpo_too_long": N_("{region}へのコピーが{frequency}（最大 {hours} 時間分の損失 > {needed} 時間）"),
    "rto": N_("復旧時間は設計モデルから決まらない（復元・切替の手順と所要時間による）"),
})
_FREQ = {"continuous": N_("継続的に"), "hourly": N_("毎時"), "daily": N_("日次で"), "weekly": N_("週次で"), "monthly": N_("月次で")}
_ENC = {"required": N_("必須"), "kms": N_("必須（AWS KMSの鍵）"), "not-required": N_("不要")}

ENCRYPTION_BASELINE = Encryption(value="required", statement=N_("AWS Security Hub RDS.3 / RDS.27: RDSのインスタンスとAuroraクラスターのストレージを保存時に暗号化する"),
                                 seed_ref="AWS FSBP RDS.3")
"""What RDS.3 expects where the document states no encryption requirement."""
RETENTION_BASELINE = RetentionDays(value=7, statement=N_("AWS Security Hub RDS.11: 自動バックアップを保持期間7日以上で有効にする"),
                                   seed_ref="AWS FSBP RDS.11")
"""What RDS.11 expects (its default ``backupRetentionMinimum``) where the document states none."""


def data_stores(c: CheckContext) -> list[Node]:
    """RDS instances, then S3 buckets (:meth:`model.index.ModelIndex.data_stores`)."""
    return c.eg.ix.data_stores(c.env)


@dataclass(frozen=True)
class Copy:
    """A backup flow that carries a store's data into another region."""

    target: str
    region: str
    path: tuple[str, ...]
    frequency: str | None
    location: str | None


def copies(c: CheckContext, store: str) -> list[Copy]:
    """Cross-region copies reached from ``store`` along ``backup`` flows, nearest first."""
    home, out = c.region(store), []
    for path, i in c.eg.ix.backup_paths(store, c.env):
        region = c.region(path[-1])
        crossed = any(c.region(n) != home for n in path[1:-1])
        if region and home and region != home and not crossed:
            out.append(Copy(path[-1], region, path, c.eg.model.flows[i].frequency, c.eg.where("flows", i)))
    return out


def _backup_targets(c: CheckContext) -> set[str]:
    return {f.target for f in c.eg.ix.flows_in(c.env) if f.kind is FlowKind.BACKUP}


def _primary_stores(c: CheckContext) -> list[Node]:
    """Data stores that hold primary data: not a backup target themselves."""
    targets = _backup_targets(c)
    return [n for n in data_stores(c) if n.id not in targets]


@check("encryption_at_rest", N_("保存時の暗号化"), data_stores, lambda item: _(_ENC[item.value]),
       ("RDS_3_ENCRYPTION_AT_REST", "RDS_27_CLUSTER_ENCRYPTION_AT_REST", "S3_17_KMS_ENCRYPTION"),
       default=ENCRYPTION_BASELINE)
def encryption(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    p = n.at[c.env]
    if item.value == "not-required":
        where = c.where_node(n.id, "rds", "encryption") if p.rds is not None else c.where_node(n.id)
        yield n.id, Outcome.kept(_T.text("not_required").format(statement=item.statement), where)
    elif p.rds is not None or p.aurora is not None:
        spec, key = database_spec(c, n)
        code = "RDS_3_ENCRYPTION_AT_REST" if key == "rds" else "RDS_27_CLUSTER_ENCRYPTION_AT_REST"
        where = c.where_node(n.id, key, "encryption")
        yield n.id, (Outcome.kept(_T.text("rds_encrypted"), where) if spec.encryption else
                     Outcome.broken(_T.text("rds_plain").format(label=n.id), where, code))
    elif p.s3 is None:
        yield n.id, (Outcome.kept(_T.text("s3_default")) if item.value == "required" else
                     Outcome.undecidable(_T.text("s3_unknown_kms"), c.where_node(n.id)))
    else:
        where = c.where_node(n.id, "s3", "encryption")
        if item.value == "kms" and p.s3.encryption == "sse-s3":
            yield n.id, Outcome.broken(_T.text("s3_not_kms").format(label=n.id, mode=p.s3.encryption), where,
                                       "S3_17_KMS_ENCRYPTION")
        else:
            yield n.id, Outcome.kept(_T.text("s3_mode").format(mode=p.s3.encryption.upper()), where)


@check("backup_retention_days", N_("バックアップ保持期間"), databases, lambda item: _("{value}日以上").format(value=item.value),
       ("RDS_11_BACKUP_RETENTION",), default=RETENTION_BASELINE)
def retention(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    spec, key = database_spec(c, n)
    days = spec.backup_retention_days
    where = c.where_node(n.id, key, "backup_retention_days")
    if days >= item.value:
        yield n.id, Outcome.kept(_T.text("retention_ok").format(days=days), where)
    else:
        yield n.id, Outcome.broken(_T.text("retention_short").format(label=n.id, days=days, needed=item.value), where,
                                   "RDS_11_BACKUP_RETENTION")


def _region_name(c: CheckContext, region: str) -> str:
    r = c.eg.ix.regions.get(region)
    return r.name if r else region


def _dr_expected(item) -> str:
    return _("{region}へ{frequency}コピー").format(region=item.region, frequency=_(_FREQ[item.frequency]))


@check("dr", N_("DR（災害復旧）コピー"), _primary_stores, _dr_expected,
       ("DR_COPY_MISSING", "DR_OUTSIDE_REGION", "DR_COPY_FREQUENCY"))
def dr_copy(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    if c.region(n.id) == item.region:
        return  # the store already lives in the DR region
    region = _region_name(c, item.region)
    found = copies(c, n.id)
    there = [cp for cp in found if cp.region == item.region]
    if there:
        cp = there[0]
        words = {"path": " → ".join(cp.path), "region": region, "needed": _(_FREQ[item.frequency]).removesuffix("で")}
        if cp.frequency is None:
            yield n.id, Outcome.undecidable(_T.text("copy_unknown_frequency").format(**words), cp.location)
        elif FREQUENCY_HOURS[cp.frequency] > FREQUENCY_HOURS[item.frequency]:
            yield n.id, Outcome.broken(_T.text("copy_rare").format(frequency=_(_FREQ[cp.frequency]).removesuffix("で"), **words),
                                       cp.location, "DR_COPY_FREQUENCY")
        else:
            yield n.id, Outcome.kept(_T.text("copy_ok").format(frequency=_(_FREQ[cp.frequency]), **words), cp.location)
    elif found:
        cp = found[0]
        yield n.id, Outcome.broken(_T.text("copy_elsewhere").format(target=cp.target, region=_region_name(c, cp.region),
                                                               dr_region=item.region),
                                   c.where_node(cp.target, "region"), "DR_OUTSIDE_REGION")
    else:
        parts = [p.id for p in c.nodes() if p.part_of == n.id and any(cp.region == item.region for cp in copies(c, p.id))]
        reason = _T.text("copy_missing").format(label=n.id, region=region)
        if parts:
            reason += _T.text("copy_partial").format(parts=", ".join(parts))
        yield n.id, Outcome.broken(reason, c.where_node(n.id), "DR_COPY_MISSING")


@check("rpo", N_("RPO（目標復旧時点）"), _primary_stores, lambda item: _("{hours}時間以内").format(hours=item.hours), ("DR_RPO_NOT_MET",))
def rpo(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    found = copies(c, n.id)
    timed = sorted((FREQUENCY_HOURS[cp.frequency], cp) for cp in found if cp.frequency is not None)
    if not found:
        yield n.id, Outcome.broken(_T.text("rpo_no_copy").format(label=n.id), c.where_node(n.id), "DR_RPO_NOT_MET")
    elif not timed:
        yield n.id, Outcome.undecidable(_T.text("rpo_unknown"), found[0].location)
    else:
        hours, cp = timed[0]
        words = {"region": _region_name(c, cp.region), "frequency": _(_FREQ[cp.frequency]).removesuffix("で"),
                 "hours": hours, "needed": item.hours}
        if hours <= item.hours:
            yield n.id, Outcome.kept(_T.text("rpo_ok").format(**words), cp.location)
        else:
            yield n.id, Outcome.broken(_T.text("rpo_too_long").format(**words), cp.location, "DR_RPO_NOT_MET")


@check("rto", N_("RTO（目標復旧時間）"), lambda c: [None], lambda item: _("{hours}時間以内").format(hours=item.hours), ())
def rto(c: CheckContext, n: None, item) -> Iterator[tuple[str, Outcome]]:
    yield "", Outcome.undecidable(_T.text("rto"))
