"""Network and shape rules: CIDRs, containment, overlaps, AZs, port ranges, specs per node kind.

The schema keeps CIDRs as strings so that these checks can say *which* CIDR is wrong
and how to fix it (``did you mean 10.1.1.0/24?``), and so that overlaps between
networks that are actually connected (same TGW, DX, Client VPN) are found, while
isolated environments may reuse address space.

>>> net("10.1.1.0/24"), net("10.1.1.5/24"), net("nonsense")
(IPv4Network('10.1.1.0/24'), None, None)
"""

from __future__ import annotations

import ipaddress
from typing import Iterator

from model.rules.registry import Ctx, RuleHit, rule
from model.schema import NodeKind

__all__ = ["net", "malformed_cidrs", "host_bits", "subnet_in_vpc", "subnet_overlap",
           "connected_overlap", "az_in_region", "route_destinations", "inverted_ports", "spec_matches_kind",
           "task_counts"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def net(text: str | None) -> Network | None:
    """The network of a well-formed CIDR (with '/prefix' and no host bits), else None."""
    if not text or "/" not in text:
        return None
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        return None


def _cidrs(c: Ctx) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every CIDR written in the model."""
    m = c.m
    for i, x in enumerate(m.sites):
        yield from ((("sites", i, "cidrs", j), v) for j, v in enumerate(x.cidrs))
    yield from ((("vpcs", i, "cidr"), x.cidr) for i, x in enumerate(m.vpcs))
    yield from ((("subnets", i, "cidr"), x.cidr) for i, x in enumerate(m.subnets))
    for i, x in enumerate(m.named_cidrs):
        yield from ((("named_cidrs", i, "values", k), v) for k, v in x.values.items())
    for i, x in enumerate(m.security_groups):
        yield from ((("security_groups", i, "rules", j, "cidr"), r.cidr) for j, r in enumerate(x.rules) if r.cidr)
    for i, x in enumerate(m.nacls):
        yield from ((("nacls", i, "rules", j, "cidr"), r.cidr) for j, r in enumerate(x.rules))
    for i, x in enumerate(m.route_tables):
        yield from ((("route_tables", i, "routes", j, "destination"), r.destination)
                    for j, r in enumerate(x.routes) if r.destination)
    for i, x in enumerate(m.tgw_route_tables):
        yield from ((("tgw_route_tables", i, "routes", j, "destination"), r.destination) for j, r in enumerate(x.routes))
    for i, x in enumerate(m.nodes):
        if x.client_vpn:
            yield from ((("nodes", i, "client_vpn", "authorization_rules", j, "destination"), a.destination)
                        for j, a in enumerate(x.client_vpn.authorization_rules))
            yield from ((("nodes", i, "client_vpn", "routes", j), r) for j, r in enumerate(x.client_vpn.routes))
        if x.dx_gateway:
            yield from ((("nodes", i, "dx_gateway", "allowed_prefixes", j), p)
                        for j, p in enumerate(x.dx_gateway.allowed_prefixes))


@rule("E020", "every CIDR is well formed (a.b.c.d/n)")
def malformed_cidrs(c: Ctx) -> Iterator[RuleHit]:
    for path, text in _cidrs(c):
        try:
            ipaddress.ip_network(text, strict=False)
            ok = "/" in text
        except ValueError:
            ok = False
        if not ok:
            yield path, f"'{text}' is not a valid CIDR (expected a.b.c.d/n)"


@rule("E022", "a CIDR has no host bits set")
def host_bits(c: Ctx) -> Iterator[RuleHit]:
    for path, text in _cidrs(c):
        if "/" in text and net(text) is None:
            try:
                fixed = ipaddress.ip_network(text, strict=False)
            except ValueError:
                continue
            yield path, f"'{text}' has host bits set (did you mean {fixed}?)"


@rule("E021", "a subnet's CIDR lies inside its VPC's CIDR")
def subnet_in_vpc(c: Ctx) -> Iterator[RuleHit]:
    for i, subnet in enumerate(c.m.subnets):
        vpc = c.get("vpcs", subnet.vpc)
        inner, outer = net(subnet.cidr), net(vpc.cidr) if vpc else None
        if inner and outer and (inner.version != outer.version or not inner.subnet_of(outer)):
            yield ("subnets", i, "cidr"), (f"subnet '{subnet.id}' {inner} is outside its VPC "
                                           f"'{vpc.id}' {outer}")


@rule("E023", "subnets of one VPC do not overlap")
def subnet_overlap(c: Ctx) -> Iterator[RuleHit]:
    seen: dict[str, list[tuple[str, Network]]] = {}
    for i, subnet in enumerate(c.m.subnets):
        mine = net(subnet.cidr)
        if mine is None:
            continue
        for other_id, other in seen.setdefault(subnet.vpc, []):
            if other.version == mine.version and mine.overlaps(other):
                yield ("subnets", i, "cidr"), (f"subnet '{subnet.id}' {mine} overlaps subnet '{other_id}' "
                                               f"{other} in VPC '{subnet.vpc}'")
                break
        seen[subnet.vpc].append((subnet.id, mine))


def _tgw_of(c: Ctx, node_id: str) -> str:
    node = c.get("nodes", node_id)
    parent = c.get("nodes", node.part_of) if node else None
    if parent is not None and parent.kind == NodeKind.TGW:
        return parent.id
    for table in c.m.tgw_route_tables:
        if node_id in table.associations or node_id in table.propagations:
            return table.tgw
    return "(the environment's TGW)"


def _placement_vpc(c: Ctx, pl) -> str | None:
    if pl.vpc:
        return pl.vpc
    subnet = c.get("subnets", pl.subnets[0]) if pl.subnets else None
    return subnet.vpc if subnet else None


def _site_members(c: Ctx, site_id: str) -> list[tuple[tuple, str, Network]]:
    site_index = c.ids["sites"].get(site_id)
    site = c.get("sites", site_id)
    return [(("sites", site_index, "cidrs", j), f"site '{site.id}'", net(text))
            for j, text in enumerate(site.cidrs if site else ()) if net(text)]


def _connected(c: Ctx) -> dict[tuple[str, str, str], list[tuple[tuple, str, Network]]]:
    """(env, 'TGW'|'VGW', gateway) -> networks joined by it: attached VPCs, and on-premises
    sites behind a DX gateway or a VPN connection (routes connect them all)."""
    groups: dict[tuple[str, str, str], list[tuple[tuple, str, Network]]] = {}

    def add(key, members):
        group = groups.setdefault(key, [])
        for m in members:
            if all(label != m[1] for _, label, _ in group):
                group.append(m)

    for node in c.m.nodes:
        for env, pl in node.at.items():
            vpc = c.get("vpcs", _placement_vpc(c, pl)) if node.kind in (NodeKind.TGW_ATTACHMENT, NodeKind.VGW) else None
            if vpc is not None and net(vpc.cidr):
                gw = ("TGW", _tgw_of(c, node.id)) if node.kind == NodeKind.TGW_ATTACHMENT else ("VGW", node.id)
                add((env, *gw), [(("vpcs", c.ids["vpcs"][vpc.id], "cidr"), f"VPC '{vpc.id}'", net(vpc.cidr))])
            if node.dx_gateway:
                for gw in ([("TGW", node.dx_gateway.tgw)] if node.dx_gateway.tgw else []) + \
                        [("VGW", v) for v in node.dx_gateway.vgws]:
                    add((env, *gw), _site_members(c, node.dx_gateway.site))
            if node.vpn:
                cgw = c.get("nodes", node.vpn.customer_gateway)
                gateway = c.get("nodes", node.vpn.gateway)
                if cgw is not None and cgw.customer_gateway and gateway is not None:
                    kind = "TGW" if gateway.kind == NodeKind.TGW else "VGW"
                    add((env, kind, gateway.id), _site_members(c, cgw.customer_gateway.site))
    return groups


@rule("E024", "networks that routes connect in one environment (TGW, VGW/VPN, DX sites, Client VPN clients) do not overlap")
def connected_overlap(c: Ctx) -> Iterator[RuleHit]:
    for (env, kind, gw), members in sorted(_connected(c).items(), key=lambda kv: (kv[0][0], kv[0][1] != "TGW", kv[0][2])):
        for k, (path, label, mine) in enumerate(members):
            for _, other_label, other in members[:k]:
                if other_label != label and mine.version == other.version and mine.overlaps(other):
                    yield path, (f"{label} {mine} overlaps {other_label} {other}; both are connected "
                                 f"through {kind} '{gw}' in env '{env}'")
                    break
    for node in c.m.nodes:
        spec = node.client_vpn
        named = c.get("named_cidrs", spec.client_cidr) if spec else None
        for env in node.at if named else ():
            client = net(named.values.get(env))
            path = ("named_cidrs", c.ids["named_cidrs"][named.id], "values", env)
            for vpc in (v for v in c.m.vpcs if v.env == env and client and net(v.cidr)):
                if client.version == net(vpc.cidr).version and client.overlaps(net(vpc.cidr)):
                    yield path, (f"Client VPN client CIDR '{named.id}' {client} overlaps VPC '{vpc.id}' "
                                 f"{vpc.cidr} in env '{env}'")


@rule("E025", "a subnet's AZ is one of its VPC region's AZs")
def az_in_region(c: Ctx) -> Iterator[RuleHit]:
    for i, subnet in enumerate(c.m.subnets):
        vpc = c.get("vpcs", subnet.vpc)
        region = c.get("regions", vpc.region) if vpc else None
        if region and subnet.az not in region.azs:
            yield ("subnets", i, "az"), (f"AZ '{subnet.az}' of subnet '{subnet.id}' is not in region "
                                         f"'{region.id}' ({', '.join(region.azs)})")


def _destination(c: Ctx, env: str | None, route) -> str | None:
    """The CIDR a VPC route sends (its own, or its named CIDR's value in ``env``), normalised."""
    text = route.destination
    if text is None and route.named is not None:
        named = c.get("named_cidrs", route.named)
        text = named.values.get(env) if named is not None and env is not None else None
    network = net(text)
    return str(network) if network is not None else text


@rule("E026", "a route table (VPC or TGW) has at most one route per destination")
def route_destinations(c: Ctx) -> Iterator[RuleHit]:
    tables = [("route_tables", i, t, c.get("vpcs", t.vpc)) for i, t in enumerate(c.m.route_tables)]
    tables += [("tgw_route_tables", i, t, None) for i, t in enumerate(c.m.tgw_route_tables)]
    for section, i, table, vpc in tables:
        env = vpc.env if vpc is not None else getattr(table, "env", None)
        seen: dict[str, int] = {}
        for j, route in enumerate(table.routes):
            where = _destination(c, env, route)
            if where is None:
                continue
            if where in seen:
                key = "destination" if route.destination is not None else "named"
                yield (section, i, "routes", j, key), (
                    f"route table '{table.id}' already has a route to {where} "
                    f"(first at {c.where((section, i, 'routes', seen[where]))}); AWS allows one route per destination")
            seen.setdefault(where, j)


@rule("E030", "a port range's 'from' is not greater than its 'to'")
def inverted_ports(c: Ctx) -> Iterator[RuleHit]:
    for section, items in (("security_groups", c.m.security_groups), ("nacls", c.m.nacls)):
        for i, group in enumerate(items):
            for j, r in enumerate(group.rules):
                port = r.port
                if port is not None and not isinstance(port, int) and port.start > port.end:
                    yield (section, i, "rules", j, "port"), f"port range {port.start}-{port.end} is inverted (from > to)"


@rule("E059", "a port is given only with protocol tcp or udp (protocol 'all' matches every port: SG, NACL and "
              "Network Firewall rules)")
def port_without_protocol(c: Ctx) -> Iterator[RuleHit]:
    rules = [(("security_groups", i, "rules", j), r) for i, g in enumerate(c.m.security_groups)
             for j, r in enumerate(g.rules)]
    rules += [(("nacls", i, "rules", j), r) for i, n in enumerate(c.m.nacls) for j, r in enumerate(n.rules)]
    rules += [(("nodes", i, "firewall", "rules", j), r) for i, n in enumerate(c.m.nodes) if n.firewall
              for j, r in enumerate(n.firewall.rules)]
    for path, r in rules:
        if r.protocol == "all" and r.port is not None:
            yield path + ("port",), ("a port is given with protocol 'all', which matches every port: write "
                                     "protocol tcp or udp for the port, or leave the port out")


_NODE_SPECS = {"cognito": NodeKind.COGNITO, "alb": NodeKind.ALB, "waf": NodeKind.WAF,
               "schedules": NodeKind.EVENTBRIDGE, "client_vpn": NodeKind.CLIENT_VPN,
               "dx_gateway": NodeKind.DX_GATEWAY, "tgw_attachment": NodeKind.TGW_ATTACHMENT, "nlb": NodeKind.NLB,
               "endpoint": NodeKind.VPC_ENDPOINT, "peering": NodeKind.VPC_PEERING,
               "customer_gateway": NodeKind.CUSTOMER_GATEWAY, "vpn": NodeKind.VPN_CONNECTION,
               "firewall": NodeKind.NETWORK_FIREWALL, "function": NodeKind.LAMBDA, "dynamodb": NodeKind.DYNAMODB,
               "api_gateway": NodeKind.API_GATEWAY, "cloudfront": NodeKind.CLOUDFRONT, "sqs": NodeKind.SQS,
               "efs": NodeKind.EFS}
_PLACEMENT_SPECS = {"fargate": NodeKind.ECS_SERVICE, "rds": NodeKind.RDS, "batch": NodeKind.ECS_TASK, "s3": NodeKind.S3,
                    "ec2": NodeKind.EC2_INSTANCE, "asg": NodeKind.AUTOSCALING_GROUP, "ecs_ec2": NodeKind.ECS_EC2_SERVICE,
                    "elasticache": NodeKind.ELASTICACHE, "aurora": NodeKind.AURORA}


@rule("E031", "component specs appear only on their node kind (fargate: ecs-service, rds: rds, alb: alb, ...)")
def spec_matches_kind(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        for key, kind in _NODE_SPECS.items():
            if getattr(node, key) is not None and node.kind != kind:
                yield ("nodes", i, key), f"'{key}' is only allowed on nodes of kind '{kind.value}', not '{node.kind.value}'"
        for env, pl in node.at.items():
            for key, kind in _PLACEMENT_SPECS.items():
                if getattr(pl, key) is not None and node.kind != kind:
                    yield ("nodes", i, "at", env, key), (f"'{key}' is only allowed on nodes of kind "
                                                         f"'{kind.value}', not '{node.kind.value}'")


@rule("E032", "a Fargate task count's min is not greater than its max")
def task_counts(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        for env, pl in node.at.items():
            if pl.fargate and pl.fargate.tasks.min > pl.fargate.tasks.max:
                yield ("nodes", i, "at", env, "fargate", "tasks"), (
                    f"task count min {pl.fargate.tasks.min} is greater than max {pl.fargate.tasks.max}")
