"""The read-only calls ``archdoc drift`` makes, in the order it makes them.

Each :class:`Call` names the boto3 operation, the list it returns, the key that orders that
list in a snapshot, and (for per-parent calls) the call whose items it is made for. Items of a
per-parent call that do not name their parent get it added under ``parent_key``.

>>> [c.file for c in CALLS][:2]
['ec2.describe_vpcs.json', 'ec2.describe_subnets.json']
>>> IAM_ACTIONS[:2]
('ec2:DescribeClientVpnEndpoints', 'ec2:DescribeInternetGateways')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Call", "CALLS", "IAM_ACTIONS", "IAM_POLICY"]


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    """The boto3 method name (snake_case)."""
    result: str
    """The key of the returned list."""
    order: str
    """The key that orders the list in a snapshot."""
    iam: str
    """The IAM action this call needs."""
    parent: str | None = None
    """``file`` of the call whose items this one is made for (one request per parent item)."""
    parent_param: str | None = None
    """(request parameter, key in the parent item) for per-parent calls."""
    parent_key: str | None = None
    batch: int = 1
    """How many parent ids one request takes (a list parameter) when > 1."""

    @property
    def file(self) -> str:
        return f"{self.service}.{self.operation}.json"


def _ec2(op: str, result: str, order: str, iam: str, **kw) -> Call:
    return Call("ec2", op, result, order, f"ec2:{iam}", **kw)


CALLS: tuple[Call, ...] = (
    _ec2("describe_vpcs", "Vpcs", "VpcId", "DescribeVpcs"),
    _ec2("describe_subnets", "Subnets", "SubnetId", "DescribeSubnets"),
    _ec2("describe_route_tables", "RouteTables", "RouteTableId", "DescribeRouteTables"),
    _ec2("describe_internet_gateways", "InternetGateways", "InternetGatewayId", "DescribeInternetGateways"),
    _ec2("describe_nat_gateways", "NatGateways", "NatGatewayId", "DescribeNatGateways"),
    _ec2("describe_security_groups", "SecurityGroups", "GroupId", "DescribeSecurityGroups"),
    _ec2("describe_network_acls", "NetworkAcls", "NetworkAclId", "DescribeNetworkAcls"),
    _ec2("describe_transit_gateways", "TransitGateways", "TransitGatewayId", "DescribeTransitGateways"),
    _ec2("describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments", "TransitGatewayAttachmentId",
         "DescribeTransitGatewayVpcAttachments"),
    _ec2("describe_transit_gateway_route_tables", "TransitGatewayRouteTables", "TransitGatewayRouteTableId",
         "DescribeTransitGatewayRouteTables"),
    _ec2("get_transit_gateway_route_table_associations", "Associations", "TransitGatewayAttachmentId",
         "GetTransitGatewayRouteTableAssociations", parent="ec2.describe_transit_gateway_route_tables.json",
         parent_param=("TransitGatewayRouteTableId", "TransitGatewayRouteTableId"),
         parent_key="TransitGatewayRouteTableId"),
    _ec2("get_transit_gateway_route_table_propagations", "TransitGatewayRouteTablePropagations",
         "TransitGatewayAttachmentId", "GetTransitGatewayRouteTablePropagations",
         parent="ec2.describe_transit_gateway_route_tables.json",
         parent_param=("TransitGatewayRouteTableId", "TransitGatewayRouteTableId"),
         parent_key="TransitGatewayRouteTableId"),
    _ec2("describe_client_vpn_endpoints", "ClientVpnEndpoints", "ClientVpnEndpointId", "DescribeClientVpnEndpoints"),
    Call("elbv2", "describe_load_balancers", "LoadBalancers", "LoadBalancerArn",
         "elasticloadbalancing:DescribeLoadBalancers"),
    Call("elbv2", "describe_listeners", "Listeners", "ListenerArn", "elasticloadbalancing:DescribeListeners",
         parent="elbv2.describe_load_balancers.json", parent_param=("LoadBalancerArn", "LoadBalancerArn")),
    Call("elbv2", "describe_target_groups", "TargetGroups", "TargetGroupArn",
         "elasticloadbalancing:DescribeTargetGroups"),
    Call("elbv2", "describe_tags", "TagDescriptions", "ResourceArn", "elasticloadbalancing:DescribeTags",
         parent="elbv2.describe_load_balancers.json", parent_param=("ResourceArns", "LoadBalancerArn"), batch=20),
    Call("rds", "describe_db_instances", "DBInstances", "DBInstanceIdentifier", "rds:DescribeDBInstances"),
    Call("rds", "describe_db_subnet_groups", "DBSubnetGroups", "DBSubnetGroupName", "rds:DescribeDBSubnetGroups"),
    Call("ecs", "list_clusters", "clusterArns", "", "ecs:ListClusters"),
    Call("ecs", "list_services", "serviceArns", "", "ecs:ListServices", parent="ecs.list_clusters.json",
         parent_param=("cluster", ""), parent_key="cluster"),
    Call("ecs", "describe_services", "services", "serviceArn", "ecs:DescribeServices",
         parent="ecs.list_services.json", parent_param=("services", "arn"), batch=10),
)

#: Every IAM action drift needs, sorted: the read-only policy of the README.
IAM_ACTIONS: tuple[str, ...] = tuple(sorted({c.iam for c in CALLS}))

IAM_POLICY: dict = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ArchdocDriftReadOnly", "Effect": "Allow", "Action": list(IAM_ACTIONS), "Resource": "*"}]}
