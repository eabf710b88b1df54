"""Engine behaviours not covered by the pattern fixtures: loops, a private VIF through a VGW,
ECS on EC2 in bridge mode, Windows ephemeral ports, the hop registry."""

from __future__ import annotations

from analysis.forwarding.nacl import ephemeral_of
from analysis.forwarding.walk import HOPS
from analysis.graph.types import net
from analysis.paths.reach import Reachability
from conftest import GOOD, graph_of
from model.loader import load_model
from model.schema import (AsgSpec, DxGatewaySpec, EcsEc2Spec, Ec2Spec, Node, Placement, Route, Site, TgwRoute)

VPN = load_model(GOOD / "patterns" / "vpn-tgw-static").model


def test_every_hop_kind_has_one_forwarding_function():
    assert sorted(HOPS) == ["cvpn-in", "dx-out", "eni-in", "eni-out", "firewall", "gateway-endpoint-back", "igw-in",
                            "igw-out", "internet", "nat", "router", "tgw", "vgw-in", "vpn-out"]


def test_a_forwarding_loop_is_reported():
    # the VPC sends 10.9.0.0/16 to the TGW, whose table sends it back to the same VPC
    lab = Site(id="lab", name="Lab", kind="onprem", envs=("net",), cidrs=("10.9.0.0/16",))
    tables = tuple(rt.model_copy(update={"routes": rt.routes + (Route(destination="10.9.0.0/16", target="tgw"),)})
                   for rt in VPN.route_tables)
    tgw_rts = tuple(rt.model_copy(update={"routes": rt.routes + (TgwRoute(destination="10.9.0.0/16", attachment="app-att"),)})
                    for rt in VPN.tgw_route_tables)
    eg = graph_of(VPN.model_copy(update={"sites": VPN.sites + (lab,), "route_tables": tables,
                                         "tgw_route_tables": tgw_rts}), "net")
    r = Reachability(eg).reach_ip(443, source="app", dst_ip=net("10.9.0.5/32"))
    assert r.codes == ("SG_EGRESS_DENIED", "LOOP")  # app-sg opens 1521 to the data centre only
    assert r.blockers[1].message == "転送ループ: tgw に同じパケットが再び来た"


def test_a_private_vif_reaches_the_vpc_through_its_vgw():
    vgw = Node(id="vgw", kind="vgw", label="VGW", at={"net": Placement(vpc="app-vpc")})
    dx = Node(id="dx", kind="dx-gateway", label="DX", at={"net": Placement(region="ap-northeast-1")},
              dx_gateway=DxGatewaySpec(site="datacentre", allowed_prefixes=(), vgws=("vgw",), vif="Private VIF"))
    actors = tuple(a.model_copy(update={"via": ("dx",)}) for a in VPN.actors)
    tables = tuple(rt.model_copy(update={"routes": (Route(destination="192.168.0.0/16", target="vgw"),)})
                   for rt in VPN.route_tables)
    nodes = tuple(n for n in VPN.nodes if n.kind.value not in ("vpn-connection", "customer-gateway")) + (vgw, dx)
    eg = graph_of(VPN.model_copy(update={"nodes": nodes, "actors": actors, "route_tables": tables,
                                         "tgw_route_tables": ()}), "net")
    r = Reachability(eg).reach("operator", "app", 8443)
    assert (r.verdict, r.codes) == ("reachable", ())
    assert [(h.direction[0], h.action, h.node) for h in r.hops] == [
        ("f", "ORIGINATED", "operator"), ("f", "FORWARDED", "dx"), ("f", "FORWARDED", "vgw"),
        ("f", "PERMITTED", "app"), ("f", "RECEIVED", "app"),
        ("r", "MATCHED_SESSION", "app"), ("r", "FORWARDED", "app-a"), ("r", "FORWARDED", "vgw"),
        ("r", "FORWARDED", "dx"), ("r", "RECEIVED", "datacentre")]
    assert r.hops[2].reason == "仮想プライベートゲートウェイ vgw からVPC app-vpc へ（local ルート）"


def test_ecs_on_ec2_in_bridge_mode_uses_the_instances_enis_and_sgs():
    asg = Node(id="fleet", kind="autoscaling-group", label="Fleet", security_groups=("app-sg",),
               at={"net": Placement(subnets=("app-a", "app-c"), asg=AsgSpec(instance_type="m7g.large", min=2, max=4))})
    svc = Node(id="svc", kind="ecs-ec2-service", label="Service",
               at={"net": Placement(ecs_ec2=EcsEc2Spec(capacity="fleet", network_mode="bridge", container_port=8080))})
    eg = graph_of(VPN.model_copy(update={"nodes": VPN.nodes + (asg, svc)}), "net")
    assert [(e.subnet, e.sgs) for e in eg.enis["svc"]] == [("app-a", ("app-sg",)), ("app-c", ("app-sg",))]


def test_windows_instances_use_their_ephemeral_range():
    nodes = tuple(n.model_copy(update={"at": {"net": n.at["net"].model_copy(
        update={"ec2": Ec2Spec(instance_type="t3.small", os="windows")})}}) if n.id == "app" else n for n in VPN.nodes)
    eg = graph_of(VPN.model_copy(update={"nodes": nodes}), "net")
    assert ephemeral_of(eg, "app") == (49152, 65535)
    assert ephemeral_of(graph_of(VPN, "net"), "app") == (32768, 60999)
