"""Connections beyond the seed (issue 15): VPC peering, virtual private gateways, customer
gateways, site-to-site VPN connections, VPC endpoints, and the Network Load Balancer.

Values the model does not hold are template parameters, never invented: a customer
gateway's public IP and BGP ASN when the model omits them, the peer account of a peering
across accounts. An endpoint's service name is ``com.amazonaws.<region>.<service>`` for the
services the model can name (:data:`SERVICE_NAMES`); a denying endpoint policy is written as
a ``Deny *`` policy document.
"""

from __future__ import annotations

from model.schema import Node, NodeKind
from render.cloudformation.context import SUFFIX, Context
from render.cloudformation.registry import exporter
from render.cloudformation.template import Template, ref

__all__ = ["SERVICE_NAMES", "route_target"]

SERVICE_NAMES = {"s3": "s3", "ecr": "ecr.api", "secrets-manager": "secretsmanager", "cloudwatch-logs": "logs",
                 "cloudwatch-metrics": "monitoring", "cloudwatch": "monitoring", "ses": "email-smtp",
                 "cognito": "cognito-idp", "sns": "sns", "bedrock": "bedrock-runtime"}
"""Node kind of an AWS service -> the endpoint service name after ``com.amazonaws.<region>.``."""

_DENY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}


@exporter(NodeKind.VPC_PEERING)
def peering(ctx: Context, t: Template, node: Node) -> None:
    spec = node.peering
    requester, accepter = ctx.ix.vpcs[spec.requester], ctx.ix.vpcs[spec.accepter]
    props = {"VpcId": ref(ctx.logical(requester.id, "VPC"))}
    if accepter.account == t.account:
        props["PeerVpcId"] = ref(ctx.logical(accepter.id, "VPC"))
    else:  # the accepter's stack is another account's: its VPC id and account number are parameters
        props["PeerVpcId"] = ctx.ref(t, accepter.account, accepter.id, "VPC", f"VPC {accepter.id}")
        props["PeerOwnerId"] = t.parameter(ctx.logical(accepter.account, "AwsAccountId"), "String",
                                           f"12-digit AWS account number of {accepter.account}",
                                           AllowedPattern="^[0-9]{12}$")
    if accepter.region != requester.region:
        props["PeerRegion"] = accepter.region
    props["Tags"] = t.tags(node.id, node.label)
    t.add(ctx.logical(node.id, SUFFIX[node.kind]), "AWS::EC2::VPCPeeringConnection", props)


@exporter(NodeKind.VGW)
def vgw(ctx: Context, t: Template, node: Node) -> None:
    vpc = ctx.ix.locate(node.id, ctx.env).vpc
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    t.add(logical, "AWS::EC2::VPNGateway", {"Type": "ipsec.1", "Tags": t.tags(node.id, node.label)})
    if vpc is not None:
        t.add(ctx.logical(node.id, "VPCGatewayAttachment"), "AWS::EC2::VPCGatewayAttachment",
              {"VpnGatewayId": ref(logical), "VpcId": ref(ctx.logical(vpc, "VPC"))})
    tables = [rt for rt in ctx.model.route_tables if node.id in rt.propagations]
    if tables:
        t.add(ctx.logical(node.id, "RoutePropagation"), "AWS::EC2::VPNGatewayRoutePropagation", {
            "VpnGatewayId": ref(logical), "RouteTableIds": [ref(ctx.logical(rt.id, "RouteTable")) for rt in tables]},
              DependsOn=[ctx.logical(node.id, "VPCGatewayAttachment")])


@exporter(NodeKind.CUSTOMER_GATEWAY)
def customer_gateway(ctx: Context, t: Template, node: Node) -> None:
    spec = node.customer_gateway
    ip = spec.ip or t.parameter(ctx.logical(node.id, "IpAddress"), "String",
                                f"public IP address of {node.label} (the model does not give it)")
    asn = spec.asn if spec.asn is not None else t.parameter(ctx.logical(node.id, "BgpAsn"), "Number",
                                                            f"BGP ASN of {node.label} (the model does not give it)")
    t.add(ctx.logical(node.id, SUFFIX[node.kind]), "AWS::EC2::CustomerGateway",
          {"Type": "ipsec.1", "IpAddress": ip, "BgpAsn": asn, "Tags": t.tags(node.id, node.label)})


@exporter(NodeKind.VPN_CONNECTION)
def vpn_connection(ctx: Context, t: Template, node: Node) -> None:
    spec = node.vpn
    gateway = ctx.ix.nodes[spec.gateway]
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    props = {"Type": "ipsec.1", "CustomerGatewayId": ctx.node_ref(t, spec.customer_gateway),
             "StaticRoutesOnly": spec.routing == "static"}
    key = "TransitGatewayId" if gateway.kind is NodeKind.TGW else "VpnGatewayId"
    props[key] = ctx.node_ref(t, gateway.id)
    props["Tags"] = t.tags(node.id, node.label)
    t.add(logical, "AWS::EC2::VPNConnection", props)
    if gateway.kind is NodeKind.VGW:
        for number, cidr in enumerate(spec.static_routes, 1):
            t.add(f"{logical}Route{number}", "AWS::EC2::VPNConnectionRoute",
                  {"VpnConnectionId": ref(logical), "DestinationCidrBlock": cidr})


@exporter(NodeKind.VPC_ENDPOINT)
def endpoint(ctx: Context, t: Template, node: Node) -> None:
    spec = node.endpoint
    service = ctx.ix.nodes.get(spec.service)
    name = SERVICE_NAMES.get(service.kind.value) if service is not None else None
    if name is None:
        t.skip(f"node {node.id}", f"no endpoint service name is known for '{spec.service}'")
        return
    region = t.region
    props: dict = {"ServiceName": f"com.amazonaws.{region}.{name}"}
    if spec.type == "gateway":
        tables = [rt for rt in ctx.model.route_tables if rt.id in spec.route_tables]
        if not tables:
            t.skip(f"node {node.id}", "a gateway endpoint needs route tables")
            return
        props |= {"VpcEndpointType": "Gateway", "VpcId": ref(ctx.logical(tables[0].vpc, "VPC")),
                  "RouteTableIds": [ref(ctx.logical(rt.id, "RouteTable")) for rt in tables]}
    else:
        subnets = node.at[ctx.env].subnets
        vpc = ctx.vpc_of_subnets(subnets)
        props |= {"VpcEndpointType": "Interface", "VpcId": ref(ctx.logical(vpc, "VPC")),
                  "SubnetIds": [ref(ctx.logical(s, "Subnet")) for s in subnets],
                  "SecurityGroupIds": [ctx.sg_ref(t, sg, vpc) for sg in node.security_groups],
                  "PrivateDnsEnabled": spec.private_dns}
    if spec.policy == "deny":
        props["PolicyDocument"] = _DENY
    props["Tags"] = t.tags(node.id, node.label)
    t.add(ctx.logical(node.id, SUFFIX[node.kind]), "AWS::EC2::VPCEndpoint", props)


@exporter(NodeKind.NLB)
def nlb(ctx: Context, t: Template, node: Node) -> None:
    spec, subnets = node.nlb, node.at[ctx.env].subnets
    vpc = ctx.vpc_of_subnets(subnets)
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    props = {"Type": "network", "Scheme": spec.scheme, "Subnets": [ref(ctx.logical(s, "Subnet")) for s in subnets]}
    if node.security_groups:  # an NLB gets SGs only at creation (AWS: "Update the security groups ...")
        props["SecurityGroups"] = [ctx.sg_ref(t, sg, vpc) for sg in node.security_groups]
    props["Tags"] = t.tags(node.id, node.label)
    t.add(logical, "AWS::ElasticLoadBalancingV2::LoadBalancer", props)
    protocols = {x.target_group: x.protocol for x in spec.listeners}
    for tg in spec.target_groups:
        attrs = [{"Key": "preserve_client_ip.enabled",
                  "Value": str(tg.client_ip_preserved(protocols.get(tg.id, "TCP"))).lower()}]
        t.add(ctx.logical(f"{node.id}-{tg.id}", "TargetGroup"), "AWS::ElasticLoadBalancingV2::TargetGroup", {
            "TargetType": tg.target_type, "Protocol": protocols.get(tg.id, "TCP").replace("TLS", "TCP"),
            "Port": tg.port, "VpcId": ref(ctx.logical(vpc, "VPC")), "TargetGroupAttributes": attrs,
            "Tags": t.tags(f"{node.id}/{tg.id}", tg.id)})
    for listener in spec.listeners:
        props = {"LoadBalancerArn": ref(logical), "Protocol": listener.protocol, "Port": listener.port,
                 "DefaultActions": [{"Type": "forward",
                                     "TargetGroupArn": ref(ctx.logical(f"{node.id}-{listener.target_group}", "TargetGroup"))}]}
        if listener.protocol == "TLS":
            props["Certificates"] = [{"CertificateArn": t.parameter(
                ctx.logical(node.id, "CertificateArn"), "String", f"ACM certificate ARN of {node.label}'s TLS listener")}]
        t.add(ctx.logical(f"{node.id}-{listener.protocol.lower()}-{listener.port}", "Listener"),
              "AWS::ElasticLoadBalancingV2::Listener", props)


def route_target(ctx: Context, t: Template, node: Node, props: dict, depends: list[str]) -> bool:
    """Fill a route's target for the connection kinds of this module; False when it is not one."""
    if node.kind is NodeKind.VPC_PEERING:
        props["VpcPeeringConnectionId"] = ref(ctx.logical(node.id, SUFFIX[node.kind]))
    elif node.kind is NodeKind.VGW:
        props["GatewayId"] = ref(ctx.logical(node.id, SUFFIX[node.kind]))
        depends.append(ctx.logical(node.id, "VPCGatewayAttachment"))
    else:
        return False
    return True

