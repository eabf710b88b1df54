"""Benchmark the reachability analysis: seed query latency, all-pairs scaling, naive baseline.

Run: ``python -m bench.bench_reach`` (from the project root). Prints

* single-query latency on the seed (median / max over every intent and a matrix sample;
  each query on a cold result memo, the graph built once per environment);
* for synthetic models of 1k, 2k, 5k, 10k (and 20k with ``--big``) interfaces with ~10% as
  many SGs in 20 VPCs
  (:mod:`bench.synth`): graph build time, all-pairs time (every interface pair x every
  TCP port class, :mod:`analysis.paths.allpairs`), peak memory of build + all-pairs
  (``tracemalloc``, in a separate run because tracing slows Python), classes, port classes,
  reachable interface pairs, and the time ratio per doubling of N;
* the 5k and 10k models again with NACLs on 70% of the subnets (``nacls=0.7``: deny rules,
  complete, partial or missing reply rules), which the class engine evaluates per subnet pair;
* a naive baseline in the same run: one point query per interface pair per port (the
  distinct ports of the rules, one per range) on a small N, extrapolated quadratically to
  10k interfaces.

Targets (2-core machine): one seed query < 50 ms; all-pairs of 10 000 interfaces /
1 000 SGs < 10 s and < 1 GB; at most 2.3x time per doubling.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc

from analysis.graph import build_graph
from analysis.paths.allpairs import all_pairs
from analysis.paths.reach import Reachability, reach
from bench.synth import PORTS, RANGES, synth_model
from model.loader import Loaded, load_model

__all__ = ["seed_latency", "scale", "naive", "main", "VPCS"]

VPCS = 20
"""The scaling series keeps 20 VPCs (80 subnets) and grows interfaces and SGs only."""


def seed_latency() -> tuple[float, float, int]:
    src = load_model()
    times = []
    for env in ("poc", "prod"):
        eg = build_graph(src, env)
        q = Reachability(eg)
        queries = [(i.source, i.target, i.port, i.protocol) for i in src.model.intents if i.env == env]
        queries += [(s, t, p, "tcp") for s in q.sources for t in q.targets[:6] if s != t for p in (443, 5432)]
        for query in queries:
            t0 = time.perf_counter()
            reach(eg, *query)  # a fresh result cache per query: the cold cost
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, max(times) * 1000, len(times)


def scale(n: int, repeat: int = 3, nacls: float = 0.0) -> dict:
    """Best of ``repeat`` timings (graph build, all-pairs), then one traced run for peak memory."""
    model = Loaded.unlocated(synth_model(n, vpcs=VPCS, seed=1, nacls=nacls))
    best = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        eg = build_graph(model, "syn")
        t1 = time.perf_counter()
        ap = all_pairs(eg)
        t2 = time.perf_counter()
        if best is None or t2 - t0 < best[2] - best[0]:
            best = (t0, t1, t2)
        del eg, ap
    t0, t1, t2 = best
    tracemalloc.start()
    eg = build_graph(model, "syn")
    ap = all_pairs(eg)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"n": n, "nacls": nacls, "sgs": len(model.model.security_groups), "build": t1 - t0, "pairs_time": t2 - t1,
            "total": t2 - t0, "peak_mib": peak / 2**20, "classes": ap.n_classes, "port_classes": len(ap.ports),
            "reachable_pairs": ap.total_pairs}


def naive(n: int = 60) -> tuple[float, int]:
    eg = build_graph(Loaded.unlocated(synth_model(n, seed=1)), "syn")
    nodes = [x for x in eg.enis if eg.node(x).kind.value == "ecs-service"]
    ports = list(PORTS) + [lo for lo, _ in RANGES]
    t0 = time.perf_counter()
    count = 0
    for s in nodes:
        for d in nodes:
            if s != d:
                for p in ports:
                    count += reach(eg, s, d, p).verdict == "reachable"
    return time.perf_counter() - t0, len(nodes)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    med, worst, count = seed_latency()
    print(f"seed single query: median {med:.2f} ms, max {worst:.2f} ms over {count} queries (target < 50 ms)")
    sizes = [1000, 2000, 5000, 10000] + ([20000] if "--big" in argv else [])
    rows = [scale(n) for n in sizes]
    nacl_rows = [scale(n, nacls=0.7) for n in (5000, 10000)]
    print(f"{'interfaces':>10} {'NACL':>4} {'SGs':>5} {'classes':>7} {'ports':>5} {'build s':>8} {'pairs s':>8} {'total s':>8} "
          f"{'peak MiB':>9} {'reach pairs':>12} {'x/doubling':>10}")
    for prev, r in zip([None] + rows[:-1] + [None] + nacl_rows[:-1], rows + nacl_rows):
        ratio = ""
        if prev is not None and r["n"] == 2 * prev["n"]:
            ratio = f"{r['total'] / prev['total']:.2f}"
        print(f"{r['n']:>10} {'yes' if r['nacls'] else 'no':>4} {r['sgs']:>5} {r['classes']:>7} {r['port_classes']:>5} "
              f"{r['build']:>8.2f} "
              f"{r['pairs_time']:>8.2f} {r['total']:>8.2f} {r['peak_mib']:>9.1f} {r['reachable_pairs']:>12} {ratio:>10}")
    secs, n = naive()
    per = secs / (n * (n - 1))
    print(f"naive baseline: {n} interfaces x {len(PORTS) + len(RANGES)} ports = {secs:.2f} s "
          f"({per * 1e6:.1f} us per pair); extrapolated to 10 000 interfaces: {per * 10000 * 9999 / 3600:.1f} h "
          f"(x{per * 10000 * 9999 / rows[3]['total']:.0f} the class engine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
