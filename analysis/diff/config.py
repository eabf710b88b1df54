"""Configuration differences of one environment against another, or of one revision against another.

Both sides are an :class:`~analysis.graph.build.EnvGraph` (an environment of a model), so
the same comparison serves ``poc`` ↔ ``prod`` of one model and ``prod`` of the approved
revision ↔ ``prod`` now. VPCs are matched by ``role``; subnets by name within the VPC
role; nodes by id (placement label, subnets by name, Fargate/RDS/batch specs, SGs);
security groups by id and their rules *as they apply* in each environment (named CIDRs
resolved per environment); route tables by VPC role and the names of their associated
subnets, each route by its destination (a named CIDR by its name, showing the value)
with its target (``route``); TGW route tables by name (``tgw-route``, propagations
included); NACLs by VPC role and subnet names, each rule by direction and number
(``nacl-rule``). ``change`` is ``only-from``, ``only-to`` or ``changed``.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.graph.build import EnvGraph
from analysis.i18n import _
from model.index import ModelIndex

__all__ = ["ConfigDiff", "config_diff"]


@dataclass(frozen=True, order=True)
class ConfigDiff:
    kind: str
    key: str
    change: str
    from_value: str | None
    to_value: str | None


def _pair(kind: str, a: dict[str, str], b: dict[str, str]) -> list[ConfigDiff]:
    out = []
    for k in sorted(set(a) | set(b)):
        if k not in b:
            out.append(ConfigDiff(kind, k, "only-from", a[k], None))
        elif k not in a:
            out.append(ConfigDiff(kind, k, "only-to", None, b[k]))
        elif a[k] != b[k]:
            out.append(ConfigDiff(kind, k, "changed", a[k], b[k]))
    return out


def _vpcs(ix: ModelIndex, env: str) -> dict[str, str]:
    return {v.role: f"{v.cidr} ({v.account})" for v in ix.vpcs_in(env)}


def _subnets(ix: ModelIndex, env: str) -> dict[str, str]:
    out = {}
    for v in ix.vpcs_in(env):
        for s in ix.subnets_of(v.id):
            out[f"{v.role}/{s.name}"] = f"{s.cidr} {s.az} {s.tier}"
    return out


def _text(value) -> str:
    """A spec value as a reader writes it: true/false, lists joined, nothing as '-'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return "-" if value is None else str(value)


def _flat(prefix: str, value, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(f"{prefix}.{k}", v, out)
    else:
        out[prefix] = _text(value)


def _nodes(ix: ModelIndex, env: str) -> dict[str, dict[str, str]]:
    """Node id -> its attributes in ``env`` (``label``, ``subnets``, ``status``, spec fields as
    ``fargate.tasks.min``), each as text."""
    out = {}
    for n in ix.nodes_in(env):
        p = n.at[env]
        attrs = {"label": p.label or n.label, "status": p.status,
                 "subnets": ", ".join(f"{ix.vpcs[ix.subnets[s].vpc].role}/{ix.subnets[s].name}" for s in p.subnets)}
        for spec in ("fargate", "rds", "batch", "aurora", "elasticache", "ec2", "asg", "ecs_ec2"):
            v = getattr(p, spec, None)
            if v is not None:
                _flat(spec, v.model_dump(mode="json", exclude={"subnet_group"}), attrs)
        out[n.id] = attrs
    return out


def _node_diffs(a: dict[str, dict[str, str]], b: dict[str, dict[str, str]]) -> list[ConfigDiff]:
    """A node in one environment only is one row; a node in both, one row per attribute that differs."""
    out = _pair("node", {k: v["label"] for k, v in a.items() if k not in b},
                {k: v["label"] for k, v in b.items() if k not in a})
    for k in sorted(set(a) & set(b)):
        out += _pair("node", {f"{k} {attr}": v for attr, v in a[k].items()},
                     {f"{k} {attr}": v for attr, v in b[k].items()})
    return out


def _sg_rules(eg: EnvGraph) -> dict[str, str]:
    out = {}
    for sg, refs in eg.rules.items():
        for r in refs:
            peer = str(r.peer_net) if r.peer_net is not None else (f"sg:{r.peer_sg}" if r.peer_sg else _("（未定義）"))
            ports = f"{r.ports[0]}" if r.ports[0] == r.ports[1] else f"{r.ports[0]}-{r.ports[1]}"
            out[f"{sg} {r.direction} {r.protocol}/{ports} {peer}"] = r.rule.purpose
    return out


def _tables(eg: EnvGraph, items) -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
    """id -> (VPC role, associated subnet names, their tiers) for route tables or NACLs of this environment."""
    ix = eg.ix
    return {x.id: (ix.vpcs[x.vpc].role, frozenset(ix.subnets[s].name for s in x.subnets if s in ix.subnets),
                   frozenset(ix.subnets[s].tier for s in x.subnets if s in ix.subnets))
            for x in items if x.vpc in eg.vpc_net}


def _none() -> str:
    return _("（関連付けなし）")


def _keys(a: dict, b: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Match tables of two environments: same VPC role, most associated subnet names in common
    (then, for environments that name subnets differently, most subnet tiers in common).

    A matched table takes the key of its match in ``a`` (``role:names`` as in ``a``), so a
    table that gained a subnet (DB 1 -> DB 1 + DB 2) is still compared route by route.
    """
    def key(role, names, _tiers=None):
        return f"{role}:{'+'.join(sorted(names)) or _none()}"
    ka = {i: key(*v) for i, v in a.items()}
    kb: dict[str, str] = {}
    taken: set[str] = set()
    for i, (role, names, tiers) in sorted(b.items(), key=lambda kv: key(*kv[1])):
        cands = [(len(names & n2), len(tiers & t2), ka[j]) for j, (r2, n2, t2) in sorted(a.items())
                 if r2 == role and ka[j] not in taken]
        best = max(cands, key=lambda c: (c[0], c[1]), default=(0, 0, None))
        kb[i] = best[2] if best[0] or best[1] else key(role, names)
        taken.add(kb[i])
    return ka, kb


def _assoc(eg: EnvGraph, tables: dict, keys: dict[str, str]) -> dict[str, str]:
    return {keys[i]: ", ".join(sorted(names)) for i, (_, names, _) in tables.items()}


def _routes(eg: EnvGraph, keys: dict[str, str]) -> dict[str, str]:
    """Routes keyed by ``table-key destination`` -> target (a named CIDR keyed by name, valued per environment)."""
    out = {}
    for rt in eg.model.route_tables:
        if rt.id not in keys:
            continue
        for r in rt.routes:
            if r.destination:
                out[f"{keys[rt.id]} {r.destination}"] = r.target
            else:  # a named CIDR: one row per name, its value per environment shown with the target
                out[f"{keys[rt.id]} {r.named}"] = _("{target}（{value}）").format(target=r.target, value=eg.named(r.named) or _("未定義"))
        if not any(r.target == "local" for r in rt.routes):
            out[f"{keys[rt.id]} {eg.vpc_net[rt.vpc]}"] = "local"
    tgw = [rt for rt in eg.model.tgw_route_tables if rt.env == eg.env]
    for rt in tgw:
        k = f"TGW:{rt.tgw}" + (f":{rt.name}" if sum(x.tgw == rt.tgw for x in tgw) > 1 else "")
        for r in rt.routes:
            out[f"{k} {r.destination}"] = "blackhole" if r.blackhole else (r.attachment or "?")
        for a in rt.associations:
            out[f"{k} association {a}"] = "associated"
        for a in rt.propagations:
            out[f"{k} propagation {a}"] = "propagated"
    return out


def _nacl_rules(eg: EnvGraph, keys: dict[str, str]) -> dict[str, str]:
    out = {}
    for n in eg.model.nacls:
        if n.id not in keys:
            continue
        key = keys[n.id]
        for r in n.rules:
            port = "all" if r.port is None else (str(r.port) if isinstance(r.port, int) else f"{r.port.start}-{r.port.end}")
            out[f"{key} {r.direction} #{r.number}"] = f"{r.action} {r.protocol}/{port} {r.cidr}"
    return out


def config_diff(a: EnvGraph, b: EnvGraph) -> list[ConfigDiff]:
    """Every configuration difference from ``a`` to ``b`` (unsorted; callers sort)."""
    rta, rtb = _tables(a, a.model.route_tables), _tables(b, b.model.route_tables)
    na, nb = _tables(a, a.model.nacls), _tables(b, b.model.nacls)
    (rka, rkb), (nka, nkb) = _keys(rta, rtb), _keys(na, nb)
    return (_pair("vpc", _vpcs(a.ix, a.env), _vpcs(b.ix, b.env))
            + _pair("subnet", _subnets(a.ix, a.env), _subnets(b.ix, b.env))
            + _node_diffs(_nodes(a.ix, a.env), _nodes(b.ix, b.env))
            + _pair("security-group", {g.id: g.name for g in a.ix.sgs_in(a.env)},
                    {g.id: g.name for g in b.ix.sgs_in(b.env)})
            + _pair("sg-rule", _sg_rules(a), _sg_rules(b))
            + _pair("route-table", _assoc(a, rta, rka), _assoc(b, rtb, rkb))
            + _pair("route", _routes(a, rka), _routes(b, rkb))
            + _pair("nacl", _assoc(a, na, nka), _assoc(b, nb, nkb))
            + _pair("nacl-rule", _nacl_rules(a, nka), _nacl_rules(b, nkb)))
