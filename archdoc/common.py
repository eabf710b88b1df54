"""What the analysis verbs (reach, findings, diff) share: loading with located errors and
checking an environment name with a did-you-mean suggestion."""

from __future__ import annotations

import difflib
import sys

__all__ = ["load_source", "unknown_env"]


def load_source(model_path):
    """The analysis :class:`~analysis.loading.Source`, or None after printing the model's
    problems (one ``path:line:col: CODE message`` line each) to stderr."""
    from analysis.loading import load
    from model.errors import ModelError

    try:
        return load(model_path)
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def unknown_env(env: str | None, envs: list[str]) -> tuple[str, list[str]] | None:
    """None when ``env`` is None or known; else (message, suggestions).

    >>> unknown_env("prd", ["poc", "prod"])
    ("unknown environment 'prd' (did you mean 'prod'?)", ['prod'])
    >>> unknown_env("zzz", ["poc", "prod"])
    ("unknown environment 'zzz' (known: poc, prod)", ['poc', 'prod'])
    """
    if env is None or env in envs:
        return None
    close = difflib.get_close_matches(env, envs, n=1, cutoff=0.5)
    if close:
        hint = f"did you mean '{close[0]}'?"
        return f"unknown environment '{env}' ({hint})", close
    return f"unknown environment '{env}' (known: {', '.join(envs)})", list(envs)
