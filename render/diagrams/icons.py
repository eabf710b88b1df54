"""Icons for every node kind, taken from the installed ``diagrams`` package.

The DOT kept in ``docs/diagrams`` must not depend on where the venv lives, so a node's
``image`` is a stable token relative to the package's ``resources`` folder (e.g.
``aws/network/nat-gateway.png``). :func:`prepare_icons` writes small copies of exactly
those files into a folder that is passed to ``dot`` as ``-Gimagepath``: icons drawn at
their natural size (``imagescale=false``) leave room for the label under them, which a
scaled 200-px icon would cover.

>>> ICONS["nat-gateway"]
'aws/network/nat-gateway.png'
>>> ICONS["actor"]
'aws/general/user.png'
"""

from __future__ import annotations

import importlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

__all__ = ["ICONS", "ENGINE_ICONS", "ICON_PX", "icon_for", "resources_dir", "prepare_icons", "icon_cache_dir"]

ICON_PX = 56
"""Icon edge in pixels; at the DOT's ``dpi=88`` this is about 0.64 inch."""

_CLASSES: dict[str, str] = {
    "client-vpn": "aws.network.ClientVpn",
    "tgw": "aws.network.TransitGateway",
    "tgw-attachment": "aws.network.TransitGatewayAttachment",
    "dx-gateway": "aws.network.DirectConnect",
    "igw": "aws.network.InternetGateway",
    "nat-gateway": "aws.network.NATGateway",
    "alb": "aws.network.ALB",
    "waf": "aws.security.WAF",
    "ecs-cluster": "aws.compute.Fargate",
    "ecs-service": "aws.compute.Fargate",
    "ecs-task": "aws.compute.ElasticContainerServiceTask",
    "rds": "aws.database.RDSInstance",
    "ecr": "aws.compute.ECR",
    "cloudwatch": "aws.management.Cloudwatch",
    "cloudwatch-metrics": "aws.management.Cloudwatch",
    "cloudwatch-logs": "aws.management.CloudwatchLogs",
    "cloudwatch-alarms": "aws.management.CloudwatchAlarm",
    "cognito": "aws.security.Cognito",
    "ses": "aws.engagement.SES",
    "s3": "aws.storage.S3",
    "secrets-manager": "aws.security.SecretsManager",
    "guardduty": "aws.security.Guardduty",
    "config": "aws.management.Config",
    "eventbridge": "aws.integration.Eventbridge",
    "bedrock": "aws.ml.Bedrock",
    "sns": "aws.integration.SNS",
    "email": "aws.general.Client",
    "chat": "saas.chat.Slack",
    "git-repository": "onprem.vcs.Github",
    "git-branch": "onprem.vcs.Git",
    "ci-job": "onprem.ci.GithubActions",
    "approval": "aws.general.Users",
    "ec2-instance": "aws.compute.EC2Instance",
    "autoscaling-group": "aws.compute.EC2AutoScaling",
    "ecs-ec2-service": "aws.compute.ElasticContainerServiceService",
    "elasticache": "aws.database.ElastiCache",
    "aurora": "aws.database.Aurora",
    "nlb": "aws.network.NLB",
    "vpc-endpoint": "aws.network.Endpoint",
    "vpc-peering": "aws.network.VPCPeering",
    "vgw": "aws.network.VpnGateway",
    "customer-gateway": "aws.network.VPCCustomerGateway",
    "vpn-connection": "aws.network.SiteToSiteVpn",
    "network-firewall": "aws.network.NetworkFirewall",
    "lambda": "aws.compute.Lambda",
    "dynamodb": "aws.database.Dynamodb",
    "api-gateway": "aws.network.APIGateway",
    "cloudfront": "aws.network.CloudFront",
    "sqs": "aws.integration.SQS",
    "efs": "aws.storage.EFS",
    "actor": "aws.general.User",
    "eni": "aws.network.VPCElasticNetworkInterface",
}

_ENGINE_CLASSES: dict[str, str] = {
    "rds:postgresql": "aws.database.RDSPostgresqlInstance",
    "rds:mysql": "aws.database.RDSMysqlInstance",
    "rds:mariadb": "aws.database.RDSMariadbInstance",
    "rds:oracle": "aws.database.RDSOracleInstance",
    "rds:sqlserver": "aws.database.RDSSqlServerInstance",
    "rds:": "aws.database.RDSInstance",
    "aurora:aurora-mysql": "aws.database.Aurora",
    "aurora:aurora-postgresql": "aws.database.Aurora",
    "elasticache:redis": "aws.database.ElasticacheForRedis",
    "elasticache:valkey": "aws.database.ElasticacheForRedis",
    "elasticache:memcached": "aws.database.ElasticacheForMemcached",
}
"""``kind:engine`` -> class: a database is drawn with its engine's icon ('rds:' an engine of
unknown family). A kind with no entry here uses the kind's icon."""


def _token(dotted: str) -> str:
    module, _, name = dotted.rpartition(".")
    cls = getattr(importlib.import_module("diagrams." + module), name)
    icon_dir = cls._icon_dir.removeprefix("resources/")
    return f"{icon_dir}/{cls._icon}"


ICONS: dict[str, str] = {kind: _token(path) for kind, path in _CLASSES.items()}
"""Node kind (or 'actor', or 'eni' for a placement mark) -> icon token relative to the diagrams resources folder."""
ENGINE_ICONS: dict[str, str] = {key: _token(path) for key, path in _ENGINE_CLASSES.items()}
"""``kind:engine`` -> icon token (see ``_ENGINE_CLASSES``)."""

_TOKEN = re.compile(r"^[a-z0-9_-]+(?:/[a-z0-9_.-]+)*\.png$")


def icon_for(kind: str, engine: str | None = None) -> str:
    """The icon of a node ``kind``; with ``engine`` (a database engine family), that engine's icon.

    >>> icon_for("rds", "mysql")
    'aws/database/rds-mysql-instance.png'
    >>> icon_for("rds", "")
    'aws/database/rds-instance.png'
    >>> icon_for("sqs") == icon_for("sqs", "anything")
    True
    """
    if engine is not None:
        return ENGINE_ICONS.get(f"{kind}:{engine}", ICONS[kind])
    return ICONS[kind]


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """The ``resources`` folder of the installed diagrams package."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent / "resources"


def icon_cache_dir(px: int = ICON_PX) -> Path:
    """Where resized icons are kept between runs (``$ARCHDOC_CACHE`` or ``~/.cache/archdoc``).

    Resizing is ~10 % of a full render; the copies depend only on the diagrams version and ``px``.
    """
    import diagrams

    from render.cache import cache_root

    version = getattr(diagrams, "__version__", "0")
    return cache_root() / f"icons-diagrams-{version}-{px}px"


def prepare_icons(tokens: set[str], folder: Path, px: int = ICON_PX) -> Path:
    """Write ``px``-sized copies of the icons named by ``tokens`` under ``folder``; return it.

    Deterministic (same input bytes, same resampling), so PNG/SVG outputs stay byte-identical.
    """
    from PIL import Image

    for token in sorted(tokens):
        if not _TOKEN.match(token):  # tokens come from ICONS; never a path out of resources/
            raise ValueError(f"not an icon token: {token!r}")
        target = folder / token
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(resources_dir() / token) as img:
            img = img.convert("RGBA")
            img.thumbnail((px, px), Image.Resampling.LANCZOS)
            canvas = Image.new("RGBA", (px, px), (0, 0, 0, 0))
            canvas.paste(img, ((px - img.width) // 2, (px - img.height) // 2))
            partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            canvas.save(partial, format="PNG")
            os.replace(partial, target)  # atomic: parallel builds never see half an icon
    return folder
