"""What the verbs share, so they behave alike.

* Loading: every verb that reads a model reports a model error the same way — one
  ``path:line:col: CODE message`` line per problem on stderr, nothing on stdout (exit 2);
  an unexpected crash while loading becomes one ``E099`` line, never a traceback.
* Errors: ``archdoc VERB: message`` on stderr; with ``--json`` the verb *also* prints
  ``{"error": str, "suggestions": [str], "problems": [str]}`` on stdout so a pipe into
  a JSON tool still gets JSON.
* Environments: an unknown environment name gets a did-you-mean suggestion.
* Language: the model, once loaded, sets the language of everything the verb generates
  (``document.language``: pages, PDF, messages), here, for every verb at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

__all__ = ["load_checked", "use_language", "load_analysis", "project_paths", "fail", "unknown_env"]


def _model_label(model_path) -> str:
    from model.errors import display_path

    return display_path(model_path if model_path is not None else ".")


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
    if model_path is None:  # library callers: the working directory's project
        paths = project_paths("load")
        if paths is None:
            return None
        model_path = paths.model
    try:
        loaded = loader(model_path)
    except Exception as exc:  # noqa: BLE001 - model errors and crashes alike: located lines, exit 2
        lines = _problems(exc, model_path)
    else:
        use_language(loaded)
        return loaded
    for line in lines:
        print(line, file=sys.stderr)
    if as_json:
        print(json.dumps({"error": f"the model has {len(lines)} problem(s)", "suggestions": [],
                          "problems": lines}, ensure_ascii=False, indent=2))
    return None


def use_language(loaded) -> None:
    """Generate everything from now on in the loaded model's language (``document.language``).

    The entry point's job, not the loader's: loading another model (an approved version to
    compare with) must not change the language of the document being generated.
    """
    from model.i18n import set_language

    set_language(loaded.model.document.language)


def load_analysis(model_path, *, as_json: bool = False):
    """The model's :class:`~analysis.analyze.Analysis`, or None after printing the model's problems."""
    from analysis.analyze import analyze

    loaded = load_checked(model_path, as_json=as_json)
    return None if loaded is None else analyze(loaded)


def project_paths(verb: str):
    """The paths of the working directory's project (:func:`archdoc.paths.resolve`), or None
    after printing why there is none."""
    from archdoc.paths import NoProject, resolve
    from model.errors import ModelError

    try:
        return resolve()
    except NoProject as exc:
        print(f"archdoc {verb}: {exc}", file=sys.stderr)
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
    return None


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
