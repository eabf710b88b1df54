"""Turn pydantic ``ValidationError`` entries into short messages that name the YAML path.

Pydantic's own texts ("Input should be a valid integer", locations with union tags such
as ``constrained-int``) are written for programmers; model authors need to know which
key in which list item is wrong and what would be right, with a did-you-mean where a
typo is likely. This module only words messages; :mod:`model.loader` adds positions.

>>> fmt_path(("nodes", 3, "at", "poc", "fargate", "cpu"))
'nodes[3].at.poc.fargate.cpu'
>>> describe(["a"]), describe("443"), describe(None)
('a list', "str '443'", 'null')
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import types
import typing
from typing import Any, Iterable

from pydantic import BaseModel

from model.errors import did_you_mean
from model.schema import Model

__all__ = ["Message", "translate", "fmt_path", "describe"]

Message = tuple[tuple, bool, str, str]
"""(data path, points at the key?, code, message)."""

_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "is not a kebab-case id (lowercase letters, digits and single '-')",
    r"^[a-z]{2}-[a-z]+-\d$": "is not a region id like 'ap-northeast-1'",
    r"^[a-z]{2}-[a-z]+-\d[a-z]$": "is not an availability zone like 'ap-northeast-1a'",
    r"^[A-Z]{2}$": "is not a two-letter country code like 'JP'",
    r"^(cron|rate)\(.+\)$": "is not a schedule expression 'cron(...)' or 'rate(...)'",
}
_TYPES = {"int_type": "an integer", "int_from_float": "an integer", "int_parsing": "an integer",
          "string_type": "a string", "bool_type": "true or false", "bool_parsing": "true or false",
          "tuple_type": "a list", "list_type": "a list", "model_type": "a mapping",
          "dict_type": "a mapping", "model_attributes_type": "a mapping", "float_type": "a number"}
_MAPPING_ERRORS = {"model_type", "dict_type", "model_attributes_type"}


def fmt_path(path: Iterable[Any]) -> str:
    """``("a", 0, "b")`` -> ``a[0].b``; the empty path is ``(top level)``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def describe(value: Any) -> str:
    """A short, type-naming rendering of a YAML value for 'got ...' texts."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"bool {str(value).lower()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value) if len(str(value)) <= 40 else str(value)[:37] + "..."
    if isinstance(value, str):
        return f"str '{text}'"
    return f"{type(value).__name__} {text}"


def _members(tp: Any) -> list[Any]:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(tp) for m in _members(arg) if m is not type(None)]
    return [tp]


def _walk(loc: tuple) -> tuple[list[Any], str | None, str | None]:
    """Types at ``loc`` (with pydantic union tags), and the owning class and field names."""
    current, owner, name = [Model], None, None
    for elem in loc:
        nxt, new_owner = [], owner
        for tp in (m for t in current for m in _members(t)):
            origin, args = typing.get_origin(tp), typing.get_args(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if elem == tp.__name__:
                    nxt.append(tp)
                for fname, info in tp.model_fields.items():
                    if elem in (fname, info.alias):
                        nxt.append(info.annotation)
                        new_owner, name = tp.__name__, fname
            elif origin is tuple and isinstance(elem, int):
                nxt.append(args[0])
            elif origin is dict:
                nxt.append(args[0] if elem == "[key]" else args[1])
        if nxt:
            current, owner = nxt, new_owner
    return current, owner, name


def _allowed(loc: tuple) -> list[str]:
    values: list[str] = []
    for tp in (m for t in _walk(loc)[0] for m in _members(t)):
        if typing.get_origin(tp) is typing.Literal:
            values += [str(a) for a in typing.get_args(tp)]
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            values += [str(m.value) for m in tp]
    return values


def _keys(loc: tuple) -> list[str]:
    return [info.alias or fname for tp in _walk(loc)[0] for m in _members(tp)
            if isinstance(m, type) and issubclass(m, BaseModel) for fname, info in m.model_fields.items()]


def _strip(loc: tuple, data: Any, missing: bool) -> tuple[tuple, bool, int | None]:
    """Data path of ``loc`` without union tags; whether it names a key; where a union tag was."""
    path: list[Any] = []
    union_at = None
    for i, elem in enumerate(loc):
        if elem == "[key]":
            return tuple(path), True, union_at
        if isinstance(data, dict) and elem in data:
            data = data[elem]
        elif isinstance(data, list) and isinstance(elem, int) and 0 <= elem < len(data):
            data = data[elem]
        elif missing and isinstance(data, dict) and i == len(loc) - 1:
            pass  # a missing key
        else:
            union_at = len(path) if union_at is None else union_at
            continue
        path.append(elem)
    return tuple(path), False, union_at


def _label(owner: str | None, name: str | None, indexed: bool) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", owner or "").lower()
    field = (name or "value").replace("_", " ")
    if indexed and field.endswith("s"):
        field = field[:-1]
    return f"{words} {field}".strip()


def _message(err: dict, loc: tuple, path: tuple, is_key: bool) -> tuple[str, str]:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    where = fmt_path(path)
    if kind == "extra_forbidden":
        return "E090", f"unknown key '{path[-1]}' in {fmt_path(path[:-1])}{did_you_mean(path[-1], _keys(loc[:-1]))}"
    if kind == "missing":
        what = "section" if len(path) == 1 else "key"
        return "E091", f"missing required {what} '{path[-1]}'" + (f" in {fmt_path(path[:-1])}" if len(path) > 1 else "")
    if is_key:
        where, shown = f"{where} key", f"'{value}'"
    else:
        shown = f"'{value}'"
    if kind in ("literal_error", "enum"):
        _, owner, name = _walk(loc)
        allowed = _allowed(loc)
        label = _label(owner, name, isinstance(loc[-1], int))
        if not isinstance(value, str):
            return "E093", f"{where}: expected a {label}, got {describe(value)}; allowed: {', '.join(allowed)}"
        hint = did_you_mean(value, allowed)
        listing = f"; allowed: {', '.join(allowed)}" if allowed and (len(allowed) <= 8 or not hint) else ""
        return "E093", f"{where}: unknown {label} {shown}{hint}{listing}"
    if kind == "string_pattern_mismatch":
        return "E094", f"{where}: {shown} {_PATTERNS.get(ctx.get('pattern'), 'has the wrong format')}"
    if kind in _TYPES:
        hint = " (quote it to make it a string)" if kind == "string_type" and isinstance(
            value, (int, float, bool, _dt.date)) else ""
        return "E092", f"{where}: expected {_TYPES[kind]}, got {describe(value)}{hint}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        name = _walk(loc)[2] or ""
        if ctx.get("le") == 65535 or (ctx.get("ge") == 0 and ("port" in name or path[-1] in ("from", "to"))):
            return "E095", f"{where}: port {value} is outside 0-65535"
        bound = next(iter(ctx.values()), "?")
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "greater than", "less_than": "less than"}[kind]
        return "E095", f"{where}: {value} must be {words} {bound}"
    if kind.startswith("date"):
        if kind == "date_from_datetime_inexact":
            return "E096", f"{where}: expected a date without a time, got {value}"
        reason = f": {ctx['error']}" if ctx.get("error") else ""
        return "E096", f"{where}: invalid date '{value}'{reason} (expected YYYY-MM-DD)"
    if kind == "string_too_short":
        return "E097", f"{where}: must not be empty"
    if kind == "string_too_long":
        return "E097", f"{where}: is longer than {ctx.get('max_length')} characters"
    return "E097", f"{where}: {err.get('msg', 'invalid value')}"


def translate(errors: list[dict], data: Any) -> list[Message]:
    """Messages for pydantic ``errors`` of ``data``; union alternatives are reduced to the relevant one."""
    rows = []
    for err in errors:
        loc = tuple(err["loc"])
        path, is_key, union_at = _strip(loc, data, err["type"] == "missing")
        rows.append((err, loc, path, is_key, None if union_at is None else path[:union_at]))
    kept = []
    for err, loc, path, is_key, at in rows:
        if at is not None and _irrelevant(err, path, at, rows, _get(data, at)):
            continue
        code, message = _message(err, loc, path, is_key)
        kept.append((path, is_key or err["type"] == "extra_forbidden", code, message))
    return sorted(set(kept), key=lambda m: (str(m[0]), m[2], m[3]))


def _irrelevant(err: dict, path: tuple, at: tuple, rows: list, value: Any) -> bool:
    """Whether a union alternative's complaint is beside the point for this kind of value."""
    others = [r for r in rows if r[4] == at and r[0] is not err]
    if isinstance(value, dict):
        return len(path) == len(at) and err["type"] not in _MAPPING_ERRORS and any(
            len(r[2]) > len(at) or r[0]["type"] in _MAPPING_ERRORS for r in others)
    return err["type"] in _MAPPING_ERRORS and bool(others)


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data
