"""Rows for the reference pages: assumptions, the list of diagrams, the model format.

The model format page is generated from the JSON Schema of :class:`model.schema.Model`,
whose descriptions are the attribute docstrings of the pydantic classes, so the reference
cannot drift from the code that validates the YAML.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

from pydantic import BaseModel

from model.index import ModelIndex
from model.schema import Model
from render.pages.i18n import _

__all__ = ["assumption_rows", "assumption_uses", "schema_definitions", "type_text"]


def assumption_uses(ix: ModelIndex) -> dict[str, list[str]]:
    """Assumption id -> the model items that cite it, as 'section/id' (model order)."""
    uses: dict[str, list[str]] = {}

    def walk(obj: object, where: str) -> None:
        if isinstance(obj, BaseModel):
            ref = getattr(obj, "assumption", None)
            if isinstance(ref, str):
                uses.setdefault(ref, [])
                if where not in uses[ref]:
                    uses[ref].append(where)
            for name in type(obj).model_fields:
                walk(getattr(obj, name), where)
        elif isinstance(obj, (tuple, list)):
            for item in obj:
                walk(item, where)
        elif isinstance(obj, dict):
            for item in obj.values():
                walk(item, where)

    for section in Model.model_fields:
        value = getattr(ix.model, section)
        if isinstance(value, tuple):
            for item in value:
                walk(item, f"{section}/{getattr(item, 'id', '')}".rstrip("/"))
    return uses


def assumption_rows(ix: ModelIndex) -> list[dict]:
    uses = assumption_uses(ix)
    return [{"id": a.id, "title": a.title, "statement": a.statement, "value": a.value,
             "kind": _("矛盾") if a.kind == "contradiction" else _("仮定"), "contradiction": a.kind == "contradiction",
             "seed_ref": a.seed_ref or "-", "uses": uses.get(a.id, [])}
            for a in ix.model.assumptions]


_ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def type_text(prop: dict) -> str:
    """A JSON Schema property as a short type: 'string', 'list[Subnet]', 'int | PortRange', ...

    Strings with the kebab-case id pattern are shown as ``id`` (explained on the page).
    """
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "enum" in prop:
        return " / ".join(f'"{v}"' for v in prop["enum"])
    if "const" in prop:
        return f'"{prop["const"]}"'
    if "anyOf" in prop:
        return " | ".join(type_text(p) for p in prop["anyOf"])
    kind = prop.get("type")
    if kind == "array":
        return f"list[{type_text(prop.get('items', {}))}]"
    if kind == "object":
        extra = prop.get("additionalProperties")
        return f"map[string, {type_text(extra)}]" if isinstance(extra, dict) else "object"
    if kind == "string" and prop.get("pattern") == _ID_PATTERN:
        return "id"
    text = {"integer": "int", "boolean": "bool", "string": "string", "null": "null"}.get(kind, kind or "any")
    limits = [f"{k}={prop[k]}" for k in ("minimum", "maximum", "maxLength", "pattern", "format") if k in prop]
    return text + (f" ({', '.join(limits)})" if limits else "")


def schema_definitions() -> list[dict]:
    """Every definition of the model's JSON Schema: ``Model`` first, then alphabetical.

    The rows depend only on the code (never on a model), so they are computed once per
    process; callers get their own copy and cannot disturb the next caller's.
    """
    out = copy.deepcopy(_definitions())
    for d in out:  # the words are the current language's; the cached rows keep markers
        d["fields"] = [(name, kind, _("必須") if required else _("任意"), doc,
                        _("既定: {value}").format(value=default) if default is not None else "")
                       for name, kind, required, doc, default in d["fields"]]
    return out


@lru_cache(maxsize=1)
def _definitions() -> list[dict]:
    schema = Model.model_json_schema()
    defs = dict(sorted(schema.get("$defs", {}).items()))
    ordered = [("Model", schema)] + list(defs.items())
    out = []
    for name, definition in ordered:
        if "enum" in definition:
            out.append({"name": name, "description": " ".join((definition.get("description") or "").split()),
                        "fields": [], "enum_values": [str(v) for v in definition["enum"]]})
            continue
        required = set(definition.get("required", ()))
        fields = []
        for prop_name, prop in definition.get("properties", {}).items():
            doc = " ".join(prop.get("description", "").split())
            default = None if prop_name in required or "default" not in prop else \
                json.dumps(prop["default"], ensure_ascii=False)
            fields.append((prop_name, type_text(prop), prop_name in required, doc, default))
        description = definition.get("description") or ""
        out.append({"name": name, "description": " ".join((description or "").split()),
                    "fields": fields, "enum_values": []})
    return out
