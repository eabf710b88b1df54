"""``archdoc check``: CI's and pre-commit's read-only gate "docs match the model, intents hold".

Exit 0 when the model is valid, the committed generated files are exactly what the model
produces now, and every intent holds (known violations are listed, and fail only with
``--strict``); 1 with a short report otherwise (which file or view, what changed, which
intent broke, and the command that fixes it); 2 on a usage or model error. It writes
nothing and runs no Graphviz (see :mod:`archdoc.compare`), so it answers quickly.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TextIO

from archdoc.compare import DIAGRAM_DIR, Drift, compare_docs

__all__ = ["run_check", "fix_command", "report"]

_TITLES = {"stale": "stale pages", "diagram": "stale diagrams", "missing": "missing generated files",
           "extra": "extra generated files", "image": "diagram images out of date"}


def fix_command(model_path: str | None, docs_dir: str | None) -> str:
    """The exact ``archdoc build`` command that regenerates what this check compared."""
    parts = ["archdoc", "build"]
    if model_path is not None:
        parts += ["--model", model_path]
    if docs_dir is not None:
        parts += ["--docs-dir", docs_dir]
    return shlex.join(parts)


def _shown(docs: Path) -> str:
    """How to name the docs folder in the advice: relative below the working directory."""
    try:
        return docs.resolve().relative_to(Path.cwd().resolve()).as_posix() + "/"
    except ValueError:
        return str(docs.resolve()) + "/"


def report(findings: list[Drift], out: TextIO, budget: int = 200) -> None:
    """Group findings by kind; each with its path, one-line summary and indented details.

    Details (diff lines, diagram changes) stop after ``budget`` lines in all, so a model
    change that touches every page still gives a report that fits a CI log screen; every
    finding's one-line summary is always printed.
    """
    omitted = 0
    for kind in ("diagram", "stale", "image", "missing", "extra"):
        group = [f for f in findings if f.kind == kind]
        if not group:
            continue
        print(f"{_TITLES[kind]} ({len(group)}):", file=out)
        for f in group:
            print(f"  {f.path}: {f.summary}", file=out)
            shown = f.details[:max(budget, 0)]
            budget -= len(shown)
            omitted += len(f.details) - len(shown)
            for line in shown:
                print(f"      {line}", file=out)
    if omitted:
        print(f"({omitted} more detail lines omitted; run the fix command and review git diff)", file=out)


def _intents(analysis, strict: bool, out: TextIO) -> bool:
    """Print broken and known-violated intents; True when they make the check fail."""
    results = analysis.intents
    broken = [r for r in results if r.status == "violated"]
    known = [r for r in results if r.status == "known-violation"]
    for title, group in (("violated intents", broken),
                         ("known intent violations" + (" (fail: --strict)" if strict else " (not failing)"), known)):
        if not group:
            continue
        print(f"{title} ({len(group)}):", file=out)
        for r in group:
            codes = ",".join(r.codes) or "-"
            print(f"  {r.env}/{r.id}: expected {r.expect} {r.source} -> {r.target_name} {r.protocol}/{r.port}, "
                  f"got {r.verdict} [{codes}] ({r.location or 'model'})", file=out)
            print(f"      {r.statement}" + (f" / known: {r.known_violation}" if r.known_violation else ""), file=out)
    stale = [r for r in results if r.stale_known_violation]
    for r in stale:
        print(f"note: {r.env}/{r.id} now holds; remove its known_violation ({r.location})", file=out)
    print(f"intents: {len(results) - len(broken) - len(known)} hold, {len(broken)} violated, "
          f"{len(known)} known violations", file=out)
    return bool(broken or (strict and known))


def run_check(model_path: str | None = None, docs_dir: str | None = None, strict: bool = False,
              out: TextIO | None = None, fix: str | None = None) -> int:
    """Check ``docs_dir`` against the model at ``model_path``; 0 ok, 1 drift or broken intent, 2 error.

    Without ``model_path`` the working directory's project names both. ``fix``: the command
    the advice names (the CLI passes the same flags it was given).
    """
    from render.cache import keep_nothing

    with keep_nothing():  # compiled templates kept by a build are read, none is written
        return _check(model_path, docs_dir, strict, out, fix)


def _check(model_path: str | None, docs_dir: str | None, strict: bool, out: TextIO | None, fix: str | None) -> int:
    from analysis.analyze import analyze
    from archdoc.build import gather, load
    from archdoc.common import load_checked

    out = out or sys.stdout
    fix = fix or fix_command(model_path, docs_dir)
    if model_path is None:
        from archdoc.common import project_paths

        paths = project_paths("check")
        if paths is None:
            return 2
        model_path, docs_dir = str(paths.model), docs_dir or (str(paths.docs) if paths.docs else None)
    loaded = load_checked(model_path, load)
    if loaded is None:
        return 2
    if docs_dir is None:
        print("archdoc check: the model is not the project's own, so there is no docs folder to compare; "
              "give --docs-dir DIR", file=sys.stderr)
        return 2
    docs = Path(docs_dir)
    if not docs.is_dir():
        print(f"archdoc check: docs folder {docs} does not exist; run: {fix}", file=sys.stderr)
        return 2
    from archdoc.records import Immutable, RecordError

    analysis = analyze(loaded)
    try:
        generated = gather(loaded, analysis)
    except Immutable as exc:  # a negative result: the approved version's model was changed
        print(f"FAIL: {exc}", file=out)
        return 1
    except RecordError as exc:
        print(f"archdoc check: {exc}", file=sys.stderr)
        return 2
    expected = dict(generated.pages)
    expected.update({f"{DIAGRAM_DIR}/{view}.dot": dot for view, dot in generated.dots.items()})
    findings = compare_docs(expected, generated.dots, docs)
    report(findings, out)
    intents_fail = _intents(analysis, strict, out)
    if findings:
        print(f"FAIL: {docs} does not match the model ({len(findings)} problem(s)). "
              f"Fix: {fix}  (then commit {_shown(docs)})", file=out)
    elif intents_fail:
        print("FAIL: intents broken (fix the model or the intent; docs are up to date)", file=out)
    else:
        print(f"OK: {docs} matches the model ({len(expected)} generated files, {len(generated.dots)} views)",
              file=out)
    return 1 if findings or intents_fail else 0
