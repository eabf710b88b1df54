"""Safe YAML loading with line marks: one interface over an exact loader and a fast path.

* :mod:`~model.yaml.exact` - PyYAML's ``SafeLoader`` with archdoc's refusals (unknown tags,
  duplicate and merge keys, alias bombs, deep nesting) building located plain data;
* :mod:`~model.yaml.fast` - the same loader fed by libyaml's events, for clean input;
* :mod:`~model.yaml.reader` - :func:`load_file` / :func:`parse_text`: size and encoding
  checks, then the fast path, falling back to the exact loader for every message.

May import: :mod:`model.errors` and PyYAML. Nothing else of archdoc.
"""

from __future__ import annotations

from model.yaml.exact import MAX_BYTES, MAX_DEPTH, MAX_VALUES, Located, Locations
from model.yaml.reader import load_file, parse_text

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "Located", "Locations", "load_file", "parse_text"]
