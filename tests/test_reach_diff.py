"""``archdoc diff`` configuration part: route tables, NACLs and the migration table's rows."""

from __future__ import annotations

from pathlib import Path

from analysis.diff import diff
from conftest import analysis_of, graph_of, loaded_of
from model.loader import load_model
from model.index import ModelIndex
from model.migration import migration_rows
from model.schema import Nacl, NaclRule, Route

SRC = load_model()
MINI = load_model(Path(__file__).parent / "fixtures" / "good" / "mini")


def _keys(d):
    return {(c.kind, c.key, c.change) for c in d.config}


def test_every_migration_difference_is_in_the_diff():
    for src, a, b in ((SRC, "poc", "prod"), (MINI, "stg", "live")):
        d = diff(analysis_of(src), a, b)
        got = {(c.key, c.from_value, c.to_value) for c in d.config if c.kind == "migration"}
        want = {(r.item, r.before, r.after) for r in migration_rows(ModelIndex(src.model), a, b) if r.before != r.after}
        assert want and got == want


def test_seed_route_tables_are_matched_by_role_and_subnet_names():
    keys = _keys(diff(analysis_of(SRC), "poc", "prod"))
    # prod routes the city staff's on-premises network to the TGW instead of the shared VPC
    assert ("route", "app:Private Subnet App 1 192.168.0.0/16", "only-to") in keys
    assert ("route", "app:Private Subnet App 1 10.0.0.0/16", "only-from") in keys
    # the DB route table gains Private Subnet DB 2 and is still compared as one table
    assert ("route-table", "app:Private Subnet DB 1", "changed") in keys
    assert not any(k[1].startswith("app:Private Subnet DB 1+") for k in keys)
    assert ("route", "TGW:tgw propagation dx-gateway", "only-to") in keys


def test_changed_route_target_is_reported():
    m = SRC.model
    i = next(i for i, rt in enumerate(m.route_tables) if "prod-private-app-1" in rt.subnets)
    rt = m.route_tables[i]
    routes = tuple(Route(destination=r.destination, named=r.named, target="tgw") if r.destination == "0.0.0.0/0" else r
                   for r in rt.routes)
    tables = m.route_tables[:i] + (rt.model_copy(update={"routes": routes}),) + m.route_tables[i + 1:]
    d = diff(analysis_of(m.model_copy(update={"route_tables": tables})), "poc", "prod")
    row = next(c for c in d.config if c.kind == "route" and c.key == "app:Private Subnet App 1 0.0.0.0/0")
    assert (row.change, row.to_value) == ("changed", "tgw")


def test_mini_named_route_and_nacl_rules():
    acl = Nacl(id="live-db-nacl", vpc="live-vpc", subnets=("live-db-a", "live-db-c"), rules=(
        NaclRule(number=100, direction="inbound", protocol="tcp", port=5432, cidr="10.20.10.0/23", action="allow"),))
    d = diff(analysis_of(MINI.model.model_copy(update={"nacls": (acl,)})), "stg", "live")
    rows = {(c.kind, c.key): c for c in d.config}
    r = rows[("route", "app:stg-app-a+stg-db-a+stg-db-c vpc-cidr")]
    assert (r.from_value, r.to_value) == ("local（10.10.0.0/16）", "local（10.20.0.0/16）")
    assert rows[("nacl-rule", "app:live-db-a+live-db-c inbound #100")].to_value == "allow tcp/5432 10.20.10.0/23"
    assert ("nacl", "app:live-db-a+live-db-c") in rows


def test_a_node_in_both_environments_differs_attribute_by_attribute():
    """One row per spec field that differs, written as a reader writes it (no Python dumps)."""
    d = diff(analysis_of(SRC), "poc", "prod")
    rows = [(c.key, c.change, c.from_value, c.to_value) for c in d.config if c.kind == "node"
            and c.key.startswith("backend ")]
    assert rows == [("backend fargate.autoscaling", "changed", "false", "true"),
                    ("backend fargate.cpu", "changed", "256", "1024"),
                    ("backend fargate.memory_mb", "changed", "512", "2048"),
                    ("backend fargate.tasks.max", "changed", "2", "8"),
                    ("backend fargate.tasks.min", "changed", "1", "2")]
    assert ("client-vpn", "only-from", "Client VPN Endpoint", None) in [
        (c.key, c.change, c.from_value, c.to_value) for c in d.config if c.kind == "node"]
    assert not [c for c in d.config if "{" in (c.from_value or "") + (c.to_value or "")]
