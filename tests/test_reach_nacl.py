"""Network ACLs in the point query, derived by hand on the mini model plus one NACL.

The test model is the mini fixture (tests/fixtures/good/mini) copied to a temporary folder
with ``25-nacls.yaml`` added (so blockers carry file:line locations): the live DB subnets
(10.20.20.0/24, 10.20.21.0/24) get ``live-db-nacl`` - rule 100 inbound tcp/5432 from the
app subnets 10.20.10.0/23, rule 200 outbound tcp 32768-60999 (Linux ephemeral) to
10.20.10.0/23, then the implicit deny. Variants are built in code with ``model_copy``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import analysis_of, graph_of, loaded_of
from model.loader import load_model
from analysis.paths.reach import reach
from model.schema import Nacl, NaclRule, Node, Placement

NACL_YAML = """nacls:
  - id: live-db-nacl
    vpc: live-vpc
    subnets: [live-db-a, live-db-c]
    rules:
      - {number: 100, direction: inbound, protocol: tcp, port: 5432, cidr: 10.20.10.0/23, action: allow}
      - {number: 200, direction: outbound, protocol: tcp, port: {from: 32768, to: 60999}, cidr: 10.20.10.0/23, action: allow}
"""


def _mini_with_nacl() -> Path:
    root = Path(tempfile.mkdtemp(prefix="archdoc-nacl-")) / "mini"
    shutil.copytree(Path(__file__).parent / "fixtures" / "good" / "mini", root)
    (root / "25-nacls.yaml").write_text(NACL_YAML, encoding="utf-8")
    return root


MINI = load_model(_mini_with_nacl())
M = MINI.model
BASE_NACL = M.nacls[0]


def _with(*nacls: Nacl, nodes: tuple[Node, ...] = ()):
    return graph_of(M.model_copy(update={"nacls": nacls, "nodes": M.nodes + nodes}), "live")


def _rules(*rules: dict) -> tuple[NaclRule, ...]:
    return tuple(NaclRule(**r) for r in rules)


def _db_nacl(*rules: dict, subnets=("live-db-a", "live-db-c")) -> Nacl:
    return Nacl(id="live-db-nacl", vpc="live-vpc", subnets=subnets, rules=_rules(*rules))


ALLOW_IN = {"number": 100, "direction": "inbound", "protocol": "tcp", "port": 5432, "cidr": "10.20.10.0/23", "action": "allow"}
ALLOW_OUT = {"number": 200, "direction": "outbound", "protocol": "tcp", "port": {"from": 32768, "to": 60999},
             "cidr": "10.20.10.0/23", "action": "allow"}


def test_fixture_nacl_admits_app_to_db_and_names_both_rules():
    r = reach(graph_of(MINI, "live"), "app", "db", 5432)
    assert r.verdict == "reachable"
    reasons = [h.reason for h in r.hops if h.node.startswith("live-db")]
    assert any("ルール 100（inbound tcp/5432" in x for x in reasons)
    assert any("ルール 200（戻り outbound tcp/32768-60999" in x for x in reasons)


def test_fixture_nacl_denies_the_internet_with_implicit_deny():
    r = reach(graph_of(MINI, "live"), "citizen", "db", 5432)
    nacl = [b for b in r.blockers if b.node == "live-db-a" and "live-db-nacl" in b.message]
    assert {b.code for b in nacl} == {"NACL_DENIED", "NO_RETURN_PATH"}
    assert all("暗黙の拒否" in b.message and b.location.endswith("25-nacls.yaml:2") for b in nacl)


def test_lower_numbered_deny_wins_over_allow():
    deny = {"number": 50, "direction": "inbound", "protocol": "tcp", "port": 5432, "cidr": "10.20.0.0/16", "action": "deny"}
    r = reach(_with(_db_nacl(deny, ALLOW_IN, ALLOW_OUT)), "app", "db", 5432)
    assert r.verdict == "unreachable" and r.codes == ("NACL_DENIED",)
    assert "ルール 50 が inbound tcp/5432" in r.blockers[0].message


def test_rule_numbers_matter_same_rules_other_order():
    # the same deny numbered after the allow: the allow (100) matches first
    deny = {"number": 150, "direction": "inbound", "protocol": "tcp", "port": 5432, "cidr": "10.20.0.0/16", "action": "deny"}
    assert reach(_with(_db_nacl(deny, ALLOW_IN, ALLOW_OUT)), "app", "db", 5432).verdict == "reachable"


def test_missing_ephemeral_return_rule_is_no_return_path():
    r = reach(_with(_db_nacl(ALLOW_IN)), "app", "db", 5432)
    assert r.verdict == "unreachable" and r.codes == ("NO_RETURN_PATH",)
    b = r.blockers[0]
    assert "outbound tcp/32768-60999" in b.message and "暗黙の拒否" in b.message and b.node == "live-db-a"


def test_partial_ephemeral_range_is_conditional():
    narrow = ALLOW_OUT | {"port": {"from": 49152, "to": 65535}}
    r = reach(_with(_db_nacl(ALLOW_IN, narrow)), "app", "db", 5432)
    assert r.verdict == "conditional" and r.codes == ("NACL_EPHEMERAL_PARTIAL",)
    assert "49152-60999" in r.blockers[0].message


def test_internet_clients_need_the_wide_ephemeral_range():
    # public subnets: 443 in, replies out only to 32768-65535: fine for Linux, not for any internet client
    pub = Nacl(id="pub", vpc="live-vpc", subnets=("live-public-a", "live-public-c"), rules=_rules(
        {"number": 100, "direction": "inbound", "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow"},
        {"number": 110, "direction": "outbound", "protocol": "tcp", "port": {"from": 32768, "to": 65535},
         "cidr": "0.0.0.0/0", "action": "allow"},
        {"number": 120, "direction": "outbound", "protocol": "tcp", "port": 8080, "cidr": "10.20.0.0/16", "action": "allow"}))
    r = reach(_with(BASE_NACL, pub), "citizen", "alb", 443)
    assert r.verdict == "conditional" and "NACL_EPHEMERAL_PARTIAL" in r.codes
    assert "1024-32767" in next(b.message for b in r.blockers if b.code == "NACL_EPHEMERAL_PARTIAL")


def test_nat_path_checks_the_nat_subnet_and_the_reply():
    # app subnets: out 443 anywhere, but no inbound rule for the reply from the internet
    app = Nacl(id="app", vpc="live-vpc", subnets=("live-app-a", "live-app-c"), rules=_rules(
        {"number": 100, "direction": "outbound", "protocol": "tcp", "port": 443, "cidr": "0.0.0.0/0", "action": "allow"}))
    r = reach(_with(BASE_NACL, app), "app", "ecr", 443)
    assert r.verdict == "unreachable" and r.codes == ("NO_RETURN_PATH",)
    assert "inbound tcp/32768-60999" in r.blockers[0].message
    # NAT subnet: admits the app's 443 in, denies it out to the internet (rule 90)
    pub = Nacl(id="pub", vpc="live-vpc", subnets=("live-public-a", "live-public-c"), rules=_rules(
        {"number": 90, "direction": "outbound", "protocol": "tcp", "port": 443, "cidr": "0.0.0.0/0", "action": "deny"},
        {"number": 100, "direction": "inbound", "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow"},
        {"number": 100, "direction": "outbound", "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow"}))
    r = reach(_with(BASE_NACL, pub), "app", "ecr", 443)
    assert r.codes == ("NACL_DENIED",) and r.blockers[0].node == "live-public-a" and "ルール 90" in r.blockers[0].message


def test_traffic_within_one_subnet_is_not_evaluated():
    deny_all = _db_nacl()  # no rules: the implicit deny only, on both DB subnets
    jump = Node(id="jump", kind="ecs-task", label="踏み台", security_groups=("app-sg",),
                at={"live": Placement(subnets=("live-db-a",))})
    eg = _with(deny_all, nodes=(jump,))
    r = reach(eg, "jump", "db", 5432)
    assert r.verdict == "reachable" and not any("NACL" in h.reason for h in r.hops)
    # the same NACL stops the app, which comes from another subnet (and its reply)
    assert reach(eg, "app", "db", 5432).codes == ("NACL_DENIED", "NO_RETURN_PATH")


RANK = {"reachable": 0, "conditional": 1, "unreachable": 2}
TRIPLES = [(s, t, p) for s in ("citizen", "app", "alb") for t in ("alb", "app", "db", "ecr") if s != t
           for p in (443, 5432, 8080)]
PARTIAL = _db_nacl(ALLOW_IN, ALLOW_OUT | {"port": {"from": 40000, "to": 65535}})
BASE = {k: reach(_with(PARTIAL), *k).verdict for k in TRIPLES}

rule_st = st.builds(
    lambda direction, proto, port, cidr: NaclRule(number=32766, direction=direction, protocol=proto, port=port,
                                                   cidr=cidr, action="allow"),
    st.sampled_from(["inbound", "outbound"]), st.sampled_from(["tcp", "all"]),
    st.sampled_from([None, 443, 5432, {"from": 1024, "to": 65535}, {"from": 32768, "to": 39999}]),
    st.sampled_from(["0.0.0.0/0", "10.20.0.0/16", "10.20.10.0/24", "192.168.0.0/16"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rule_st)
def test_adding_a_last_allow_nacl_rule_never_removes_reachability(rule):
    eg = _with(PARTIAL.model_copy(update={"rules": PARTIAL.rules + (rule,)}))
    for k in TRIPLES:
        assert RANK[reach(eg, *k).verdict] <= RANK[BASE[k]], k
