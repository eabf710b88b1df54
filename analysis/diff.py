"""Differences between two environments: configuration and reachability.

Configuration (:class:`ConfigDiff`): VPCs matched by ``role``; subnets by name within the
VPC role; nodes by id (placement label, subnets by name, Fargate/RDS/batch specs, SGs);
security groups by id and their rules *as they apply* in each environment (named CIDRs
resolved per environment); route tables matched by VPC role and the names of their
associated subnets, each route by its destination (a named CIDR by its name, showing the
value) with its target (``route``); TGW route tables by name (``tgw-route``, propagations
included); NACLs by VPC role and subnet names, each rule by direction and number
(``nacl-rule``). Kind ``migration`` repeats every row of the migration table
(:func:`model.migration.migration_rows`, section 9) whose values differ, so the diff never
says less than the approved document. ``change`` is ``only-from``, ``only-to`` or ``changed``.

Reachability (:class:`ReachDiff`): every (source, target, port) whose verdict changes.
Sources are actors matched by ``persona`` (the POC developer plays the city staff) and
nodes by id; targets are nodes by id; ports are the union of the ports both environments
mention (SG rules, listeners, target groups, flows). Each side gives its reason (codes and
the message of the first hard blocker, or of the first condition when there is none).

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> d = diff(analyze(load_model()), "poc", "prod")
>>> [(r.source, r.target, r.port, r.from_verdict, r.to_verdict) for r in d.reach if r.source == "persona:business"]
[('persona:business', 'alb', 443, 'reachable', 'conditional')]
>>> [c.key for c in d.config if c.kind == "sg-rule"][:1]
['cvpn-sg outbound all/0-65535 0.0.0.0/0']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analysis.analyze import Analysis
from analysis.graph.build import EnvGraph
from analysis.matrix import exposure_targets
from analysis.paths.reach import Reachability, endpoint_ports
from model.index import ModelIndex
from model.migration import migration_rows

__all__ = ["ConfigDiff", "ReachDiff", "EnvDiff", "diff"]


@dataclass(frozen=True, order=True)
class ConfigDiff:
    kind: str
    key: str
    change: str
    from_value: str | None
    to_value: str | None


@dataclass(frozen=True, order=True)
class ReachDiff:
    source: str
    target: str
    port: int
    from_source: str
    to_source: str
    from_verdict: str
    to_verdict: str
    from_reason: str
    to_reason: str


@dataclass(frozen=True)
class EnvDiff:
    from_env: str
    to_env: str
    config: tuple[ConfigDiff, ...]
    reach: tuple[ReachDiff, ...]

    def to_dict(self) -> dict:
        return {"from": self.from_env, "to": self.to_env,
                "config": [asdict(c) for c in self.config], "reach": [asdict(r) for r in self.reach]}


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


def _nodes(ix: ModelIndex, env: str) -> dict[str, str]:
    out = {}
    for n in ix.nodes_in(env):
        p = n.at[env]
        subnets = ",".join(f"{ix.vpcs[ix.subnets[s].vpc].role}/{ix.subnets[s].name}" for s in p.subnets)
        parts = [f"label={p.label or n.label}", f"subnets=[{subnets}]", f"status={p.status}"]
        for spec in ("fargate", "rds", "batch"):
            v = getattr(p, spec)
            if v is not None:
                parts.append(f"{spec}={v.model_dump(mode='json', exclude={'subnet_group'})}")
        out[n.id] = "; ".join(parts)
    return out


def _sg_rules(eg: EnvGraph) -> dict[str, str]:
    out = {}
    for sg, refs in eg.rules.items():
        for r in refs:
            peer = str(r.peer_net) if r.peer_net is not None else (f"sg:{r.peer_sg}" if r.peer_sg else "（未定義）")
            ports = f"{r.ports[0]}" if r.ports[0] == r.ports[1] else f"{r.ports[0]}-{r.ports[1]}"
            out[f"{sg} {r.direction} {r.protocol}/{ports} {peer}"] = r.rule.purpose
    return out


def _tables(eg: EnvGraph, items) -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
    """id -> (VPC role, associated subnet names, their tiers) for route tables or NACLs of this environment."""
    ix = eg.ix
    return {x.id: (ix.vpcs[x.vpc].role, frozenset(ix.subnets[s].name for s in x.subnets if s in ix.subnets),
                   frozenset(ix.subnets[s].tier for s in x.subnets if s in ix.subnets))
            for x in items if x.vpc in eg.vpc_net}


def _keys(a: dict, b: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Match tables of two environments: same VPC role, most associated subnet names in common
    (then, for environments that name subnets differently, most subnet tiers in common).

    A matched table takes the key of its match in ``a`` (``role:names`` as in ``a``), so a
    table that gained a subnet (DB 1 -> DB 1 + DB 2) is still compared route by route.
    """
    def key(role, names, _tiers=None):
        return f"{role}:{'+'.join(sorted(names)) or '（関連付けなし）'}"
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
                out[f"{keys[rt.id]} {r.named}"] = f"{r.target}（{eg.named(r.named) or '未定義'}）"
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


def _migration(ix: ModelIndex, a: str, b: str) -> list[ConfigDiff]:
    return [ConfigDiff("migration", r.item, "changed", r.before, r.after)
            for r in migration_rows(ix, a, b) if r.before != r.after]


def _source_keys(q: Reachability) -> dict[str, str]:
    keys: dict[str, str] = {}
    for s in q.sources:
        a = q.eg.ix.actors.get(s)
        keys.setdefault(f"persona:{a.persona}" if a else s, s)
    return keys


def _reason(r) -> str:
    if not r.blockers:
        return r.verdict
    # an unreachable path is explained by its first hard blocker, not by a condition before it
    first = next((b for b in r.blockers if not b.conditional), r.blockers[0])
    return f"{', '.join(r.codes)}: {first.message}"


def diff(analysis: Analysis, from_env: str, to_env: str) -> EnvDiff:
    """Configuration and reachability differences from ``from_env`` to ``to_env``."""
    ix = analysis.ix
    qa, qb = analysis.network(from_env), analysis.network(to_env)
    a, b = qa.eg, qb.eg
    rta, rtb = _tables(a, ix.model.route_tables), _tables(b, ix.model.route_tables)
    na, nb = _tables(a, ix.model.nacls), _tables(b, ix.model.nacls)
    (rka, rkb), (nka, nkb) = _keys(rta, rtb), _keys(na, nb)
    config = (_pair("vpc", _vpcs(ix, from_env), _vpcs(ix, to_env))
              + _pair("subnet", _subnets(ix, from_env), _subnets(ix, to_env))
              + _pair("node", _nodes(ix, from_env), _nodes(ix, to_env))
              + _pair("security-group", {g.id: g.name for g in ix.sgs_in(from_env)}, {g.id: g.name for g in ix.sgs_in(to_env)})
              + _pair("sg-rule", _sg_rules(a), _sg_rules(b))
              + _pair("route-table", _assoc(a, rta, rka), _assoc(b, rtb, rkb))
              + _pair("route", _routes(a, rka), _routes(b, rkb))
              + _pair("nacl", _assoc(a, na, nka), _assoc(b, nb, nkb))
              + _pair("nacl-rule", _nacl_rules(a, nka), _nacl_rules(b, nkb))
              + _migration(ix, from_env, to_env))
    ka, kb = _source_keys(qa), _source_keys(qb)
    ta, tb = set(exposure_targets(a, qa.targets)), set(exposure_targets(b, qb.targets))
    ports = sorted(set(endpoint_ports(a)) | set(endpoint_ports(b)))
    rows = []
    for key in sorted(set(ka) & set(kb)):
        for t in sorted(ta & tb):
            if t in (ka[key], kb[key]):
                continue
            for p in ports:
                ra, rb = qa.reach(ka[key], t, p), qb.reach(kb[key], t, p)
                if ra.verdict != rb.verdict:
                    rows.append(ReachDiff(key, t, p, ka[key], kb[key], ra.verdict, rb.verdict, _reason(ra), _reason(rb)))
    return EnvDiff(from_env, to_env, tuple(sorted(config)), tuple(sorted(rows)))
