"""Which items of the model changed between two revisions: the answer to "is this the approved model?".

Two models are the same revision when every item has the same content, compared as
validated data (so a comment or a blank line in a YAML file is no change, a changed port
is). The document's record fields (:data:`model.schema.document.RECORD_FIELDS`: version,
status, approvals, stamps) are left out: recording an approval, or starting the next
version, does not change what was approved. Items are matched by id; flows, which have
none, by their content (a changed flow is one removed and one added, paired by source and
target when both sides have one). The analysis (:mod:`analysis.diff`) explains what the
changes mean (networks, rules, reachability, findings); this list is complete by
construction, so nothing that changed can go unreported.

>>> from model.loader import load_model
>>> old = load_model().model
>>> sg = old.security_groups[0]
>>> new = old.model_copy(update={"security_groups": (sg.model_copy(update={"name": "renamed"}),
...                                                    *old.security_groups[1:])})
>>> [(c.section, c.key, c.change, c.fields) for c in model_changes(old, new)]
[('security_groups', 'alb-sg', 'changed', ('name',))]
>>> model_changes(old, old.model_copy(update={"document": old.document.model_copy(update={"status": "承認済み"})}))
()
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from model.schema import Model, RECORD_FIELDS

__all__ = ["ItemChange", "model_changes", "same_revision"]


@dataclass(frozen=True, order=True)
class ItemChange:
    """One item added, removed or changed: ``section`` and ``key`` name it (an id, a field of the
    document, or 'source → target' of a flow); ``fields`` are the changed top-level fields."""

    section: str
    key: str
    change: str
    """'added', 'removed' or 'changed'."""
    fields: tuple[str, ...] = ()


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _fields(a: dict, b: dict) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(a) | set(b) if _canon(a.get(k)) != _canon(b.get(k))))


def _flow_key(item: dict) -> str:
    return f"{item.get('source')} → {item.get('target')}"


def _section(name: str, a: list[dict], b: list[dict]) -> list[ItemChange]:
    out: list[ItemChange] = []
    if all("id" in x for x in a + b):
        ia, ib = {x["id"]: x for x in a}, {x["id"]: x for x in b}
        for key in sorted(set(ia) | set(ib)):
            if key not in ib:
                out.append(ItemChange(name, key, "removed"))
            elif key not in ia:
                out.append(ItemChange(name, key, "added"))
            elif _canon(ia[key]) != _canon(ib[key]):
                out.append(ItemChange(name, key, "changed", _fields(ia[key], ib[key])))
        return out
    # items without ids: a multiset of contents; one gone and one new with the same key pair up
    ca, cb = [_canon(x) for x in a], [_canon(x) for x in b]
    gone = [x for x, c in zip(a, ca) if c not in cb or ca.count(c) > cb.count(c)]
    new = [x for x, c in zip(b, cb) if c not in ca or cb.count(c) > ca.count(c)]
    for x in gone:
        match = next((y for y in new if _flow_key(y) == _flow_key(x)), None)
        if match is not None:
            new.remove(match)
            out.append(ItemChange(name, _flow_key(x), "changed", _fields(x, match)))
        else:
            out.append(ItemChange(name, _flow_key(x), "removed"))
    out += [ItemChange(name, _flow_key(y), "added") for y in new]
    return sorted(out)


def model_changes(old: Model, new: Model) -> tuple[ItemChange, ...]:
    """Every item of ``new`` that differs from ``old`` (record fields of the document left out)."""
    da, db = old.model_dump(mode="json"), new.model_dump(mode="json")
    out: list[ItemChange] = []
    for name in Model.model_fields:
        if name == "document":
            a = {k: v for k, v in da[name].items() if k not in RECORD_FIELDS}
            b = {k: v for k, v in db[name].items() if k not in RECORD_FIELDS}
            out += [ItemChange("document", field, "changed") for field in _fields(a, b)]
        else:
            out += _section(name, list(da[name]), list(db[name]))
    return tuple(out)


def same_revision(old: Model, new: Model) -> bool:
    """True when ``new`` holds exactly what ``old`` holds (record fields aside)."""
    return not model_changes(old, new)
