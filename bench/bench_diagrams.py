"""Benchmark: readability of every view, then rendering all views cold, raw ``dot``, and warm.

Readability (first table): per view, from the laid-out coordinates (``dot -Tjson``, see
:mod:`render.diagrams.measure`): drawn edges, edge crossings and label overlaps, against
the same view drawn one arrow per replica (``bundle_edges`` off), computed in the same
run; with ``--against REV`` also against the DOT files committed at git revision REV
(e.g. the main branch before a change). Targets for a view whose arrows are bundled:
<= 30 drawn edges, >= 70 % fewer crossings than the per-replica drawing, no overlaps.

Speed: cold <= 1.3 x raw dot (our overhead: selection, icons, SVG embedding, hashing) and
warm <= 10 % of cold (unchanged views are not rendered). The model is loaded once up front
(the loader's cost is the same for every consumer and printed separately); resized icons
come from the persistent icon cache, as in any run after the first. Run:
``.venv/bin/python bench/bench_diagrams.py [--jobs 2] [--repeat 3] [--against REV] [--no-speed]``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.index import ModelIndex  # noqa: E402
from model.loader import load_model  # noqa: E402
from render.diagrams.dot import to_dot  # noqa: E402
from render.diagrams.icons import ICON_PX, icon_cache_dir, prepare_icons  # noqa: E402
from render.diagrams.measure import Measures, layout_json, measure  # noqa: E402
from render.diagrams.select import select_view  # noqa: E402
from render.diagrams import build_diagrams, dot_sources  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EDGE_TARGET, CROSSING_CUT = 30, 0.70

__all__ = ["main"]


def _raw_dot(dot_dir: Path, icon_dir: Path, jobs: int) -> None:
    def one(path: Path) -> None:
        subprocess.run(["dot", f"-Gimagepath={icon_dir}", "-Tpng", "-o", str(path.with_suffix(".png")),
                        "-Tsvg", "-o", str(path.with_suffix(".svg")), str(path)], check=True, capture_output=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, sorted(dot_dir.glob("*.dot"))))


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _interleaved(a, b, repeat: int) -> tuple[float, float]:
    """Best-of times of ``a`` and ``b`` run alternately, so machine load hits both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(_best(a, 1))
        tb.append(_best(b, 1))
    return min(ta), min(tb)


def _committed_dot(rev: str, view: str) -> str | None:
    """``docs/diagrams/<view>.dot`` as committed at ``rev`` (None when it did not exist)."""
    proc = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:docs/diagrams/{view}.dot"],
                          capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else None


def _fmt(m: Measures | None) -> str:
    return "-" if m is None else f"{m.edges:>3} edges {m.crossings:>4} crossings {len(m.overlaps):>2} overlaps"


def readability(model, sources: dict[str, str], against: str | None) -> bool:
    """Print the readability table; True when every bundled view meets its targets."""
    ix = ModelIndex(model)
    icons = icon_cache_dir(ICON_PX)
    prepare_icons({t for d in sources.values() for t in re.findall(r'image="([^"]+)"', d)}, icons)
    ok = True
    print(f"readability per view (now vs one arrow per replica{', vs ' + against if against else ''}):")
    for view in model.views:
        now = measure(layout_json(sources[view.id], icons))
        replica = measure(layout_json(to_dot(select_view(ix, view.model_copy(update={"bundle_edges": False}))), icons))
        old_dot = _committed_dot(against, view.id) if against else None
        old = measure(layout_json(old_dot, icons)) if old_dot else None
        line = f"  {view.id:<14} now {_fmt(now)} | per replica {_fmt(replica)}"
        if against:
            line += f" | {against} {_fmt(old)}"
        if view.bundle_edges:
            if replica.crossings:
                cut = 1 - now.crossings / replica.crossings
                met, said = cut >= CROSSING_CUT, f"crossings -{cut:.0%}"
            else:
                met, said = now.crossings == 0, "no crossings"
            met = met and now.edges <= EDGE_TARGET and not now.overlaps
            ok &= met
            line += f" | {said} {'ok' if met else 'MISSED'}"
        print(line)
        for overlap in now.overlaps:
            print(f"      overlap: {overlap}")
    print(f"targets for bundled views: <= {EDGE_TARGET} edges, >= {CROSSING_CUT:.0%} fewer crossings, no overlaps")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also measure the DOT files committed at this git revision")
    parser.add_argument("--no-speed", action="store_true", help="readability only")
    args = parser.parse_args(argv)
    model = load_model().model
    sources = dot_sources(model)
    met = readability(model, sources, args.against)
    if args.no_speed:
        return 0 if met else 1
    with tempfile.TemporaryDirectory(prefix="archdoc-bench-") as tmp:
        root = Path(tmp)
        counter = iter(range(10_000))

        def cold() -> None:
            build_diagrams(model, root / f"cold-{next(counter)}", jobs=args.jobs)

        raw_dir, icons = root / "raw", root / "icons"
        raw_dir.mkdir()
        for view, dot in sources.items():
            (raw_dir / f"{view}.dot").write_text(dot, encoding="utf-8")
        prepare_icons({t for d in sources.values() for t in re.findall(r'image="([^"]+)"', d)}, icons)
        build_diagrams(model, root / "prime", jobs=args.jobs)  # fills the icon cache, warms the OS
        cold_s, raw_s = _interleaved(cold, lambda: _raw_dot(raw_dir, icons, args.jobs), args.repeat)
        warm_dir = root / "warm"
        build_diagrams(model, warm_dir, jobs=args.jobs)
        warm_s = _best(lambda: build_diagrams(model, warm_dir, jobs=args.jobs), args.repeat)
        load_s = _best(load_model, args.repeat)
    print(f"views: {len(sources)}, jobs: {args.jobs}, best of {args.repeat}")
    print(f"model load (not part of the ratios):     {load_s:.3f} s")
    print(f"cold (empty out dir, select + render):   {cold_s:.3f} s")
    print(f"raw dot -Tpng -Tsvg on the same DOT:     {raw_s:.3f} s")
    print(f"warm (nothing changed, select + hash):   {warm_s:.3f} s")
    print(f"cold / raw  = {cold_s / raw_s:.2f}  (target <= 1.30)")
    print(f"warm / cold = {warm_s / cold_s:.2%}  (target <= 10%)")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
