"""A model with a hostile string in every free-text field, found by walking the JSON Schema.

Used by ``tests/test_hostile_site.py``. The fields are not listed by hand: every string
of the model's JSON Schema (``Model.model_json_schema()``, what ``archdoc schema`` prints)
that is free text gets the hostile string, so a field added later is attacked too
without anyone remembering to add it here. A string is *structured*, and left alone,
when the schema constrains it: ``enum``/``const``, a ``format`` (dates, CIDRs) or a
``pattern`` (ids, regions, AZs, country codes). A pattern with room for free text
(``rate(...)``) gets the one-line hostile string inserted where the pattern allows it.

Optional text fields that the base model leaves out are added, so coverage does not
depend on what the base model happens to write; :func:`text_slots` lists every slot and
:func:`make_hostile` returns the slots it filled, so the test can demand all of them. A
base model that records no decision on its document gets one (差戻し, ``returned``: it
needs no approved model), so the approval record's texts are attacked too.

>>> slot_ok = {"type": "string", "maxLength": 2000}
>>> is_text(slot_ok), is_text({"type": "string", "pattern": "^[a-z]+$"}), is_text({"enum": ["a"]})
(True, False, False)
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["HOSTILE", "HOSTILE_LINE", "is_text", "text_slots", "make_hostile", "write_hostile_model"]

HOSTILE = ('AWS"\'><img src=x onerror="window.__xss=1"></title><script>window.__xss=2</script>'
           '{{ 7*7 }} {% raw %} ]]> --> `tick` | cell | <!-- c\n'
           'line2 \u202eevil\u202c <svg onload=window.__xss=3> &amp; [x](javascript:alert(1)) *b* _i_ #h')
"""Quotes, tags, event handlers, ``</title>``, template syntax, CDATA/comment ends, backticks,
table pipes, a newline, bidi controls, an entity, a javascript: link and Markdown markup."""

HOSTILE_LINE = HOSTILE.replace("\n", " ")
"""The same on one line, for fields whose pattern does not allow a newline."""


def _resolve(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def is_text(node: dict) -> bool:
    """True for a free-text string schema (no enum, const, format or pattern)."""
    return (node.get("type") == "string" and not {"enum", "const", "format", "pattern"} & set(node))


def _variants(node: dict) -> list[dict]:
    return node.get("anyOf") or node.get("oneOf") or [node]


def text_slots(schema: dict) -> set[str]:
    """Every free-text slot as ``Definition.field`` (``[]`` for list items, ``{}`` for mapping values)."""
    defs = schema.get("$defs", {})
    slots: set[str] = set()

    def visit(where: str, node: dict, seen: frozenset) -> None:
        for variant in _variants(node):
            if "$ref" in variant:
                name = variant["$ref"].rsplit("/", 1)[-1]
                if name not in seen:
                    visit_object(name, defs[name], seen | {name})
            elif is_text(variant) or _pattern_room(variant) is not None:
                slots.add(where)
            elif variant.get("type") == "array" and isinstance(variant.get("items"), dict):
                visit(where + "[]", variant["items"], seen)
            elif variant.get("type") == "object" and isinstance(variant.get("additionalProperties"), dict):
                visit(where + "{}", variant["additionalProperties"], seen)

    def visit_object(name: str, node: dict, seen: frozenset) -> None:
        for field, sub in node.get("properties", {}).items():
            visit(f"{name}.{field}", sub, seen)

    visit_object("Model", schema, frozenset({"Model"}))
    return slots


def _pattern_room(node: dict, sample: str | None = None) -> str | None:
    """A value for a patterned string that carries :data:`HOSTILE_LINE`, or None when none fits."""
    pattern = node.get("pattern") if node.get("type") == "string" else None
    if not pattern or sample is None:
        return None
    for cut in range(len(sample) + 1):
        candidate = sample[:cut] + HOSTILE_LINE + sample[cut:]
        if re.search(pattern, candidate):
            return candidate
    return None


class _Filler:
    def __init__(self, defs: dict):
        self.defs = defs
        self.filled: set[str] = set()

    def value(self, where: str, node: dict, data: Any) -> Any:
        """``data`` with the hostile string in every text slot below ``node``."""
        variants = _variants(node)
        if data is None:
            if any(is_text(v) for v in variants):  # an optional text field left out: add it
                self.filled.add(where)
                return HOSTILE
            items = [v["items"] for v in variants if v.get("type") == "array" and isinstance(v.get("items"), dict)]
            if any(is_text(_resolve(i, self.defs)) for i in items):  # an optional list of texts
                self.filled.add(where + "[]")
                return [HOSTILE]
            for variant in variants:  # an optional object of texts and plain scalars left out: add one
                if "$ref" in variant:
                    made = self._minimal(variant["$ref"].rsplit("/", 1)[-1], _resolve(variant, self.defs))
                    if made is not None:
                        before = set(self.filled)
                        made = self.object(variant["$ref"].rsplit("/", 1)[-1], _resolve(variant, self.defs), made)
                        if self.filled != before:  # an object without a text slot attacks nothing: left out
                            return made
            return None
        for variant in variants:
            target = _resolve(variant, self.defs)
            name = variant["$ref"].rsplit("/", 1)[-1] if "$ref" in variant else None
            if name and isinstance(data, dict) and target.get("type", "object") == "object":
                return self.object(name, target, data)
            if isinstance(data, str) and is_text(target):
                self.filled.add(where)
                return HOSTILE
            if isinstance(data, str) and target.get("pattern"):
                room = _pattern_room(target, data)
                if room is not None and re.search(target["pattern"], data):
                    self.filled.add(where)
                    return room
            if isinstance(data, list) and target.get("type") == "array" and isinstance(target.get("items"), dict):
                return [self.value(where + "[]", target["items"], item) for item in data]
            if isinstance(data, dict) and target.get("type") == "object" and isinstance(
                    target.get("additionalProperties"), dict):
                return {k: self.value(where + "{}", target["additionalProperties"], v) for k, v in data.items()}
        return data

    def _minimal(self, name: str, node: dict) -> dict | None:
        """The smallest valid object of ``node`` when every required field is text or a plain
        scalar (a number takes its minimum, a bool false, an enum its first value); None when a
        required field is anything else (an id could dangle, a nested object would need more)."""
        out: dict[str, Any] = {}
        for field in node.get("required", []):
            sub = _resolve(node["properties"][field], self.defs)
            key = node["properties"][field].get("alias", field)
            if is_text(sub):
                out[key] = HOSTILE
            elif sub.get("type") == "integer":
                out[key] = sub.get("minimum", 0)
            elif sub.get("type") == "boolean":
                out[key] = False
            elif "enum" in sub:
                out[key] = sub["enum"][0]
            else:
                return None
        return out

    def object(self, name: str, node: dict, data: dict) -> dict:
        out = dict(data)
        for field, sub in node.get("properties", {}).items():
            key = sub.get("alias", field)
            value = self.value(f"{name}.{field}", sub, out.get(key))
            if key in out or value is not None:
                out[key] = value
        return out


def make_hostile(files: dict[str, Any], schema: dict) -> tuple[dict[str, Any], set[str]]:
    """The parsed model files with every text slot hostile, and the slots that were filled."""
    filler = _Filler(schema.get("$defs", {}))
    out = {}
    for name, data in files.items():
        out[name] = filler.object("Model", schema, copy.deepcopy(data)) if isinstance(data, dict) else data
    return out, filler.filled


def write_hostile_model(base: Path, out: Path) -> set[str]:
    """Write the hostile copy of the model folder ``base`` into ``out``; return the filled slots."""
    from model.schema import Model

    schema = Model.model_json_schema()
    files = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
             for p in sorted(base.iterdir()) if p.suffix in (".yaml", ".yml")}
    for data in files.values():
        doc = data.get("document") if isinstance(data, dict) else None
        if isinstance(doc, dict) and not doc.get("approvals"):
            doc["approvals"] = [{"version": doc["version"], "date": doc["created"], "approver": "-", "role": "-",
                                 "decision": "returned"}]
    hostile, filled = make_hostile(files, schema)
    for name, data in hostile.items():  # a view's section names its page (E043): keep the page, attack the rest
        for view, original in zip((data or {}).get("views", []), (files[name] or {}).get("views", [])):
            head, dot, _ = str(original["section"]).partition(".")
            view["section"] = f"{head}.{HOSTILE}" if dot else head
    out.mkdir(parents=True, exist_ok=True)
    for name, data in hostile.items():
        (out / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return filled
