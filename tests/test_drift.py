"""``archdoc drift`` against a real AWS API stand-in: moto's server on 127.0.0.1.

The exported POC template is deployed through boto3's CloudFormation API. Where moto's
CloudFormation lacks a resource type (SecurityGroupEgress, TGW attachments and route tables,
NACLs, Client VPN) the test creates it with the EC2 API from the same template's properties;
where moto's CloudFormation drops what the template says (tags of some resources, inline
egress rules) the test applies them with the service API. moto implements no Client VPN API
at all: drift says so ('not compared') instead of failing.

Fake credentials live in this module's environment only; the machine's AWS config and
credential files are replaced by empty ones, so nothing here can reach real AWS.
"""

from __future__ import annotations

import json
import socket

import pytest
import yaml


from archdoc.cli import main
from model.loader import load_model
from render.cloudformation import export_environment

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")
from moto.cloudformation.parsing import resource_class_from_type  # noqa: E402

REGION = "ap-northeast-1"


@pytest.fixture(scope="module")
def aws(tmp_path_factory):
    """A moto server with the POC template deployed; yields (endpoint URL, physical ids)."""
    folder = tmp_path_factory.mktemp("aws")
    (folder / "config").write_text("")
    (folder / "credentials").write_text("")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN",
                     "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL"):
            mp.delenv(name, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", REGION)
        mp.setenv("AWS_CONFIG_FILE", str(folder / "config"))
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "credentials"))
        mp.setenv("AWS_MAX_ATTEMPTS", "2")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        url = f"http://127.0.0.1:{port}"
        try:
            yield url, _deploy(url)
        finally:
            server.stop()


def _client(url: str, service: str):
    return boto3.client(service, endpoint_url=url, region_name=REGION)


def _deploy(url: str) -> dict[str, str]:
    doc = yaml.safe_load(export_environment(load_model().model, "poc")["poc-poc-account.yaml"])
    resources = doc["Resources"]
    later = {k: v for k, v in resources.items() if resource_class_from_type(v["Type"]) is None}
    stack = dict(doc, Resources={k: dict(v) for k, v in resources.items() if k not in later})
    for body in stack["Resources"].values():
        if "DependsOn" in body:
            body["DependsOn"] = [d for d in body["DependsOn"] if d not in later]
    cert = _client(url, "acm").request_certificate(DomainName="poc.example.test")["CertificateArn"]
    values = {"TaskExecutionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
              "EventsRunTaskRoleArn": "arn:aws:iam::123456789012:role/events",
              "RdsMasterSecretArn": "poc/rds-master"}
    params = [{"ParameterKey": k, "ParameterValue": values.get(k, cert if k.endswith("CertificateArn") else "image:1")}
              for k in doc["Parameters"]]
    cf = _client(url, "cloudformation")
    cf.create_stack(StackName="poc", TemplateBody=json.dumps(stack), Parameters=params)
    assert cf.describe_stacks(StackName="poc")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"]
           for r in cf.describe_stack_resources(StackName="poc")["StackResources"] if r.get("PhysicalResourceId")}
    _fill_gaps(url, resources, later, ids)
    return ids


def _resolve(value, ids: dict):
    if isinstance(value, dict) and "Ref" in value:
        return ids[value["Ref"]]
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return ids[value["Fn::GetAtt"][0]]
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    return value


def _fill_gaps(url: str, resources: dict, later: dict, ids: dict) -> None:
    ec2, elbv2, ecs = _client(url, "ec2"), _client(url, "elbv2"), _client(url, "ecs")
    associated = {(a["RouteTableId"], a.get("SubnetId")) for rt in ec2.describe_route_tables()["RouteTables"]
                  for a in rt.get("Associations", ())}
    for logical, body in resources.items():  # what moto's CloudFormation drops of supported types
        props = body["Properties"]
        if body["Type"] == "AWS::EC2::SubnetRouteTableAssociation":
            pair = (_resolve(props["RouteTableId"], ids), _resolve(props["SubnetId"], ids))
            if pair not in associated:
                ec2.associate_route_table(RouteTableId=pair[0], SubnetId=pair[1])
        if logical in later or "Tags" not in props or body["Type"] == "AWS::EC2::EIP":
            continue
        tags = props["Tags"]
        if body["Type"].startswith("AWS::EC2::"):
            ec2.create_tags(Resources=[ids[logical]], Tags=tags)
        elif body["Type"].startswith("AWS::ElasticLoadBalancingV2::"):
            elbv2.add_tags(ResourceArns=[ids[logical]], Tags=tags)
        elif body["Type"] == "AWS::ECS::Service":
            ecs.tag_resource(resourceArn=ids[logical], tags=[{"key": t["Key"], "value": t["Value"]} for t in tags])
        if body["Type"] == "AWS::EC2::SecurityGroup":  # moto keeps AWS's default egress: set the template's
            ec2.revoke_security_group_egress(GroupId=ids[logical], IpPermissions=[
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            ec2.authorize_security_group_egress(GroupId=ids[logical], IpPermissions=[
                _permission(rule, ids) for rule in props["SecurityGroupEgress"]])
    for logical, body in later.items():  # types moto's CloudFormation lacks, in template order
        props, kind = body["Properties"], body["Type"].split("::")[-1]
        tags = [{"ResourceType": "transit-gateway-attachment" if "Attachment" in kind else "transit-gateway-route-table",
                 "Tags": props.get("Tags", [])}]
        if kind == "SecurityGroupEgress":
            ec2.authorize_security_group_egress(GroupId=_resolve(props["GroupId"], ids),
                                                IpPermissions=[_permission(props, ids)])
        elif kind == "TransitGatewayAttachment":
            ids[logical] = ec2.create_transit_gateway_vpc_attachment(
                TransitGatewayId=_resolve(props["TransitGatewayId"], ids), VpcId=_resolve(props["VpcId"], ids),
                SubnetIds=_resolve(props["SubnetIds"], ids), TagSpecifications=tags,
            )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
            ec2.create_tags(Resources=[ids[logical]], Tags=props["Tags"])  # moto drops TagSpecifications here
        elif kind == "TransitGatewayRouteTable":
            ids[logical] = ec2.create_transit_gateway_route_table(
                TransitGatewayId=_resolve(props["TransitGatewayId"], ids), TagSpecifications=tags,
            )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
        elif kind in ("TransitGatewayRouteTableAssociation", "TransitGatewayRouteTablePropagation"):
            call = ec2.associate_transit_gateway_route_table if kind.endswith("Association") \
                else ec2.enable_transit_gateway_route_table_propagation
            call(TransitGatewayRouteTableId=_resolve(props["TransitGatewayRouteTableId"], ids),
                 TransitGatewayAttachmentId=_resolve(props["TransitGatewayAttachmentId"], ids))
        else:
            assert kind.startswith("ClientVpn"), kind  # moto has no Client VPN API at all


def _permission(rule: dict, ids: dict) -> dict:
    perm = {"IpProtocol": rule["IpProtocol"]}
    if "FromPort" in rule:
        perm |= {"FromPort": rule["FromPort"], "ToPort": rule["ToPort"]}
    peer = rule.get("DestinationSecurityGroupId") or rule.get("SourceSecurityGroupId")
    if peer is not None:
        perm["UserIdGroupPairs"] = [{"GroupId": _resolve(peer, ids)}]
    else:
        perm["IpRanges"] = [{"CidrIp": rule["CidrIp"]}]
    return perm


def _drift(url: str, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["drift", "--env", "poc", "--from-aws", "--endpoint-url", url, *extra])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out.splitlines()


SKIPPED = "not compared: client-vpn: the endpoint does not implement ec2:DescribeClientVpnEndpoints"


def _where(*keys) -> str:
    return load_model().where(*keys)


def _index(section: str, item_id: str) -> int:
    return load_model().index_of(section, item_id)


def test_no_drift_right_after_deploy(aws, capsys):
    url, _ = aws
    assert _drift(url, capsys) == (0, ["drift: poc / poc-account (ap-northeast-1): no drift", SKIPPED])


def test_revoked_sg_ingress_rule_is_reported(aws, capsys):
    url, ids = aws
    ec2 = _client(url, "ec2")
    ecs_sg, alb_sg = ids["EcsSgSecurityGroup"], ids["AlbSgSecurityGroup"]
    perm = [{"IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3000, "UserIdGroupPairs": [{"GroupId": alb_sg}]}]
    ec2.revoke_security_group_ingress(GroupId=ecs_sg, IpPermissions=perm)
    try:
        code, out = _drift(url, capsys)
    finally:
        ec2.authorize_security_group_ingress(GroupId=ecs_sg, IpPermissions=perm)
    where = _where("security_groups", _index("security_groups", "ecs-sg"), "rules", 0)
    assert (code, out[1:-1]) == (1, [f"changed  security-group ecs-sg ({ecs_sg}): rules: inbound tcp 3000 sg:alb-sg: "
                                     f"model present, deployed absent  [{where}]"])
    assert out[0] == "drift: poc / poc-account (ap-northeast-1): 1 difference(s)"


def test_extra_sg_rule_from_anywhere_is_reported(aws, capsys):
    url, ids = aws
    ec2 = _client(url, "ec2")
    rds_sg = ids["RdsSgSecurityGroup"]
    perm = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    ec2.authorize_security_group_ingress(GroupId=rds_sg, IpPermissions=perm)
    try:
        code, out = _drift(url, capsys)
    finally:
        ec2.revoke_security_group_ingress(GroupId=rds_sg, IpPermissions=perm)
    where = _where("security_groups", _index("security_groups", "rds-sg"), "rules")
    assert (code, out[1:-1]) == (1, [f"changed  security-group rds-sg ({rds_sg}): rules: inbound tcp 5432 0.0.0.0/0: "
                                     f"model absent, deployed present  [{where}]"])


def test_deleted_route_is_reported(aws, capsys):
    url, ids = aws
    ec2 = _client(url, "ec2")
    rt, nat = ids["PocAppPrivateARtRouteTable"], ids["NatANatGateway"]
    ec2.delete_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0")
    try:
        code, out = _drift(url, capsys)
    finally:
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    where = _where("route_tables", _index("route_tables", "poc-app-private-a-rt"), "routes", 2)
    assert (code, out[1:-1]) == (1, [f"changed  route-table poc-app-private-a-rt ({rt}): routes: 0.0.0.0/0 -> nat-a: "
                                     f"model present, deployed absent  [{where}]"])


def test_subnet_added_by_hand_is_reported(aws, capsys):
    url, ids = aws
    ec2 = _client(url, "ec2")
    subnet = ec2.create_subnet(VpcId=ids["PocAppVpcVPC"], CidrBlock="10.1.99.0/24",
                               AvailabilityZone="ap-northeast-1c")["Subnet"]["SubnetId"]
    try:
        code, out = _drift(url, capsys)
    finally:
        ec2.delete_subnet(SubnetId=subnet)
    where = _where("vpcs", _index("vpcs", "poc-app-vpc"))
    assert (code, out[1:-1]) == (1, [f"extra    subnet ({subnet}): model absent, deployed untagged: "
                                     f"az ap-northeast-1c, cidr 10.1.99.0/24  [{where}]"])


def test_modified_rds_class_is_reported_and_a_snapshot_gives_the_same_report(aws, capsys, tmp_path):
    url, ids = aws
    rds = _client(url, "rds")
    db = ids["RdsDBInstance"]
    rds.modify_db_instance(DBInstanceIdentifier=db, DBInstanceClass="db.t3.small", ApplyImmediately=True)
    try:
        code, out = _drift(url, capsys, "--save-snapshot", str(tmp_path / "snap"))
    finally:
        rds.modify_db_instance(DBInstanceIdentifier=db, DBInstanceClass="db.t3.micro", ApplyImmediately=True)
    where = _where("nodes", _index("nodes", "rds"), "at", "poc", "rds", "instance_class")
    assert (code, out[1:-1]) == (1, [f"changed  db-instance rds ({db}): instance_class: model db.t3.micro, "
                                     f"deployed db.t3.small  [{where}]"])
    files = sorted(p.name for p in (tmp_path / "snap").iterdir())
    assert "ec2.describe_vpcs.json" in files and "rds.describe_db_instances.json" in files
    # offline: the same report from the snapshot, with no endpoint at all
    assert main(["drift", "--env", "poc", "--snapshot", str(tmp_path / "snap")]) == 1
    assert capsys.readouterr().out.splitlines() == out
    assert main(["drift", "--env", "poc", "--snapshot", str(tmp_path / "snap"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == [{"kind": "changed", "resource": "db-instance", "model_id": "rds",
                               "aspect": "instance_class", "model_value": "db.t3.micro",
                               "deployed_value": "db.t3.small", "location": where, "aws_id": db}]
    assert main(["drift", "--env", "poc", "--snapshot", str(tmp_path / "snap"), "--markdown"]) == 1
    md = capsys.readouterr().out.splitlines()
    assert md[0] == "## 設計と実環境の差異（poc / poc-account / ap-northeast-1）"
    assert md[4] == f"| 変更 | db-instance | rds | instance_class | db.t3.micro | db.t3.small | {where} | {db} |"


def test_errors_are_one_line_and_exit_2(aws, capsys, tmp_path, monkeypatch):
    url, _ = aws
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert main(["drift", "--env", "poc", "--from-aws", "--endpoint-url", url]) == 2
    assert capsys.readouterr().err == (
        "archdoc drift: no AWS credentials found (use --profile, AWS_PROFILE or "
        "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; or --snapshot DIR)\n")
    assert main(["drift", "--env", "prod", "--snapshot", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ("archdoc drift: environment prod has 2 accounts (shared-account, "
                                       "prod-account): choose the one your credentials reach with --account\n")
    assert main(["drift", "--env", "poc", "--snapshot", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err == f"archdoc drift: snapshot folder not found: {tmp_path / 'none'}\n"
    assert main(["drift", "--env", "poc", "--snapshot", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"archdoc drift: snapshot {tmp_path} lacks ec2.describe_vpcs.json "
                                       "(write one with --save-snapshot)\n")


@pytest.mark.parametrize("code,message", [
    ("AccessDenied", "access denied to ec2:DescribeVpcs (AccessDenied); the read-only IAM policy drift needs is "
                     "in the README ('archdoc drift')"),
    ("UnauthorizedOperation", "access denied to ec2:DescribeVpcs (UnauthorizedOperation); the read-only IAM policy "
                              "drift needs is in the README ('archdoc drift')"),
    ("RequestLimitExceeded", "throttled by AWS on ec2:DescribeVpcs (RequestLimitExceeded) after retries with "
                             "backoff; try again later"),
    ("ExpiredToken", "the AWS credentials have expired (ExpiredToken); refresh them (e.g. aws sso login)"),
])
def test_aws_errors_become_one_line(code, message):
    from botocore.exceptions import ClientError

    from aws.errors import describe

    exc = ClientError({"Error": {"Code": code, "Message": "x\ny"}}, "DescribeVpcs")
    assert describe(exc, "ec2", "describe_vpcs") == message
