"""Benchmark ``archdoc check`` against two baselines measured in the same run.

``archdoc check`` is the pre-commit and CI gate, so what matters is how long a developer
waits when nothing changed. Absolute seconds depend on the machine (and on what else it
is doing), so the check is reported next to two baselines taken in the same run, on the
same interpreter and model:

* **import only** - a fresh interpreter importing every module the check uses, and nothing
  else: the floor no change inside the check can go below;
* **load only** - a fresh interpreter loading and validating the bundled model
  (``model.loader.load_model``): the "raw" cost every verb pays.

Printed: the check as a subprocess (cold: a new interpreter each run, as pre-commit runs
it; median of ``--cold`` runs, interleaved with the baselines so background load hits all
three alike), the check in-process (median of ``--repeat`` runs after a first run that
pays the imports), the load in-process, the YAML reading alone with libyaml and with the
pure-Python loader, and the ratios. Nothing here asserts a time; tests never do.

Run: ``.venv/bin/python bench/bench_check.py [--repeat 5] [--cold 3]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = ["main", "cold", "warm", "IMPORTS"]

IMPORTS = ("archdoc.cli", "archdoc.commands.check", "archdoc.compare", "archdoc.build", "model.loader",
           "render.pages", "render.diagrams", "analysis.intents")
"""What ``archdoc check`` imports (directly or through these): the import-only baseline."""

_SNIPPETS = {
    "check": "import sys; from archdoc.cli import main; sys.exit(main(['check']))",
    "import": "import " + ", ".join(IMPORTS),
    "load": "from model.loader import load_model; load_model()",
}


def cold(what: str) -> tuple[float, int]:
    """Wall time of one fresh interpreter running snippet ``what``, and its exit code."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _SNIPPETS[what]], cwd=ROOT, capture_output=True)
    return time.perf_counter() - start, proc.returncode


def warm(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs (the caller has run it once already)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _yaml_times(repeat: int) -> tuple[float, float]:
    """Reading the bundled model's files: libyaml fast path vs the pure-Python loader."""
    import model.yaml.fast as yamlfast
    from model.loader import DEFAULT_MODEL
    from model.yaml import load_file

    files = sorted(DEFAULT_MODEL.glob("*.y*ml"))
    fast = warm(lambda: [load_file(f) for f in files], repeat)
    real = yamlfast.fast_parse
    yamlfast.fast_parse = lambda _text: None
    try:
        slow = warm(lambda: [load_file(f) for f in files], repeat)
    finally:
        yamlfast.fast_parse = real
    return fast, slow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="in-process runs (median)")
    parser.add_argument("--cold", type=int, default=3, help="fresh-interpreter runs of each (median)")
    args = parser.parse_args(argv)

    runs: dict[str, list[float]] = {"check": [], "import": [], "load": []}
    codes = set()
    for _ in range(max(1, args.cold)):  # interleaved, so background load hits all three alike
        for what in runs:
            seconds, code = cold(what)
            runs[what].append(seconds)
            if what == "check":
                codes.add(code)
    check_cold, import_cold, load_cold = (statistics.median(runs[w]) for w in ("check", "import", "load"))

    from archdoc.commands.check import run_check
    from model.loader import load_model

    start = time.perf_counter()
    first_code = run_check(None, None, out=io.StringIO())
    first = time.perf_counter() - start
    check_warm = warm(lambda: run_check(None, None, out=io.StringIO()), args.repeat)
    load_warm = warm(load_model, args.repeat)
    yaml_fast, yaml_slow = _yaml_times(args.repeat)

    print(f"archdoc check, cold subprocess (median of {args.cold}):  {check_cold:.3f} s"
          f"   (exit {','.join(map(str, sorted(codes)))}; 1 = docs drift or a broken intent)")
    print(f"  baseline: import only, cold subprocess:     {import_cold:.3f} s")
    print(f"  baseline: load model only, cold subprocess: {load_cold:.3f} s")
    print(f"archdoc check, in-process first run:          {first:.3f} s   (exit {first_code})")
    print(f"archdoc check, in-process (median of {args.repeat}):     {check_warm:.3f} s")
    print(f"  baseline: load model only, in-process:      {load_warm:.3f} s")
    print(f"  YAML files only: libyaml {yaml_fast:.3f} s, pure-Python loader {yaml_slow:.3f} s"
          f"  ({yaml_slow / yaml_fast:.1f}x)")
    print(f"ratios: check/import (cold) = {check_cold / import_cold:.2f}, "
          f"check/load (cold) = {check_cold / load_cold:.2f}, "
          f"check/load (in-process) = {check_warm / load_warm:.2f}")
    print(f"        check minus import (cold) = {check_cold - import_cold:.3f} s of work after the imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
