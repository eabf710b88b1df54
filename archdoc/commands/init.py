"""``archdoc init [FOLDER] [--example starter|city]``: start a project.

Writes ``archdoc.toml``, ``mkdocs.yml``, a ``model/`` folder and an empty ``docs/`` into
FOLDER (created if missing), then the user runs ``archdoc build`` and ``archdoc check``
there. Two examples ship with archdoc:

* ``starter`` (default): one production environment, one VPC over two AZs, an
  internet-facing ALB, an ECS service, a Multi-AZ database, security groups, intents;
* ``city``: the city's two-environment model (POC and production) this project was built for.

Nothing is overwritten: when any file init would write exists, it writes nothing and exits 2
naming the files. Exit 0 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["run_init", "EXAMPLES"]

_SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"

EXAMPLES = ("starter", "city")


def _files(example: str) -> dict[str, Path]:
    """Project-relative path -> the packaged file it is copied from."""
    out = {"archdoc.toml": _SCAFFOLD / "starter" / "archdoc.toml", "mkdocs.yml": _SCAFFOLD / "mkdocs.yml"}
    from model.loader import DEFAULT_MODEL  # the city's model ships with archdoc as package data

    source = _SCAFFOLD / "starter" / "model" if example == "starter" else DEFAULT_MODEL
    for path in sorted(source.glob("*.yaml")):
        out[f"model/{path.name}"] = path
    return out


def run_init(folder: str = ".", example: str = "starter") -> int:
    """Write a new project into ``folder``; 0 ok, 2 when a file would be overwritten."""
    if example not in EXAMPLES:
        print(f"archdoc init: unknown example '{example}'; examples: {', '.join(EXAMPLES)}", file=sys.stderr)
        return 2
    root = Path(folder)
    files = _files(example)
    taken = [rel for rel in files if (root / rel).exists() or (root / rel).is_symlink()]
    if taken:
        print(f"archdoc init: {root} already holds {', '.join(taken[:5])}"
              f"{' ...' if len(taken) > 5 else ''}; nothing was written (init never overwrites)", file=sys.stderr)
        return 2
    try:
        for rel, source in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            if rel.startswith("model/"):  # the packaged files point their editors at the schema in archdoc
                text = "\n".join(line for line in text.splitlines()
                                 if not line.startswith("# yaml-language-server:")) + "\n"
            target.write_text(text, encoding="utf-8")
        (root / "docs").mkdir(exist_ok=True)
    except OSError as exc:
        print(f"archdoc init: cannot write into {root}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    shown = "." if root.resolve() == Path.cwd().resolve() else str(root)
    print(f"created an archdoc project in {shown} ({example} example): archdoc.toml, mkdocs.yml, "
          f"model/ ({sum(rel.startswith('model/') for rel in files)} files), docs/")
    print("next: archdoc build   (writes docs/ and site/), then archdoc check")
    return 0

