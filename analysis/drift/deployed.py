"""The deployed state, read from raw describe responses (live or a snapshot) into items shaped
like :class:`~analysis.drift.expected.Item`, still naming other resources by AWS id.

Defaults AWS creates by itself (the default VPC and everything in it, each VPC's main route
table, default security group and default network ACL, a TGW's default route table, the
``-1 127.0.0.1/32`` egress rule the exporter uses to mean "no outbound rule") are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.drift.expected import nacl_entry_text, sg_rule_text

__all__ = ["Deployed", "deployed_items", "NO_EGRESS_RULE"]

TAG_ID, TAG_ENV = "archdoc:id", "archdoc:env"
NO_EGRESS_RULE = "outbound all 127.0.0.1/32"
_PROTO = {"-1": "all", "6": "tcp", "17": "udp", "tcp": "tcp", "udp": "udp", "all": "all"}


@dataclass(frozen=True)
class Deployed:
    kind: str
    aws_id: str
    tags: dict
    vpc: str | None = None
    """The AWS id of its VPC."""
    attrs: dict = field(default_factory=dict)
    sets: dict = field(default_factory=dict)
    """Like the model's, with AWS ids where the model has model ids (translated when compared)."""

    @property
    def tag_id(self) -> str | None:
        return self.tags.get(TAG_ID)

    @property
    def name(self) -> str | None:
        return self.tags.get("Name")


def _tags(raw, key="Key", value="Value") -> dict:
    return {t[key]: t[value] for t in raw or ()}


def _list(responses: dict, file: str, key: str) -> list:
    return list(responses.get(file, {}).get(key, ()))


def _ports(perm: dict, proto: str) -> str:
    if proto == "all":
        return ""
    low, high = perm.get("FromPort"), perm.get("ToPort")
    if low is None:
        return ""
    return f" {low}" if low == high else f" {low}-{high}"


def _sg_rules(group: dict) -> set[str]:
    rules = set()
    for key, direction in (("IpPermissions", "inbound"), ("IpPermissionsEgress", "outbound")):
        for perm in group.get(key, ()):
            proto = _PROTO.get(str(perm.get("IpProtocol")), str(perm.get("IpProtocol")))
            ports = _ports(perm, proto)
            peers = [r["CidrIp"] for r in perm.get("IpRanges", ())]
            peers += [r["CidrIpv6"] for r in perm.get("Ipv6Ranges", ())]
            peers += [f"sg:{p['GroupId']}" for p in perm.get("UserIdGroupPairs", ())]
            peers += [f"pl:{p['PrefixListId']}" for p in perm.get("PrefixListIds", ())]
            rules |= {sg_rule_text(direction, proto, ports, peer) for peer in peers}
    return rules - {NO_EGRESS_RULE}


def _route_target(route: dict) -> str:
    for key in ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId",
                "NetworkInterfaceId", "VpcEndpointId", "InstanceId"):
        if route.get(key):
            return route[key]
    return "blackhole"


def deployed_items(responses: dict) -> list[Deployed]:
    """Every comparable deployed resource (defaults left out), in snapshot order."""
    ec2 = "ec2.describe_"
    default_vpcs = {v["VpcId"] for v in _list(responses, f"{ec2}vpcs.json", "Vpcs") if v.get("IsDefault")}
    out: list[Deployed] = []
    for v in _list(responses, f"{ec2}vpcs.json", "Vpcs"):
        if v["VpcId"] not in default_vpcs:
            out.append(Deployed("vpc", v["VpcId"], _tags(v.get("Tags")), v["VpcId"], {"cidr": v["CidrBlock"]}))
    for s in _list(responses, f"{ec2}subnets.json", "Subnets"):
        if s["VpcId"] not in default_vpcs:
            out.append(Deployed("subnet", s["SubnetId"], _tags(s.get("Tags")), s["VpcId"],
                                {"cidr": s["CidrBlock"], "az": s["AvailabilityZone"]}))
    for rt in _list(responses, f"{ec2}route_tables.json", "RouteTables"):
        assoc = rt.get("Associations", ())
        subnets = frozenset(a["SubnetId"] for a in assoc if a.get("SubnetId"))
        main = any(a.get("Main") for a in assoc)
        if rt["VpcId"] in default_vpcs or (main and not subnets and TAG_ID not in _tags(rt.get("Tags"))):
            continue
        routes = frozenset(f"{r.get('DestinationCidrBlock')} -> {_route_target(r)}" for r in rt.get("Routes", ())
                           if r.get("DestinationCidrBlock"))
        out.append(Deployed("route-table", rt["RouteTableId"], _tags(rt.get("Tags")), rt["VpcId"], {},
                            {"routes": routes, "subnets": subnets}))
    for g in _list(responses, f"{ec2}internet_gateways.json", "InternetGateways"):
        vpcs = [a["VpcId"] for a in g.get("Attachments", ())]
        if not (set(vpcs) & default_vpcs):
            out.append(Deployed("internet-gateway", g["InternetGatewayId"], _tags(g.get("Tags")),
                                vpcs[0] if vpcs else None))
    for n in _list(responses, f"{ec2}nat_gateways.json", "NatGateways"):
        if n.get("State") not in ("deleted", "deleting", "failed"):
            out.append(Deployed("nat-gateway", n["NatGatewayId"], _tags(n.get("Tags")), n["VpcId"],
                                {"subnet": n["SubnetId"]}))
    for g in _list(responses, f"{ec2}security_groups.json", "SecurityGroups"):
        if g.get("VpcId") not in default_vpcs and g["GroupName"] != "default":
            out.append(Deployed("security-group", g["GroupId"], _tags(g.get("Tags")) | {"GroupName": g["GroupName"]},
                                g.get("VpcId"), {}, {"rules": frozenset(_sg_rules(g))}))
    for a in _list(responses, f"{ec2}network_acls.json", "NetworkAcls"):
        if a["VpcId"] in default_vpcs or a.get("IsDefault"):
            continue
        entries = set()
        for e in a.get("Entries", ()):
            if e.get("RuleNumber", 0) >= 32767 or "CidrBlock" not in e:
                continue
            proto = _PROTO.get(str(e.get("Protocol")), str(e.get("Protocol")))
            pr = e.get("PortRange") or {}
            ports = "" if proto == "all" else (f" {pr.get('From')}" if pr.get("From") == pr.get("To")
                                                else f" {pr.get('From')}-{pr.get('To')}")
            entries.add(nacl_entry_text("outbound" if e.get("Egress") else "inbound", e["RuleNumber"], proto, ports,
                                        e["CidrBlock"], e.get("RuleAction", "")))
        subnets = frozenset(x["SubnetId"] for x in a.get("Associations", ()))
        out.append(Deployed("network-acl", a["NetworkAclId"], _tags(a.get("Tags")), a["VpcId"], {},
                            {"entries": frozenset(entries), "subnets": subnets}))
    out += _transit(responses)
    out += _services(responses)
    return out


def _transit(responses: dict) -> list[Deployed]:
    ec2 = "ec2."
    out: list[Deployed] = []
    tgws = [t for t in _list(responses, f"{ec2}describe_transit_gateways.json", "TransitGateways")
            if t.get("State") not in ("deleted", "deleting")]
    defaults = {t.get("Options", {}).get("AssociationDefaultRouteTableId") for t in tgws}
    out += [Deployed("transit-gateway", t["TransitGatewayId"], _tags(t.get("Tags"))) for t in tgws]
    for a in _list(responses, f"{ec2}describe_transit_gateway_vpc_attachments.json", "TransitGatewayVpcAttachments"):
        if a.get("State") not in ("deleted", "deleting"):
            out.append(Deployed("tgw-attachment", a["TransitGatewayAttachmentId"], _tags(a.get("Tags")), a["VpcId"],
                                {}, {"subnets": frozenset(a.get("SubnetIds", ()))}))
    assoc = _list(responses, f"{ec2}get_transit_gateway_route_table_associations.json", "Associations")
    props = _list(responses, f"{ec2}get_transit_gateway_route_table_propagations.json",
                  "TransitGatewayRouteTablePropagations")
    for rt in _list(responses, f"{ec2}describe_transit_gateway_route_tables.json", "TransitGatewayRouteTables"):
        tags = _tags(rt.get("Tags"))
        if rt["TransitGatewayRouteTableId"] in defaults and TAG_ID not in tags:
            continue
        rid = rt["TransitGatewayRouteTableId"]
        out.append(Deployed("tgw-route-table", rid, tags, None, {}, {
            "associations": frozenset(x["TransitGatewayAttachmentId"] for x in assoc
                                      if x.get("TransitGatewayRouteTableId") == rid),
            "propagations": frozenset(x["TransitGatewayAttachmentId"] for x in props
                                      if x.get("TransitGatewayRouteTableId") == rid)}))
    for c in responses.get(f"{ec2}describe_client_vpn_endpoints.json", {}).get("ClientVpnEndpoints", ()):
        out.append(Deployed("client-vpn", c["ClientVpnEndpointId"], _tags(c.get("Tags")), c.get("VpcId"), {
            "client_cidr": c.get("ClientCidrBlock"), "transport": c.get("TransportProtocol"),
            "vpn_port": c.get("VpnPort")}))
    return out


def _services(responses: dict) -> list[Deployed]:
    out: list[Deployed] = []
    tags = {d["ResourceArn"]: _tags(d.get("Tags")) for d in _list(responses, "elbv2.describe_tags.json", "TagDescriptions")}
    listeners = _list(responses, "elbv2.describe_listeners.json", "Listeners")
    for lb in _list(responses, "elbv2.describe_load_balancers.json", "LoadBalancers"):
        arn = lb["LoadBalancerArn"]
        out.append(Deployed("load-balancer", arn, tags.get(arn, {}) | {"LoadBalancerName": lb["LoadBalancerName"]},
                            lb.get("VpcId"), {"scheme": lb.get("Scheme")}, {
            "listeners": frozenset(f"{li['Protocol']} {li['Port']}" for li in listeners
                                   if li["LoadBalancerArn"] == arn),
            "subnets": frozenset(z["SubnetId"] for z in lb.get("AvailabilityZones", ()))}))
    for d in _list(responses, "rds.describe_db_instances.json", "DBInstances"):
        vpc = (d.get("DBSubnetGroup") or {}).get("VpcId")
        out.append(Deployed("db-instance", d["DBInstanceIdentifier"], _tags(d.get("TagList")), vpc, {
            "instance_class": d.get("DBInstanceClass"), "multi_az": d.get("MultiAZ"), "engine": d.get("Engine"),
            "engine_version": d.get("EngineVersion"), "storage_gb": d.get("AllocatedStorage"),
            "backup_retention_days": d.get("BackupRetentionPeriod"), "encryption": d.get("StorageEncrypted")}))
    for s in _list(responses, "ecs.describe_services.json", "services"):
        if s.get("status") == "INACTIVE":
            continue
        out.append(Deployed("ecs-service", s["serviceArn"], _tags(s.get("tags"), "key", "value")
                            | {"serviceName": s["serviceName"]}, None, {"tasks": s.get("desiredCount")}))
    return out
