"""``archdoc validate`` and ``archdoc schema``: the command-line face of :mod:`model.loader`.

The lead's ``archdoc.cli`` dispatches here. Validation must behave well on *any*
input (CI runs it on pull requests), so it never lets a traceback escape: model
problems go to stderr as ``path:line:col: CODE message`` and the exit code is 2;
an unexpected exception is reported as an internal error, also with exit code 2.
"""

from __future__ import annotations

import json
import sys

from model.errors import ModelError
from model.loader import load_model
from model.schema import Model

__all__ = ["run_validate", "run_schema", "schema_text"]


def run_validate(model_path: str | None) -> int:
    """Validate the model at ``model_path`` (None: the bundled model); 0 if valid, else 2."""
    try:
        loaded = load_model(model_path)
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except RecursionError:
        print(f"{model_path or 'model'}:0:0: E099 internal error: recursion too deep (a bug in archdoc)",
              file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug, but the user still gets one line and exit 2
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        print(f"{model_path or 'model'}:0:0: E099 internal error: {detail} (a bug in archdoc)", file=sys.stderr)
        return 2
    m = loaded.model
    print(f"OK: model valid ({len(loaded.files)} files, {len(m.nodes)} nodes, {len(m.flows)} flows)")
    return 0


def schema_text() -> str:
    """The JSON Schema of :class:`~model.schema.Model`, exactly as ``model/archdoc.schema.json`` holds it."""
    return json.dumps(Model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def run_schema() -> int:
    """Print the JSON Schema (editors use it for completion via ``yaml-language-server``)."""
    sys.stdout.write(schema_text())
    return 0
