"""Identity and reference rules: ids are unique, every id a model mentions exists.

A dangling reference is the most common mistake when editing the model by hand (a
renamed subnet, a typo in a flow's target), and downstream code would otherwise fail
far from the cause, so every reference is checked here with a did-you-mean.
"""

from __future__ import annotations

from typing import Iterator

from model.rules.registry import Ctx, RuleHit, rule

__all__ = ["duplicate_ids", "node_actor_clash", "unique_sections", "dangling_refs", "placement_subnets_in_env",
           "rule_envs_subset", "flow_endpoints_in_env", "account_env_consistency"]

_LABEL = {"assumptions": "assumption", "environments": "environment", "regions": "region",
          "accounts": "account", "sites": "site", "vpcs": "VPC", "subnets": "subnet",
          "named_cidrs": "named CIDR", "security_groups": "security group", "nacls": "NACL",
          "route_tables": "route table", "tgw_route_tables": "TGW route table", "nodes": "node",
          "actors": "actor", "views": "view", "intents": "intent"}


@rule("E040", "ids are unique within each section (and within a node's target groups, WAF rules, schedules)")
def duplicate_ids(c: Ctx) -> Iterator[RuleHit]:
    for section in c.ids:
        for index, item in enumerate(getattr(c.m, section)):
            first = c.ids[section][item.id]
            if first != index:
                yield (section, index, "id"), (f"duplicate {_LABEL[section]} id '{item.id}' "
                                               f"(first defined at {c.where((section, first, 'id'))})")
    for n, node in enumerate(c.m.nodes):
        nested = [("target group", ("alb", "target_groups"), node.alb and node.alb.target_groups),
                  ("WAF rule", ("waf", "rules"), node.waf and node.waf.rules),
                  ("schedule", ("schedules", "schedules"), node.schedules and node.schedules.schedules),
                  ("NLB target group", ("nlb", "target_groups"), node.nlb and node.nlb.target_groups),
                  ("firewall rule", ("firewall", "rules"), node.firewall and node.firewall.rules)]
        for label, keys, items in nested:
            seen: dict[str, int] = {}
            for i, item in enumerate(items or ()):
                if item.id in seen:
                    yield ("nodes", n, *keys, i, "id"), f"duplicate {label} id '{item.id}' in node '{node.id}'"
                seen.setdefault(item.id, i)


@rule("E041", "node ids and actor ids are distinct (flows refer to both)")
def node_actor_clash(c: Ctx) -> Iterator[RuleHit]:
    for index, actor in enumerate(c.m.actors):
        if actor.id in c.ids["nodes"]:
            yield ("actors", index, "id"), f"actor id '{actor.id}' is also a node id"


@rule("E042", "environments have distinct section numbers (each names a page, e.g. 01-poc.md)")
def unique_sections(c: Ctx) -> Iterator[RuleHit]:
    seen: dict[int, int] = {}
    for index, env in enumerate(c.m.environments):
        if env.section in seen:
            first = c.m.environments[seen[env.section]]
            yield ("environments", index, "section"), (
                f"section {env.section} of environment '{env.id}' is already used by environment "
                f"'{first.id}' (first at {c.where(('environments', seen[env.section], 'section'))})")
        seen.setdefault(env.section, index)


def _refs(c: Ctx) -> Iterator[tuple[tuple, str, str | None, tuple[str, ...]]]:
    """(path, kind, value, sections) for every plain id reference in the model."""
    env, node = ("environments",), ("nodes",)
    for i, x in enumerate(c.m.accounts):
        yield ("accounts", i, "env"), "environment", x.env, env
        yield from ((("accounts", i, "shared_with", j), "environment", e, env) for j, e in enumerate(x.shared_with))
    for i, x in enumerate(c.m.sites):
        yield from ((("sites", i, "envs", j), "environment", e, env) for j, e in enumerate(x.envs))
        yield ("sites", i, "assumption"), "assumption", x.assumption, ("assumptions",)
    for i, x in enumerate(c.m.vpcs):
        yield ("vpcs", i, "env"), "environment", x.env, env
        yield ("vpcs", i, "account"), "account", x.account, ("accounts",)
        yield ("vpcs", i, "region"), "region", x.region, ("regions",)
        yield ("vpcs", i, "assumption"), "assumption", x.assumption, ("assumptions",)
        yield ("vpcs", i, "main_route_table"), "route table", x.main_route_table, ("route_tables",)
    for i, x in enumerate(c.m.subnets):
        yield ("subnets", i, "vpc"), "VPC", x.vpc, ("vpcs",)
    for i, x in enumerate(c.m.named_cidrs):
        yield from ((("named_cidrs", i, "values", e), "environment", e, env) for e in x.values)
        yield ("named_cidrs", i, "assumption"), "assumption", x.assumption, ("assumptions",)
    for i, x in enumerate(c.m.security_groups):
        yield from ((("security_groups", i, "envs", j), "environment", e, env) for j, e in enumerate(x.envs))
        for j, r in enumerate(x.rules):
            p = ("security_groups", i, "rules", j)
            yield p + ("named",), "named CIDR", r.named, ("named_cidrs",)
            yield p + ("sg",), "security group", r.sg, ("security_groups",)
            yield from ((p + ("envs", k), "environment", e, env) for k, e in enumerate(r.envs or ()))
    for section in ("nacls", "route_tables"):
        for i, x in enumerate(getattr(c.m, section)):
            yield (section, i, "vpc"), "VPC", x.vpc, ("vpcs",)
            yield from (((section, i, "subnets", j), "subnet", s, ("subnets",)) for j, s in enumerate(x.subnets))
    for i, x in enumerate(c.m.route_tables):
        yield ("route_tables", i, "assumption"), "assumption", x.assumption, ("assumptions",)
        yield from ((("route_tables", i, "propagations", j), "VGW node", v, node) for j, v in enumerate(x.propagations))
        for j, r in enumerate(x.routes):
            yield ("route_tables", i, "routes", j, "named"), "named CIDR", r.named, ("named_cidrs",)
            if r.target != "local":
                yield ("route_tables", i, "routes", j, "target"), "route target node", r.target, node
    for i, x in enumerate(c.m.tgw_route_tables):
        yield ("tgw_route_tables", i, "env"), "environment", x.env, env
        yield ("tgw_route_tables", i, "tgw"), "node", x.tgw, node
        yield ("tgw_route_tables", i, "assumption"), "assumption", x.assumption, ("assumptions",)
        for key in ("associations", "propagations"):
            yield from ((("tgw_route_tables", i, key, j), "TGW attachment node", a, node)
                        for j, a in enumerate(getattr(x, key)))
        for j, r in enumerate(x.routes):
            yield ("tgw_route_tables", i, "routes", j, "attachment"), "TGW attachment node", r.attachment, node
    for i, x in enumerate(c.m.nodes):
        yield from _node_refs(c, i, x)
    for i, x in enumerate(c.m.actors):
        yield from ((("actors", i, "envs", j), "environment", e, env) for j, e in enumerate(x.envs))
        yield ("actors", i, "site"), "site", x.site, ("sites",)
        yield from ((("actors", i, "via", j), "node", v, node) for j, v in enumerate(x.via))
    for i, x in enumerate(c.m.flows):
        yield ("flows", i, "source"), "node or actor", x.source, ("nodes", "actors")
        yield ("flows", i, "target"), "node or actor", x.target, ("nodes", "actors")
        yield from ((("flows", i, "envs", j), "environment", e, env) for j, e in enumerate(x.envs))
    for i, x in enumerate(c.m.views):
        yield from ((("views", i, "envs", j), "environment", e, env) for j, e in enumerate(x.envs))
        yield from ((("views", i, "labels", n), "node or actor", n, ("nodes", "actors")) for n in x.labels)
        yield from ((("views", i, "nodes", j), "node", n, node) for j, n in enumerate(x.nodes))
        yield from ((("views", i, "part_boxes", j), "node", n, node) for j, n in enumerate(x.part_boxes))
        for j, box in enumerate(x.boxes):
            yield from ((("views", i, "boxes", j, "members", k), "node or actor", n, ("nodes", "actors"))
                        for k, n in enumerate(box.members))
        for j, merge in enumerate(x.merges):
            yield from ((("views", i, "merges", j, "members", k), "node", n, node)
                        for k, n in enumerate(merge.members))
    for i, x in enumerate(c.m.environments):
        yield ("environments", i, "baseline"), "environment", x.baseline, env
        yield from _requirement_refs(("environments", i, "requirements"), x.requirements)
    for i, x in enumerate(getattr(c.m, "intents", ())):
        yield ("intents", i, "env"), "environment", x.env, env
        yield ("intents", i, "target_env"), "environment", x.target_env, env
        yield ("intents", i, "source"), "node or actor", x.source, ("nodes", "actors")
        yield ("intents", i, "target"), "node or actor", x.target, ("nodes", "actors")


def _requirement_refs(p: tuple, r) -> Iterator[tuple[tuple, str, str | None, tuple[str, ...]]]:
    """The ids a requirements block names: the DR region, isolated environments, assumptions."""
    if r.dr is not None:
        yield p + ("dr", "region"), "region", r.dr.region, ("regions",)
    if r.must_not_reach is not None:
        yield from ((p + ("must_not_reach", "envs", j), "environment", e, ("environments",))
                    for j, e in enumerate(r.must_not_reach.envs))
    for key in r.declared():
        items = getattr(r, key)
        for j, item in (enumerate(items) if isinstance(items, tuple) else [(None, items)]):
            where = p + ((key, j) if j is not None else (key,)) + ("assumption",)
            yield where, "assumption", item.assumption, ("assumptions",)


def _node_refs(c: Ctx, i: int, x) -> Iterator[tuple[tuple, str, str | None, tuple[str, ...]]]:
    p, node = ("nodes", i), ("nodes",)
    yield p + ("part_of",), "node", x.part_of, node
    yield p + ("standby_of",), "node", x.standby_of, node
    yield p + ("assumption",), "assumption", x.assumption, ("assumptions",)
    yield from ((p + ("security_groups", j), "security group", s, ("security_groups",))
                for j, s in enumerate(x.security_groups))
    for env, pl in x.at.items():
        q = p + ("at", env)
        yield q, "environment", env, ("environments",)
        yield from (((*q, "subnets", j), "subnet", s, ("subnets",)) for j, s in enumerate(pl.subnets))
        yield q + ("vpc",), "VPC", pl.vpc, ("vpcs",)
        yield q + ("account",), "account", pl.account, ("accounts",)
        yield q + ("region",), "region", pl.region, ("regions",)
        yield q + ("site",), "site", pl.site, ("sites",)
        yield from _requirement_refs(q + ("requirements",), pl.requirements)
        for key in ("rds", "elasticache", "aurora"):
            spec = getattr(pl, key)
            if spec is not None:
                yield from (((*q, key, "subnet_group", j), "subnet", s, ("subnets",))
                            for j, s in enumerate(spec.subnet_group))
        if pl.ecs_ec2:
            yield (*q, "ecs_ec2", "capacity"), "node", pl.ecs_ec2.capacity, node
    if x.alb:
        for j, tg in enumerate(x.alb.target_groups):
            yield p + ("alb", "target_groups", j, "target"), "node", tg.target, node
    if x.waf:
        yield p + ("waf", "protects"), "node", x.waf.protects, node
        yield p + ("waf", "assumption"), "assumption", x.waf.assumption, ("assumptions",)
    for j, s in enumerate(x.schedules.schedules if x.schedules else ()):
        yield p + ("schedules", "schedules", j, "target"), "node", s.target, node
    if x.client_vpn:
        yield p + ("client_vpn", "client_cidr"), "named CIDR", x.client_vpn.client_cidr, ("named_cidrs",)
        yield from ((p + ("client_vpn", "associated_subnets", j), "subnet", s, ("subnets",))
                    for j, s in enumerate(x.client_vpn.associated_subnets))
        yield p + ("client_vpn", "assumption"), "assumption", x.client_vpn.assumption, ("assumptions",)
    if x.dx_gateway:
        yield p + ("dx_gateway", "site"), "site", x.dx_gateway.site, ("sites",)
        yield p + ("dx_gateway", "tgw"), "node", x.dx_gateway.tgw, node
        yield from ((p + ("dx_gateway", "vgws", j), "node", v, node) for j, v in enumerate(x.dx_gateway.vgws))
        yield p + ("dx_gateway", "assumption"), "assumption", x.dx_gateway.assumption, ("assumptions",)
    yield from _connection_refs(p, x)


def _connection_refs(p: tuple, x) -> Iterator[tuple[tuple, str, str | None, tuple[str, ...]]]:
    """References of the connectivity and workload specs beyond the seed's."""
    node = ("nodes",)
    if x.tgw_attachment:
        yield p + ("tgw_attachment", "tgw"), "node", x.tgw_attachment.tgw, node
    for j, tg in enumerate(x.nlb.target_groups if x.nlb else ()):
        yield p + ("nlb", "target_groups", j, "target"), "node", tg.target, node
    if x.endpoint:
        yield p + ("endpoint", "service"), "node", x.endpoint.service, node
        yield from ((p + ("endpoint", "route_tables", j), "route table", r, ("route_tables",))
                    for j, r in enumerate(x.endpoint.route_tables))
    if x.peering:
        yield p + ("peering", "requester"), "VPC", x.peering.requester, ("vpcs",)
        yield p + ("peering", "accepter"), "VPC", x.peering.accepter, ("vpcs",)
    if x.customer_gateway:
        yield p + ("customer_gateway", "site"), "site", x.customer_gateway.site, ("sites",)
    if x.vpn:
        yield p + ("vpn", "customer_gateway"), "node", x.vpn.customer_gateway, node
        yield p + ("vpn", "gateway"), "node", x.vpn.gateway, node
    yield from _serverless_refs(p, x)


def _serverless_refs(p: tuple, x) -> Iterator[tuple[tuple, str, str | None, tuple[str, ...]]]:
    """References of the managed-service specs (Lambda triggers, API integrations, origins, DLQ)."""
    node = ("nodes",)
    for j, t in enumerate(x.function.triggers if x.function else ()):
        yield p + ("function", "triggers", j), "node", t, node
    if x.api_gateway:
        yield from ((p + ("api_gateway", "integrations", j), "node", t, node)
                    for j, t in enumerate(x.api_gateway.integrations))
        yield p + ("api_gateway", "authorizer"), "node", x.api_gateway.authorizer, node
    for j, o in enumerate(x.cloudfront.origins if x.cloudfront else ()):
        yield p + ("cloudfront", "origins", j), "node", o, node
    if x.sqs:
        yield p + ("sqs", "dead_letter_queue"), "node", x.sqs.dead_letter_queue, node
    if x.dynamodb:
        yield from ((p + ("dynamodb", "global_table_regions", j), "region", r, ("regions",))
                    for j, r in enumerate(x.dynamodb.global_table_regions))


@rule("E050", "every referenced id exists (environments, accounts, regions, VPCs, subnets, nodes, SGs, ...)")
def dangling_refs(c: Ctx) -> Iterator[RuleHit]:
    for path, kind, value, sections in _refs(c):
        message = c.unknown(kind, value, *sections)
        if message:
            yield path, message
    for i, vpc in enumerate(c.m.vpcs):  # a VPC's main route table is one of its own tables
        table = c.get("route_tables", vpc.main_route_table) if vpc.main_route_table else None
        if table is not None and table.vpc != vpc.id:
            yield ("vpcs", i, "main_route_table"), (f"route table '{table.id}' belongs to VPC '{table.vpc}', "
                                                    f"not '{vpc.id}'")
    for i, node in enumerate(c.m.nodes):
        groups = {tg.id for tg in node.alb.target_groups} if node.alb else set()
        for j, listener in enumerate(node.alb.listeners if node.alb else ()):
            for k, tg in enumerate(listener.target_groups):
                message = c.unknown("target group", tg, extra=groups)
                if message:
                    yield ("nodes", i, "alb", "listeners", j, "target_groups", k), f"{message} in node '{node.id}'"
        nlb_groups = {tg.id for tg in node.nlb.target_groups} if node.nlb else set()
        for j, listener in enumerate(node.nlb.listeners if node.nlb else ()):
            message = c.unknown("target group", listener.target_group, extra=nlb_groups)
            if message:
                yield ("nodes", i, "nlb", "listeners", j, "target_group"), f"{message} in node '{node.id}'"


@rule("E051", "a node's placement subnets and VPC belong to that environment (a shared node's: to one of its "
              "environments), and to each other")
def placement_subnets_in_env(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        for env, pl in node.at.items():
            if env not in c.ids["environments"]:
                continue  # reported by E050
            mine = set(node.at) if node.shared else {env}  # one shared resource sits in one environment's VPC
            vpc = c.get("vpcs", pl.vpc)
            if vpc and vpc.env not in mine and vpc.env in c.ids["environments"]:
                yield ("nodes", i, "at", env, "vpc"), f"VPC '{vpc.id}' belongs to env '{vpc.env}', not '{env}'"
            for j, sid in enumerate(pl.subnets):
                subnet = c.get("subnets", sid)
                svpc = c.get("vpcs", subnet.vpc) if subnet else None
                if svpc and svpc.env not in mine and svpc.env in c.ids["environments"]:
                    yield ("nodes", i, "at", env, "subnets", j), (f"subnet '{sid}' is in VPC '{svpc.id}' of env "
                                                                  f"'{svpc.env}', not '{env}'")
                elif svpc and vpc and svpc.id != vpc.id:
                    yield ("nodes", i, "at", env, "subnets", j), f"subnet '{sid}' is not in VPC '{vpc.id}'"


@rule("E052", "a security-group rule's envs are a subset of its group's envs")
def rule_envs_subset(c: Ctx) -> Iterator[RuleHit]:
    for i, sg in enumerate(c.m.security_groups):
        for j, r in enumerate(sg.rules):
            for k, env in enumerate(r.envs or ()):
                if env not in sg.envs and env in c.ids["environments"]:
                    yield ("security_groups", i, "rules", j, "envs", k), (
                        f"env '{env}' is not one of security group '{sg.id}' envs ({', '.join(sg.envs)})")


@rule("E053", "a flow's source and target exist in every environment the flow lists")
def flow_endpoints_in_env(c: Ctx) -> Iterator[RuleHit]:
    for i, flow in enumerate(c.m.flows):
        for key in ("source", "target"):
            ident = getattr(flow, key)
            node, actor = c.get("nodes", ident), c.get("actors", ident)
            present = set(node.at) if node else set(actor.envs) if actor else None
            missing = [e for e in flow.envs if present is not None and e not in present
                       and e in c.ids["environments"]]
            if missing:
                yield ("flows", i, key), f"{key} '{ident}' does not exist in env {', '.join(map(repr, missing))}"


@rule("E054", "a VPC's account belongs to the VPC's environment (or serves it: shared_with)")
def account_env_consistency(c: Ctx) -> Iterator[RuleHit]:
    for i, vpc in enumerate(c.m.vpcs):
        account = c.get("accounts", vpc.account)
        known = c.ids["environments"]
        if account and account.env != vpc.env and vpc.env not in account.shared_with and vpc.env in known \
                and account.env in known:
            yield ("vpcs", i, "account"), (f"VPC '{vpc.id}' is in env '{vpc.env}' but its account "
                                           f"'{account.id}' belongs to env '{account.env}'")
