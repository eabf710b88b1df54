"""What the verbs share, so they behave alike.

* Loading: every verb that reads a model reports a model error the same way — one
  ``path:line:col: CODE message`` line per problem on stderr, nothing on stdout (exit 2);
  an unexpected crash while loading becomes one ``E099`` line, never a traceback.
* Errors: ``archdoc VERB: message`` on stderr; with ``--json`` the verb *also* prints
  ``{"error": str, "suggestions": [str], "problems": [str]}`` on stdout so a pipe into
  a JSON tool still gets JSON.
* Environments: an unknown environment name gets a did-you-mean suggestion.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

__all__ = ["load_checked", "load_analysis", "fail", "unknown_env", "is_bundled", "REPO_ROOT"]

REPO_ROOT = Path(__file__).resolve().parent.parent


def _model_label(model_path) -> str:
    from model.errors import display_path
    from model.loader import DEFAULT_MODEL

    return display_path(model_path if model_path is not None else DEFAULT_MODEL)


def _problems(exc: BaseException, model_path) -> list[str]:
    """The lines to print for an exception raised while loading ``model_path``."""
    from model.errors import ModelError

    if isinstance(exc, ModelError):
        return [str(p) for p in exc.problems]
    if isinstance(exc, RecursionError):
        detail = "recursion too deep"
    else:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return [f"{_model_label(model_path)}:0:0: E099 internal error: {detail} (a bug in archdoc)"]


def load_checked(model_path, loader: Callable[[Any], Any] | None = None, *, as_json: bool = False):
    """``loader(model_path)`` (default :func:`model.loader.load_model`), or None after printing
    the model's problems to stderr (and, with ``as_json``, the error object to stdout)."""
    if loader is None:
        from model.loader import load_model as loader
    try:
        return loader(model_path)
    except Exception as exc:  # noqa: BLE001 - model errors and crashes alike: located lines, exit 2
        lines = _problems(exc, model_path)
    for line in lines:
        print(line, file=sys.stderr)
    if as_json:
        print(json.dumps({"error": f"the model has {len(lines)} problem(s)", "suggestions": [],
                          "problems": lines}, ensure_ascii=False, indent=2))
    return None


def load_analysis(model_path, *, as_json: bool = False):
    """The model's :class:`~analysis.analyze.Analysis`, or None after printing the model's problems."""
    from analysis.analyze import analyze

    loaded = load_checked(model_path, as_json=as_json)
    return None if loaded is None else analyze(loaded)


def is_bundled(loaded) -> bool:
    """True when ``loaded`` (a :class:`model.loader.Loaded`) is the bundled model ``model/data``."""
    from model.loader import DEFAULT_MODEL

    return Path(loaded.root).resolve() == Path(DEFAULT_MODEL).resolve()


def fail(verb: str, message: str, suggestions: list[str] | None = None, as_json: bool = False) -> int:
    """Print ``archdoc VERB: message`` on stderr (and the JSON error object with ``as_json``); return 2."""
    print(f"archdoc {verb}: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"error": message, "suggestions": list(suggestions or []), "problems": []},
                         ensure_ascii=False, indent=2))
    return 2


def unknown_env(env: str | None, envs: list[str]) -> tuple[str, list[str]] | None:
    """None when ``env`` is None or known; else (message, suggestions).

    >>> unknown_env("prd", ["poc", "prod"])
    ("unknown environment 'prd' (did you mean 'prod'?)", ['prod'])
    >>> unknown_env("zzz", ["poc", "prod"])
    ("unknown environment 'zzz'; environments: poc, prod", ['poc', 'prod'])
    """
    if env is None or env in envs:
        return None
    from model.errors import suggest

    close = suggest(env, envs, n=1)
    if close:
        return f"unknown environment '{env}' (did you mean '{close[0]}'?)", close
    return f"unknown environment '{env}'; environments: {', '.join(envs)}", list(envs)
