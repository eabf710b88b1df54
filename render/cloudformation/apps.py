"""The application tier: ALB (listeners, target groups), WAF web ACL, ECS cluster, services and
scheduled tasks, and the RDS instance with its DB subnet group.

Values the model does not hold (certificates, image URIs, roles, the DB credentials secret)
are parameters; the DB password is read by CloudFormation from Secrets Manager
(``{{resolve:secretsmanager:...}}``), never written into the template.
"""

from __future__ import annotations

from model.schema import Node, NodeKind
from render.cloudformation.context import SUFFIX, Context
from render.cloudformation.registry import exporter
from render.cloudformation.template import Template, get_att, ref
from render.i18n import _

__all__ = ["RDS_ENGINES", "WAF_MANAGED_GROUPS"]

#: The model's engine names -> RDS engine identifiers.
RDS_ENGINES = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql", "mariadb": "mariadb"}
#: WAF rule kinds backed by an AWS managed rule group.
WAF_MANAGED_GROUPS = {"managed-sqli": "AWSManagedRulesSQLiRuleSet", "managed-xss": "AWSManagedRulesCommonRuleSet"}
_CATCH_ALL = ("/", "/*")


def _listener_logical(ctx: Context, alb: str, listener) -> str:
    return ctx.logical(alb, f"{listener.protocol.title()}{listener.port}Listener")


def _target_group_logical(ctx: Context, alb: str, tg: str) -> str:
    return ctx.logical(f"{alb}-{tg}", "TargetGroup")


@exporter(NodeKind.ALB)
def alb(ctx: Context, t: Template, node: Node) -> None:
    spec, subnets = node.alb, node.at[ctx.env].subnets
    vpc = ctx.vpc_of_subnets(subnets)
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    azs = sorted({ctx.ix.subnets[s].az for s in subnets})
    if len(azs) < 2:
        t.note(logical, f"{node.id}: an Application Load Balancer needs subnets in two or more AZs; the model "
                       f"places it in {', '.join(azs)} only, so AWS will refuse to create it until the model changes")
    t.add(logical, "AWS::ElasticLoadBalancingV2::LoadBalancer", {
        "Type": "application", "Scheme": spec.scheme if spec else "internet-facing",
        "Subnets": [ref(ctx.logical(s, "Subnet")) for s in subnets],
        "SecurityGroups": [ctx.sg_ref(t, sg, vpc) for sg in node.security_groups],
        "Tags": t.tags(node.id, node.label)})
    if spec is None:
        return
    hc = spec.health_check
    for tg in spec.target_groups:
        t.add(_target_group_logical(ctx, node.id, tg.id), "AWS::ElasticLoadBalancingV2::TargetGroup", {
            "TargetType": "ip", "Protocol": tg.protocol, "Port": tg.port, "VpcId": ref(ctx.logical(vpc, "VPC")),
            "HealthCheckPath": hc.path, "HealthCheckIntervalSeconds": hc.interval_seconds,
            "HealthCheckTimeoutSeconds": hc.timeout_seconds, "Tags": t.tags(f"{node.id}/{tg.id}", tg.name)})
    groups = {tg.id: tg for tg in spec.target_groups}
    for listener in spec.listeners:
        lid = _listener_logical(ctx, node.id, listener)
        props = {"LoadBalancerArn": ref(logical), "Protocol": listener.protocol, "Port": listener.port}
        if listener.protocol == "HTTPS":
            props["Certificates"] = [{"CertificateArn": t.parameter(
                ctx.logical(node.id, "CertificateArn"), "String", f"ACM certificate ARN of {node.label}'s HTTPS listener")}]
        if listener.action == "redirect":
            props["DefaultActions"] = [{"Type": "redirect", "RedirectConfig": {
                "Protocol": listener.redirect_protocol or listener.protocol,
                "Port": str(listener.redirect_port or listener.port), "StatusCode": "HTTP_301"}}]
            t.add(lid, "AWS::ElasticLoadBalancingV2::Listener", props)
            continue
        chosen = [groups[g] for g in listener.target_groups if g in groups]
        default = next((g for g in chosen if g.path in _CATCH_ALL), None)
        props["DefaultActions"] = ([{"Type": "forward", "TargetGroupArn": ref(_target_group_logical(ctx, node.id, default.id))}]
                                   if default else [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}])
        t.add(lid, "AWS::ElasticLoadBalancingV2::Listener", props)
        for priority, tg in enumerate((g for g in chosen if g is not default), 1):
            t.add(f"{lid}Rule{priority}", "AWS::ElasticLoadBalancingV2::ListenerRule", {
                "ListenerArn": ref(lid), "Priority": priority,
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": [tg.path]}}],
                "Actions": [{"Type": "forward", "TargetGroupArn": ref(_target_group_logical(ctx, node.id, tg.id))}]})


def _waf_rule(ctx: Context, node: Node, rule) -> dict:
    body: dict = {"Name": rule.id, "Priority": rule.priority}
    if rule.kind in WAF_MANAGED_GROUPS:
        body["OverrideAction"] = {"None": {}}
        body["Statement"] = {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": WAF_MANAGED_GROUPS[rule.kind]}}
    else:
        body["Action"] = {"Block": {}}
        if rule.kind == "rate-based":
            rate = {"Limit": rule.limit, "AggregateKeyType": "IP"}
            if rule.window_seconds:
                rate["EvaluationWindowSec"] = rule.window_seconds
            body["Statement"] = {"RateBasedStatement": rate}
        else:
            geo = {"GeoMatchStatement": {"CountryCodes": list(rule.countries)}}
            body["Statement"] = {"NotStatement": {"Statement": geo}} if rule.kind == "geo-allow" else geo
    body["VisibilityConfig"] = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                                "MetricName": ctx.logical(f"{node.id}-{rule.id}", "")}
    return body


@exporter(NodeKind.WAF)
def waf(ctx: Context, t: Template, node: Node) -> None:
    spec = node.waf
    if spec is None:
        t.skip(f"node {node.id}", "no waf spec (rules and the protected resource)")
        return
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    t.add(logical, "AWS::WAFv2::WebACL", {
        "Name": f"{ctx.env}-{node.id}", "Scope": "REGIONAL",
        "DefaultAction": {"Allow": {}} if spec.default_action == "allow" else {"Block": {}},
        "Rules": [_waf_rule(ctx, node, r) for r in sorted(spec.rules, key=lambda r: r.priority)],
        "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                             "MetricName": ctx.logical(node.id, "")},
        "Tags": t.tags(node.id, node.label)})
    target = ctx.ix.nodes.get(spec.protects)
    if target is None or target.kind is not NodeKind.ALB or ctx.account_of_node(target) != t.account:
        t.skip(f"node {node.id} association with {spec.protects}", "only an ALB in the same account can be associated")
        return
    t.add(ctx.logical(node.id, "WebACLAssociation"), "AWS::WAFv2::WebACLAssociation",
          {"ResourceArn": ref(ctx.logical(target.id, SUFFIX[target.kind])), "WebACLArn": get_att(logical, "Arn")})


@exporter(NodeKind.ECS_CLUSTER)
def ecs_cluster(ctx: Context, t: Template, node: Node) -> None:
    t.add(ctx.logical(node.id, SUFFIX[node.kind]), "AWS::ECS::Cluster",
          {"ClusterName": f"{ctx.env}-{node.id}", "Tags": t.tags(node.id, node.label)})


def _cluster_of(ctx: Context, node: Node) -> str | None:
    if node.part_of and ctx.ix.nodes[node.part_of].kind is NodeKind.ECS_CLUSTER:
        return node.part_of
    clusters = ctx.nodes_of_kind(NodeKind.ECS_CLUSTER)
    return clusters[0].id if len(clusters) == 1 else None


def _task_definition(ctx: Context, t: Template, node: Node, cpu: int, memory: int, port: int | None) -> str:
    logical = ctx.logical(node.id, "TaskDefinition")
    container = {"Name": node.id, "Essential": True,
                 "Image": t.parameter(ctx.logical(node.id, "ImageUri"), "String",
                                      f"container image URI of {node.label} (e.g. in ECR)")}
    if port is not None:
        container["PortMappings"] = [{"ContainerPort": port, "Protocol": "tcp"}]
    t.add(logical, "AWS::ECS::TaskDefinition", {
        "Family": f"{ctx.env}-{node.id}", "Cpu": str(cpu), "Memory": str(memory), "NetworkMode": "awsvpc",
        "RequiresCompatibilities": ["FARGATE"],
        "ExecutionRoleArn": t.parameter("TaskExecutionRoleArn", "String",
                                        "IAM role ECS uses to pull images and write logs (ecsTaskExecutionRole)"),
        "ContainerDefinitions": [container], "Tags": t.tags(f"{node.id}/task-definition", node.label)})
    return logical


def _awsvpc(ctx: Context, t: Template, node: Node, key: str) -> dict:
    subnets = node.at[ctx.env].subnets
    vpc = ctx.vpc_of_subnets(subnets)
    return {key: {"Subnets": [ref(ctx.logical(s, "Subnet")) for s in subnets],
                  "SecurityGroups": [ctx.sg_ref(t, sg, vpc) for sg in node.security_groups],
                  "AssignPublicIp": "DISABLED"}}


@exporter(NodeKind.ECS_SERVICE)
def ecs_service(ctx: Context, t: Template, node: Node) -> None:
    spec, cluster = node.at[ctx.env].fargate, _cluster_of(ctx, node)
    if spec is None or cluster is None:
        t.skip(f"node {node.id}", "no fargate spec in this environment" if spec is None else "no ECS cluster")
        return
    task = _task_definition(ctx, t, node, spec.cpu, spec.memory_mb, spec.container_port)
    balancers, depends = [], []
    for lb in ctx.nodes_of_kind(NodeKind.ALB):
        for tg in (lb.alb.target_groups if lb.alb else ()):
            if tg.target == node.id and ctx.account_of_node(lb) == t.account:
                balancers.append({"ContainerName": node.id, "ContainerPort": spec.container_port,
                                  "TargetGroupArn": ref(_target_group_logical(ctx, lb.id, tg.id))})
                depends += [_listener_logical(ctx, lb.id, li) for li in lb.alb.listeners if tg.id in li.target_groups]
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    props = {"ServiceName": f"{ctx.env}-{node.id}", "Cluster": ref(ctx.logical(cluster, SUFFIX[NodeKind.ECS_CLUSTER])),
             "LaunchType": "FARGATE", "DesiredCount": spec.tasks.min, "TaskDefinition": ref(task),
             "NetworkConfiguration": _awsvpc(ctx, t, node, "AwsvpcConfiguration")}
    if balancers:
        props["LoadBalancers"] = balancers
    props["Tags"] = t.tags(node.id, node.label)
    t.add(logical, "AWS::ECS::Service", props, DependsOn=sorted(set(depends)))
    if spec.autoscaling:
        t.add(ctx.logical(node.id, "ScalableTarget"), "AWS::ApplicationAutoScaling::ScalableTarget", {
            "MinCapacity": spec.tasks.min, "MaxCapacity": spec.tasks.max,
            "ResourceId": {"Fn::Sub": "service/${" + ctx.logical(cluster, SUFFIX[NodeKind.ECS_CLUSTER])
                                      + "}/${" + logical + ".Name}"},
            "ScalableDimension": "ecs:service:DesiredCount", "ServiceNamespace": "ecs",
            "Tags": t.tags(f"{node.id}/scaling", node.label)})
        t.skip(f"node {node.id} scaling policy", "the model gives the task range but no metric or target value")


@exporter(NodeKind.ECS_TASK)
def ecs_task(ctx: Context, t: Template, node: Node) -> None:
    spec = node.at[ctx.env].batch
    if spec is None:
        t.skip(f"node {node.id}", "no batch spec in this environment")
        return
    _task_definition(ctx, t, node, spec.cpu, spec.memory_mb, None)
    t.skip(f"node {node.id} timeout ({spec.timeout_hours} h)",
           "ECS has no task timeout; enforce it in the container or with Step Functions")


@exporter(NodeKind.EVENTBRIDGE)
def schedules(ctx: Context, t: Template, node: Node) -> None:
    if node.schedules is None:
        t.skip(f"node {node.id}", "no schedules (an event bus alone is not exported)")
        return
    for s in node.schedules.schedules:
        target = ctx.ix.nodes.get(s.target)
        cluster = _cluster_of(ctx, target) if target else None
        if target is None or target.kind is not NodeKind.ECS_TASK or cluster is None or target.at.get(ctx.env) is None:
            t.skip(f"node {node.id} schedule {s.id}", "only ECS tasks of this environment are exported as targets")
            continue
        t.add(ctx.logical(f"{node.id}-{s.id}", "Rule"), "AWS::Events::Rule", {
            "Description": _("{name}（{description}）").format(name=s.name, description=s.description),
            "ScheduleExpression": s.expression, "State": "ENABLED",
            "Targets": [{"Id": s.target, "Arn": get_att(ctx.logical(cluster, SUFFIX[NodeKind.ECS_CLUSTER]), "Arn"),
                         "RoleArn": t.parameter("EventsRunTaskRoleArn", "String",
                                                "IAM role EventBridge uses to run ECS tasks (ecs:RunTask, iam:PassRole)"),
                         "EcsParameters": {"TaskDefinitionArn": ref(ctx.logical(target.id, "TaskDefinition")),
                                           "TaskCount": 1, "LaunchType": "FARGATE",
                                           "NetworkConfiguration": _awsvpc(ctx, t, target, "AwsVpcConfiguration")}}],
            "Tags": t.tags(f"{node.id}/{s.id}", s.name)})


@exporter(NodeKind.RDS)
def rds(ctx: Context, t: Template, node: Node) -> None:
    spec = node.at[ctx.env].rds
    engine = RDS_ENGINES.get(spec.engine.lower()) if spec else None
    if spec is None or engine is None:
        t.skip(f"node {node.id}", "no rds spec in this environment (a Multi-AZ standby is part of its primary)"
               if spec is None else f"engine '{spec.engine}' is not exported yet ({', '.join(sorted(RDS_ENGINES))})")
        return
    group = ctx.logical(node.id, "DBSubnetGroup")
    azs = sorted({ctx.ix.subnets[s].az for s in spec.subnet_group})
    if len(azs) < 2:
        t.note(group, f"{node.id}: a DB subnet group must cover two or more AZs; the model's covers "
                       f"{', '.join(azs)} only, so AWS will refuse to create it until the model changes")
    t.add(group, "AWS::RDS::DBSubnetGroup", {
        "DBSubnetGroupDescription": f"{node.label} ({ctx.env})",
        "SubnetIds": [ref(ctx.logical(s, "Subnet")) for s in spec.subnet_group],
        "Tags": t.tags(f"{node.id}/subnet-group", node.label)})
    secret = t.parameter(ctx.logical(node.id, "MasterSecretArn"), "String",
                         f"Secrets Manager secret (JSON with username and password) of {node.label}'s master user")
    vpc = ctx.vpc_of_subnets(node.at[ctx.env].subnets or spec.subnet_group)
    props = {"Engine": engine, "EngineVersion": spec.engine_version, "DBInstanceClass": spec.instance_class,
             "AllocatedStorage": str(spec.storage_gb), "StorageType": spec.storage_type.lower()}
    if spec.storage_autoscaling:
        props["MaxAllocatedStorage"] = t.parameter(
            ctx.logical(node.id, "MaxAllocatedStorage"), "Number",
            f"storage autoscaling ceiling of {node.label} in GiB (the model enables autoscaling without a maximum)")
    props |= {"MultiAZ": spec.multi_az, "BackupRetentionPeriod": spec.backup_retention_days,
              "StorageEncrypted": spec.encryption, "PubliclyAccessible": spec.publicly_accessible,
              "DBSubnetGroupName": ref(group),
              "VPCSecurityGroups": [ctx.sg_ref(t, sg, vpc) for sg in node.security_groups],
              "MasterUsername": {"Fn::Sub": "{{resolve:secretsmanager:${" + secret["Ref"] + "}:SecretString:username}}"},
              "MasterUserPassword": {"Fn::Sub": "{{resolve:secretsmanager:${" + secret["Ref"] + "}:SecretString:password}}"}}
    if spec.performance_insights is not None:
        props["EnablePerformanceInsights"] = spec.performance_insights
    props["Tags"] = t.tags(node.id, node.label)
    t.add(ctx.logical(node.id, SUFFIX[node.kind]), "AWS::RDS::DBInstance", props,
          DeletionPolicy="Snapshot", UpdateReplacePolicy="Snapshot")
