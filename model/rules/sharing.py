"""Network objects shared by several environments: what makes one resource serve them all.

A node marked ``shared: true`` is *one* resource in every environment of its ``at`` (a
Transit Gateway in a network account, shared through AWS RAM with the environments'
accounts); the analysis then joins those environments into one network. Without the
marker a node listed in several environments stands for one resource per environment in
the same role, as the city's POC and production TGWs do.

* ``E055`` - only network objects can be shared (a TGW, Direct Connect gateway, Client VPN
  endpoint, site-to-site VPN connection or customer gateway), and a shared node is placed in
  two or more environments.
* ``E056`` - a shared node is one resource: the same place (VPC, subnets, account, region) in
  each of its environments, in an account that serves every one of them (``env`` or
  ``shared_with``): AWS RAM shares a resource from the account that owns it.
* ``E057`` - an attachment that a shared TGW's route tables name is one resource too: a VPC
  attachment belongs to one environment (its VPC's); a DX gateway or VPN connection placed in
  several environments is marked shared. Otherwise a route table could not say which
  environment's attachment it means.

>>> from model.rules.registry import RULES
>>> [r.code for r in RULES if r.func.__module__ == __name__]
['E055', 'E056', 'E057']
"""

from __future__ import annotations

from typing import Iterator

from model.rules.registry import Ctx, RuleHit, rule
from model.schema import NodeKind

__all__ = ["SHAREABLE", "shared_kinds", "one_resource", "shared_tgw_attachments"]

SHAREABLE = frozenset({NodeKind.TGW, NodeKind.DX_GATEWAY, NodeKind.CLIENT_VPN, NodeKind.VPN_CONNECTION,
                       NodeKind.CUSTOMER_GATEWAY})
"""Kinds AWS lets several accounts use as one resource (RAM shares, DX gateway associations)."""


@rule("E055", "only network objects are shared (tgw, dx-gateway, client-vpn, vpn-connection, customer-gateway), "
              "in two or more environments")
def shared_kinds(c: Ctx) -> Iterator[RuleHit]:
    kinds = ", ".join(sorted(k.value for k in SHAREABLE))
    for i, node in enumerate(c.m.nodes):
        if not node.shared:
            continue
        if node.kind not in SHAREABLE:
            yield ("nodes", i, "shared"), (f"a {node.kind.value} node ('{node.id}') cannot be shared between "
                                           f"environments (shareable kinds: {kinds})")
        elif len(node.at) < 2:
            yield ("nodes", i, "shared"), (f"shared node '{node.id}' is placed in one environment only "
                                           f"({', '.join(node.at)}); list every environment it serves in 'at'")


def _account_of(c: Ctx, pl) -> str | None:
    """The account a placement resolves to: its VPC's (directly or through its subnets), else its own."""
    vpc = c.get("vpcs", pl.vpc) if pl.vpc else None
    if vpc is None and pl.subnets:
        subnet = c.get("subnets", pl.subnets[0])
        vpc = c.get("vpcs", subnet.vpc) if subnet else None
    return vpc.account if vpc is not None else pl.account


@rule("E056", "a shared node is one resource: the same VPC, subnets, account and region in each of its "
              "environments, in an account that serves them all (env or shared_with)")
def one_resource(c: Ctx) -> Iterator[RuleHit]:
    for i, node in enumerate(c.m.nodes):
        if not node.shared or node.kind not in SHAREABLE or len(node.at) < 2:
            continue
        envs = list(node.at)
        first = node.at[envs[0]]
        where = (first.vpc, first.subnets, _account_of(c, first), first.region)
        for env in envs[1:]:
            pl = node.at[env]
            if (pl.vpc, pl.subnets, _account_of(c, pl), pl.region) != where:
                yield ("nodes", i, "at", env), (f"shared node '{node.id}' is placed differently in env '{env}' "
                                                f"than in env '{envs[0]}' (one resource has one place)")
        account = c.get("accounts", where[2])
        if where[2] is None:
            yield ("nodes", i, "at", envs[0]), (f"shared node '{node.id}' names no account (write the network "
                                                f"account that shares it: at.<env>.account or its VPC's)")
        elif account is not None:
            served = {account.env, *account.shared_with}
            missing = [e for e in envs if e not in served]
            if missing:
                yield ("nodes", i, "at", missing[0]), (
                    f"account '{account.id}' of shared node '{node.id}' does not serve env "
                    f"'{missing[0]}' (add it to the account's shared_with)")


def _shared_tgws(c: Ctx) -> set[str]:
    return {n.id for n in c.m.nodes if n.shared and n.kind is NodeKind.TGW}


@rule("E057", "an attachment named by a shared TGW's route tables is one resource: a VPC attachment is placed in "
              "one environment; a DX gateway or VPN connection in several is shared")
def shared_tgw_attachments(c: Ctx) -> Iterator[RuleHit]:
    tgws = _shared_tgws(c)
    seen: set[str] = set()
    for i, table in enumerate(c.m.tgw_route_tables):
        if table.tgw not in tgws:
            continue
        named = [(("associations", j), a) for j, a in enumerate(table.associations)]
        named += [(("propagations", j), a) for j, a in enumerate(table.propagations)]
        named += [(("routes", j, "attachment"), r.attachment) for j, r in enumerate(table.routes) if r.attachment]
        for keys, att in named:
            node = c.get("nodes", att)
            if node is None or att in seen or len(node.at) < 2 or node.shared:
                continue
            seen.add(att)
            yield ("tgw_route_tables", i, *keys), (
                f"attachment '{att}' of shared TGW '{table.tgw}' is placed in envs {', '.join(node.at)}: give each "
                f"environment's attachment its own id" + (" (or mark it shared)" if node.kind in SHAREABLE else ""))
