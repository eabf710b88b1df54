"""Component specifications (Fargate, RDS, Cognito, ALB, WAF, schedules, batch)
and the connectivity specs (Client VPN, Direct Connect gateway)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from model.schema.base import Cidr, Id, Port, Strict, Text

__all__ = ["TaskCount", "FargateSpec", "RDS_ENGINES", "rds_engine", "RdsSpec", "CognitoGroup", "PasswordPolicy", "LambdaTrigger", "CognitoSpec", "Listener", "TargetGroup", "HealthCheck", "AlbSpec", "WafRule", "WafSpec", "Schedule", "ScheduleSpec", "BatchSpec", "AuthorizationRule", "ClientVpnSpec", "DxGatewaySpec", "S3Spec"]


class TaskCount(Strict):
    min: Annotated[StrictInt, Field(ge=0)]
    """Minimum number of running tasks."""
    max: Annotated[StrictInt, Field(ge=0)]
    """Maximum number of running tasks (Auto Scaling upper bound)."""


class FargateSpec(Strict):
    cpu: Annotated[StrictInt, Field(gt=0)]
    """Task CPU units (1024 = 1 vCPU)."""
    memory_mb: Annotated[StrictInt, Field(gt=0)]
    """Task memory in MiB."""
    tasks: TaskCount
    """Desired task count range."""
    autoscaling: StrictBool
    """True when service Auto Scaling adjusts the task count."""
    container_port: Port
    """The port the container listens on."""


RDS_ENGINES = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306, "oracle": 1521, "sqlserver": 1433}
"""RDS engine family -> the port the engine listens on by default."""


def rds_engine(text: str) -> str | None:
    """The engine family of an engine name as written ('PostgreSQL 15', 'SQL Server', 'oracle-ee').

    >>> [rds_engine(x) for x in ("PostgreSQL", "MySQL", "MariaDB", "Oracle EE", "SQL Server", "db2")]
    ['postgresql', 'mysql', 'mariadb', 'oracle', 'sqlserver', None]
    """
    flat = "".join(ch for ch in text.lower() if ch.isalnum())
    for family, words in (("postgresql", ("postgres",)), ("mariadb", ("mariadb",)), ("mysql", ("mysql",)),
                          ("oracle", ("oracle",)), ("sqlserver", ("sqlserver", "mssql"))):
        if any(w in flat for w in words):
            return family
    return None


class RdsSpec(Strict):
    engine: Text
    """Database engine as written, e.g. 'PostgreSQL', 'MySQL', 'MariaDB', 'Oracle', 'SQL Server'."""
    engine_version: Text
    """Engine major version, e.g. '15'."""
    instance_class: Text
    """DB instance class, e.g. 'db.t3.micro'."""
    storage_gb: Annotated[StrictInt, Field(gt=0)]
    """Allocated storage in GiB."""
    storage_type: Text
    """Storage type, e.g. 'GP3'."""
    storage_autoscaling: StrictBool
    """True when storage autoscaling is enabled."""
    multi_az: StrictBool
    """True for a Multi-AZ deployment (a standby in another AZ)."""
    backup_retention_days: Annotated[StrictInt, Field(ge=0, le=35)]
    """Automated backup retention in days (0 disables backups; at most 35)."""
    encryption: StrictBool
    """True when storage is encrypted at rest."""
    encryption_note: Text | None = None
    """How or why, as the document says (e.g. 'KMS', 'コスト削減')."""
    performance_insights: StrictBool | None = None
    """True when Performance Insights is on; None: the document does not say."""
    subnet_group: tuple[Id, ...]
    """Subnets of the DB subnet group (AWS requires two AZs or more)."""
    publicly_accessible: StrictBool = False
    """True when the instance gets a public address."""
    port: Port | None = None
    """The port the instance listens on; None: the engine's default (PostgreSQL 5432, MySQL and
    MariaDB 3306, Oracle 1521, SQL Server 1433)."""

    def listen_port(self) -> int | None:
        """The port the instance accepts connections on (None: an engine of unknown family)."""
        if self.port is not None:
            return self.port
        family = rds_engine(self.engine)
        return RDS_ENGINES[family] if family else None


class CognitoGroup(Strict):
    name: Text
    """Group name."""
    description: Text
    """Who the group is for."""


class PasswordPolicy(Strict):
    min_length: Annotated[StrictInt, Field(ge=6, le=99)]
    """Minimum password length (6-99)."""
    require_uppercase: StrictBool
    """An uppercase letter is required."""
    require_lowercase: StrictBool
    """A lowercase letter is required."""
    require_numbers: StrictBool
    """A digit is required."""
    require_symbols: StrictBool
    """A symbol is required."""


class LambdaTrigger(Strict):
    trigger: Text
    """The Cognito trigger, e.g. 'Pre Sign-up'."""
    purpose: Text
    """What the Lambda function does there."""


class CognitoSpec(Strict):
    user_pools: Annotated[StrictInt, Field(ge=1)]
    """Number of user pools."""
    groups: tuple[CognitoGroup, ...]
    """User groups."""
    mfa: Literal["off", "optional", "required"]
    """'off', 'optional' or 'required'."""
    password_policy: PasswordPolicy
    """Password rules."""
    lambda_triggers: tuple[LambdaTrigger, ...] = ()
    """Lambda triggers of the user pool."""


class Listener(Strict):
    protocol: Literal["HTTP", "HTTPS"]
    """'HTTP' or 'HTTPS'."""
    port: Port
    """The port the listener accepts connections on."""
    action: Literal["redirect", "forward"]
    """'forward' to target groups or 'redirect' to another protocol/port."""
    redirect_protocol: Literal["HTTP", "HTTPS"] | None = None
    """Protocol of a redirect action."""
    redirect_port: Port | None = None
    """Port of a redirect action."""
    target_groups: tuple[Id, ...] = ()
    """Target group ids a forward action sends to."""


class TargetGroup(Strict):
    id: Id
    """Stable id listeners refer to."""
    name: Text
    """Display name."""
    path: Text
    """Path pattern routed to this group, e.g. '/api/*'."""
    target: Id
    """The node (ECS service) registered in this target group."""
    protocol: Literal["HTTP", "HTTPS"] = "HTTP"
    """'HTTP' or 'HTTPS' towards the targets."""
    port: Port
    """Port on the targets the load balancer connects to."""


class HealthCheck(Strict):
    path: Text
    """HTTP path of the health check."""
    interval_seconds: Annotated[StrictInt, Field(ge=5, le=300)]
    """Seconds between checks (5-300)."""
    timeout_seconds: Annotated[StrictInt, Field(ge=2, le=120)]
    """Seconds before a check fails (2-120)."""
    port: Port | None = None
    """Port the health check connects to on the targets; None: the target group's port (traffic-port)."""


class AlbSpec(Strict):
    scheme: Literal["internet-facing", "internal"]
    """'internet-facing' (public addresses) or 'internal'."""
    listeners: tuple[Listener, ...]
    """Listeners by port."""
    target_groups: tuple[TargetGroup, ...]
    """Target groups."""
    health_check: HealthCheck
    """Health check used by the target groups."""


class WafRule(Strict):
    id: Id
    """Stable id of the rule."""
    name: Text
    """Display name."""
    priority: Annotated[StrictInt, Field(ge=0)]
    """Evaluation order: lower numbers first."""
    kind: Literal["managed-sqli", "managed-xss", "rate-based", "geo-allow", "geo-block"]
    """Rule type: managed SQLi/XSS rule sets, rate-based, geo allow or geo block."""
    limit: Annotated[StrictInt, Field(ge=10)] | None = None
    """Requests per window and aggregation key above which a rate-based rule blocks."""
    window_seconds: Literal[60, 120, 300, 600] | None = None
    """Evaluation window of a rate-based rule (60, 120, 300 or 600 seconds)."""
    aggregate: Literal["ip"] | None = None
    """What a rate-based rule counts per ('ip')."""
    countries: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")], ...] = ()
    """Country codes of a geo rule."""


class WafSpec(Strict):
    protects: Id
    """The node (load balancer) the web ACL is associated with."""
    default_action: Literal["allow", "block"]
    """'allow' or 'block' when no rule matches."""
    rules: tuple[WafRule, ...]
    """Rules in priority order."""
    assumption: Id | None = None
    """The assumption the rules' order or actions rely on."""


class Schedule(Strict):
    id: Id
    """Stable id of the schedule."""
    name: Text
    """Display name."""
    expression: Annotated[str, StringConstraints(pattern=r"^(cron|rate)\(.+\)$")]
    """EventBridge schedule expression: 'cron(...)' or 'rate(...)'."""
    description: Text
    """When it runs, in words."""
    target: Id
    """The node the schedule starts."""


class ScheduleSpec(Strict):
    schedules: tuple[Schedule, ...]
    """The schedules of this EventBridge node."""


class BatchSpec(Strict):
    cpu: Annotated[StrictInt, Field(gt=0)]
    """Task CPU units (1024 = 1 vCPU)."""
    memory_mb: Annotated[StrictInt, Field(gt=0)]
    """Task memory in MiB."""
    timeout_hours: Annotated[StrictInt, Field(gt=0)]
    """Maximum run time in hours."""


class AuthorizationRule(Strict):
    destination: Cidr
    """Destination CIDR the rule authorizes."""
    groups: tuple[Text, ...] = ()
    """Empty: all users."""


class ClientVpnSpec(Strict):
    client_cidr: Id
    """A named CIDR (e.g. 'VPN CIDR') the clients' addresses come from."""
    associated_subnets: tuple[Id, ...]
    """Target network subnets the endpoint is associated with (one per AZ for HA)."""
    authorization_rules: tuple[AuthorizationRule, ...]
    """Which destinations clients may reach."""
    routes: tuple[Cidr, ...] = ()
    """The endpoint's route table: destination CIDRs it forwards into its associated subnets."""
    split_tunnel: StrictBool | None = None
    """True: only ``routes`` are pushed to clients, the rest uses the client's own network;
    False: full tunnel, all client traffic enters the endpoint (internet access then needs a
    0.0.0.0/0 route, an authorization rule and a route from the associated subnets to an IGW or
    NAT gateway). None (not stated): full tunnel when a route covers 0.0.0.0/0, else split
    tunnel assumed (``SPLIT_TUNNEL_ASSUMED``)."""
    transport: Literal["udp", "tcp"] = "udp"
    """The endpoint's VPN transport protocol (one per endpoint; AWS's default is UDP)."""
    vpn_port: Literal[443, 1194] = 443
    """The endpoint's VPN port (AWS allows 443 or 1194)."""
    assumption: Id | None = None
    """The assumption the endpoint's settings rely on."""

    def full_tunnel(self) -> bool:
        """True when every client request enters the endpoint: split tunnel off, or a route covering
        0.0.0.0/0 (a route whose CIDR has prefix length 0)."""
        return self.split_tunnel is False or any(r.strip().endswith("/0") for r in self.routes)


class DxGatewaySpec(Strict):
    site: Id
    """The on-premises site connected over Direct Connect."""
    allowed_prefixes: tuple[Cidr, ...]
    """Prefixes advertised to the site over a transit VIF (the DXGW-TGW association's allowed prefixes)."""
    tgw: Id | None = None
    """The TGW associated with the DX gateway (transit VIF)."""
    vgws: tuple[Id, ...] = ()
    """Virtual private gateways associated with the DX gateway (private VIF): each VGW's VPC is reached."""
    vif: Text
    """The virtual interface type as the document names it ('Transit VIF', 'Private VIF')."""
    assumption: Id | None = None
    """The assumption this connection relies on."""


class S3Spec(Strict):
    encryption: Literal["sse-s3", "sse-kms", "dsse-kms"]
    """Default encryption: 'sse-s3' (S3-managed keys, AWS's default), 'sse-kms' or 'dsse-kms' (AWS KMS keys)."""
    block_public_access: StrictBool
    """True when all four S3 Block Public Access settings are on for the bucket."""
    versioning: StrictBool | None = None
    """True when versioning is enabled; None: the document does not say."""
