"""Rules of the managed services whose AWS constraints the schema cannot express alone.

* ``E080`` - a managed-service spec names nodes of the kind AWS allows there: an API's
  integrations are Lambda functions, load balancers or services, its authorizer a Cognito
  user pool or a Lambda function; a distribution's origins are S3 buckets, APIs or load
  balancers; a function's triggers are queues, APIs, EventBridge or S3; a dead-letter queue
  is another SQS queue.
* ``E081`` - an RDS instance names an engine of a known family (PostgreSQL, MySQL, MariaDB,
  Oracle, SQL Server) or states its ``port``: the port the instance listens on is decided
  from either.
* ``E082`` - an EFS file system has at most one mount target (placement subnet) per AZ,
  exactly one for EFS One Zone.

>>> from model.rules.registry import RULES
>>> [r.code for r in RULES if r.func.__module__ == __name__]
['E080', 'E081', 'E082']
"""

from __future__ import annotations

from typing import Iterator

from model.rules.registry import Ctx, RuleHit, rule
from model.schema import NodeKind, rds_engine

__all__ = ["spec_kinds", "rds_engines", "efs_mount_targets"]

_K = NodeKind
_ALLOWED: dict[tuple[str, str], frozenset[NodeKind]] = {
    ("api_gateway", "integrations"): frozenset({_K.LAMBDA, _K.ALB, _K.NLB, _K.SQS, _K.DYNAMODB, _K.ECS_SERVICE,
                                                _K.ECS_EC2_SERVICE, _K.EC2_INSTANCE, _K.AUTOSCALING_GROUP}),
    ("api_gateway", "authorizer"): frozenset({_K.COGNITO, _K.LAMBDA}),
    ("cloudfront", "origins"): frozenset({_K.S3, _K.API_GATEWAY, _K.ALB, _K.NLB, _K.LAMBDA, _K.EC2_INSTANCE}),
    ("function", "triggers"): frozenset({_K.SQS, _K.API_GATEWAY, _K.EVENTBRIDGE, _K.S3, _K.SNS, _K.DYNAMODB,
                                         _K.ALB, _K.COGNITO}),
    ("sqs", "dead_letter_queue"): frozenset({_K.SQS}),
}


@rule("E080", "a managed-service spec names nodes of an allowed kind (API integrations, origins, triggers, DLQ)")
def spec_kinds(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        for (key, field), kinds in _ALLOWED.items():
            spec = getattr(node, key)
            if spec is None:
                continue
            value = getattr(spec, field)
            for j, ref in (enumerate(value) if isinstance(value, tuple) else [(None, value)]):
                target = c.get("nodes", ref)
                if target is None or target.kind in kinds:
                    continue  # a missing node is E050's
                where = ("nodes", i, key, field) + ((j,) if j is not None else ())
                allowed = ", ".join(sorted(k.value for k in kinds))
                yield where, (f"'{field}' of node '{node.id}' names '{ref}' of kind '{target.kind.value}'; "
                              f"allowed: {allowed}")
        if node.sqs is not None and node.sqs.dead_letter_queue == node.id:
            yield ("nodes", i, "sqs", "dead_letter_queue"), f"queue '{node.id}' cannot be its own dead-letter queue"


@rule("E081", "an RDS instance names an engine of a known family (PostgreSQL, MySQL, MariaDB, Oracle, SQL Server) "
              "or states its port")
def rds_engines(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        for env, pl in node.at.items():
            spec = pl.rds
            if spec is not None and spec.port is None and rds_engine(spec.engine) is None:
                yield ("nodes", i, "at", env, "rds", "engine"), (
                    f"engine '{spec.engine}' is not PostgreSQL, MySQL, MariaDB, Oracle or SQL Server: "
                    "state the instance's 'port'")


@rule("E082", "an EFS file system has at most one mount target (placement subnet) per AZ, exactly one for One Zone")
def efs_mount_targets(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        if node.kind is not NodeKind.EFS:
            continue
        one_zone = node.efs is not None and node.efs.one_zone
        for env, pl in node.at.items():
            seen: dict[str, str] = {}
            for j, sid in enumerate(pl.subnets):
                subnet = c.get("subnets", sid)
                if subnet is None:
                    continue  # E050
                if subnet.az in seen:
                    yield ("nodes", i, "at", env, "subnets", j), (
                        f"subnet '{sid}' is a second mount target in {subnet.az} (first: '{seen[subnet.az]}')")
                seen.setdefault(subnet.az, sid)
            if one_zone and len(pl.subnets) != 1:
                yield ("nodes", i, "at", env, "subnets"), (
                    f"an EFS One Zone file system has exactly one mount target, not {len(pl.subnets)}")
