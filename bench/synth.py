"""Synthetic models for benchmarks and scale tests: N VPCs x subnets x services x SG rules.

:func:`synth_model` builds a valid :class:`model.schema.Model` directly (no YAML): one
environment ``syn``, ``vpcs`` VPCs joined by one TGW (a few VPCs deliberately lack a
route or a propagation, and some attachments cover one AZ only, so that verdicts vary),
``subnets_per_vpc`` subnets over two AZs, services of about ten tasks each (one
``ecs-service`` node per task = one interface) spread over 1-3 subnets of a VPC, with the
service's role SG and sometimes the VPC's shared SG, and about one security group per ten
interfaces with rules drawn from a small port pool and ranges, referencing CIDRs,
named CIDRs and other SGs. With ``nacls`` > 0, that fraction of each VPC's subnets share
one NACL per VPC with a few numbered deny rules before broad allows, and reply
(ephemeral) rules that are sometimes complete, partial or missing. Deterministic for a
given seed (``nacls=0`` gives exactly the models of earlier versions).

:func:`synth_project` writes a whole buildable project instead (YAML model, views, pages,
intents, ``archdoc.toml``, ``mkdocs.yml``) for the build benchmark: ``scale`` environments
of three copies each of the starter's web stack (``archdoc init``: VPC over two AZs, ALB,
ECS service, RDS, NAT gateways, security groups, route tables, flows, intents), each copy
with its own overview and network view and a management security group of 16 rules. Scale
1 is about the city's model (24 nodes, 6 views, 18 subnets, 69 SG rules), scale 10 ten
times that; everything grows linearly with the scale (environments stay the same size).

>>> m = synth_model(interfaces=200, seed=1)
>>> sum(1 for n in m.nodes if n.kind.value == "ecs-service")
200
>>> len(m.security_groups)
20
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path

from model.schema import (Account, Document, Environment, Model, Nacl, NaclRule, NamedCidr, Node, PeeringSpec, Placement,
                          Region, RouteTable, Route, SecurityGroup, SgRule, Subnet, TgwRouteTable, Vpc)

__all__ = ["synth_model", "synth_project", "STACKS_PER_ENV"]

PORTS = (22, 80, 443, 3000, 3306, 5000, 5432, 6379, 8080, 8443, 9090, 27017)
RANGES = ((1024, 2047), (8000, 8999), (30000, 32767))
AZS = ("ap-northeast-1a", "ap-northeast-1c")


def _rule(rng: random.Random, direction: str, sg_ids: list[str], vpc_cidrs: list[str]) -> SgRule:
    kind = rng.random()
    if kind < 0.1:
        port = {"from": r[0], "to": r[1]} if (r := rng.choice(RANGES)) else None
    else:
        port = rng.choice(PORTS)
    peer = rng.random()
    if peer < 0.5:
        extra = {"sg": rng.choice(sg_ids)}
    elif peer < 0.8:
        extra = {"cidr": rng.choice(vpc_cidrs)}
    elif peer < 0.9:
        extra = {"named": "corp"}
    else:
        extra = {"cidr": "0.0.0.0/0" if direction == "outbound" else "10.0.0.0/8"}
    return SgRule(direction=direction, protocol="tcp", port=port, purpose="syn", **extra)


def synth_model(interfaces: int = 1000, vpcs: int | None = None, subnets_per_vpc: int = 4,
                sg_ratio: float = 0.1, rules_per_sg: int = 6, seed: int = 0, nacls: float = 0.0,
                peering: bool = False) -> Model:
    """A model with about ``interfaces`` interfaces and ``interfaces * sg_ratio`` security groups.

    ``peering``: the first two VPCs reach each other over a peering connection instead of the TGW.
    """
    rng = random.Random(seed)
    env = "syn"
    n_vpcs = vpcs or max(2, min(50, interfaces // 200))
    vpc_list, subnets, rts, nodes = [], [], [], []
    attachments = []
    for v in range(n_vpcs):
        vid = f"vpc-{v}"
        cidr = f"10.{v}.0.0/16"
        vpc_list.append(Vpc(id=vid, env=env, account="acct", region="ap-northeast-1", name=vid, role=f"r{v}",
                            role_name=vid, cidr=cidr))
        sids = []
        for s in range(subnets_per_vpc):
            sid = f"{vid}-s{s}"
            sids.append(sid)
            subnets.append(Subnet(id=sid, vpc=vid, name=sid, cidr=f"10.{v}.{s}.0/24", az=AZS[s % 2], tier="private-app"))
        routes = [Route(destination=cidr, target="local")]
        for w in range(n_vpcs):
            if w != v and rng.random() > 0.1:
                via = "pcx-01" if peering and {v, w} == {0, 1} else "tgw"
                routes.append(Route(destination=f"10.{w}.0.0/16", target=via))
        rts.append(RouteTable(id=f"{vid}-rt", vpc=vid, name=f"{vid}-rt", subnets=tuple(sids), routes=tuple(routes)))
        att_subnets = (sids[0],) if rng.random() < 0.15 else (sids[0], sids[1])
        nodes.append(Node(id=f"{vid}-att", kind="tgw-attachment", label="att", at={env: Placement(subnets=att_subnets)}))
        attachments.append(f"{vid}-att")
    nodes.append(Node(id="tgw", kind="tgw", label="TGW", at={env: Placement(account="acct", region="ap-northeast-1")}))
    if peering:
        nodes.append(Node(id="pcx-01", kind="vpc-peering", label="pcx", at={env: Placement()},
                          peering=PeeringSpec(requester="vpc-0", accepter="vpc-1")))
    props = tuple(a for a in attachments if rng.random() > 0.05)
    n_sgs = max(2, int(interfaces * sg_ratio))
    sg_ids = [f"sg-{i}" for i in range(n_sgs)]
    vpc_cidrs = [v.cidr for v in vpc_list] + [s.cidr for s in subnets[:: max(1, len(subnets) // 20)]]
    sgs = []
    for i, sid in enumerate(sg_ids):
        rules = [_rule(rng, "inbound" if k % 2 == 0 else "outbound", sg_ids, vpc_cidrs) for k in range(rules_per_sg)]
        sgs.append(SecurityGroup(id=sid, name=sid, section="-", envs=(env,), rules=tuple(rules)))
    # services: one per role SG (plus, for some, the VPC's shared SG), each with several tasks
    # (interfaces) spread over 1-3 subnets of its VPC; placements repeat a subnet per task
    by_vpc = {v.id: [s.id for s in subnets if s.vpc == v.id] for v in vpc_list}
    shared = {v.id: sg_ids[i % n_sgs] for i, v in enumerate(vpc_list)}
    per_service = max(1, round(interfaces / n_sgs))
    made, k = 0, 0
    while made < interfaces:
        v = f"vpc-{rng.randrange(n_vpcs)}"
        tasks = min(per_service, interfaces - made)
        spread = rng.sample(by_vpc[v], min(len(by_vpc[v]), rng.choice((1, 2, 2, 3))))
        subs = tuple(spread[t % len(spread)] for t in range(tasks))
        groups = (sg_ids[k % n_sgs],) + ((shared[v],) if rng.random() < 0.3 else ())
        for t, sub in enumerate(subs):
            nodes.append(Node(id=f"svc-{k}-{t}", kind="ecs-service", label=f"svc {k} task {t}",
                              security_groups=tuple(sorted(set(groups))), at={env: Placement(subnets=(sub,))}))
        made += tasks
        k += 1
    acls = _nacls(rng, vpc_list, by_vpc, vpc_cidrs, nacls) if nacls > 0 else ()
    return Model(
        document=Document(title="synthetic", version="0", status="-", created=dt.date(2026, 1, 1)),
        environments=(Environment(id=env, name="synthetic", short="SYN", role="production", section=1),),
        regions=(Region(id="ap-northeast-1", name="Tokyo", azs=AZS),),
        accounts=(Account(id="acct", env=env, name="acct", role_label="-", short="-"),),
        vpcs=tuple(vpc_list), subnets=tuple(subnets),
        named_cidrs=(NamedCidr(id="corp", label="corp", values={env: "10.0.0.0/12"}),),
        security_groups=tuple(sgs), route_tables=tuple(rts),
        tgw_route_tables=(TgwRouteTable(id="tgw-rt", env=env, tgw="tgw", name="tgw-rt", associations=tuple(attachments),
                                        propagations=props),),
        nodes=tuple(nodes), nacls=acls,
    )


def _nacls(rng: random.Random, vpcs, by_vpc: dict[str, list[str]], cidrs: list[str], share: float) -> tuple[Nacl, ...]:
    out = []
    for v in vpcs:
        subs = tuple(s for s in by_vpc[v.id] if rng.random() < share)
        if not subs:
            continue
        rules = []
        for direction, number in (("inbound", 50), ("outbound", 60)):
            if rng.random() < 0.6:
                rules.append(NaclRule(number=number, direction=direction, protocol="tcp", port=rng.choice(PORTS),
                                      cidr=rng.choice(cidrs), action="deny"))
        rules.append(NaclRule(number=100, direction="inbound", protocol="tcp", cidr="10.0.0.0/8", action="allow",
                              port=None if rng.random() < 0.7 else {"from": 0, "to": 32767}))
        reply = rng.random()
        if reply < 0.5:
            rules.append(NaclRule(number=100, direction="outbound", protocol="all", cidr="10.0.0.0/8", action="allow"))
        else:
            rules.append(NaclRule(number=100, direction="outbound", protocol="tcp", cidr="10.0.0.0/8", action="allow",
                                  port={"from": 0, "to": 32767}))
            if reply < 0.8:  # complete (Linux) or partial reply range; else none
                lo = 32768 if reply < 0.65 else 40000
                rules.append(NaclRule(number=110, direction="outbound", protocol="tcp", cidr="10.0.0.0/8",
                                      action="allow", port={"from": lo, "to": 65535}))
        out.append(Nacl(id=f"{v.id}-acl", vpc=v.id, subnets=subs, rules=tuple(rules)))
    return tuple(out)


STACKS_PER_ENV = 3
"""Copies of the starter stack per environment of :func:`synth_project`."""
_ID_KEYS = {"id", "vpc", "subnets", "sg", "security_groups", "source", "target", "target_groups", "subnet_group",
            "part_of", "nodes", "members", "into", "protects", "tags", "node_tags", "flow_tags"}
"""Keys whose values are ids (or tags) of one stack: renamed per copy."""
_NAME_KEYS = {"name", "label", "title", "role_name"}
_MGMT_PORTS = (22, 3389, 9090, 9100, 8125, 8443)


def _renamed(value, ids: set[str], suffix: str, k: int, key: str = ""):
    """A deep copy of one stack's item with its ids and tags suffixed and its 10.0.x addresses moved to 10.k.x."""
    if isinstance(value, dict):
        return {name: _renamed(v, ids, suffix, k, name) for name, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, ids, suffix, k, key) for v in value]
    if isinstance(value, str):
        if key in _ID_KEYS and value in ids:
            return f"{value}-{suffix}"
        if key in _NAME_KEYS:
            return f"{value} {suffix}"
        if value.startswith("10.0."):
            return f"10.{k}." + value[len("10.0."):]
    return value


def _in_env(value, env: str, key: str = ""):
    """A deep copy with the starter's environment ('prod', 'prod-account') replaced by ``env``."""
    if isinstance(value, dict):
        return {(env if name == "prod" and key == "at" else name): _in_env(v, env, name) for name, v in value.items()}
    if isinstance(value, list):
        return [_in_env(v, env, key) for v in value]
    if value == "prod" and key in ("env", "envs"):
        return env
    if value == "prod-account":
        return f"{env}-account"
    return value


def _mgmt_sg(suffix: str, k: int, env: str) -> dict:
    """A management security group of 16 rules (ports from the VPC and a /24 of operators)."""
    rules = []
    for i, port in enumerate(_MGMT_PORTS):
        rules.append({"direction": "inbound", "protocol": "tcp", "port": port, "cidr": f"10.{k}.0.0/16",
                      "purpose": f"管理 {port}"})
        rules.append({"direction": "inbound", "protocol": "tcp", "port": port, "cidr": f"172.16.{k}.0/24",
                      "purpose": f"運用端末 {port}"})
    rules += [{"direction": "outbound", "protocol": "tcp", "port": 443, "cidr": "0.0.0.0/0", "purpose": "AWS API"},
              {"direction": "outbound", "protocol": "tcp", "port": 5432, "sg": f"db-sg-{suffix}", "purpose": "DB"},
              {"direction": "outbound", "protocol": "udp", "port": 53, "cidr": f"10.{k}.0.2/32", "purpose": "DNS"},
              {"direction": "outbound", "protocol": "udp", "port": 123, "cidr": "0.0.0.0/0", "purpose": "NTP"}]
    return {"id": f"mgmt-sg-{suffix}", "name": f"管理 SG {suffix}", "section": "-", "envs": [env], "rules": rules}


def synth_project(folder: str | Path, scale: int = 1) -> Path:
    """Write a buildable project of ``scale`` environments x :data:`STACKS_PER_ENV` starter stacks
    into ``folder`` (created; must be empty or new). Returns the folder."""
    import shutil

    import yaml

    from archdoc.paths import DEFAULT_MKDOCS

    starter = Path(__file__).resolve().parent.parent / "archdoc" / "scaffold" / "starter"
    data: dict = {}
    for path in sorted((starter / "model").glob("*.yaml")):
        for section, value in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            data[section] = value
    shared = {"user", "internet", "ap-northeast-1", "prod", "prod-account"}
    stack_ids = {item["id"] for section in ("vpcs", "subnets", "route_tables", "security_groups", "nodes",
                                            "views", "intents") for item in data.get(section, [])}
    stack_ids |= {tg["id"] for node in data["nodes"] for tg in (node.get("alb") or {}).get("target_groups", [])}
    stack_ids |= {"overview"}  # the tag that selects a stack's nodes and flows for its views
    stack_ids -= shared
    out: dict[str, list] = {key: [] for key in ("environments", "accounts", "vpcs", "subnets", "route_tables",
                                                "security_groups", "nodes", "flows", "views", "intents")}
    envs = [f"e{e}" for e in range(scale)]
    for e, env in enumerate(envs):
        template_env = copy.deepcopy(data["environments"][0])
        template_env.update(id=env, name=f"環境 {e}", short=f"E{e}", section=1 if e == 0 else 10 + e)
        out["environments"].append(template_env)
        account = copy.deepcopy(data["accounts"][0])
        account.update(id=f"{env}-account", env=env, name=f"アカウント {e}")
        out["accounts"].append(account)
        for j in range(STACKS_PER_ENV):
            k = e * STACKS_PER_ENV + j
            suffix = f"{e}-{j}"
            def place(item, k=k, suffix=suffix, env=env):
                return _in_env(_renamed(item, stack_ids, suffix, k), env)
            for section in ("vpcs", "subnets", "route_tables", "security_groups", "nodes", "flows", "intents"):
                out[section] += [place(item) for item in data.get(section, [])]
            for item in out["security_groups"][-len(data["security_groups"]):]:
                item["section"] = "-"
            out["security_groups"].append(_mgmt_sg(suffix, k, env))
            section = f"{1 if e == 0 else 10 + e}.{2 * j + 1}"
            for view in data["views"]:
                overview = place(view)
                overview.update(section=section, envs=[env])
                network = dict(overview, id=f"network-{suffix}", title=f"ネットワーク {suffix}",
                               section=f"{1 if e == 0 else 10 + e}.{2 * j + 2}", include_actors=False,
                               nesting=["vpc", "az", "subnet"], show_security_groups=True)
                out["views"] += [overview, network]
    model = dict(document=data["document"], assumptions=data.get("assumptions", []), regions=data["regions"],
                 sites=[dict(site, envs=envs) for site in data["sites"]],
                 actors=[dict(actor, envs=envs) for actor in data["actors"]], **out)
    folder = Path(folder)
    (folder / "model").mkdir(parents=True, exist_ok=True)
    for section, value in model.items():
        (folder / "model" / f"{section}.yaml").write_text(
            yaml.safe_dump({section: value}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copyfile(starter / "archdoc.toml", folder / "archdoc.toml")
    shutil.copyfile(DEFAULT_MKDOCS, folder / "mkdocs.yml")
    return folder
