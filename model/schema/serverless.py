"""Specs of managed and serverless services: Lambda, DynamoDB, API Gateway, CloudFront, SQS, EFS.

How each one sits in the network (what the analysis does with it):

* **Lambda**: invoked through the regional Lambda API (HTTPS 443), whatever its network
  configuration. A function attached to a VPC (placement ``subnets``) sends its own
  requests from Hyperplane ENIs in those subnets with the node's security groups; a
  function outside a VPC sends them from the AWS network (the internet side).
* **DynamoDB, SQS**: regional HTTPS endpoints, reached over the internet (IGW, NAT), a
  gateway endpoint (DynamoDB) or an interface endpoint (SQS).
* **API Gateway, CloudFront**: front doors reached over HTTPS; they call their
  integrations / origins from the AWS network (drawn as flows).
* **EFS**: mount targets are ENIs in the placement's subnets (one per AZ) with the node's
  security groups; clients mount over NFS, TCP 2049.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from model.schema.base import Id, Strict, Text

__all__ = ["LambdaSpec", "DynamoDbSpec", "ApiGatewaySpec", "CloudFrontSpec", "SqsSpec", "EfsSpec", "NFS_PORT"]

NFS_PORT = 2049
"""The port EFS mount targets accept NFS on."""


class LambdaSpec(Strict):
    """One Lambda function."""

    runtime: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9.]*$", max_length=32)]
    """Runtime identifier as AWS spells it, e.g. 'python3.12', 'nodejs20.x' or 'provided.al2023'."""
    memory_mb: Annotated[StrictInt, Field(ge=128, le=10240)]
    """Memory in MiB (128-10240); CPU is allotted in proportion."""
    timeout_seconds: Annotated[StrictInt, Field(ge=1, le=900)]
    """Maximum run time of one invocation (1-900 seconds)."""
    reserved_concurrency: Annotated[StrictInt, Field(ge=0)] | None = None
    """Reserved concurrent executions (None: the account's unreserved pool)."""
    triggers: tuple[Id, ...] = ()
    """Nodes that invoke the function as an event source (an SQS queue, an API Gateway, ...)."""


class DynamoDbSpec(Strict):
    """One DynamoDB table."""

    billing_mode: Literal["on-demand", "provisioned"]
    """'on-demand' (pay per request) or 'provisioned' (read/write capacity units)."""
    point_in_time_recovery: StrictBool = False
    """True when continuous backups allow restoring to any second of the last 35 days."""
    encryption: Literal["aws-owned", "aws-managed", "customer-managed"] = "aws-owned"
    """Encryption at rest key: AWS owned (the default), AWS managed or customer managed KMS key."""
    global_table_regions: tuple[Id, ...] = ()
    """Further regions holding replicas of a global table (empty: one region)."""


class ApiGatewaySpec(Strict):
    """One API Gateway API."""

    type: Literal["rest", "http", "websocket"]
    """'rest' (REST API), 'http' (HTTP API) or 'websocket'."""
    endpoint: Literal["regional", "edge"] = "regional"
    """Endpoint type: 'regional' or 'edge'-optimized (through CloudFront); both are public HTTPS
    endpoints. (Private APIs, reached through an interface endpoint only, are not modelled yet.)"""
    integrations: tuple[Id, ...]
    """Nodes the API forwards requests to (Lambda functions, HTTP backends, AWS services)."""
    authorizer: Id | None = None
    """The node that authorizes requests (a Cognito user pool or a Lambda authorizer); None: none."""
    throttle_rps: Annotated[StrictInt, Field(ge=1)] | None = None
    """Steady-state request rate limit per second of the stage (None: the account default)."""


class CloudFrontSpec(Strict):
    """One CloudFront distribution."""

    origins: tuple[Id, ...]
    """Nodes the distribution fetches from (an S3 bucket, an API Gateway, a load balancer)."""
    viewer_protocol: Literal["allow-all", "redirect-to-https", "https-only"] = "redirect-to-https"
    """How viewers' HTTP requests are treated: served, redirected to HTTPS, or refused."""
    price_class: Literal["all", "200", "100"] = "all"
    """Edge locations used: all, price class 200 or price class 100."""
    origin_access_control: StrictBool = True
    """True when S3 origins accept requests only from this distribution (origin access control)."""


class SqsSpec(Strict):
    """One SQS queue."""

    fifo: StrictBool = False
    """True for a FIFO queue (exactly-once processing, ordered per message group)."""
    visibility_timeout_seconds: Annotated[StrictInt, Field(ge=0, le=43200)] = 30
    """How long a received message stays hidden from other consumers (0-43200 seconds)."""
    retention_days: Annotated[StrictInt, Field(ge=1, le=14)] = 4
    """How long an unconsumed message is kept (1-14 days)."""
    dead_letter_queue: Id | None = None
    """The queue (node) that receives messages after ``max_receives`` failed receives."""
    max_receives: Annotated[StrictInt, Field(ge=1, le=1000)] | None = None
    """Receives before a message moves to the dead-letter queue."""


class EfsSpec(Strict):
    """One EFS file system; its mount targets are the placement's subnets (one per AZ)."""

    performance_mode: Literal["general-purpose", "max-io"] = "general-purpose"
    """'general-purpose' (lowest latency) or 'max-io'."""
    throughput_mode: Literal["elastic", "bursting", "provisioned"] = "elastic"
    """'elastic', 'bursting' or 'provisioned' throughput."""
    encryption: StrictBool = True
    """True when the file system is encrypted at rest."""
    one_zone: StrictBool = False
    """True for EFS One Zone storage (one mount target, data in one AZ)."""
