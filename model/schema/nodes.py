"""Nodes (everything the seed draws), actors, flows and intents."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import StrictBool, StringConstraints

from model.schema.base import Id, IpAddress, Port, Strict, Text
from model.schema.connections import (
    CustomerGatewaySpec, EndpointSpec, FirewallSpec, PeeringSpec, TgwAttachmentSpec, VpnSpec,
)
from model.schema.specs import (
    AlbSpec, BatchSpec, ClientVpnSpec, CognitoSpec, DxGatewaySpec, FargateSpec, RdsSpec, ScheduleSpec,
    WafSpec,
)
from model.schema.workloads import AsgSpec, AuroraSpec, EcsEc2Spec, Ec2Spec, ElastiCacheSpec, NlbSpec

__all__ = ["NodeKind", "Placement", "Node", "Actor", "FlowKind", "Flow", "Intent"]


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
    EC2_INSTANCE = "ec2-instance"
    AUTOSCALING_GROUP = "autoscaling-group"
    ECS_EC2_SERVICE = "ecs-ec2-service"
    ELASTICACHE = "elasticache"
    AURORA = "aurora"
    NLB = "nlb"
    VPC_ENDPOINT = "vpc-endpoint"
    VPC_PEERING = "vpc-peering"
    VGW = "vgw"
    CUSTOMER_GATEWAY = "customer-gateway"
    VPN_CONNECTION = "vpn-connection"
    NETWORK_FIREWALL = "network-firewall"


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
    ips: tuple[IpAddress, ...] = ()
    """The node's private IPv4 address in each of ``subnets`` (same order). Without it a node
    stands for any address of its subnet."""
    public_ips: tuple[IpAddress, ...] = ()
    """The node's public IPv4 address (EIP or public IP) in each of ``subnets``; implies a public address."""
    ec2: Ec2Spec | None = None
    asg: AsgSpec | None = None
    ecs_ec2: EcsEc2Spec | None = None
    elasticache: ElastiCacheSpec | None = None
    aurora: AuroraSpec | None = None


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
    tgw_attachment: TgwAttachmentSpec | None = None
    nlb: NlbSpec | None = None
    endpoint: EndpointSpec | None = None
    peering: PeeringSpec | None = None
    customer_gateway: CustomerGatewaySpec | None = None
    vpn: VpnSpec | None = None
    firewall: FirewallSpec | None = None
    assumption: Id | None = None


class Actor(Strict):
    id: Id
    label: Text
    role: Text
    envs: tuple[Id, ...]
    site: Id
    """Where the actor's device is (the internet, the city hall, or a VPN client)."""
    via: tuple[Id, ...] = ()
    """Entry nodes of the actor's access path, in order (section 9 names the connection by them).
    An on-premises actor uses, for each destination, the first connection (Direct Connect
    gateway or VPN connection) whose routes cover it."""
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
