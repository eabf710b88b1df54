"""Gateways and the Client VPN endpoint: IGW, NAT gateway (+EIP), Transit Gateway, its VPC
attachments and route tables, the Direct Connect gateway and its TGW association."""

from __future__ import annotations

from model.schema import Node, NodeKind
from render.cloudformation.context import SUFFIX, Context
from render.cloudformation.registry import exporter
from render.cloudformation.template import Template, get_att, ref

__all__ = ["export_tgw_route_tables"]


@exporter(NodeKind.IGW)
def igw(ctx: Context, t: Template, node: Node) -> None:
    vpc = ctx.ix.locate(node.id, ctx.env).vpc
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    t.add(logical, "AWS::EC2::InternetGateway", {"Tags": t.tags(node.id, node.label)})
    t.add(ctx.logical(node.id, "VPCGatewayAttachment"), "AWS::EC2::VPCGatewayAttachment",
          {"InternetGatewayId": ref(logical), "VpcId": ref(ctx.logical(vpc, "VPC"))})


@exporter(NodeKind.NAT_GATEWAY)
def nat_gateway(ctx: Context, t: Template, node: Node) -> None:
    subnets = node.at[ctx.env].subnets
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    props = {"SubnetId": ref(ctx.logical(subnets[0], "Subnet"))}
    if node.public_ip:
        eip = ctx.logical(node.id, "EIP")
        t.add(eip, "AWS::EC2::EIP", {"Domain": "vpc", "Tags": t.tags(f"{node.id}/eip", f"{node.label} EIP")})
        props = {"AllocationId": get_att(eip, "AllocationId"), **props}
    else:
        props["ConnectivityType"] = "private"
    props["Tags"] = t.tags(node.id, node.label)
    t.add(logical, "AWS::EC2::NatGateway", props)


@exporter(NodeKind.TGW)
def transit_gateway(ctx: Context, t: Template, node: Node) -> None:
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    # The model writes TGW route tables explicitly, so AWS's default table stays out of the way.
    explicit = any(rt.tgw == node.id and rt.env == ctx.env for rt in ctx.model.tgw_route_tables)
    envs = node.at if node.shared else (ctx.env,)  # a shared TGW serves every environment of its 'at'
    others = sorted({ctx.account_of_vpc(ctx.vpc_of_subnets(a.at[e].subnets))
                     for e in envs for a in ctx.ix.nodes_in(e) if a.kind is NodeKind.TGW_ATTACHMENT
                     and ctx.vpc_of_subnets(a.at[e].subnets)} - {t.account})
    props = {"Description": node.label}
    if explicit:
        props |= {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}
    if others:  # else another account's attachment waits in pendingAcceptance and its association fails
        props["AutoAcceptSharedAttachments"] = "enable"
    props["Tags"] = t.tags(node.id, node.label)
    t.add(logical, "AWS::EC2::TransitGateway", props)
    t.output(f"{logical}Id", ref(logical), f"id of {node.label}")
    if others:  # attachments in other accounts need the TGW shared with them (AWS RAM)
        principals = [t.parameter(ctx.logical(a, "AwsAccountId"), "String",
                                  f"12-digit AWS account number of {a}", AllowedPattern="^[0-9]{12}$")
                      for a in others]
        arn = {"Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:transit-gateway/${"
                          + logical + "}"}
        t.add(ctx.logical(node.id, "ResourceShare"), "AWS::RAM::ResourceShare", {
            "Name": f"{ctx.env}-{node.id}", "AllowExternalPrincipals": False,
            "ResourceArns": [arn], "Principals": principals, "Tags": t.tags(f"{node.id}/share", node.label)})


def _tgw_of(ctx: Context, attachment: str) -> str | None:
    """The TGW an attachment belongs to: its spec's, one its TGW route tables name, else the env's only TGW."""
    node = ctx.ix.nodes.get(attachment)
    if node is not None and node.tgw_attachment is not None and node.tgw_attachment.tgw:
        return node.tgw_attachment.tgw
    for rt in ctx.model.tgw_route_tables:
        if rt.env == ctx.env and attachment in (*rt.associations, *rt.propagations):
            return rt.tgw
    tgws = ctx.nodes_of_kind(NodeKind.TGW)
    return tgws[0].id if len(tgws) == 1 else None


@exporter(NodeKind.TGW_ATTACHMENT)
def tgw_attachment(ctx: Context, t: Template, node: Node) -> None:
    subnets = node.at[ctx.env].subnets
    vpc = ctx.vpc_of_subnets(subnets)
    tgw = _tgw_of(ctx, node.id)
    if vpc is None or tgw is None:
        t.skip(f"node {node.id}", "its subnets are not in one VPC" if vpc is None else "no TGW to attach to")
        return
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    props = {"TransitGatewayId": ctx.node_ref(t, tgw), "VpcId": ref(ctx.logical(vpc, "VPC")),
             "SubnetIds": [ref(ctx.logical(s, "Subnet")) for s in subnets]}
    if node.tgw_attachment is not None and node.tgw_attachment.appliance_mode:
        props["Options"] = {"ApplianceModeSupport": "enable"}
    props["Tags"] = t.tags(node.id, node.label)
    t.add(logical, "AWS::EC2::TransitGatewayAttachment", props)


def export_tgw_route_tables(ctx: Context) -> None:
    """TGW route tables with their associations, propagations and static routes. A shared TGW's
    tables (whichever environment they serve) are built with the TGW, in its account's stack."""
    for rt in ctx.model.tgw_route_tables:
        tgw = ctx.ix.nodes[rt.tgw]
        owner = ctx.account_of_node(tgw)
        if rt.env != ctx.env and not (tgw.shared and owner in ctx.templates):
            continue
        t = ctx.templates.get(owner)
        if t is None:
            first = ctx.templates[next(iter(ctx.templates))]
            first.skip(f"TGW route table {rt.id}", f"its TGW {rt.tgw} is shared from account {owner}, whose stack "
                                                   f"builds it")
            continue
        logical = ctx.logical(rt.id, "TransitGatewayRouteTable")
        t.add(logical, "AWS::EC2::TransitGatewayRouteTable", {
            "TransitGatewayId": ref(ctx.logical(rt.tgw, SUFFIX[NodeKind.TGW])), "Tags": t.tags(rt.id, rt.name)})
        for verb, attachments in (("Association", rt.associations), ("Propagation", rt.propagations)):
            for attachment in attachments:
                _attachment_link(ctx, t, rt.id, logical, verb, attachment)
        for number, route in enumerate(rt.routes, 1):
            props = {"TransitGatewayRouteTableId": ref(logical), "DestinationCidrBlock": route.destination}
            if route.blackhole:
                props["Blackhole"] = True
            elif route.attachment is not None:
                target = _attachment_id(ctx, t, route.attachment)
                if target is None:
                    t.skip(f"TGW route table {rt.id} route {number}", _DX_REASON)
                    continue
                props["TransitGatewayAttachmentId"] = target[0]
            t.add(f"{logical}Route{number}", "AWS::EC2::TransitGatewayRoute", props)


_DX_REASON = ("CloudFormation returns no TGW attachment id for a Direct Connect gateway association or a VPN "
              "connection; associate or route it with 'aws ec2 associate-transit-gateway-route-table' after deploying")


def _attachment_id(ctx: Context, t: Template, attachment: str) -> tuple[dict, str | None] | None:
    """(the attachment id for ``t``, a condition name when it comes from a later stack), or None."""
    node = ctx.ix.nodes[attachment]
    if node.kind is not NodeKind.TGW_ATTACHMENT:
        return None
    owner = ctx.account_of_node(node)
    if owner == t.account:
        return ref(ctx.logical(attachment, SUFFIX[node.kind])), None
    # The attachment's stack is deployed after this one: an empty parameter skips the link
    # until the stack is updated with the attachment id (README.md step 3).
    value = ctx.ref(t, owner, attachment, SUFFIX[node.kind], node.label)
    name = value["Ref"]
    t.parameters[name]["Default"] = ""
    condition = f"Has{name}"
    t.conditions[condition] = {"Fn::Not": [{"Fn::Equals": [value, ""]}]}
    return value, condition


def _attachment_link(ctx: Context, t: Template, rt_id: str, logical: str, verb: str, attachment: str) -> None:
    found = _attachment_id(ctx, t, attachment)
    if found is None:
        t.skip(f"TGW route table {rt_id} {verb.lower()} of {attachment}", _DX_REASON)
        return
    value, condition = found
    t.add(f"{logical}{ctx.logical(attachment, verb)}", f"AWS::EC2::TransitGatewayRouteTable{verb}",
          {"TransitGatewayRouteTableId": ref(logical), "TransitGatewayAttachmentId": value},
          Condition=condition)


@exporter(NodeKind.DX_GATEWAY)
def dx_gateway(ctx: Context, t: Template, node: Node) -> None:
    spec = node.dx_gateway
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    t.add(logical, "AWS::DirectConnect::DirectConnectGateway", {
        "DirectConnectGatewayName": f"{ctx.env}-{node.id}", "Tags": t.tags(node.id, node.label)})
    if spec is None:
        return
    t.add(ctx.logical(node.id, "Association"), "AWS::DirectConnect::DirectConnectGatewayAssociation", {
        "DirectConnectGatewayId": get_att(logical, "DirectConnectGatewayId"),
        "AssociatedGatewayId": ctx.node_ref(t, spec.tgw),
        "AllowedPrefixesToDirectConnectGateway": list(spec.allowed_prefixes)})
    t.skip(f"node {node.id} virtual interface ({spec.vif})",
           "a virtual interface needs the Direct Connect connection ordered from the provider "
           "(connection id, VLAN, BGP ASN and key), which the model does not hold")


@exporter(NodeKind.CLIENT_VPN)
def client_vpn(ctx: Context, t: Template, node: Node) -> None:
    spec = node.client_vpn
    cidr = ctx.named(spec.client_cidr) if spec else None
    if spec is None or cidr is None:
        t.skip(f"node {node.id}", "no client_vpn spec" if spec is None else
               f"named CIDR '{spec.client_cidr}' has no value in {ctx.env}")
        return
    vpc = ctx.vpc_of_subnets(spec.associated_subnets)
    logical = ctx.logical(node.id, SUFFIX[node.kind])
    server = t.parameter(f"{camel_id(node)}ServerCertificateArn", "String",
                         f"ACM certificate ARN of the {node.label} server")
    client = t.parameter(f"{camel_id(node)}ClientRootCertificateArn", "String",
                         f"ACM certificate ARN of the client root CA ({node.label}, mutual authentication)")
    t.add(logical, "AWS::EC2::ClientVpnEndpoint", {
        "ClientCidrBlock": cidr, "ServerCertificateArn": server,
        "AuthenticationOptions": [{"Type": "certificate-authentication",
                                   "MutualAuthentication": {"ClientRootCertificateChainArn": client}}],
        "ConnectionLogOptions": {"Enabled": False},
        "TransportProtocol": spec.transport, "VpnPort": spec.vpn_port, "SplitTunnel": not spec.full_tunnel(),
        "Description": node.label,
        "VpcId": ref(ctx.logical(vpc, "VPC")),
        "SecurityGroupIds": [ctx.sg_ref(t, sg, vpc) for sg in node.security_groups],
        "TagSpecifications": [{"ResourceType": "client-vpn-endpoint", "Tags": t.tags(node.id, node.label)}]})
    associations = []
    for subnet in spec.associated_subnets:
        name = f"{logical}{ctx.logical(subnet, 'Association')}"
        associations.append(name)
        t.add(name, "AWS::EC2::ClientVpnTargetNetworkAssociation",
              {"ClientVpnEndpointId": ref(logical), "SubnetId": ref(ctx.logical(subnet, "Subnet"))})
    for number, rule in enumerate(spec.authorization_rules, 1):
        groups = rule.groups or (None,)
        for index, group in enumerate(groups, 1):
            props = {"ClientVpnEndpointId": ref(logical), "TargetNetworkCidr": rule.destination}
            props |= {"AuthorizeAllGroups": True} if group is None else {"AccessGroupId": group}
            suffix = "" if len(groups) == 1 else f"Group{index}"
            t.add(f"{logical}Authorization{number}{suffix}", "AWS::EC2::ClientVpnAuthorizationRule", props)
    for number, destination in enumerate(spec.routes, 1):
        for subnet, association in zip(spec.associated_subnets, associations):
            t.add(f"{logical}Route{number}{ctx.logical(subnet, '')}", "AWS::EC2::ClientVpnRoute",
                  {"ClientVpnEndpointId": ref(logical), "DestinationCidrBlock": destination,
                   "TargetVpcSubnetId": ref(ctx.logical(subnet, "Subnet"))}, DependsOn=[association])


def camel_id(node: Node) -> str:
    return Context.logical(node.id, "")
