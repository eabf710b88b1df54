"""The typed model of both environments: frozen pydantic v2 classes, ``extra="forbid"``.

One ``Model`` holds everything archdoc publishes. Things the environments share are
written once; where they differ, a per-environment ``at`` entry says how. Every list
item has a kebab-case ``id`` that tests, intents and users rely on.

The classes describe *structure* only; cross-reference and network rules (dangling
ids, CIDR containment, overlaps) live in :mod:`model.rules` so that each has a stable code.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

__all__ = [
    "Model", "Document", "Revision", "Assumption", "Environment", "Region", "Account",
    "Site", "Vpc", "Subnet", "NamedCidr", "SecurityGroup", "SgRule", "Nacl", "NaclRule",
    "RouteTable", "Route", "TgwRouteTable", "TgwRoute", "Node", "Placement", "NodeKind",
    "Actor", "Flow", "FlowKind", "Intent", "View", "ViewBox", "ViewMerge",
    "FargateSpec", "RdsSpec", "CognitoSpec", "AlbSpec", "WafSpec", "WafRule",
    "ScheduleSpec", "BatchSpec", "ClientVpnSpec", "DxGatewaySpec", "PortRange", "Id",
]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Cidr = Annotated[str, StringConstraints(min_length=1, max_length=64)]  # parsed by rules (E02x)
Port = Annotated[StrictInt, Field(ge=0, le=65535)]


class Strict(BaseModel):
    """Base: frozen, unknown keys are errors; ints and bools are strict (no "443" -> 443)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- document

class Revision(Strict):
    version: Text
    date: _dt.date
    author: Text
    summary: Text


class Document(Strict):
    title: Text
    version: Text
    status: Text
    created: _dt.date
    approver: Text | None = None
    """承認者: empty until the document is approved (the seed leaves it blank)."""
    approval_date: _dt.date | None = None
    approval_placeholder: Text = "（承認後に記入）"
    revisions: tuple[Revision, ...] = ()


class Assumption(Strict):
    """Where the seed is silent or ambiguous, the value archdoc chose, with its reason."""

    id: Id
    title: Text
    statement: Text
    value: Text
    kind: Literal["assumption", "contradiction"] = "assumption"
    seed_ref: Text | None = None
    """Where in the seed the gap or contradiction is (section number)."""


# ---------------------------------------------------------------- places

class Environment(Strict):
    id: Id
    name: Text
    short: Text
    """Short name used in derived sentences, e.g. 'POC' in 'POCで検証済み'."""
    role: Literal["verification", "production"]
    section: int
    """Section number of the seed that describes this environment (1 POC, 2 production)."""
    characteristics: tuple[Text, ...] = ()
    baseline: Id | None = None
    """The environment this one migrates from (section 9 compares them)."""


class Region(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d$")]
    name: Text
    azs: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[a-z]+-\d[a-z]$")], ...]


class Account(Strict):
    id: Id
    env: Id
    name: Text
    role_label: Text
    """How section 9 names the account in a list, e.g. '共有系' or '本番用'."""
    short: Text
    """How section 9 names it as a destination, e.g. '本番アカウント'."""


class Site(Strict):
    """A place outside AWS: an on-premises site or the internet."""

    id: Id
    name: Text
    kind: Literal["onprem", "internet", "saas"]
    envs: tuple[Id, ...]
    cidrs: tuple[Cidr, ...] = ()
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    assumption: Id | None = None


class Vpc(Strict):
    id: Id
    env: Id
    account: Id
    region: str
    name: Text
    role: Id
    """Matches the same VPC across environments (section 9: '共有系VPC', 'アプリ系VPC')."""
    role_name: Text
    cidr: Cidr
    assumption: Id | None = None


class Subnet(Strict):
    id: Id
    vpc: Id
    name: Text
    cidr: Cidr
    az: str
    tier: Literal["public", "private-app", "private-db"]


class NamedCidr(Strict):
    """A name the seed uses instead of a CIDR ('VPC CIDR', 'VPN CIDR'), valued per environment."""

    id: Id
    label: Text
    values: dict[Id, Cidr]
    assumption: Id | None = None


# ---------------------------------------------------------------- filtering

class PortRange(Strict):
    start: Port = Field(alias="from")
    end: Port = Field(alias="to")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SgRule(Strict):
    direction: Literal["inbound", "outbound"]
    protocol: Literal["tcp", "udp", "all"]
    port: Port | PortRange | None = None
    """A single port, a range, or none for protocol 'all'."""
    cidr: Cidr | None = None
    named: Id | None = None
    sg: Id | None = None
    purpose: Text
    envs: tuple[Id, ...] | None = None
    """Restricts the rule to these environments (None: every environment of the group)."""


class SecurityGroup(Strict):
    id: Id
    name: Text
    section: Text
    envs: tuple[Id, ...]
    rules: tuple[SgRule, ...] = ()
    no_outbound_note: Text | None = None
    """How the seed states an empty outbound list ('なし')."""
    assumption: Id | None = None


class NaclRule(Strict):
    number: Annotated[StrictInt, Field(ge=1, le=32766)]
    direction: Literal["inbound", "outbound"]
    protocol: Literal["tcp", "udp", "all"]
    port: Port | PortRange | None = None
    cidr: Cidr
    action: Literal["allow", "deny"]


class Nacl(Strict):
    id: Id
    vpc: Id
    subnets: tuple[Id, ...]
    rules: tuple[NaclRule, ...] = ()


class Route(Strict):
    destination: Cidr | None = None
    named: Id | None = None
    target: Id
    """A node id (igw, nat-a, tgw, ...), or 'local'."""


class RouteTable(Strict):
    id: Id
    vpc: Id
    name: Text
    subnets: tuple[Id, ...]
    routes: tuple[Route, ...] = ()
    assumption: Id | None = None


class TgwRoute(Strict):
    destination: Cidr
    attachment: Id | None = None
    blackhole: StrictBool = False


class TgwRouteTable(Strict):
    id: Id
    env: Id
    tgw: Id
    name: Text
    associations: tuple[Id, ...]
    propagations: tuple[Id, ...] = ()
    routes: tuple[TgwRoute, ...] = ()
    assumption: Id | None = None


# ---------------------------------------------------------------- component specs (section 5)

class TaskCount(Strict):
    min: Annotated[StrictInt, Field(ge=0)]
    max: Annotated[StrictInt, Field(ge=0)]


class FargateSpec(Strict):
    cpu: Annotated[StrictInt, Field(gt=0)]
    memory_mb: Annotated[StrictInt, Field(gt=0)]
    tasks: TaskCount
    autoscaling: StrictBool
    container_port: Port


class RdsSpec(Strict):
    engine: Text
    engine_version: Text
    instance_class: Text
    storage_gb: Annotated[StrictInt, Field(gt=0)]
    storage_type: Text
    storage_autoscaling: StrictBool
    multi_az: StrictBool
    backup_retention_days: Annotated[StrictInt, Field(ge=0, le=35)]
    encryption: StrictBool
    encryption_note: Text | None = None
    performance_insights: StrictBool | None = None
    """None: the seed does not say."""
    subnet_group: tuple[Id, ...]
    publicly_accessible: StrictBool = False


class CognitoGroup(Strict):
    name: Text
    description: Text


class PasswordPolicy(Strict):
    min_length: Annotated[StrictInt, Field(ge=6, le=99)]
    require_uppercase: StrictBool
    require_lowercase: StrictBool
    require_numbers: StrictBool
    require_symbols: StrictBool


class LambdaTrigger(Strict):
    trigger: Text
    purpose: Text


class CognitoSpec(Strict):
    user_pools: Annotated[StrictInt, Field(ge=1)]
    groups: tuple[CognitoGroup, ...]
    mfa: Literal["off", "optional", "required"]
    password_policy: PasswordPolicy
    lambda_triggers: tuple[LambdaTrigger, ...] = ()


class Listener(Strict):
    protocol: Literal["HTTP", "HTTPS"]
    port: Port
    action: Literal["redirect", "forward"]
    redirect_protocol: Literal["HTTP", "HTTPS"] | None = None
    redirect_port: Port | None = None
    target_groups: tuple[Id, ...] = ()


class TargetGroup(Strict):
    id: Id
    name: Text
    path: Text
    target: Id
    """The node (ECS service) registered in this target group."""
    protocol: Literal["HTTP", "HTTPS"] = "HTTP"
    port: Port


class HealthCheck(Strict):
    path: Text
    interval_seconds: Annotated[StrictInt, Field(ge=5, le=300)]
    timeout_seconds: Annotated[StrictInt, Field(ge=2, le=120)]


class AlbSpec(Strict):
    scheme: Literal["internet-facing", "internal"]
    listeners: tuple[Listener, ...]
    target_groups: tuple[TargetGroup, ...]
    health_check: HealthCheck


class WafRule(Strict):
    id: Id
    name: Text
    priority: Annotated[StrictInt, Field(ge=0)]
    kind: Literal["managed-sqli", "managed-xss", "rate-based", "geo-allow", "geo-block"]
    limit: Annotated[StrictInt, Field(ge=10)] | None = None
    window_seconds: Literal[60, 120, 300, 600] | None = None
    aggregate: Literal["ip"] | None = None
    countries: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")], ...] = ()


class WafSpec(Strict):
    protects: Id
    default_action: Literal["allow", "block"]
    rules: tuple[WafRule, ...]
    assumption: Id | None = None


class Schedule(Strict):
    id: Id
    name: Text
    expression: Annotated[str, StringConstraints(pattern=r"^(cron|rate)\(.+\)$")]
    description: Text
    target: Id


class ScheduleSpec(Strict):
    schedules: tuple[Schedule, ...]


class BatchSpec(Strict):
    cpu: Annotated[StrictInt, Field(gt=0)]
    memory_mb: Annotated[StrictInt, Field(gt=0)]
    timeout_hours: Annotated[StrictInt, Field(gt=0)]


class AuthorizationRule(Strict):
    destination: Cidr
    groups: tuple[Text, ...] = ()
    """Empty: all users."""


class ClientVpnSpec(Strict):
    client_cidr: Id
    """A named CIDR (the seed's 'VPN CIDR')."""
    associated_subnets: tuple[Id, ...]
    authorization_rules: tuple[AuthorizationRule, ...]
    routes: tuple[Cidr, ...] = ()
    assumption: Id | None = None


class DxGatewaySpec(Strict):
    site: Id
    allowed_prefixes: tuple[Cidr, ...]
    tgw: Id
    vif: Text
    """The virtual interface type as the seed names it ('Private VIF')."""
    assumption: Id | None = None


# ---------------------------------------------------------------- nodes, actors, flows

class NodeKind(str, Enum):
    """Every kind of thing the seed draws. The value is the YAML spelling."""

    CLIENT_VPN = "client-vpn"
    TGW = "tgw"
    TGW_ATTACHMENT = "tgw-attachment"
    DX_GATEWAY = "dx-gateway"
    IGW = "igw"
    NAT_GATEWAY = "nat-gateway"
    ALB = "alb"
    WAF = "waf"
    ECS_CLUSTER = "ecs-cluster"
    ECS_SERVICE = "ecs-service"
    ECS_TASK = "ecs-task"
    RDS = "rds"
    ECR = "ecr"
    CLOUDWATCH = "cloudwatch"
    CLOUDWATCH_METRICS = "cloudwatch-metrics"
    CLOUDWATCH_LOGS = "cloudwatch-logs"
    CLOUDWATCH_ALARMS = "cloudwatch-alarms"
    COGNITO = "cognito"
    SES = "ses"
    S3 = "s3"
    SECRETS_MANAGER = "secrets-manager"
    GUARDDUTY = "guardduty"
    CONFIG = "config"
    EVENTBRIDGE = "eventbridge"
    BEDROCK = "bedrock"
    SNS = "sns"
    EMAIL = "email"
    CHAT = "chat"
    GIT_REPOSITORY = "git-repository"
    GIT_BRANCH = "git-branch"
    CI_JOB = "ci-job"
    APPROVAL = "approval"


class Placement(Strict):
    """Where a node sits in one environment, and what differs there."""

    subnets: tuple[Id, ...] = ()
    vpc: Id | None = None
    account: Id | None = None
    region: str | None = None
    site: Id | None = None
    label: Text | None = None
    purpose: Text | None = None
    """How table 3.x names this node in the subnet's 用途 column (None: not listed)."""
    status: Literal["active", "on-demand", "future"] = "active"
    fargate: FargateSpec | None = None
    rds: RdsSpec | None = None
    batch: BatchSpec | None = None


class Node(Strict):
    id: Id
    kind: NodeKind
    label: Text
    at: dict[Id, Placement]
    """Environment id -> placement; the node exists in exactly these environments."""
    short: Text | None = None
    """Name used in derived sentences (section 9), e.g. 'Client VPN', 'TGW'."""
    part_of: Id | None = None
    """A parent node that views may collapse this node into (CloudWatch Logs -> CloudWatch)."""
    security_groups: tuple[Id, ...] = ()
    public_ip: StrictBool = False
    draw: Literal["per-subnet", "once"] = "once"
    tags: tuple[Id, ...] = ()
    cognito: CognitoSpec | None = None
    alb: AlbSpec | None = None
    waf: WafSpec | None = None
    schedules: ScheduleSpec | None = None
    client_vpn: ClientVpnSpec | None = None
    dx_gateway: DxGatewaySpec | None = None
    assumption: Id | None = None


class Actor(Strict):
    id: Id
    label: Text
    role: Text
    envs: tuple[Id, ...]
    site: Id
    """Where the actor's device is (the internet, the city hall, or a VPN client)."""
    via: tuple[Id, ...] = ()
    """Entry nodes of the actor's access path, in order (section 9 names the connection by them)."""
    persona: Id
    """Matches the same party across environments (the POC developer plays the city staff)."""
    persona_label: Text
    vpn_client: StrictBool = False
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None


class FlowKind(str, Enum):
    NETWORK = "network"
    CONTROL = "control"
    REPLICATION = "replication"
    BACKUP = "backup"
    IMAGE_PULL = "image-pull"
    LOGS = "logs"
    METRICS = "metrics"
    NOTIFICATION = "notification"
    PIPELINE = "pipeline"
    RESTORE = "restore"


class Flow(Strict):
    source: Id
    target: Id
    label: Text | None = None
    kind: FlowKind
    protocol: Literal["tcp", "udp"] | None = None
    port: Port | None = None
    style: Literal["solid", "dashed"] = "solid"
    same_az: StrictBool = False
    """Draw only between instances in the same AZ (ECS in AZ-a uses NAT in AZ-a)."""
    envs: tuple[Id, ...]
    tags: tuple[Id, ...] = ()
    """Views select flows by these tags (the seed draws some flows only in some pictures)."""


class Intent(Strict):
    """What a party must (or must not) be able to reach, as the seed states or implies it."""

    id: Id
    env: Id
    source: Id
    """An actor or node id."""
    target: Id
    protocol: Literal["tcp", "udp"] = "tcp"
    port: Port
    expect: Literal["reach", "no-reach"]
    statement: Text
    seed_ref: Text
    known_violation: Text | None = None
    """Set when the seed as written violates this intent: reported, but not a new failure."""


# ---------------------------------------------------------------- views (presentation data)

class ViewBox(Strict):
    """A logical box a view draws around some nodes (e.g. 監視対象, 通知)."""

    id: Id
    label: Text
    members: tuple[Id, ...]
    style: Literal["generic", "cloud", "onprem", "region", "account"] = "generic"


class ViewMerge(Strict):
    """Draw several nodes as one (e.g. frontend + backend as 'ECS Fargate')."""

    into: Id
    members: tuple[Id, ...]


class View(Strict):
    id: Id
    title: Text
    section: Text
    envs: tuple[Id, ...]
    direction: Literal["TB", "LR"] = "TB"
    node_kinds: tuple[NodeKind, ...] = ()
    """Empty: every kind."""
    node_tags: tuple[Id, ...] = ()
    """Nodes with one of these tags are selected too (with node_kinds)."""
    nodes: tuple[Id, ...] = ()
    """Explicit extra nodes."""
    flow_kinds: tuple[FlowKind, ...] = ()
    flow_tags: tuple[Id, ...] = ()
    include_actors: StrictBool = True
    nesting: tuple[Literal["env", "site", "account", "region", "vpc", "az", "subnet"], ...] = ()
    box_labels: dict[str, Text] = {}
    """Overrides the title of a container box (env, account, region id) in this view."""
    labels: dict[Id, Text] = {}
    """Overrides a node's label in this view."""
    boxes: tuple[ViewBox, ...] = ()
    collapse_parts: StrictBool = True
    part_boxes: tuple[Id, ...] = ()
    """Parents drawn as a box around their parts instead of collapsing them."""
    merges: tuple[ViewMerge, ...] = ()
    show_security_groups: StrictBool = False
    description: Text | None = None


# ---------------------------------------------------------------- the whole model

class Model(Strict):
    document: Document
    assumptions: tuple[Assumption, ...] = ()
    environments: tuple[Environment, ...]
    regions: tuple[Region, ...]
    accounts: tuple[Account, ...]
    sites: tuple[Site, ...] = ()
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    named_cidrs: tuple[NamedCidr, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    nacls: tuple[Nacl, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    tgw_route_tables: tuple[TgwRouteTable, ...] = ()
    nodes: tuple[Node, ...] = ()
    actors: tuple[Actor, ...] = ()
    flows: tuple[Flow, ...] = ()
    views: tuple[View, ...] = ()
    intents: tuple[Intent, ...] = ()
