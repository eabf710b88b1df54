"""The fast path of :mod:`model.yaml.exact`: libyaml's scanner and parser, the same refusals.

Reading the bundled model with PyYAML's pure-Python scanner costs about 0.3-0.45 s, a
large share of ``archdoc check``'s budget; with libyaml (``yaml.cyaml.CParser``) producing
the events, reading the same files takes about a fifth of that. Only the *events* come
from C: composing nodes (with the depth bound and duplicate-anchor refusal), resolving
tags (YAML 1.2 core) and building the located data (alias-bomb bound, unknown tags,
duplicate and merge keys) are the very code :class:`~model.yaml.exact.LocatingLoader`
runs, inherited unchanged.

The fast path answers only for clean input. Anything unusual — a character the Python
reader refuses, a syntax error, a refusal, an issue, an empty file, a non-mapping root,
a construct where the two parsers are known to differ (tabs, a BOM inside the text, an
empty plain scalar, ``?`` outside quoted text; see :func:`_differs`), or libyaml
missing — returns ``None``, and :func:`model.yaml.reader.parse_text` re-reads the text
with the pure-Python loader, so every message and position a user sees is the one that
loader gives. Errors cost a second parse; clean files (the usual case) do not.

>>> data, locs = fast_parse("a:\\n  - x: 1\\n    y: yes\\n")
>>> data, locs.key(("a", 0, "y")), locs.value(("a", 0, "y"))
({'a': [{'x': 1, 'y': 'yes'}]}, (3, 5), (3, 8))
>>> fast_parse("a: 1\\na: 2\\n") is None   # duplicate key: the Python loader reports it
True
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.reader import Reader
from yaml.resolver import Resolver

from model.yaml.exact import Locations, LocatingLoader

try:  # PyYAML built without libyaml: everything goes through the Python loader
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    CParser = None

__all__ = ["AVAILABLE", "fast_parse"]

AVAILABLE = CParser is not None
"""True when libyaml is present; otherwise :func:`fast_parse` always returns None."""

_NON_PRINTABLE = Reader.NON_PRINTABLE
_HEADER = re.compile("[^\r\n\x85\u2028\u2029]*")


if AVAILABLE:
    class _CLocatingLoader(CParser, LocatingLoader):  # type: ignore[misc, valid-type]
        """:class:`LocatingLoader` with libyaml's event stream instead of PyYAML's Python one.

        ``CParser`` comes first in the MRO so its ``get_event``/``check_event``/
        ``peek_event`` are used; composing and constructing stay Python (from
        :class:`LocatingLoader` and PyYAML's ``Composer``), so the limits are the same.
        """

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._depth = 0
            self.issues = []

        def compose_scalar_node(self, anchor: Any) -> Node:
            """libyaml marks plain scalars with style ``''`` where PyYAML uses ``None``.

            The merge-key refusal tests ``style is None`` (a quoted ``'<<'`` is an
            ordinary key), so the style is normalised to what the Python parser gives.
            """
            node = super().compose_scalar_node(anchor)
            if node.style == "":
                node.style = None
            return node


def _differs(root: Node, text: str) -> bool:
    """True where libyaml and PyYAML are known to part ways, found by differential fuzzing.

    * an empty plain scalar (``{a: }``, ``? x``): libyaml may place it one column or one
      line further than PyYAML;
    * a ``#`` in a block scalar's header line (``|-#``): libyaml reads a comment there
      without the space PyYAML requires;
    * ``?`` anywhere but inside a quoted or block scalar (an explicit key, a plain scalar
      in a flow collection, a comment): libyaml accepts flow forms PyYAML refuses.

    Tabs and a BOM inside the text (libyaml accepts tabs where PyYAML refuses them and
    does not count a BOM as a column) are refused before parsing, in :func:`fast_parse`.
    """
    spans: list[tuple[int, int]] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: the same node object again
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.value == "" and node.style is None:
                return True
            if node.style in ("|", ">") and "#" in _HEADER.match(text, node.start_mark.index).group():
                return True
            if node.style is not None:  # quoted or block scalars; PyYAML ends flow plain ones at '?'
                spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        else:
            stack.extend(node.value)
    if "?" not in text:
        return False
    spans.sort()
    starts = [start for start, _ in spans]
    at = text.find("?")
    while at >= 0:
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or not spans[i][0] <= at < spans[i][1]:
            return True
        at = text.find("?", at + 1)
    return False


def fast_parse(text: str) -> tuple[dict[str, Any], Locations] | None:
    """Data and locations of a clean model file, or None: "ask the Python loader".

    ``text`` is already decoded (and its BOM removed) by :func:`model.yaml.reader._decode`.
    """
    if not AVAILABLE or _NON_PRINTABLE.search(text) or "\t" in text or "\ufeff" in text:
        return None
    loader = None
    try:
        loader = _CLocatingLoader(text)
        root = loader.single_root()
        if not isinstance(root, MappingNode) or _differs(root, text):
            return None
        data, locs = loader.construct_located(root)
    except Exception:  # noqa: BLE001 - any trouble: the Python loader gives the exact message
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if loader.issues:
        return None
    return data, locs

