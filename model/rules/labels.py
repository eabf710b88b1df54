"""Label rules: a label must not state a fact its spec contradicts (pictures that cannot lie).

Diagrams and pages render the spec's facts into labels (:mod:`model.facts`); a label may
still *type* one (an instance class, an engine, Single-AZ/Primary/Standby, a task count,
a CIDR). E060 reads every label a reader sees — node labels, per-environment labels,
view labels, subnet and VPC names, view box titles of subnets and VPCs — and reports a
stated fact the spec contradicts, at the label, with the spec's value. E061 checks a
Multi-AZ standby node (``standby_of``) against its primary.
"""

from __future__ import annotations

from typing import Iterator

from model.facts import FactBook
from model.rules.registry import Ctx, RuleHit, rule

__all__ = ["labels_match_specs", "standby_matches_primary"]


def _node_texts(c: Ctx) -> Iterator[tuple[tuple, str, str, str]]:
    """(path, text, node id, env) for every node label as some environment shows it."""
    for i, node in enumerate(c.m.nodes):
        for env, place in node.at.items():
            if place.label is not None:
                yield ("nodes", i, "at", env, "label"), place.label, node.id, env
            else:
                yield ("nodes", i, "label"), node.label, node.id, env
            if place.purpose is not None:  # the 用途 column of the subnet tables
                yield ("nodes", i, "at", env, "purpose"), place.purpose, node.id, env
    for i, view in enumerate(c.m.views):
        for node_id, text in view.labels.items():
            node = c.get("nodes", node_id)
            for env in (e for e in view.envs if node is not None and e in node.at):
                yield ("views", i, "labels", node_id), text, node_id, env


def _box_texts(c: Ctx) -> Iterator[tuple[tuple, str, tuple[str, ...]]]:
    """(path, text, CIDRs it may state) for subnet and VPC names and their view box titles."""
    own: dict[str, tuple[str, ...]] = {v.id: (str(v.cidr),) for v in c.m.vpcs}
    for s in c.m.subnets:
        vpc = c.get("vpcs", s.vpc)
        own[s.id] = (str(s.cidr),) + ((str(vpc.cidr),) if vpc else ())
    for i, v in enumerate(c.m.vpcs):
        yield ("vpcs", i, "name"), v.name, own[v.id]
    for i, s in enumerate(c.m.subnets):
        yield ("subnets", i, "name"), s.name, own[s.id]
    for i, view in enumerate(c.m.views):
        for key, text in view.box_labels.items():
            if key in own:
                yield ("views", i, "box_labels", key), text, own[key]


@rule("E060", "a label states no fact its spec contradicts (instance class, engine, Multi-AZ role, task count, CIDR)")
def labels_match_specs(c: Ctx) -> Iterator[RuleHit]:
    book = FactBook(c.m)
    seen: set[tuple[tuple, str]] = set()
    for path, text, node_id, env in _node_texts(c):
        for wrong in book.contradictions(text, node_id, env):
            if (path, wrong) not in seen:
                seen.add((path, wrong))
                yield path, f"label '{text}' states {wrong} in environment '{env}'"
    for path, text, cidrs in _box_texts(c):
        for wrong in book.contradictions(text, None, None, cidrs):
            yield path, f"name '{text}' states {wrong}"


@rule("E061", "a Multi-AZ standby node (standby_of) is an RDS node in its Multi-AZ primary's DB subnet group, "
              "in another AZ")
def standby_matches_primary(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        primary = c.get("nodes", node.standby_of)
        if primary is None:  # none, or a dangling id (E050)
            continue
        path = ("nodes", i, "standby_of")
        if node.kind.value != "rds" or primary.kind.value != "rds":
            yield path, f"standby '{node.id}' and its primary '{primary.id}' must both be rds nodes"
            continue
        for env, place in node.at.items():
            spec = primary.at[env].rds if env in primary.at else None
            if spec is None or not spec.multi_az:
                yield path, f"primary '{primary.id}' is not a Multi-AZ rds deployment in environment '{env}'"
                continue
            subnets = {s.id: s for s in c.m.subnets}
            outside = [s for s in place.subnets if s not in spec.subnet_group]
            primary_azs = {subnets[s].az for s in primary.at[env].subnets if s in subnets}
            same_az = [s for s in place.subnets if s in subnets and subnets[s].az in primary_azs]
            if outside:
                yield path, (f"standby '{node.id}' sits in {', '.join(outside)}, outside the DB subnet group of "
                             f"'{primary.id}' in environment '{env}'")
            elif same_az:
                yield path, (f"standby '{node.id}' sits in the primary's AZ ({subnets[same_az[0]].az}) in "
                             f"environment '{env}'")
