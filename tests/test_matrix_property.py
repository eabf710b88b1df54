"""Property: every cell of the all-pairs matrix equals the point query, on random models.

The matrix (:mod:`analysis.paths.allpairs`) and the point query (:mod:`analysis.paths.reach`)
share one forwarding engine; this checks it on small random models (bench.synth: VPCs on a
TGW, some joined by peering instead, NACLs with deny rules and partial reply ranges, SG
rules on CIDRs, named CIDRs and other SGs), every interface pair, one port per port class.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from analysis.paths.allpairs import all_pairs
from analysis.paths.reach import Reachability
from bench.synth import synth_model
from conftest import graph_of


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), vpcs=st.integers(2, 3), nacls=st.sampled_from([0.0, 0.6, 1.0]),
       peering=st.booleans())
def test_every_matrix_cell_equals_the_point_query(seed, vpcs, nacls, peering):
    eg = graph_of(synth_model(16, vpcs=vpcs, subnets_per_vpc=2, sg_ratio=0.5, seed=seed, nacls=nacls,
                              peering=peering), "syn")
    ap = all_pairs(eg)
    q = Reachability(eg)
    for i, s in enumerate(ap.enis):
        for j, d in enumerate(ap.enis):
            if s.node == d.node:
                continue
            for pc in ap.ports:
                r = q.reach(s.node, d.node, pc.lo)
                assert ap.reachable(i, j, pc.lo) == (r.verdict == "reachable"), (s.node, d.node, pc.lo, r.codes)
