"""CloudFormation for the connections beyond the seed (render/cloudformation/edges.py), on the pattern
fixtures; cfn-lint runs over every pattern in tests/test_cloudformation.py."""

from __future__ import annotations

import yaml

from conftest import GOOD
from model.loader import load_model
from model.schema import Route
from render.cloudformation.export import export_environment

PATTERNS = GOOD / "patterns"


def _resources(pattern: str, model=None) -> dict:
    files = export_environment(model or load_model(PATTERNS / pattern).model, "net")
    out: dict = {}
    for name, text in sorted(files.items()):
        if name.endswith(".yaml"):
            out |= yaml.safe_load(text)["Resources"]
    return out


def _props(resources: dict, logical: str) -> dict:
    return {k: v for k, v in resources[logical]["Properties"].items() if k != "Tags"}


def test_peering_and_its_routes():
    r = _resources("hub-spoke-peering")
    assert r["Pcx1VPCPeeringConnection"]["Type"] == "AWS::EC2::VPCPeeringConnection"
    assert _props(r, "Pcx1VPCPeeringConnection") == {"VpcId": {"Ref": "HubVpcVPC"}, "PeerVpcId": {"Ref": "Spoke1VpcVPC"}}
    assert _props(r, "Spoke1RtRouteTableRoute1") == {
        "RouteTableId": {"Ref": "Spoke1RtRouteTable"}, "DestinationCidrBlock": "10.0.0.0/16",
        "VpcPeeringConnectionId": {"Ref": "Pcx1VPCPeeringConnection"}}


def test_vpn_to_a_tgw_and_its_customer_gateway():
    r = _resources("vpn-tgw-static")
    assert _props(r, "DcCgwCustomerGateway") == {"Type": "ipsec.1", "IpAddress": {"Ref": "DcCgwIpAddress"},
                                                 "BgpAsn": 65010}
    assert _props(r, "DcVpnVPNConnection") == {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "DcCgwCustomerGateway"},
                                               "StaticRoutesOnly": True, "TransitGatewayId": {"Ref": "TgwTransitGateway"}}


def test_a_customer_gateway_placed_at_its_site_is_built_with_its_vpn(tmp_path):
    """The customer gateway is the on-premises router; AWS's record of it (AWS::EC2::CustomerGateway)
    is created where its VPN connection is, so a model that places it at its site still exports
    a template whose VPN connection references a resource that exists (cfn-lint: no E1020)."""
    from conftest import variant
    from test_cloudformation import _lint

    loaded = variant(tmp_path, PATTERNS / "vpn-tgw-static", (
        "10-network.yaml", "label: Data centre router, at: {net: {region: ap-northeast-1}}",
        "label: Data centre router, at: {net: {site: datacentre}}"))
    files = export_environment(loaded.model, "net")
    (name, text), = [(n, t) for n, t in files.items() if n.endswith(".yaml")]
    r = yaml.safe_load(text)["Resources"]
    assert r["DcCgwCustomerGateway"]["Type"] == "AWS::EC2::CustomerGateway"
    assert _props(r, "DcVpnVPNConnection")["CustomerGatewayId"] == {"Ref": "DcCgwCustomerGateway"}
    assert "dc-cgw" not in files["README.md"]
    assert [m.rule.id for m in _lint(text, "ap-northeast-1") if m.rule.id.startswith("E")] == []


def test_vgw_with_a_static_vpn_and_route_propagation():
    m = load_model(PATTERNS / "vpn-tgw-static").model
    from model.schema import Node, Placement, VpnSpec
    vgw = Node(id="vgw", kind="vgw", label="VGW", at={"net": Placement(vpc="app-vpc")})
    nodes = tuple(n.model_copy(update={"vpn": VpnSpec(customer_gateway="dc-cgw", gateway="vgw", routing="static",
                                                      static_routes=("192.168.0.0/16",))}) if n.id == "dc-vpn" else n
                  for n in m.nodes) + (vgw,)
    tables = tuple(rt.model_copy(update={"routes": (Route(destination="192.168.0.0/16", target="vgw"),),
                                         "propagations": ("vgw",)}) for rt in m.route_tables)
    r = _resources("", m.model_copy(update={"nodes": nodes, "route_tables": tables, "tgw_route_tables": ()}))
    assert _props(r, "VgwVPNGateway") == {"Type": "ipsec.1"}
    assert _props(r, "VgwVPCGatewayAttachment") == {"VpnGatewayId": {"Ref": "VgwVPNGateway"}, "VpcId": {"Ref": "AppVpcVPC"}}
    assert _props(r, "VgwRoutePropagation") == {"VpnGatewayId": {"Ref": "VgwVPNGateway"},
                                                "RouteTableIds": [{"Ref": "AppRtRouteTable"}]}
    assert _props(r, "DcVpnVPNConnectionRoute1") == {"VpnConnectionId": {"Ref": "DcVpnVPNConnection"},
                                                     "DestinationCidrBlock": "192.168.0.0/16"}
    assert r["AppRtRouteTableRoute1"]["DependsOn"] == ["VgwVPCGatewayAttachment"]
    assert _props(r, "AppRtRouteTableRoute1")["GatewayId"] == {"Ref": "VgwVPNGateway"}


def test_endpoints():
    r = _resources("s3-gateway-endpoint")
    assert _props(r, "S3EndpointVPCEndpoint") == {
        "ServiceName": "com.amazonaws.ap-northeast-1.s3", "VpcEndpointType": "Gateway", "VpcId": {"Ref": "AppVpcVPC"},
        "RouteTableIds": [{"Ref": "PrivateRtRouteTable"}]}
    r = _resources("interface-endpoints")
    props = _props(r, "SecretsEndpointVPCEndpoint")
    assert (props["ServiceName"], props["VpcEndpointType"], props["PrivateDnsEnabled"]) == (
        "com.amazonaws.ap-northeast-1.secretsmanager", "Interface", True)
    assert props["SecurityGroupIds"] == [{"Fn::GetAtt": ["EndpointSgSecurityGroup", "GroupId"]}]


def test_nlb_client_ip_preservation_and_appliance_mode():
    r = _resources("nlb-client-ip")
    attrs = {k: _props(r, k)["TargetGroupAttributes"] for k in ("NlbWebTargetGroup", "NlbIpWebIpTargetGroup")}
    assert attrs == {"NlbWebTargetGroup": [{"Key": "preserve_client_ip.enabled", "Value": "true"}],
                     "NlbIpWebIpTargetGroup": [{"Key": "preserve_client_ip.enabled", "Value": "false"}]}
    assert _props(r, "NlbLoadBalancer")["Type"] == "network"
    r = _resources("centralised-inspection")
    assert _props(r, "InspectionAttTransitGatewayAttachment")["Options"] == {"ApplianceModeSupport": "enable"}
