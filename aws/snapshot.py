"""Snapshot files: the raw responses of one read, one JSON file per call, so that drift can
be re-run offline (``--snapshot DIR``), attached to an issue, or run in CI without credentials.

Files are UTF-8 JSON with sorted keys and two-space indentation; lists keep the order
:func:`aws.read.normalise` gave them, so two snapshots of the same state are byte-identical.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from aws.calls import CALLS
from aws.errors import AwsError

__all__ = ["write_snapshot", "read_snapshot", "dumps"]


def dumps(body: dict) -> str:
    """The text of one snapshot file.

    >>> print(dumps({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}), end="")
    {
      "Vpcs": [
        {
          "CidrBlock": "10.0.0.0/16",
          "VpcId": "vpc-1"
        }
      ]
    }
    """
    return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_snapshot(folder: str | os.PathLike[str], responses: dict[str, dict]) -> list[Path]:
    """Write one file per call into ``folder`` (each replaced atomically); returns the paths."""
    root = Path(folder)
    try:
        root.mkdir(parents=True, exist_ok=True)
        written = []
        for call in CALLS:
            fd, tmp = tempfile.mkstemp(prefix=f".{call.file}.", dir=root)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(dumps(responses[call.file]))
            os.replace(tmp, root / call.file)
            written.append(root / call.file)
    except OSError as exc:
        raise AwsError(f"cannot write the snapshot to {root}: {exc.strerror or exc}") from None
    return written


def read_snapshot(folder: str | os.PathLike[str]) -> dict[str, dict]:
    """The responses saved in ``folder``; :class:`AwsError` when a file is missing or not JSON."""
    root = Path(folder)
    if not root.is_dir():
        raise AwsError(f"snapshot folder not found: {root}")
    out = {}
    for call in CALLS:
        path = root / call.file
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AwsError(f"snapshot {root} lacks {call.file} (write one with --save-snapshot)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AwsError(f"snapshot file {path} is not readable JSON: {exc}") from None
        if not isinstance(body, dict):
            raise AwsError(f"snapshot file {path} does not hold a JSON object")
        out[call.file] = body
    return out
