"""``archdoc validate`` and ``archdoc schema``: the command-line face of :mod:`model.loader`.

``archdoc.cli`` dispatches here. Validation must behave well on *any* input (CI runs it
on pull requests), so it never lets a traceback escape: model problems go to stderr as
``path:line:col: CODE message`` and the exit code is 2; an unexpected exception is
reported as one ``E099`` line, also with exit code 2 (see :func:`archdoc.common.load_checked`,
which every verb uses, so they all print a model error the same way).
"""

from __future__ import annotations

import json
import sys

from model.loader import load_model
from model.schema import Model

__all__ = ["run_validate", "run_schema", "schema_text"]


def run_validate(model_path: str | None) -> int:
    """Validate the model at ``model_path`` (None: the bundled model); 0 if valid, else 2."""
    from archdoc.common import load_checked

    loaded = load_checked(model_path, load_model)
    if loaded is None:
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
