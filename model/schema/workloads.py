"""Workload specs: EC2 instances, Auto Scaling groups, ECS on EC2,
ElastiCache, Aurora and the Network Load Balancer.

Sizes that differ between environments sit in the placement (like ``rds``); the load
balancer's listeners sit on the node (like ``alb``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from model.schema.base import Id, Port, Strict, Text

__all__ = ["Ec2Spec", "AsgSpec", "EcsEc2Spec", "ElastiCacheSpec", "AuroraSpec", "NlbListener", "NlbTargetGroup",
           "NlbSpec", "DEFAULT_PORTS"]

DEFAULT_PORTS = {"redis": 6379, "valkey": 6379, "memcached": 11211, "aurora-postgresql": 5432, "aurora-mysql": 3306}
"""The port an engine listens on when the spec does not say."""


class Ec2Spec(Strict):
    """One EC2 instance."""

    instance_type: Text
    """Instance type, e.g. 't3.small'."""
    os: Literal["linux", "windows"] = "linux"
    """Decides the client ephemeral port range (Linux 32768-60999, Windows 49152-65535)."""
    source_dest_check: StrictBool = True
    """False on an appliance that forwards traffic for others (routes may then target the instance)."""


class AsgSpec(Strict):
    """An Auto Scaling group: instances from one launch template spread over the placement's
    subnets (AZs); the node's security groups are the launch template's."""

    instance_type: Text
    """Instance type of the launch template, e.g. 't3.medium'."""
    min: Annotated[StrictInt, Field(ge=0)]
    """Minimum number of instances."""
    max: Annotated[StrictInt, Field(ge=0)]
    """Maximum number of instances."""
    desired: Annotated[StrictInt, Field(ge=0)] | None = None
    """Desired capacity (None: not stated)."""
    os: Literal["linux", "windows"] = "linux"
    """Decides the client ephemeral port range of the instances."""


class EcsEc2Spec(Strict):
    """An ECS service on EC2 capacity."""

    capacity: Id
    """The Auto Scaling group (or instance) the tasks run on."""
    network_mode: Literal["awsvpc", "bridge", "host"] = "awsvpc"
    """``awsvpc``: each task has its own ENI and the service's SGs; ``bridge``/``host``: tasks
    use the instance's ENI, so the instance's SGs apply."""
    container_port: Port
    """The port the container listens on."""
    host_port: Port | None = None
    """``bridge``: the host port (none: dynamic, from the ephemeral range)."""
    tasks: Annotated[StrictInt, Field(ge=0)] = 1
    """Desired number of tasks."""


class ElastiCacheSpec(Strict):
    engine: Literal["redis", "valkey", "memcached"]
    """Cache engine."""
    node_type: Text
    """Node type, e.g. 'cache.t4g.small'."""
    replicas: Annotated[StrictInt, Field(ge=0, le=5)] = 0
    """Replicas per shard (Redis/Valkey)."""
    shards: Annotated[StrictInt, Field(ge=1, le=500)] = 1
    """Shards (node groups; cluster mode)."""
    cluster_mode: StrictBool = False
    """Redis/Valkey cluster mode (clients reach every shard's nodes)."""
    port: Port | None = None
    """Default: 6379 (Redis, Valkey), 11211 (Memcached)."""
    subnet_group: tuple[Id, ...]
    """Subnets of the cache subnet group."""
    multi_az: StrictBool = False
    """Automatic failover to a replica in another AZ."""


class AuroraSpec(Strict):
    engine: Literal["aurora-postgresql", "aurora-mysql"]
    """Aurora engine."""
    engine_version: Text
    """Engine version, e.g. '16.4'."""
    instance_class: Text
    """Instance class of the writer and readers, e.g. 'db.r6g.large'."""
    readers: Annotated[StrictInt, Field(ge=0, le=15)] = 0
    """Reader instances besides the writer."""
    port: Port | None = None
    """Default: 5432 (PostgreSQL), 3306 (MySQL); fixed at creation."""
    subnet_group: tuple[Id, ...]
    """Subnets of the DB subnet group (two AZs or more)."""
    encryption: StrictBool = True
    """Storage encrypted at rest."""
    backup_retention_days: Annotated[StrictInt, Field(ge=1, le=35)] = 1
    """Days of automated backups the cluster keeps (AWS's default: 1)."""


class NlbListener(Strict):
    protocol: Literal["TCP", "UDP", "TLS", "TCP_UDP"]
    """Listener protocol."""
    port: Port
    """Listener port."""
    target_group: Id
    """The target group (id) the listener forwards to."""


class NlbTargetGroup(Strict):
    id: Id
    """Stable id of the target group within the NLB."""
    target: Id
    """The node registered in this target group."""
    port: Port
    """The port the targets listen on."""
    target_type: Literal["instance", "ip"] = "instance"
    """How targets are registered (decides the client IP preservation default)."""
    preserve_client_ip: StrictBool | None = None
    """Client IP preservation (default: on for instance targets, off for IP targets over TCP/TLS)."""

    def client_ip_preserved(self, listener_protocol: str) -> bool:
        """AWS defaults: on for instance targets and for UDP/TCP_UDP; off for IP targets over TCP/TLS."""
        if self.preserve_client_ip is not None:
            return self.preserve_client_ip
        return self.target_type == "instance" or listener_protocol in ("UDP", "TCP_UDP")


class NlbSpec(Strict):
    """A Network Load Balancer: a layer-4 proxy (a new connection from its ENIs, or the
    client's address kept when client IP preservation is on)."""

    scheme: Literal["internet-facing", "internal"]
    """Internet-facing (public addresses) or internal."""
    listeners: tuple[NlbListener, ...]
    """Listeners by protocol and port."""
    target_groups: tuple[NlbTargetGroup, ...]
    """Target groups."""
    cross_zone: StrictBool = False
    """Cross-zone load balancing (off by default on an NLB)."""
