"""The exact YAML loader: untrusted text into plain data plus the position of every key and value.

Model files come from people (and pull requests), so reading them must never run
code, hang, eat memory or crash with a traceback, and every later complaint must be
able to point at a line. PyYAML's ``SafeLoader`` is the base; :class:`LocatingLoader`
adds the refusals (unknown tags, duplicate keys, alias bombs, deep nesting) and builds
the data itself, iteratively, so that alias expansion is counted and bounded.

Scalars follow the YAML 1.2 core schema, not 1.1: ``yes``/``no``/``on``/``off`` stay
strings (a country code ``NO`` must not become ``False``) and ``10:30`` is not 630.

>>> loc = parse_exact("a:\\n  - x: 1\\n    y: yes\\n", "m.yaml")
>>> loc.data
{'a': [{'x': 1, 'y': 'yes'}]}
>>> loc.locations.key(("a", 0, "y")), loc.locations.value(("a", 0, "y"))
((3, 5), (3, 8))
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from model.errors import ModelError, Problem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "Locations", "Located", "LocatingLoader",
           "parse_exact"]

MAX_BYTES = 1 << 20
MAX_DEPTH = 50
MAX_VALUES = 100_000

Path_ = tuple[str | int, ...]
Pos = tuple[int, int]
_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TS = (_T + n for n in ("str", "int", "float", "bool", "null", "timestamp"))
_ALLOWED_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TS, _T + "seq", _T + "map"}


@dataclass(frozen=True)
class Locations:
    """Positions (1-based line, col) of keys and values, addressed by a path of keys and indices."""

    keys: dict[Path_, Pos] = field(default_factory=dict)
    values: dict[Path_, Pos] = field(default_factory=dict)

    def value(self, path: Path_) -> Pos:
        """Where the value at ``path`` starts; the nearest existing ancestor if it does not exist."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, path: Path_) -> Pos:
        """Where the key of ``path`` is written (list items and the root: the value)."""
        path = tuple(path)
        return self.keys.get(path) or self.value(path)


@dataclass(frozen=True)
class Located:
    """One file's plain data, its positions and its path."""

    path: str
    data: dict[str, Any]
    locations: Locations


class _Refused(Exception):
    """A fatal refusal inside the loader; carries code, message and the node's mark."""

    def __init__(self, mark: Any, code: str, message: str):
        super().__init__(message)
        self.mark, self.code, self.message = mark, code, message


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_T):] if tag.startswith(_T) else tag


class LocatingLoader(yaml.SafeLoader):
    """SafeLoader that refuses deep nesting while composing and builds located plain data."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self.issues: list[tuple[Pos, str, str]] = []

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Count depth before PyYAML recurses, so 5000 ``[`` give a clean error, not RecursionError."""
        if self.check_event(AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(self.peek_event().start_mark, "E014",
                               f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        """Refuse deep ``[[[...`` while scanning: PyYAML looks ahead for keys, which is slow there."""
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(self.get_mark(), "E014", f"nesting deeper than {MAX_DEPTH} levels")
        super().fetch_flow_collection_start(token_class)

    def single_root(self) -> Node | None:
        """The only document's root node (None for an empty stream); refuses a second document."""
        self.get_event()  # StreamStartEvent
        node = None if self.check_event(StreamEndEvent) else self.compose_document()
        if not self.check_event(StreamEndEvent):
            raise _Refused(self.peek_event().start_mark, "E006",
                           "more than one YAML document in one file ('---'); use one mapping per file")
        return node

    def _scalar(self, node: ScalarNode) -> Any:
        text, tag = node.value, node.tag
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return {"true": True, "false": False}[text.lower()]
            if tag == _INT:
                t = text.replace("_", "")
                return int(t[2:], 8) if t.startswith("0o") else int(t, 16) if t.startswith("0x") else int(t)
            if tag == _FLOAT:
                t = text.lower().replace("_", "")
                return float(t.replace(".inf", "inf").replace(".nan", "nan"))
            if tag == _TS:
                return self.construct_yaml_timestamp(node)
        except Exception:  # e.g. 2024-13-45 or an explicit !!int 'x': keep the text; the schema complains
            return text
        return text

    def construct_located(self, root: Node) -> tuple[Any, Locations]:
        """Plain data and positions for ``root``; aliases are expanded (copied) and counted."""
        locs = Locations()
        out: list[Any] = [None]
        stack: list[tuple[Node, Path_, Any, Any]] = [(root, (), out, 0)]
        count = 0
        while stack:
            node, path, container, slot = stack.pop()
            count += 1
            if count > MAX_VALUES:
                raise _Refused(node.start_mark, "E013",
                               f"more than {MAX_VALUES} values after expanding aliases (alias bomb?)")
            if len(path) > MAX_DEPTH:
                raise _Refused(node.start_mark, "E014", f"nesting deeper than {MAX_DEPTH} levels")
            locs.values[path] = _pos(node.start_mark)
            if node.tag not in _ALLOWED_TAGS:
                self.issues.append((_pos(node.start_mark), "E012",
                                    f"unsafe or unknown tag '{_show_tag(node.tag)}'"))
                value: Any = None
            elif isinstance(node, ScalarNode):
                value = self._scalar(node)
            elif isinstance(node, SequenceNode):
                value = [None] * len(node.value)
                for i in reversed(range(len(node.value))):
                    stack.append((node.value[i], path + (i,), value, i))
            else:
                value = self._mapping(node, path, locs, stack)
            container[slot] = value
        return out[0], locs

    def _mapping(self, node: MappingNode, path: Path_, locs: Locations, stack: list) -> dict:
        value: dict[str, Any] = {}
        first: dict[str, int] = {}
        todo = []
        for knode, vnode in node.value:
            kpos = _pos(knode.start_mark)
            if not isinstance(knode, ScalarNode) or knode.tag not in _ALLOWED_TAGS:
                self.issues.append((kpos, "E015", "mapping keys must be plain scalars"))
                continue
            key = knode.value
            if key == "<<" and knode.style is None:
                self.issues.append((kpos, "E015", "merge keys ('<<') are not supported; write the keys out"))
                continue
            if key in first:
                self.issues.append((kpos, "E011", f"duplicate key '{key}' (first defined at line {first[key]})"))
                continue
            first[key] = kpos[0]
            locs.keys[path + (key,)] = kpos
            value[key] = None
            todo.append((vnode, path + (key,), value, key))
        stack.extend(reversed(todo))
        return value


def _resolvers() -> None:
    add = LocatingLoader.add_implicit_resolver
    add(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    add(_INT, re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$"), list("-+0123456789"))
    add(_FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
                           r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))
    add(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    add(_TS, re.compile(
        r"^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?)$"), list("0123456789"))


_resolvers()


def parse_exact(text: str, path: str) -> Located:
    """Parse ``text`` (the contents of ``path``) with the Python loader, or raise
    :class:`ModelError` with every refusal: the messages and positions users see."""
    try:
        loader = LocatingLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        raise ModelError([Problem(path, line, col, "E010",
                                  f"character #x{exc.character:04x} is not allowed in YAML")])
    try:
        root = loader.single_root()
        if root is None:
            raise _Refused(None, "E005", "empty file (expected a mapping of model sections)")
        if not isinstance(root, MappingNode):
            kind = "list" if isinstance(root, SequenceNode) else "scalar"
            raise _Refused(root.start_mark, "E007", f"the top level must be a mapping of model sections, got a {kind}")
        data, locs = loader.construct_located(root)
    except _Refused as exc:
        raise ModelError([Problem(path, *_pos(exc.mark), exc.code, exc.message)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            where = f" at {exc.context_mark.line + 1}:{exc.context_mark.column + 1}" if exc.context_mark else ""
            message = f"{exc.problem} ({exc.context}{where})"
        raise ModelError([Problem(path, *_pos(mark), "E010", " ".join(message.split()))])
    except ValueError as exc:  # PyYAML's scanner lets chr() fail on an escape such as "\U7fffffff"
        raise ModelError([Problem(path, *_pos(loader.get_mark()), "E010",
                                  f"invalid escape sequence in a double-quoted scalar ({exc})")])
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise ModelError([Problem(path, 1, 1, "E010", " ".join(str(exc).split()))])
    finally:
        loader.dispose()
    if loader.issues:
        raise ModelError(Problem(path, line, col, code, msg) for (line, col), code, msg in loader.issues)
    return Located(path, data, locs)
