"""Monotonicity properties of the analysis, checked with hypothesis on the seed.

* adding an allow rule never removes reachability;
* removing a route never adds any;
* the order of SG rules never changes a verdict.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import analysis_of, graph_of, loaded_of
from model.loader import load_model
from analysis.paths.reach import reach, sources, targets
from model.schema import SgRule

SEED = load_model().model
RANK = {"reachable": 0, "conditional": 1, "unreachable": 2}
PORTS = (80, 443, 3000, 5000, 5432)


def _triples(env: str):
    eg = graph_of(SEED, env)
    srcs = [s for s in sources(eg) if s in ("business-user", "developer", "city-staff", "frontend", "rds", "alb")]
    tgts = [t for t in targets(eg) if t in ("alb", "frontend", "backend", "rds", "s3")]
    return [(s, t, p) for s in srcs for t in tgts if s != t for p in PORTS]


TRIPLES = {e: _triples(e) for e in ("poc", "prod")}


def _verdicts(model, env: str) -> dict:
    eg = graph_of(model, env)
    return {k: reach(eg, *k).verdict for k in TRIPLES[env]}


BASE = {e: _verdicts(SEED, e) for e in ("poc", "prod")}

rule_st = st.builds(
    lambda direction, proto, port, peer: SgRule(direction=direction, protocol=proto, port=port, purpose="追加", **peer),
    st.sampled_from(["inbound", "outbound"]), st.sampled_from(["tcp", "all"]), st.sampled_from([None, *PORTS]),
    st.sampled_from([{"cidr": "0.0.0.0/0"}, {"cidr": "10.0.0.0/8"}, {"cidr": "192.168.0.0/16"}, {"named": "vpc-cidr"},
                     {"sg": "alb-sg"}, {"sg": "ecs-sg"}, {"sg": "rds-sg"}]))

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(env=st.sampled_from(["poc", "prod"]), sg_index=st.integers(0, 2), rule=rule_st)
def test_adding_an_allow_rule_never_removes_reachability(env, sg_index, rule):
    sgs = list(SEED.security_groups)
    g = sgs[sg_index]
    sgs[sg_index] = g.model_copy(update={"rules": g.rules + (rule,)})
    after = _verdicts(SEED.model_copy(update={"security_groups": tuple(sgs)}), env)
    for k, v in after.items():
        assert RANK[v] <= RANK[BASE[env][k]], (k, BASE[env][k], v)


@SETTINGS
@given(env=st.sampled_from(["poc", "prod"]), data=st.data())
def test_removing_a_route_never_adds_reachability(env, data):
    tables = list(SEED.route_tables)
    candidates = [i for i, rt in enumerate(tables) if rt.routes and SEED.vpcs[[v.id for v in SEED.vpcs].index(rt.vpc)].env == env]
    i = data.draw(st.sampled_from(candidates))
    j = data.draw(st.integers(0, len(tables[i].routes) - 1))
    routes = tables[i].routes[:j] + tables[i].routes[j + 1:]
    tables[i] = tables[i].model_copy(update={"routes": routes})
    after = _verdicts(SEED.model_copy(update={"route_tables": tuple(tables)}), env)
    for k, v in after.items():
        assert RANK[v] >= RANK[BASE[env][k]], (k, BASE[env][k], v)


@SETTINGS
@given(env=st.sampled_from(["poc", "prod"]), data=st.data())
def test_sg_rule_order_never_changes_a_verdict(env, data):
    sgs = tuple(g.model_copy(update={"rules": tuple(data.draw(st.permutations(g.rules)))}) for g in SEED.security_groups)
    assert _verdicts(SEED.model_copy(update={"security_groups": sgs}), env) == BASE[env]
