"""Availability requirements: Multi-AZ, surviving the loss of one AZ, minimum tasks, Auto Scaling.

* ``multi_az`` - an RDS instance is Multi-AZ (``RDS_5_MULTI_AZ``, Security Hub RDS.5); an Aurora
  cluster has a reader to fail over to (``RDS_15_CLUSTER_MULTI_AZ``, RDS.15: with no replica, the
  writer's AZ going down stops the cluster until a new instance is created); an ECS
  service or task has subnets in two or more AZs (``ECS_SERVICE_SINGLE_AZ``, Well-Architected
  REL10).
* ``survive_az_loss`` - nothing stops with one AZ (``AZ_SINGLE_POINT_OF_FAILURE``): a database
  is Multi-AZ (an Aurora cluster has a reader), a service runs in two AZs with at least two
  tasks, a load balancer or Client VPN endpoint spans two AZs, and no subnet sends its internet
  traffic through a NAT gateway in another AZ (that AZ's loss cuts it off).
* ``min_tasks_per_service`` - ``ECS_SERVICE_MIN_TASKS``; ``autoscaling`` - ``ECS_SERVICE_AUTOSCALING``
  (Auto Scaling on and a maximum above the minimum).

A requirement declared ``false`` is kept whatever the configuration: it states that the
environment does not need it (a verification environment that is Single-AZ for cost).
"""

from __future__ import annotations

from typing import Any, Iterator

from analysis.requirements.rows import CheckContext, Outcome, check
from analysis.i18n import N_, Templates, _
from model.schema import Flag, Node, NodeKind

__all__ = ["databases", "database_spec", "services", "cross_az_nat", "production_multi_az", "PRODUCTION_MULTI_AZ"]

PRODUCTION_MULTI_AZ = Flag(value=True, statement=N_("AWS Well-Architected REL10: role: production の環境のワークロードは複数のAZに配置する"),
                           seed_ref="AWS Well-Architected")
"""What an environment marked ``role: production`` is held to where its document states nothing."""

_T = Templates({
    "not_required": N_("要求なし（宣言: {statement}）"),
    "rds_multi": N_("Multi-AZ（スタンバイあり）"),
    "rds_single": N_("{label} はSingle-AZ（multi_az: false）"),
    "aurora_readers": N_("リーダー {readers} 台（別のAZにフェイルオーバーできる）"),
    "aurora_single": N_("{label} にリーダーがない（readers: 0）: ライターのAZの障害で、新しいインスタンスができるまで止まる"),
    "azs_ok": N_("{count} AZ（{azs}）に配置"),
    "azs_single": N_("{label} のサブネットが {count} AZ（{azs}）のみ"),
    "min_tasks": N_("最小タスク数 {min} < {needed}"),
    "min_ok": N_("最小タスク数 {min}"),
    "no_autoscaling": N_("{label} のAuto Scalingが無効（autoscaling: false）"),
    "flat": N_("{label} のタスク数の上限と下限が同じ（{min}-{max}）で、負荷に応じて増えない"),
    "autoscaling_ok": N_("Auto Scaling有効（{min}-{max}）"),
    "cross_nat": N_("{subnet}（{az}）のインターネット向け通信が別AZ（{nat_az}）のNAT Gateway {nat} を通る"),
    "spof_ok": N_("1つのAZを失っても動き続ける（{how}）"),
})
_ECS = (NodeKind.ECS_SERVICE, NodeKind.ECS_TASK)


def databases(c: CheckContext) -> list[Node]:
    """Active RDS instances and Aurora clusters with a spec."""
    return [n for n in c.nodes() if n.at[c.env].rds is not None or n.at[c.env].aurora is not None]


def database_spec(c: CheckContext, n: Node) -> tuple[Any, str]:
    """A database's spec in the environment and its key: ``(rds, "rds")`` or ``(aurora, "aurora")``."""
    p = n.at[c.env]
    return (p.rds, "rds") if p.rds is not None else (p.aurora, "aurora")


def _aurora(c: CheckContext, n: Node, code: str) -> Outcome:
    spec = n.at[c.env].aurora
    where = c.where_node(n.id, "aurora", "readers")
    if spec.readers >= 1:
        return Outcome.kept(_T.text("aurora_readers").format(readers=spec.readers), where)
    return Outcome.broken(_T.text("aurora_single").format(label=n.id), where, code)


def services(c: CheckContext) -> list[Node]:
    """Active ECS services with a Fargate spec."""
    return [n for n in c.nodes() if n.at[c.env].fargate is not None]


def _yes_no(item) -> str:
    return _("必須") if item.value else _("不要")


def _azs(c: CheckContext, n: Node, code: str, minimum: int = 2) -> Outcome:
    azs = c.azs(n)
    words = {"label": n.id, "count": len(azs), "azs": ", ".join(azs)}
    if len(azs) >= minimum:
        return Outcome.kept(_T.text("azs_ok").format(**words), c.where_node(n.id, "subnets"))
    return Outcome.broken(_T.text("azs_single").format(**words), c.where_node(n.id, "subnets"), code)


def production_multi_az(c: CheckContext) -> Flag | None:
    """The baseline of an environment marked production that states nothing about Multi-AZ:
    Well-Architected REL10 (use fault isolation: deploy the workload to multiple AZs)."""
    return PRODUCTION_MULTI_AZ if c.eg.ix.envs[c.env].role == "production" else None


@check("multi_az", N_("Multi-AZ"), lambda c: databases(c) + [n for n in c.nodes() if n.kind in _ECS],
       _yes_no, ("RDS_5_MULTI_AZ", "RDS_15_CLUSTER_MULTI_AZ", "ECS_SERVICE_SINGLE_AZ"), default=production_multi_az)
def multi_az(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    spec = n.at[c.env].rds
    where = c.where_node(n.id, "rds", "multi_az") if spec is not None else c.where_node(n.id, "subnets")
    if not item.value:
        yield n.id, Outcome.kept(_T.text("not_required").format(statement=item.statement), where)
    elif n.at[c.env].aurora is not None:
        yield n.id, _aurora(c, n, "RDS_15_CLUSTER_MULTI_AZ")
    elif spec is not None:
        yield n.id, (Outcome.kept(_T.text("rds_multi"), where) if spec.multi_az else
                     Outcome.broken(_T.text("rds_single").format(label=n.id), where, "RDS_5_MULTI_AZ"))
    else:
        yield n.id, _azs(c, n, "ECS_SERVICE_SINGLE_AZ")


def cross_az_nat(c: CheckContext, n: Node) -> list[tuple[str, str, str, str]]:
    """(subnet, its AZ, NAT id, the NAT's AZ) where ``n``'s internet route uses a NAT of another AZ."""
    eg, out = c.eg, []
    for e in eg.enis.get(n.id, ()):
        rt = eg.subnet_rt.get(e.subnet)
        route = eg.rt_routes[rt].lookup(eg.addresses.internet) if rt in eg.rt_routes else None
        nat = eg.ix.nodes.get(route.target) if route is not None else None
        if nat is not None and nat.kind is NodeKind.NAT_GATEWAY and c.env in nat.at:
            nat_azs = c.azs(nat)
            if nat_azs and e.az not in nat_azs:
                out.append((e.subnet, e.az, nat.id, ", ".join(nat_azs)))
    return out


def _spof_components(c: CheckContext) -> list[Node]:
    stores = databases(c)
    return stores + [n for n in c.nodes() if n.id in c.eg.enis and n.kind is not NodeKind.NAT_GATEWAY
                     and n not in stores]


@check("survive_az_loss", N_("1つのAZの障害で止まらない"), _spof_components, _yes_no, ("AZ_SINGLE_POINT_OF_FAILURE",))
def survive_az_loss(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    code = "AZ_SINGLE_POINT_OF_FAILURE"
    p = n.at[c.env]
    if not item.value:
        yield n.id, Outcome.kept(_T.text("not_required").format(statement=item.statement), c.where_node(n.id))
        return
    if p.rds is not None:
        where = c.where_node(n.id, "rds", "multi_az")
        yield n.id, (Outcome.kept(_T.text("rds_multi"), where) if p.rds.multi_az else
                     Outcome.broken(_T.text("rds_single").format(label=n.id), where, code))
        return
    if p.aurora is not None:
        yield n.id, _aurora(c, n, code)
        return
    subnets = n.client_vpn.associated_subnets if n.client_vpn is not None else p.subnets
    azs = sorted({c.eg.ix.subnets[s].az for s in subnets})
    if len(azs) < 2:
        yield n.id, Outcome.broken(_T.text("azs_single").format(label=n.id, count=len(azs), azs=", ".join(azs)),
                                   c.where_node(n.id, "subnets"), code)
        return
    if p.fargate is not None and p.fargate.tasks.min < 2:
        yield n.id, Outcome.broken(_T.text("min_tasks").format(min=p.fargate.tasks.min, needed=2),
                                   c.where_node(n.id, "fargate", "tasks"), code)
        return
    for subnet, az, nat, nat_az in cross_az_nat(c, n):
        rt = c.eg.subnet_rt.get(subnet)
        yield n.id, Outcome.broken(_T.text("cross_nat").format(subnet=subnet, az=az, nat=nat, nat_az=nat_az),
                                   c.eg.rt_location.get(rt), code)
        return
    yield n.id, Outcome.kept(_T.text("spof_ok").format(how=", ".join(azs)), c.where_node(n.id, "subnets"))


@check("min_tasks_per_service", N_("ECSサービスの最小タスク数"), services, lambda item: _("{value}以上").format(value=item.value),
       ("ECS_SERVICE_MIN_TASKS",))
def min_tasks(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    tasks = n.at[c.env].fargate.tasks
    where = c.where_node(n.id, "fargate", "tasks")
    if tasks.min >= item.value:
        yield n.id, Outcome.kept(_T.text("min_ok").format(min=tasks.min), where)
    else:
        yield n.id, Outcome.broken(_T.text("min_tasks").format(min=tasks.min, needed=item.value), where,
                                   "ECS_SERVICE_MIN_TASKS")


@check("autoscaling", N_("ECS Auto Scaling"), services, _yes_no, ("ECS_SERVICE_AUTOSCALING",))
def autoscaling(c: CheckContext, n: Node, item) -> Iterator[tuple[str, Outcome]]:
    spec = n.at[c.env].fargate
    words = {"label": n.id, "min": spec.tasks.min, "max": spec.tasks.max}
    if not item.value:
        yield n.id, Outcome.kept(_T.text("not_required").format(statement=item.statement),
                                 c.where_node(n.id, "fargate", "autoscaling"))
    elif not spec.autoscaling:
        yield n.id, Outcome.broken(_T.text("no_autoscaling").format(**words), c.where_node(n.id, "fargate", "autoscaling"),
                                   "ECS_SERVICE_AUTOSCALING")
    elif spec.tasks.max <= spec.tasks.min:
        yield n.id, Outcome.broken(_T.text("flat").format(**words), c.where_node(n.id, "fargate", "tasks"),
                                   "ECS_SERVICE_AUTOSCALING")
    else:
        yield n.id, Outcome.kept(_T.text("autoscaling_ok").format(**words), c.where_node(n.id, "fargate", "autoscaling"))
