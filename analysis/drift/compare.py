"""Match deployed resources to model items and list the differences as rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from analysis.drift.deployed import TAG_ENV, Deployed, deployed_items
from analysis.drift.expected import Item, expected_items

__all__ = ["DriftRow", "DriftReport", "drift", "UNSUPPORTED_KINDS"]

Kind = Literal["missing", "extra", "changed"]

#: Snapshot file -> the resource kinds it describes (to skip what the endpoint could not read).
UNSUPPORTED_KINDS = {
    "ec2.describe_client_vpn_endpoints.json": ("client-vpn",),
    "ec2.describe_network_acls.json": ("network-acl",),
    "ec2.describe_transit_gateway_vpc_attachments.json": ("tgw-attachment",),
    "ec2.describe_transit_gateway_route_tables.json": ("tgw-route-table",),
}
# Kinds matched first: later kinds' references (a route's target, a rule's peer) use their ids.
_ORDER = ("vpc", "subnet", "internet-gateway", "nat-gateway", "transit-gateway", "tgw-attachment",
          "security-group", "route-table", "network-acl", "tgw-route-table", "client-vpn", "load-balancer",
          "db-instance", "ecs-service")


@dataclass(frozen=True, order=True)
class DriftRow:
    kind: Kind
    resource: str
    """The resource kind: vpc, subnet, route-table, security-group, db-instance, ..."""
    model_id: str | None
    aspect: str
    """'' for a whole resource; an attribute ('cidr') or a set element ('route 0.0.0.0/0 -> igw')."""
    model_value: str
    deployed_value: str
    location: str | None
    """``file:line`` in the model (None: nothing in the model to point at)."""
    aws_id: str | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DriftReport:
    env: str
    account: str
    rows: tuple[DriftRow, ...]
    compared: tuple[str, ...]
    """Resource kinds compared."""
    skipped: tuple[str, ...]
    """Why some kinds were not compared (the endpoint did not implement a call)."""

    @property
    def has_drift(self) -> bool:
        return bool(self.rows)

    def to_dict(self) -> dict:
        return {"env": self.env, "account": self.account, "drift": self.has_drift,
                "rows": [r.to_dict() for r in self.rows], "compared": list(self.compared),
                "skipped": list(self.skipped)}


def _show(value) -> str:
    if isinstance(value, tuple):
        return "-".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return "-" if value is None else str(value)


class _Matcher:
    def __init__(self, src, env: str, items: list[Item], deployed: list[Deployed]):
        self.src, self.env = src, env
        self.items, self.deployed = items, deployed
        self.model_of: dict[str, str] = {}  # AWS id -> model id
        self.aws_of: dict[tuple[str, str, str | None], Deployed] = {}  # (kind, model id, vpc) -> deployed
        self.vpc_aws: dict[str, str] = {}  # model VPC id -> AWS VPC id

    def where(self, item: Item, aspect: str = "") -> str | None:
        keys = item.where.get(aspect) or item.where.get(aspect.split(":", 1)[0]) or item.where.get("")
        return self.src.where(*keys) if keys else None

    def _fallback(self, item: Item, pool: list[Deployed]) -> Deployed | None:
        vpc_aws = self.vpc_aws.get(item.vpc) if item.vpc else None
        for d in pool:
            if d.tag_id is not None or (item.vpc and d.vpc and d.vpc != vpc_aws):
                continue
            if item.kind in ("vpc", "subnet") and d.attrs.get("cidr") == item.attrs.get("cidr"):
                return d
            if item.kind in ("internet-gateway", "tgw-attachment") and vpc_aws and d.vpc == vpc_aws:
                return d
            names = {d.name, d.tags.get("GroupName"), d.tags.get("serviceName")} - {None}
            if names & set(item.names):
                return d
        return None

    def match(self) -> tuple[list[tuple[Item, Deployed]], list[Item], list[Deployed]]:
        pairs, missing = [], []
        used: set[str] = set()
        for kind in _ORDER:
            pool = [d for d in self.deployed if d.kind == kind and d.tags.get(TAG_ENV, self.env) == self.env]
            for item in (i for i in self.items if i.kind == kind):
                vpc_aws = self.vpc_aws.get(item.vpc) if item.vpc else None
                found = next((d for d in pool if d.aws_id not in used and d.tag_id == item.model_id
                              and (kind == "security-group" and vpc_aws and d.vpc != vpc_aws) is False), None)
                found = found or self._fallback(item, [d for d in pool if d.aws_id not in used])
                if found is None:
                    missing.append(item)
                    continue
                used.add(found.aws_id)
                pairs.append((item, found))
                self.model_of[found.aws_id] = f"sg:{item.model_id}" if kind == "security-group" else item.model_id
                if kind == "vpc":
                    self.vpc_aws[item.model_id] = found.aws_id
        extra = [d for d in self.deployed if d.aws_id not in used and d.tags.get(TAG_ENV, self.env) == self.env]
        return pairs, missing, extra

    def translate(self, values: frozenset) -> frozenset:
        """AWS ids inside set elements -> model ids (route targets, rule peers, subnets)."""
        out = set()
        for v in values:
            words = v.split(" ")
            out.add(" ".join(self.model_of.get(w[3:] if w.startswith("sg:") else w, w) for w in words))
        return frozenset(out)


def _same(aspect: str, model, deployed) -> bool:
    if aspect == "engine_version":  # '15' matches the deployed '15.4'
        return str(deployed) == str(model) or str(deployed).startswith(f"{model}.")
    if aspect == "engine":
        return {"postgresql": "postgres"}.get(str(model), str(model)) == str(deployed)
    if aspect == "tasks":
        return isinstance(deployed, int) and model[0] <= deployed <= model[1]
    return model == deployed


def drift(src, env: str, account: str, responses: dict) -> DriftReport:
    """Compare ``account`` of ``env`` in the model (``src``: a :class:`model.loader.Loaded`)
    with the deployed state ``responses`` (raw describe responses: live or a snapshot)."""
    skipped = sorted(f"{', '.join(UNSUPPORTED_KINDS.get(f, (f,)))}: {body['Unsupported']}"
                     for f, body in responses.items() if isinstance(body, dict) and "Unsupported" in body)
    blind = {k for f, body in responses.items() if "Unsupported" in body for k in UNSUPPORTED_KINDS.get(f, ())}
    items = [i for i in expected_items(src.model, env, account) if i.kind not in blind]
    m = _Matcher(src, env, items, [d for d in deployed_items(responses) if d.kind not in blind])
    pairs, missing, extra = m.match()
    rows: list[DriftRow] = []
    for item in missing:
        rows.append(DriftRow("missing", item.kind, item.model_id, "", "present", "absent", m.where(item), None))
    extra_vpcs = {d.aws_id for d in extra if d.kind == "vpc"}
    for d in extra:
        if d.kind != "vpc" and d.vpc in extra_vpcs:
            continue
        inside = sum(1 for x in extra if x.kind != "vpc" and x.vpc == d.aws_id) if d.kind == "vpc" else 0
        note = f" (+{inside} resources inside)" if inside else ""
        label = d.tag_id and f"unknown archdoc:id '{d.tag_id}'" or "untagged"
        attrs = ", ".join(f"{k} {_show(v)}" for k, v in sorted(d.attrs.items()))
        vpc_item = next((i for i in items if i.kind == "vpc" and m.vpc_aws.get(i.model_id) == d.vpc), None)
        rows.append(DriftRow("extra", d.kind, None, "", "absent", f"{label}{': ' + attrs if attrs else ''}{note}",
                             m.where(vpc_item) if vpc_item else None, d.aws_id))
    for item, d in pairs:
        for aspect, value in item.attrs.items():
            got = d.attrs.get(aspect)
            got = m.model_of.get(got, got) if isinstance(got, str) else got  # a NAT gateway's subnet
            if aspect in d.attrs and not _same(aspect, value, got):
                rows.append(DriftRow("changed", item.kind, item.model_id, aspect, _show(value), _show(got),
                                     m.where(item, aspect), d.aws_id))
        for aspect, want in item.sets.items():
            have = m.translate(d.sets.get(aspect, frozenset()))
            if item.kind == "route-table" and aspect == "routes":
                have = frozenset(h for h in have if h.split(" -> ")[1] != "local" or h in want)
            for element in sorted(want - have):
                rows.append(DriftRow("changed", item.kind, item.model_id, f"{aspect}: {element}", "present", "absent",
                                     m.where(item, f"set:{element}") if f"set:{element}" in item.where
                                     else m.where(item, aspect), d.aws_id))
            for element in sorted(have - want):
                rows.append(DriftRow("changed", item.kind, item.model_id, f"{aspect}: {element}", "absent", "present",
                                     m.where(item, aspect), d.aws_id))
    kinds = tuple(k for k in _ORDER if k not in blind)
    return DriftReport(env, account, tuple(sorted(rows, key=_row_order)), kinds, tuple(skipped))


def _row_order(row: DriftRow) -> tuple:
    return (_ORDER.index(row.resource) if row.resource in _ORDER else 99, row.model_id or "~", row.aws_id or "",
            row.kind, row.aspect)
