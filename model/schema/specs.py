"""Component specifications of section 5 (Fargate, RDS, Cognito, ALB, WAF, schedules, batch)
and the connectivity specs (Client VPN, Direct Connect gateway)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from model.schema.base import Cidr, Id, Port, Strict, Text

__all__ = ["TaskCount", "FargateSpec", "RdsSpec", "CognitoGroup", "PasswordPolicy", "LambdaTrigger", "CognitoSpec", "Listener", "TargetGroup", "HealthCheck", "AlbSpec", "WafRule", "WafSpec", "Schedule", "ScheduleSpec", "BatchSpec", "AuthorizationRule", "ClientVpnSpec", "DxGatewaySpec"]


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
    transport: Literal["udp", "tcp"] = "udp"
    """The endpoint's VPN transport protocol (one per endpoint; AWS's default is UDP)."""
    vpn_port: Literal[443, 1194] = 443
    """The endpoint's VPN port (AWS allows 443 or 1194)."""
    assumption: Id | None = None


class DxGatewaySpec(Strict):
    site: Id
    allowed_prefixes: tuple[Cidr, ...]
    """Prefixes advertised to the site over a transit VIF (the DXGW-TGW association's allowed prefixes)."""
    tgw: Id | None = None
    """The TGW associated with the DX gateway (transit VIF)."""
    vgws: tuple[Id, ...] = ()
    """Virtual private gateways associated with the DX gateway (private VIF): each VGW's VPC is reached."""
    vif: Text
    """The virtual interface type as the seed names it ('Private VIF')."""
    assumption: Id | None = None
