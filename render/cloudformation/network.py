"""VPCs, subnets, route tables, security groups and network ACLs of one environment.

Security-group rules that name a CIDR are written inside the group; rules that name another
group are separate ``SecurityGroupIngress``/``SecurityGroupEgress`` resources, so groups that
refer to each other (ALB <-> ECS) do not form a dependency cycle. A group whose model lists
no CIDR outbound rule gets the one egress rule ``-1 127.0.0.1/32`` (it matches nothing): that
is how CloudFormation removes the allow-all egress rule AWS adds to every new group.
"""

from __future__ import annotations

from model.schema import NodeKind, Route, SgRule
from render.cloudformation.context import SUFFIX, Context
from render.cloudformation.edges import route_target
from render.cloudformation.template import Template, aws_text, get_att, ref

__all__ = ["export_network", "NO_EGRESS", "sg_group_name", "rule_ports"]

#: The inline egress rule that replaces AWS's default allow-all egress when the model has none.
NO_EGRESS = {"CidrIp": "127.0.0.1/32", "IpProtocol": "-1",
             "Description": "archdoc: no outbound rule in the model (replaces the default allow-all)"}

_PROTOCOL = {"tcp": "tcp", "udp": "udp", "all": "-1"}
_NACL_PROTOCOL = {"tcp": 6, "udp": 17, "all": -1}


def sg_group_name(env: str, sg: str) -> str:
    """The GroupName of an exported security group (unique per VPC, readable in the console)."""
    return f"{env}-{sg}"


def rule_ports(rule) -> tuple[int, int] | None:
    """(from, to) of an SG or NACL rule; None for protocol 'all' without ports."""
    if rule.protocol == "all":
        return None
    if rule.port is None:
        return 0, 65535
    if isinstance(rule.port, int):
        return rule.port, rule.port
    return rule.port.start, rule.port.end


def export_network(ctx: Context) -> None:
    for vpc in ctx.ix.vpcs_in(ctx.env):
        t = ctx.templates[vpc.account]
        t.add(ctx.logical(vpc.id, "VPC"), "AWS::EC2::VPC", {
            "CidrBlock": vpc.cidr, "EnableDnsHostnames": True, "EnableDnsSupport": True,
            "Tags": t.tags(vpc.id, vpc.name)})
        for subnet in ctx.ix.subnets_of(vpc.id):
            t.add(ctx.logical(subnet.id, "Subnet"), "AWS::EC2::Subnet", {
                "VpcId": ref(ctx.logical(vpc.id, "VPC")), "CidrBlock": subnet.cidr,
                "AvailabilityZone": subnet.az, "MapPublicIpOnLaunch": False,
                "Tags": t.tags(subnet.id, subnet.name)})
    for rt in ctx.model.route_tables:
        if ctx.ix.vpcs[rt.vpc].env == ctx.env:
            _route_table(ctx, ctx.templates[ctx.account_of_vpc(rt.vpc)], rt)
    for sg in ctx.ix.sgs_in(ctx.env):
        vpcs = sorted(ctx.sg_vpcs.get(sg.id, ()))
        if not vpcs:
            for t in ctx.templates.values():
                t.skip(f"security group {sg.id}", "no node uses it in this environment, so its VPC is unknown")
                break
        for vpc in vpcs:
            _security_group(ctx, ctx.templates[ctx.account_of_vpc(vpc)], sg.id, vpc)
    for nacl in ctx.model.nacls:
        if ctx.ix.vpcs[nacl.vpc].env == ctx.env:
            _nacl(ctx, ctx.templates[ctx.account_of_vpc(nacl.vpc)], nacl)


def _route_table(ctx: Context, t: Template, rt) -> None:
    logical = ctx.logical(rt.id, "RouteTable")
    t.add(logical, "AWS::EC2::RouteTable", {"VpcId": ref(ctx.logical(rt.vpc, "VPC")),
                                           "Tags": t.tags(rt.id, rt.name)})
    for subnet in rt.subnets:
        t.add(ctx.logical(rt.id, "") + ctx.logical(subnet, "Association"),
              "AWS::EC2::SubnetRouteTableAssociation",
              {"RouteTableId": ref(logical), "SubnetId": ref(ctx.logical(subnet, "Subnet"))})
    for number, route in enumerate(rt.routes, 1):
        if route.target != "local":
            _route(ctx, t, rt, logical, number, route)


def _route(ctx: Context, t: Template, rt, logical: str, number: int, route: Route) -> None:
    destination = route.destination or (ctx.named(route.named) if route.named else None)
    what = f"route table {rt.id} route {number} ({route.destination or route.named} -> {route.target})"
    if destination is None:
        t.skip(what, f"named CIDR '{route.named}' has no value in {ctx.env}")
        return
    node = ctx.ix.nodes.get(route.target)
    props: dict = {"RouteTableId": ref(logical), "DestinationCidrBlock": destination}
    depends: list[str] = []
    if node is not None and route_target(ctx, t, node, props, depends):
        t.add(f"{logical}Route{number}", "AWS::EC2::Route", props, DependsOn=depends)
        return
    if node is None or node.kind not in (NodeKind.IGW, NodeKind.NAT_GATEWAY, NodeKind.TGW):
        t.skip(what, f"routes to '{route.target}' are not exported yet (IGW, NAT gateway, TGW, peering and VGW "
                     "targets are)")
        return
    if node.kind is NodeKind.IGW:
        props["GatewayId"] = ref(ctx.logical(node.id, SUFFIX[node.kind]))
        depends.append(ctx.logical(node.id, "VPCGatewayAttachment"))
    elif node.kind is NodeKind.NAT_GATEWAY:
        props["NatGatewayId"] = ref(ctx.logical(node.id, SUFFIX[node.kind]))
    else:
        props["TransitGatewayId"] = ctx.node_ref(t, node.id)
        depends += [ctx.logical(a.id, SUFFIX[a.kind]) for a in ctx.nodes_of_kind(NodeKind.TGW_ATTACHMENT)
                    if ctx.vpc_of_subnets(a.at[ctx.env].subnets) == rt.vpc]
    t.add(f"{logical}Route{number}", "AWS::EC2::Route", props, DependsOn=depends)


def _peer(ctx: Context, t: Template, rule: SgRule, vpc: str, inbound: bool) -> dict | None:
    """The peer of one rule as CloudFormation keys (None: a named CIDR without a value here,
    or a group that does not exist in this VPC)."""
    if rule.sg is not None:
        if vpc not in ctx.sg_vpcs.get(rule.sg, ()):
            return None
        key = "SourceSecurityGroupId" if inbound else "DestinationSecurityGroupId"
        return {key: ctx.sg_ref(t, rule.sg, vpc)}
    cidr = rule.cidr if rule.cidr is not None else ctx.named(rule.named)
    return None if cidr is None else {"CidrIp": cidr}


def _security_group(ctx: Context, t: Template, sg_id: str, vpc: str) -> None:
    sg = ctx.ix.security_groups[sg_id]
    logical = ctx.sg_logical(sg_id, vpc)
    inline = {"inbound": [], "outbound": []}
    separate: list[tuple[str, dict]] = []
    for number, rule in enumerate(ctx.ix.sg_rules(sg_id, ctx.env), 1):
        inbound = rule.direction == "inbound"
        peer = _peer(ctx, t, rule, vpc, inbound)
        if peer is None:
            reason = (f"security group '{rule.sg}' is not used in VPC {vpc}" if rule.sg is not None
                      else f"named CIDR '{rule.named}' has no value in {ctx.env}")
            t.skip(f"security group {sg_id} rule {number}", reason)
            continue
        body = {"IpProtocol": _PROTOCOL[rule.protocol]}
        ports = rule_ports(rule)
        if ports is not None:
            body["FromPort"], body["ToPort"] = ports
        body.update(peer)
        body["Description"] = aws_text(rule.purpose) or sg_id
        if rule.sg is None:
            inline[rule.direction].append(body)
        else:
            separate.append(("Ingress" if inbound else "Egress", body))
    props = {"GroupName": sg_group_name(ctx.env, sg_id), "GroupDescription": aws_text(sg.name) or sg_id,
             "VpcId": ref(ctx.logical(vpc, "VPC"))}
    if inline["inbound"]:
        props["SecurityGroupIngress"] = inline["inbound"]
    props["SecurityGroupEgress"] = inline["outbound"] or [dict(NO_EGRESS)]
    props["Tags"] = t.tags(sg_id, sg.name)
    t.add(logical, "AWS::EC2::SecurityGroup", props)
    counts = {"Ingress": 0, "Egress": 0}
    for direction, body in separate:
        counts[direction] += 1
        t.add(f"{logical}{direction}{counts[direction]}", f"AWS::EC2::SecurityGroup{direction}",
              {"GroupId": get_att(logical, "GroupId"), **body})


def _nacl(ctx: Context, t: Template, nacl) -> None:
    logical = ctx.logical(nacl.id, "NetworkAcl")
    t.add(logical, "AWS::EC2::NetworkAcl", {"VpcId": ref(ctx.logical(nacl.vpc, "VPC")),
                                           "Tags": t.tags(nacl.id, nacl.id)})
    for rule in nacl.rules:
        egress = rule.direction == "outbound"
        props = {"NetworkAclId": ref(logical), "RuleNumber": rule.number,
                 "Protocol": _NACL_PROTOCOL[rule.protocol], "RuleAction": rule.action,
                 "Egress": egress, "CidrBlock": rule.cidr}
        ports = rule_ports(rule)
        if ports is not None:
            props["PortRange"] = {"From": ports[0], "To": ports[1]}
        t.add(f"{logical}{'Egress' if egress else 'Ingress'}{rule.number}", "AWS::EC2::NetworkAclEntry", props)
    for subnet in nacl.subnets:
        t.add(ctx.logical(nacl.id, "") + ctx.logical(subnet, "NaclAssociation"),
              "AWS::EC2::SubnetNetworkAclAssociation",
              {"NetworkAclId": ref(logical), "SubnetId": ref(ctx.logical(subnet, "Subnet"))})
