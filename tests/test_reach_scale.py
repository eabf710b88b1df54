"""The equivalence-class all-pairs engine agrees with the point query.

Its speed (10 000 interfaces, one seed query) is measured by ``bench/bench_reach.py``, not here."""

from __future__ import annotations

import random

import pytest

from analysis.paths.allpairs import all_pairs, port_classes
from conftest import graph_of
from model.loader import load_model
from analysis.paths.reach import reach
from bench.synth import synth_model


@pytest.mark.parametrize("seed,nacls", [(0, 0.0), (1, 0.0), (2, 0.0), (0, 0.7), (1, 0.7), (5, 1.0)])
def test_class_engine_agrees_with_point_queries(seed, nacls):
    eg = graph_of(synth_model(240, vpcs=4, subnets_per_vpc=3, seed=seed, nacls=nacls), "syn")
    assert bool(eg.nacl_of) == (nacls > 0)
    ap = all_pairs(eg)
    rng = random.Random(seed)
    ports = [22, 80, 443, 1500, 3000, 5432, 6379, 8080, 8500, 9999, 31000, 40000]
    checked = agree = 0
    nacl_codes = set()
    for _ in range(600):
        i, j = rng.randrange(ap.n_interfaces), rng.randrange(ap.n_interfaces)
        s, d = ap.enis[i], ap.enis[j]
        if s.node == d.node:
            continue
        p = rng.choice(ports)
        checked += 1
        r = reach(eg, s.node, d.node, p)
        nacl_codes |= {c for c in r.codes if c.startswith("NACL") or c == "NO_RETURN_PATH"}
        agree += ap.reachable(i, j, p) == (r.verdict == "reachable")
    assert checked > 500 and agree == checked
    if nacls:
        assert nacl_codes, "the synthetic NACLs should block some pairs"


def test_nacl_rule_boundaries_cut_port_classes():
    m = synth_model(200, vpcs=2, subnets_per_vpc=2, nacls=1.0, seed=0)  # has a 40000-65535 reply rule
    cuts = {p.lo for p in port_classes(graph_of(m, "syn"))}
    without = {p.lo for p in port_classes(graph_of(m.model_copy(update={"nacls": ()}), "syn"))}
    bounds = {b for n in m.nacls for r in n.rules if r.port is not None
              for b in ((r.port, r.port + 1) if isinstance(r.port, int) else (r.port.start, r.port.end + 1))}
    assert bounds - {65536} <= cuts and 40000 in cuts - without


def test_port_classes_partition_the_port_space():
    eg = graph_of(load_model(), "poc")
    pcs = port_classes(eg)
    assert pcs[0].lo == 0 and pcs[-1].hi == 65535
    assert all(a.hi + 1 == b.lo for a, b in zip(pcs, pcs[1:]))
    assert any(p.lo == p.hi == 5432 for p in pcs)
