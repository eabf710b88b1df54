"""Differences between two environments: configuration and reachability.

Configuration (:class:`ConfigDiff`): VPCs matched by ``role``; subnets by name within the
VPC role; nodes by id (placement label, subnets by name, Fargate/RDS/batch specs, SGs);
security groups by id and their rules *as they apply* in each environment (named CIDRs
resolved per environment). ``change`` is ``only-from``, ``only-to`` or ``changed``.

Reachability (:class:`ReachDiff`): every (source, target, port) whose verdict changes.
Sources are actors matched by ``persona`` (the POC developer plays the city staff) and
nodes by id; targets are nodes by id; ports are the union of the ports both environments
mention (SG rules, listeners, target groups, flows). Each side gives its reason (codes and
the first blocker's message).

>>> from analysis.loading import load
>>> d = diff(load(), "poc", "prod")
>>> [(r.source, r.target, r.port, r.from_verdict, r.to_verdict) for r in d.reach if r.source == "persona:business"]
[('persona:business', 'alb', 443, 'reachable', 'conditional')]
>>> [c.key for c in d.config if c.kind == "sg-rule"][:1]
['cvpn-sg outbound all/0-65535 0.0.0.0/0']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analysis.graph import EnvGraph, build_graph
from analysis.intents import as_source
from analysis.matrix import exposure_targets, relevant_ports
from analysis.reach import reach, sources
from model.index import ModelIndex

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


def _source_keys(eg: EnvGraph) -> dict[str, str]:
    keys: dict[str, str] = {}
    for s in sources(eg):
        a = eg.ix.actors.get(s)
        keys.setdefault(f"persona:{a.persona}" if a else s, s)
    return keys


def _reason(r) -> str:
    if not r.blockers:
        return r.verdict
    return f"{', '.join(r.codes)}: {r.blockers[0].message}"


def diff(model, from_env: str, to_env: str) -> EnvDiff:
    """Configuration and reachability differences from ``from_env`` to ``to_env``."""
    src = as_source(model)
    ix = ModelIndex(src.model)
    a, b = build_graph(ix, from_env, src), build_graph(ix, to_env, src)
    config = (_pair("vpc", _vpcs(ix, from_env), _vpcs(ix, to_env))
              + _pair("subnet", _subnets(ix, from_env), _subnets(ix, to_env))
              + _pair("node", _nodes(ix, from_env), _nodes(ix, to_env))
              + _pair("security-group", {g.id: g.name for g in ix.sgs_in(from_env)}, {g.id: g.name for g in ix.sgs_in(to_env)})
              + _pair("sg-rule", _sg_rules(a), _sg_rules(b)))
    ka, kb = _source_keys(a), _source_keys(b)
    ta, tb = set(exposure_targets(a)), set(exposure_targets(b))
    ports = sorted(set(relevant_ports(a)) | set(relevant_ports(b)))
    rows = []
    for key in sorted(set(ka) & set(kb)):
        for t in sorted(ta & tb):
            if t in (ka[key], kb[key]):
                continue
            for p in ports:
                ra, rb = reach(a, ka[key], t, p), reach(b, kb[key], t, p)
                if ra.verdict != rb.verdict:
                    rows.append(ReachDiff(key, t, p, ka[key], kb[key], ra.verdict, rb.verdict, _reason(ra), _reason(rb)))
    return EnvDiff(from_env, to_env, tuple(sorted(config)), tuple(sorted(rows)))
