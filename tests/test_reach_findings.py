"""AWS-constraint findings: each fires on a minimally modified seed and not on the seed where it is fine."""

from __future__ import annotations

import pytest

from conftest import analysis_of, graph_of, loaded_of
from model.loader import load_model
from model.schema import Nacl, NaclRule

SEED = load_model().model
BASE = {(f.env, f.code) for f in analysis_of(load_model()).findings}


def _nodes(node_id: str, env: str, **placement):
    nodes = []
    for n in SEED.nodes:
        if n.id == node_id:
            at = dict(n.at)
            at[env] = at[env].model_copy(update=placement)
            n = n.model_copy(update={"at": at})
        nodes.append(n)
    return {"nodes": tuple(nodes)}


def _routes(rt_id: str, drop_target: str):
    tables = tuple(rt.model_copy(update={"routes": tuple(r for r in rt.routes if r.target != drop_target)})
                   if rt.id == rt_id else rt for rt in SEED.route_tables)
    return {"route_tables": tables}


def _rds_one_az():
    rds = next(n for n in SEED.nodes if n.id == "rds")
    spec = rds.at["prod"].rds.model_copy(update={"subnet_group": ("prod-private-db-1",)})
    return _nodes("rds", "prod", rds=spec)


def _vpn_cidr(value: str):
    named = tuple(c.model_copy(update={"values": {**c.values, "poc": value}}) if c.id == "vpn-cidr" else c
                  for c in SEED.named_cidrs)
    return {"named_cidrs": named}


def _nacl(*rules, subnets=("prod-private-db-1",), extra=()):
    return {"nacls": (Nacl(id="db-acl", vpc="prod-vpc", subnets=subnets, rules=tuple(NaclRule(**r) for r in rules)),) + extra}


ALLOW = {"direction": "inbound", "protocol": "tcp", "port": 5432, "cidr": "10.1.0.0/16", "action": "allow"}
CASES = [
    # public route table loses its IGW route: the NAT and the internet-facing ALB need it
    ("prod", "NAT_NOT_IN_PUBLIC_SUBNET", lambda: _routes("prod-public-rt", "igw")),
    ("prod", "ALB_INTERNET_FACING_NO_IGW_ROUTE", lambda: _routes("prod-public-rt", "igw")),
    # Multi-AZ RDS whose subnet group is in one AZ
    ("prod", "RDS_SUBNET_GROUP_SINGLE_AZ", _rds_one_az),
    # Client VPN client CIDR /24 inside the shared VPC
    ("poc", "CVPN_CLIENT_CIDR_SIZE", lambda: _vpn_cidr("10.0.200.0/24")),
    ("poc", "CVPN_CLIENT_CIDR_OVERLAP", lambda: _vpn_cidr("10.0.200.0/24")),
    # the app VPC attachment covers 1a only: the tasks in 1c cannot use the TGW
    ("prod", "TGW_ATTACH_AZ_NOT_COVERED", lambda: _nodes("tgw-attach-app", "prod", subnets=("prod-private-app-1",))),
    ("prod", "TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ",
     lambda: _nodes("tgw-attach-app", "prod", subnets=("prod-private-app-1", "prod-private-app-2", "prod-private-db-1"))),
    # private app subnet without its NAT route: ECS cannot pull images from ECR
    ("prod", "FARGATE_IMAGE_PULL_NO_EGRESS", lambda: _routes("prod-private-a-rt", "nat-a")),
    # NACL hygiene
    ("prod", "NACL_DUPLICATE_RULE_NUMBER", lambda: _nacl(ALLOW | {"number": 100}, ALLOW | {"number": 100, "port": 22})),
    ("prod", "NACL_RULE_SHADOWED", lambda: _nacl(ALLOW | {"number": 100, "port": None},
                                                  ALLOW | {"number": 200, "action": "deny"})),
    ("prod", "NACL_SUBNET_MULTIPLE", lambda: _nacl(ALLOW | {"number": 100}, extra=(
        Nacl(id="other-acl", vpc="prod-vpc", subnets=("prod-private-db-1",)),))),
]


@pytest.mark.parametrize("env,code,change", CASES, ids=[c[1] for c in CASES])
def test_finding_fires_on_modified_model_only(env, code, change):
    assert (env, code) not in BASE
    rows = [f for f in analysis_of(SEED.model_copy(update=change())).findings_of(env) if f.code == code]
    assert rows, code
    assert all(f.message and f.fix and f.severity in ("error", "warning", "info") for f in rows)


def test_seed_findings_known_to_fire_stay():
    # the seed really has these (section 1 POC: one public subnet for the ALB, one DB subnet)
    assert {("poc", "ALB_SUBNETS_SINGLE_AZ"), ("poc", "RDS_SUBNET_GROUP_SINGLE_AZ")} <= BASE


def test_sg_rule_never_matches_fix_suggests_sg_referencing_over_tgw():
    rows = [f for f in analysis_of(load_model()).findings if f.code == "SG_RULE_NEVER_MATCHES"]
    assert sorted(f.location for f in rows) == ["model/data/shared.yaml:54", "model/data/shared.yaml:55"]
    for f in rows:
        assert (f.env, f.severity, f.resources) == ("poc", "warning", ("ecs-sg", "client-vpn"))
        assert f.fix == ("送信元をClient VPNエンドポイントのSG（cvpn-sg）の参照にする（別VPCの場合はTGWの各VPCアタッチメントで"
                         "セキュリティグループ参照のサポートを有効にする。同一リージョンのTGWで2024年から利用可能）か、"
                         "関連付けサブネットのCIDR（10.0.1.0/24）にする")
        assert "参照できない" not in f.fix
