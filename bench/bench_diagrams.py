"""Benchmark: rendering all views cold, raw ``dot`` on the same DOT files, and a warm (cached) run.

Targets: cold <= 1.3 x raw dot (our overhead: selection, icons, SVG embedding, hashing) and
warm <= 10 % of cold (unchanged views are not rendered). The model is loaded once up front
(the loader's cost is the same for every consumer and printed separately); resized icons
come from the persistent icon cache, as in any run after the first. Run:
``.venv/bin/python bench/bench_diagrams.py [--jobs 2] [--repeat 3]``.
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

from model.loader import load_model  # noqa: E402
from render.diagrams.icons import prepare_icons  # noqa: E402
from render.diagrams import build_diagrams, dot_sources  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    model = load_model().model
    sources = dot_sources(model)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
