"""Nodes (every component the design draws), actors, flows and intents."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import StrictBool, StringConstraints, model_validator

from model.schema.base import Id, IpAddress, Port, Strict, Text
from model.schema.connections import (
    CustomerGatewaySpec, EndpointSpec, FirewallSpec, PeeringSpec, TgwAttachmentSpec, VpnSpec,
)
from model.schema.specs import (
    AlbSpec, BatchSpec, ClientVpnSpec, CognitoSpec, DxGatewaySpec, FargateSpec, RdsSpec, S3Spec, ScheduleSpec,
    WafSpec,
)
from model.schema.serverless import ApiGatewaySpec, CloudFrontSpec, DynamoDbSpec, EfsSpec, LambdaSpec, SqsSpec
from model.schema.workloads import AsgSpec, AuroraSpec, EcsEc2Spec, Ec2Spec, ElastiCacheSpec, NlbSpec
from model.schema.requirements import Frequency, Requirements

__all__ = ["NodeKind", "Placement", "Node", "Actor", "FlowKind", "Flow", "Intent"]


class NodeKind(str, Enum):
    """Every kind of component a design can contain. The value is the YAML spelling."""

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
    LAMBDA = "lambda"
    DYNAMODB = "dynamodb"
    API_GATEWAY = "api-gateway"
    CLOUDFRONT = "cloudfront"
    SQS = "sqs"
    EFS = "efs"


class Placement(Strict):
    """Where a node sits in one environment, and what differs there."""

    subnets: tuple[Id, ...] = ()
    """Subnets the node has network interfaces in (one per AZ for multi-AZ services)."""
    vpc: Id | None = None
    """The VPC of a node without subnets (e.g. an internet gateway)."""
    account: Id | None = None
    """The account of a regional service placed outside any VPC."""
    region: Id | None = None
    """The region of a regional service placed outside any VPC."""
    site: Id | None = None
    """The site (outside AWS) the node is at, e.g. a SaaS service."""
    label: Text | None = None
    """Label in this environment, overriding the node's label."""
    purpose: Text | None = None
    """How the network page names this node in its subnet's purpose column (None: not listed)."""
    status: Literal["active", "on-demand", "future"] = "active"
    """'active', 'on-demand' (created only when needed, e.g. a DR restore) or 'future' (planned)."""
    fargate: FargateSpec | None = None
    """ECS Fargate service spec in this environment."""
    rds: RdsSpec | None = None
    """RDS instance spec in this environment."""
    batch: BatchSpec | None = None
    """Batch task spec in this environment."""
    s3: S3Spec | None = None
    """S3 bucket settings in this environment (encryption, public access); None: the document does not say."""
    requirements: Requirements = Requirements()
    """Requirements of this component in this environment: a key given here replaces the environment's."""
    ips: tuple[IpAddress, ...] = ()
    """The node's private IPv4 address in each of ``subnets`` (same order). Without it a node
    stands for any address of its subnet."""
    public_ips: tuple[IpAddress, ...] = ()
    """The node's public IPv4 address (EIP or public IP) in each of ``subnets``; implies a public address."""
    ec2: Ec2Spec | None = None
    """EC2 instance spec in this environment (kind ec2-instance)."""
    asg: AsgSpec | None = None
    """Auto Scaling group spec in this environment (kind autoscaling-group)."""
    ecs_ec2: EcsEc2Spec | None = None
    """ECS on EC2 service spec in this environment (kind ecs-ec2-service)."""
    elasticache: ElastiCacheSpec | None = None
    """ElastiCache spec in this environment (kind elasticache)."""
    aurora: AuroraSpec | None = None
    """Aurora cluster spec in this environment (kind aurora)."""


class Node(Strict):
    id: Id
    """Stable id used by flows, intents, views and reach queries."""
    kind: NodeKind
    """What the node is (its AWS service or role); decides its icon and its analysis."""
    label: Text
    """Label drawn in diagrams and shown in tables."""
    at: dict[Id, Placement]
    """Environment id -> placement; the node exists in exactly these environments."""
    short: Text | None = None
    """Short name used in derived sentences (the migration table), e.g. 'Client VPN', 'TGW'."""
    part_of: Id | None = None
    """A parent node that views may collapse this node into (CloudWatch Logs -> CloudWatch)."""
    security_groups: tuple[Id, ...] = ()
    """Security groups of the node's network interfaces."""
    public_ip: StrictBool = False
    """True when the node's interfaces have public addresses (EIP or public IP)."""
    shared: StrictBool = False
    """True when the node is *one* network resource serving every environment of ``at`` (a
    Transit Gateway, Direct Connect gateway, Client VPN endpoint or VPN connection in a network
    account, shared with the environments' accounts through AWS RAM): the environments it
    joins are analysed as one network. False (the default): the node stands for one resource
    per environment, in the same role (a verification TGW and a production TGW are then two)."""
    standby_of: Id | None = None
    """For the standby of a Multi-AZ RDS deployment drawn as a node of its own: the primary
    RDS node. The standby's label facts (engine, 'Standby', instance class) come from the
    primary's ``rds`` spec (rule E061 checks the pair)."""
    draw: Literal["per-subnet", "once"] = "once"
    """'per-subnet' draws one instance per subnet (e.g. tasks per AZ); 'once' draws one node."""
    tags: tuple[Id, ...] = ()
    """Views select nodes by these tags."""
    cognito: CognitoSpec | None = None
    """Cognito user pool spec (kind cognito)."""
    alb: AlbSpec | None = None
    """Application Load Balancer spec: scheme, listeners, target groups, health check (kind alb)."""
    waf: WafSpec | None = None
    """WAF web ACL spec: the resource it protects, rules and default action (kind waf)."""
    schedules: ScheduleSpec | None = None
    """EventBridge schedules (kind eventbridge)."""
    client_vpn: ClientVpnSpec | None = None
    """Client VPN endpoint spec (kind client-vpn)."""
    dx_gateway: DxGatewaySpec | None = None
    """Direct Connect gateway spec (kind dx-gateway)."""
    tgw_attachment: TgwAttachmentSpec | None = None
    """TGW VPC attachment options (kind tgw-attachment)."""
    nlb: NlbSpec | None = None
    """Network Load Balancer spec (kind nlb)."""
    endpoint: EndpointSpec | None = None
    """VPC endpoint spec (kind vpc-endpoint)."""
    peering: PeeringSpec | None = None
    """VPC peering connection spec (kind vpc-peering)."""
    customer_gateway: CustomerGatewaySpec | None = None
    """Customer gateway spec (kind customer-gateway)."""
    vpn: VpnSpec | None = None
    """Site-to-site VPN connection spec (kind vpn-connection)."""
    firewall: FirewallSpec | None = None
    """AWS Network Firewall spec (kind network-firewall)."""
    function: LambdaSpec | None = None
    """Lambda function spec (kind lambda)."""
    dynamodb: DynamoDbSpec | None = None
    """DynamoDB table spec (kind dynamodb)."""
    api_gateway: ApiGatewaySpec | None = None
    """API Gateway API spec: type, endpoint type, integrations, authorizer (kind api-gateway)."""
    cloudfront: CloudFrontSpec | None = None
    """CloudFront distribution spec: origins and viewer protocol (kind cloudfront)."""
    sqs: SqsSpec | None = None
    """SQS queue spec (kind sqs)."""
    efs: EfsSpec | None = None
    """EFS file system spec; its mount targets are the placement's subnets (kind efs)."""
    assumption: Id | None = None
    """The assumption this node relies on, when the document does not define it."""


class Actor(Strict):
    id: Id
    """Stable id used by flows, intents and reach queries."""
    label: Text
    """Label drawn in diagrams."""
    role: Text
    """The actor's role in words, e.g. 'customer' or 'operator'."""
    envs: tuple[Id, ...]
    """Environments in which the actor uses the system."""
    site: Id
    """The site the actor's device is at (the internet or an on-premises site)."""
    via: tuple[Id, ...] = ()
    """Entry nodes of the actor's access path, in order (the migration table names the connection by them).
    An on-premises actor uses, for each destination, the first connection (Direct Connect
    gateway or VPN connection) whose routes cover it."""
    persona: Id | None = None
    """Matches the same party across environments (an actor of one environment may stand in
    for one of another); None: the actor's ``id``."""
    persona_label: Text | None = None
    """Display name of the persona; None: the actor's ``label``."""
    vpn_client: StrictBool = False
    """True when the actor connects through a Client VPN endpoint (listed in ``via``)."""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    """Two-letter country code of the actor's public address (WAF geo-match rules use it)."""
    vpn_groups: tuple[Text, ...] = ()
    """The identity-provider (or Active Directory) groups a VPN client belongs to: Client VPN
    authorization rules that name groups admit only their members."""

    @model_validator(mode="after")
    def _persona_defaults_to_self(self) -> "Actor":
        if self.persona is None:  # frozen model: set once, while validating
            object.__setattr__(self, "persona", self.id)
        if self.persona_label is None:
            object.__setattr__(self, "persona_label", self.label)
        return self


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
    """Node or actor id the arrow starts at."""
    target: Id
    """Node or actor id the arrow points to."""
    label: Text | None = None
    """Text drawn on the arrow."""
    kind: FlowKind
    """What the arrow means (network traffic, logs, backup, pipeline step ...)."""
    protocol: Literal["tcp", "udp"] | None = None
    """'tcp' or 'udp' for network flows that are checked for reachability."""
    port: Port | None = None
    """Destination port of a network flow (checked for reachability when given)."""
    style: Literal["solid", "dashed"] = "solid"
    """'solid' or 'dashed' line."""
    same_az: StrictBool = False
    """Draw only between instances in the same AZ (ECS in AZ-a uses NAT in AZ-a)."""
    envs: tuple[Id, ...]
    """Environments in which the arrow exists."""
    tags: tuple[Id, ...] = ()
    """Views select flows by these tags (a flow may be drawn in some pictures only)."""
    frequency: Frequency | None = None
    """How often a backup or copy flow runs ('daily' for a daily copy); None: not stated."""


class Intent(Strict):
    """What a party must (or must not) be able to reach, as the document states or implies it."""

    id: Id
    """Stable id of the intent (reported by check and findings)."""
    env: Id
    """The environment the intent is evaluated in (the source's environment)."""
    source: Id
    """An actor or node id."""
    target: Id
    """A node id."""
    target_env: Id | None = None
    """The target's environment when it is not ``env``: a cross-environment intent, answered
    over the network the two environments share (none shared: unreachable)."""
    protocol: Literal["tcp", "udp"] = "tcp"
    """'tcp' or 'udp'."""
    port: Port
    """Destination port."""
    expect: Literal["reach", "no-reach"]
    """'reach' (must be reachable) or 'no-reach' (must not be)."""
    statement: Text
    """The intent in words, as the document states or implies it."""
    seed_ref: Text = "-"
    """Where the source document states or implies it (section numbers); '-' (the default): no
    source document states it."""
    known_violation: Text | None = None
    """Set when the document as written violates this intent: reported, but not a new failure."""
