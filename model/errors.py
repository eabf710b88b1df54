"""Problems found while loading or checking a model, and the exception that carries them.

Every complaint archdoc makes about a model is a :class:`Problem` with a file
position and a stable code, so that editors, CI logs and the golden tests all see
the same one-line ``path:line:col: CODE message`` form. A :class:`ModelError`
carries *all* problems of one load at once: fixing one typo per run is tedious.

>>> p = Problem("model/data/prod.yaml", 14, 7, "E021", "subnet x is outside its VPC")
>>> print(p)
model/data/prod.yaml:14:7: E021 subnet x is outside its VPC
>>> e = ModelError([p, p])
>>> len(e.problems)
1
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

__all__ = ["Problem", "ModelError", "display_path", "LOAD_CODES", "suggest", "did_you_mean"]

#: Codes of problems found before the rules run (files, YAML, schema). Rule codes live
#: in :data:`model.rules.RULES`; :data:`model.rules.CODE_TABLE` joins both for the docs.
LOAD_CODES: dict[str, str] = {
    "E001": "the model path does not exist",
    "E002": "a model folder contains no *.yaml / *.yml files",
    "E003": "a model file is larger than 1 MiB or is not a regular file (a FIFO, a device)",
    "E004": "a model file cannot be read or is not valid UTF-8",
    "E005": "a model file is empty",
    "E006": "a model file holds more than one YAML document",
    "E007": "the top level of a model file is not a mapping",
    "E008": "unknown top-level section",
    "E009": "a section is defined twice or has the wrong shape across files",
    "E010": "YAML syntax error",
    "E011": "duplicate key in a mapping",
    "E012": "unsafe or unknown YAML tag (e.g. !!python/...)",
    "E013": "too many values (alias bomb)",
    "E014": "nesting deeper than 50 levels",
    "E015": "unsupported mapping key (merge key '<<' or a non-scalar key)",
    "E016": "the project configuration (archdoc.toml or [tool.archdoc]) is invalid",
    "E090": "unknown key (extra keys are forbidden)",
    "E091": "required key missing",
    "E092": "value has the wrong type",
    "E093": "value is not one of the allowed values",
    "E094": "value does not match the required format (ids, regions, AZs, ...)",
    "E095": "number out of range (ports 0-65535, ...)",
    "E096": "invalid date",
    "E097": "invalid value (other schema constraint)",
    "E099": "internal error while validating (a bug in archdoc)",
}


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute
    (a path the user typed as ``/x/model.yaml`` must not come back as ``../../x/model.yaml``).

    >>> display_path(os.path.join(os.getcwd(), "a", "b.yaml")) == os.path.join("a", "b.yaml")
    True
    >>> outside = os.path.join(os.path.dirname(os.getcwd()) or "/", "elsewhere", "m.yaml")
    >>> display_path(outside) == outside or os.getcwd() == "/"   # '/' has no outside: every path is below it
    True
    """
    text = os.fspath(path)
    try:
        rel = os.path.relpath(os.path.abspath(text))
    except ValueError:  # another drive on Windows
        return os.path.abspath(text)
    return os.path.abspath(text) if Path(rel).parts[:1] == ("..",) else rel


@dataclass(frozen=True, order=True)
class Problem:
    """One complaint about a model: where (file, 1-based line and column; 0:0 = the file as a whole) and what."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.col}: {self.code} {self.message}"


class ModelError(Exception):
    """Raised when a model cannot be loaded; ``problems`` is sorted and free of duplicates."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid model")


def suggest(word: object, choices: Iterable[object], n: int = 3) -> list[str]:
    """The choices closest to a mistyped ``word`` (at most ``n``, best first): the one
    did-you-mean policy of every archdoc message.

    >>> suggest("busines-user", ["business-user", "developer", "city-staff"])
    ['business-user']
    >>> suggest("zzz", ["poc", "prod"])
    []
    """
    return difflib.get_close_matches(str(word), sorted({str(c) for c in choices}), n=n, cutoff=0.6)


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` naming the closest choice, or ``''``.

    >>> did_you_mean("prd", ["poc", "prod"])
    " (did you mean 'prod'?)"
    """
    close = suggest(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
