"""``archdoc export --format cloudformation``: templates that cfn-lint accepts, built only from
the model (parameters for everything it does not know), tagged for drift, deterministic.

cfn-lint runs in-process with each template's own region (what ``cfn-lint --regions R``
does). The only errors allowed are on resources the exporter itself flagged as a design AWS
refuses (listed under 注意 in README.md); the warnings allowed are listed with a reason.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from archdoc.cli import main
from model.index import ModelIndex
from model.loader import load_model
from render.cloudformation import build_templates, export_environment
from render.cloudformation.network import NO_EGRESS

GOOD = Path(__file__).parent / "fixtures" / "good"

#: cfn-lint warnings the exported templates may carry, each with the reason it stays.
ALLOWED_WARNINGS = {
    "W3010": "hard-coded availability zones: the design names the AZ of every subnet",
    "W3691": "major-only RDS engine version ('15'): RDS picks the current minor version; cfn-lint's "
             "version list marks bare major versions deprecated",
}


def _models():
    yield "bundled", load_model()
    for folder in sorted(p for p in GOOD.iterdir() if p.is_dir() and p.name != "patterns"):
        yield folder.name, load_model(folder)
    for folder in sorted(p for p in (GOOD / "patterns").iterdir() if p.is_dir()):  # AWS patterns (issue 15)
        yield folder.name, load_model(folder)


CASES = [(name, loaded, env.id) for name, loaded in _models() for env in loaded.model.environments]


@functools.lru_cache(maxsize=None)
def _lint(text: str, region: str):
    """cfn-lint's matches (cached: several tests lint the same template text)."""
    return tuple(lint(text, config=ManualArgs(regions=[region])))


@pytest.mark.parametrize("name,loaded,env", CASES, ids=[f"{n}-{e}" for n, _, e in CASES])
def test_every_template_passes_cfn_lint(name, loaded, env):
    ctx = build_templates(loaded.model, env)
    files = export_environment(loaded.model, env)
    for account, template in ctx.templates.items():
        matches = _lint(files[f"{env}-{account}.yaml"], template.region)
        flagged = {n.resource for n in template.notes}
        errors = [(m.rule.id, m.path[:2]) for m in matches if m.rule.id.startswith("E")]
        assert all(path[0] == "Resources" and path[1] in flagged for _, path in errors), errors
        assert {m.rule.id for m in matches if m.rule.id.startswith("W")} <= set(ALLOWED_WARNINGS)


def test_the_only_error_in_the_seed_is_the_poc_alb_in_one_az():
    """The seed puts the POC ALB in one subnet (findings: ALB_SUBNETS_SINGLE_AZ); the template
    stays faithful, cfn-lint says why AWS refuses it, and README.md says so too."""
    loaded = load_model()
    found = []
    for env in ("poc", "prod"):
        ctx = build_templates(loaded.model, env)
        files = export_environment(loaded.model, env)
        for account, template in ctx.templates.items():
            found += [(env, m.rule.id, tuple(m.path)) for m in _lint(files[f"{env}-{account}.yaml"], template.region)
                      if m.rule.id.startswith("E")]
    assert found == [("poc", "E3680", ("Resources", "AlbLoadBalancer", "Properties", "Subnets"))]
    readme = export_environment(loaded.model, "poc")["README.md"]
    assert ("- `AlbLoadBalancer`: alb: an Application Load Balancer needs subnets in two or more AZs; the model "
            "places it in ap-northeast-1a only") in readme


@pytest.mark.parametrize("env", ["poc", "prod"])
def test_export_is_byte_identical_on_two_runs(tmp_path, env, capsys):
    assert main(["export", "--format", "cloudformation", "--env", env, "--out", str(tmp_path / "a")]) == 0
    assert main(["export", "--format", "cloudformation", "--env", env, "--out", str(tmp_path / "b")]) == 0
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b and "README.md" in a
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"wrote {len(a) - 1} CloudFormation template(s) and README.md to ")


def _docs(loaded, env):
    files = export_environment(loaded.model, env)
    return {name: yaml.safe_load(text) for name, text in files.items() if name.endswith(".yaml")}


def _tag(resource: dict, key: str):
    tags = resource["Properties"].get("Tags")
    if tags is None and "TagSpecifications" in resource["Properties"]:
        tags = resource["Properties"]["TagSpecifications"][0]["Tags"]
    return {t["Key"]: t["Value"] for t in tags or ()}.get(key)


@pytest.mark.parametrize("name,loaded,env", CASES, ids=[f"{n}-{e}" for n, _, e in CASES])
def test_every_node_is_exported_or_listed_as_not_exported(name, loaded, env):
    ctx = build_templates(loaded.model, env)
    tagged = {str(_tag(r, "archdoc:id")).split("/")[0] for d in _docs(loaded, env).values()
              for r in d["Resources"].values()}
    listed = {s.what.split()[1] for t in ctx.templates.values() for s in t.skipped if s.what.startswith("node ")}
    for node in ModelIndex(loaded.model).nodes_in(env):
        assert (node.id in tagged) or (node.id in listed), node.id
    readme = export_environment(loaded.model, env)["README.md"]
    for t in ctx.templates.values():
        for s in t.skipped:
            assert f"| {s.what} | {s.reason} |" in readme


@pytest.mark.parametrize("name,loaded,env", CASES, ids=[f"{n}-{e}" for n, _, e in CASES])
def test_places_carry_their_model_id_and_values(name, loaded, env):
    ix = ModelIndex(loaded.model)
    resources = [r for d in _docs(loaded, env).values() for r in d["Resources"].values()]
    vpcs = {_tag(r, "archdoc:id"): r["Properties"]["CidrBlock"] for r in resources if r["Type"] == "AWS::EC2::VPC"}
    assert vpcs == {v.id: v.cidr for v in ix.vpcs_in(env)}
    subnets = {_tag(r, "archdoc:id"): (r["Properties"]["CidrBlock"], r["Properties"]["AvailabilityZone"])
               for r in resources if r["Type"] == "AWS::EC2::Subnet"}
    assert subnets == {s.id: (s.cidr, s.az) for v in ix.vpcs_in(env) for s in ix.subnets_of(v.id)}
    for r in resources:
        if "Tags" in r["Properties"] or "TagSpecifications" in r["Properties"]:
            assert _tag(r, "archdoc:env") == env and _tag(r, "archdoc:id")


def _rules_of(doc: dict, logical: str) -> list[tuple]:
    """(direction, protocol, from, to, peer) of every rule of one group, inline or separate."""
    res = doc["Resources"]
    out = []
    for key, direction in (("SecurityGroupIngress", "in"), ("SecurityGroupEgress", "out")):
        for rule in res[logical]["Properties"].get(key, ()):
            out.append((direction, rule["IpProtocol"], rule.get("FromPort"), rule.get("ToPort"), rule["CidrIp"]))
    for body in res.values():
        if body["Type"] in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress") \
                and body["Properties"]["GroupId"]["Fn::GetAtt"][0] == logical:
            p = body["Properties"]
            peer = (p.get("SourceSecurityGroupId") or p.get("DestinationSecurityGroupId"))["Fn::GetAtt"][0]
            out.append(("in" if "Ingress" in body["Type"] else "out", p["IpProtocol"], p.get("FromPort"),
                        p.get("ToPort"), peer))
    return sorted(out, key=str)


def test_security_groups_have_exactly_the_model_rules():
    doc = _docs(load_model(), "poc")["poc-poc-account.yaml"]
    assert _rules_of(doc, "EcsSgSecurityGroup") == sorted([
        ("in", "tcp", 3000, 3000, "AlbSgSecurityGroup"), ("in", "tcp", 5000, 5000, "AlbSgSecurityGroup"),
        ("in", "tcp", 3000, 3000, "172.16.0.0/22"), ("in", "tcp", 5000, 5000, "172.16.0.0/22"),
        ("out", "tcp", 5432, 5432, "RdsSgSecurityGroup"), ("out", "tcp", 443, 443, "0.0.0.0/0")], key=str)
    # no outbound rule in the model: the one rule that removes AWS's default allow-all
    assert doc["Resources"]["RdsSgSecurityGroup"]["Properties"]["SecurityGroupEgress"] == [NO_EGRESS]
    prod = _docs(load_model(), "prod")["prod-prod-account.yaml"]
    assert ("in", "tcp", 3000, 3000, "172.16.0.0/22") not in _rules_of(prod, "EcsSgSecurityGroup")
    assert prod["Resources"]["AlbSgSecurityGroup"]["Properties"]["SecurityGroupIngress"][0] == {
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0", "Description": "HTTPS"}


def test_unknown_values_are_parameters_never_invented():
    shared, app = (_docs(load_model(), "prod")[f"prod-{a}.yaml"] for a in ("shared-account", "prod-account"))
    assert app["Parameters"]["TgwTransitGatewayId"]["Type"] == "String"
    assert shared["Outputs"]["TgwTransitGatewayId"]["Value"] == {"Ref": "TgwTransitGateway"}
    attach = app["Resources"]["TgwAttachAppTransitGatewayAttachment"]["Properties"]
    assert attach["TransitGatewayId"] == {"Ref": "TgwTransitGatewayId"}
    # the shared stack is deployed first: the association waits for the attachment id (step 3)
    assoc = shared["Resources"]["ProdTgwRtTransitGatewayRouteTableTgwAttachAppAssociation"]
    assert assoc["Condition"] == "HasTgwAttachAppTransitGatewayAttachmentId"
    assert shared["Parameters"]["TgwAttachAppTransitGatewayAttachmentId"]["Default"] == ""
    rds = app["Resources"]["RdsDBInstance"]["Properties"]
    assert rds["MasterUserPassword"] == {
        "Fn::Sub": "{{resolve:secretsmanager:${RdsMasterSecretArn}:SecretString:password}}"}
    assert (rds["DBInstanceClass"], rds["MultiAZ"], rds["AllocatedStorage"], rds["BackupRetentionPeriod"],
            rds["StorageEncrypted"]) == ("db.m5.large", True, "100", 30, True)
    assert rds["MaxAllocatedStorage"] == {"Ref": "RdsMaxAllocatedStorage"}
    https = app["Resources"]["AlbHttps443Listener"]["Properties"]
    assert https["Certificates"] == [{"CertificateArn": {"Ref": "AlbCertificateArn"}}]
    text = "\n".join(export_environment(load_model().model, "prod").values())
    assert "arn:aws:" not in text  # no invented ARN: certificates, roles and secrets are parameters
    assert rds["MasterUsername"] == {"Fn::Sub": "{{resolve:secretsmanager:${RdsMasterSecretArn}:SecretString:username}}"}


def test_ecs_alb_and_waf_follow_the_model():
    app = _docs(load_model(), "prod")["prod-prod-account.yaml"]["Resources"]
    svc = app["BackendService"]["Properties"]
    assert (svc["DesiredCount"], svc["LoadBalancers"][0]["ContainerPort"]) == (2, 5000)
    assert app["BackendScalableTarget"]["Properties"]["MinCapacity"] == 2
    assert app["BackendScalableTarget"]["Properties"]["MaxCapacity"] == 8
    task = app["BackendTaskDefinition"]["Properties"]
    assert (task["Cpu"], task["Memory"]) == ("1024", "2048")
    rule = app["AlbHttps443ListenerRule1"]["Properties"]
    assert rule["Conditions"][0]["PathPatternConfig"]["Values"] == ["/api/*"]
    tg = app["AlbTgBackendTargetGroup"]["Properties"]
    assert (tg["HealthCheckPath"], tg["HealthCheckIntervalSeconds"], tg["HealthCheckTimeoutSeconds"]) == ("/health", 30, 5)
    rules = app["WafWebACL"]["Properties"]["Rules"]
    assert [r["Name"] for r in rules] == ["sqli", "xss", "rate-limit", "geo-jp"]
    assert rules[2]["Statement"] == {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "IP",
                                                           "EvaluationWindowSec": 300}}
    assert rules[3]["Statement"] == {"NotStatement": {"Statement": {"GeoMatchStatement": {"CountryCodes": ["JP"]}}}}


NACL_YAML = """\
nacls:
  - id: stg-app-nacl
    vpc: stg-vpc
    subnets: [stg-app-a]
    rules:
      - {number: 100, direction: inbound, protocol: tcp, port: 8080, cidr: 10.10.0.0/16, action: allow}
      - {number: 200, direction: inbound, protocol: all, cidr: 0.0.0.0/0, action: deny}
      - {number: 100, direction: outbound, protocol: tcp, port: {from: 1024, to: 65535}, cidr: 0.0.0.0/0, action: allow}
"""


def test_nacls_are_exported_with_their_numbered_entries(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(GOOD / "mini", folder)
    (folder / "50-nacls.yaml").write_text(NACL_YAML, encoding="utf-8")
    loaded = load_model(folder)
    text = export_environment(loaded.model, "stg")["stg-stg-account.yaml"]
    assert not [m for m in _lint(text, "ap-northeast-1") if m.rule.id.startswith("E")]
    res = yaml.safe_load(text)["Resources"]
    entries = {k: v["Properties"] for k, v in res.items() if v["Type"] == "AWS::EC2::NetworkAclEntry"}
    assert entries["StgAppNaclNetworkAclIngress100"] == {
        "NetworkAclId": {"Ref": "StgAppNaclNetworkAcl"}, "RuleNumber": 100, "Protocol": 6, "RuleAction": "allow",
        "Egress": False, "CidrBlock": "10.10.0.0/16", "PortRange": {"From": 8080, "To": 8080}}
    assert entries["StgAppNaclNetworkAclIngress200"]["Protocol"] == -1
    assert entries["StgAppNaclNetworkAclEgress100"]["PortRange"] == {"From": 1024, "To": 65535}
    assert res["StgAppNaclStgAppANaclAssociation"]["Properties"]["SubnetId"] == {"Ref": "StgAppASubnet"}


def test_export_usage_errors(tmp_path, capsys):
    assert main(["export", "--format", "cloudformation", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ("archdoc export: --format cloudformation needs --env ENV and --out DIR "
                                       "(and takes no --view)\n")
    assert main(["export", "--format", "cloudformation", "--env", "prd", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "archdoc export: unknown environment 'prd' (did you mean 'prod'?)\n"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "--format", "cloudformation", "--env", "poc", "--out", str(blocker / "d")]) == 2
    assert capsys.readouterr().err.startswith(f"archdoc export: cannot write to {blocker / 'd'}: ")
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_tgw_with_attachments_in_other_accounts_accepts_them():
    """Production: the shared account's TGW serves the production account's VPC attachments
    (shared through AWS RAM); without auto-accept they would wait in pendingAcceptance and the
    TGW route table associations would fail. The POC's TGW has only attachments of its own."""
    model = load_model().model

    def tgw(env: str) -> dict:
        docs = [yaml.safe_load(text) for name, text in export_environment(model, env).items() if name.endswith(".yaml")]
        return next(r["Properties"] for d in docs for r in d["Resources"].values()
                    if r["Type"] == "AWS::EC2::TransitGateway")

    assert tgw("prod").get("AutoAcceptSharedAttachments") == "enable"
    assert "AutoAcceptSharedAttachments" not in tgw("poc")
