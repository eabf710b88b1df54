"""Isolation requirements: environments and tiers that must stay apart (``must_not_reach``).

* ``envs`` - for each environment named: (1) the two use no common account
  (Well-Architected SEC01-BP01: separate workloads using accounts). A component of one placed
  in an account of the other shares that account. A *network account* that declares it serves
  both (``shared_with``) and holds only network objects of theirs (shared nodes, gateways,
  attachments, firewalls, endpoints, in network VPCs) is not a breach by itself: a Transit
  Gateway shared through AWS RAM from a network account is the usual multi-account design;
  (2) no network path joins them (SEC05-BP01: control traffic between network layers): when a
  shared object puts both in one network scope, every source of either environment is asked
  for every private address and listening port of the other's nodes
  (:func:`analysis.paths.across.crossings`); the first path that works breaks the requirement,
  located at the hop where it crosses (a shared TGW route table's route, typically).
  Environments that share no network object cannot reach each other, and the row says so.
  Both report ``ENV_ISOLATION_BROKEN``.
* ``tiers`` - no outside party (for an environment) or the component itself (for a
  component) reaches any node of the tier on a port it listens on (``TIER_ISOLATION_BROKEN``).

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> [(r.env, r.component, r.status) for r in analyze(load_model()).requirements if r.key == "must_not_reach"]
[('prod', 'poc', 'kept')]
"""

from __future__ import annotations

from typing import Iterator

from analysis.paths.across import cross_targets, crossing_hop, crossings
from analysis.paths.reach import listening_ports
from analysis.requirements.network import tier_nodes
from analysis.requirements.rows import CheckContext, Outcome, check
from analysis.i18n import N_, Templates, _
from model.schema import Node, NodeKind

__all__ = ["accounts_used", "network_accounts", "NETWORK_KINDS"]

T = Templates({
    "isolated": N_("共通のアカウントなし（{env}: {mine} / {other}: {theirs}）"),
    "apart": N_("共通のアカウントなし（{env}: {mine} / {other}: {theirs}）。共有するネットワーク（TGW・Direct Connect "
             "Gateway・Client VPNエンドポイント・VPN接続）もなく、環境をまたぐ経路はない"),
    "no_path": N_("共通のアカウントは共有ネットワークアカウント {accounts} のみ（{shared} を共有）。{env} と {other} の間に"
               "届く経路はない（両方向、{pairs} 組を確認）"),
    "no_path_plain": N_("共通のアカウントなし。共有ネットワーク（{shared}）で結ばれているが、{env} と {other} の間に"
                     "届く経路はない（両方向、{pairs} 組を確認）"),
    "shared": N_("{node} が{env}環境のアカウント {account} に置かれ、{other}環境と共有している"),
    "path": N_("{source} から {target}（{proto}/{port}）に到達できる: {crossing}"),
    "tier_closed": N_("{sources} から{tier}層（{targets}）に到達できない"),
    "tier_open": N_("{source} から{tier}層の {target}（{port}）に到達できる"),
})


def accounts_used(c: CheckContext, env: str) -> dict[str, tuple[str, str]]:
    """Account id -> (component or '', where) for every account ``env`` owns or places a VPC or a
    component in (its VPC, else the first component that is not a shared network object, else
    the first)."""
    ix = c.eg.ix
    out = {a.id: ("", c.eg.where_id("accounts", a.id)) for a in ix.accounts_in(env)}
    for v in ix.vpcs_in(env):  # a VPC in another environment's account is what put it there
        if v.account not in out:
            out[v.account] = (v.id, c.eg.where_id("vpcs", v.id, "account"))
    for n in ix.nodes_in(env):
        account = ix.locate(n.id, env).account
        first = out.get(account, ("", None))[0]
        if account and (account not in out or (first in ix.nodes and ix.nodes[first].shared and not n.shared)):
            out[account] = (n.id, c.eg.where_id("nodes", n.id, "at", env, "account"))
    return out


NETWORK_KINDS = frozenset({NodeKind.TGW, NodeKind.TGW_ATTACHMENT, NodeKind.DX_GATEWAY, NodeKind.CLIENT_VPN,
                           NodeKind.VPN_CONNECTION, NodeKind.CUSTOMER_GATEWAY, NodeKind.VGW, NodeKind.IGW,
                           NodeKind.NAT_GATEWAY, NodeKind.NETWORK_FIREWALL, NodeKind.VPC_ENDPOINT, NodeKind.VPC_PEERING})
"""What a network account holds: gateways, attachments, firewalls, endpoints, VPN (no workloads)."""


def network_accounts(c: CheckContext, envs: tuple[str, ...]) -> set[str]:
    """Accounts that declare they serve every one of ``envs`` and in which those environments place
    network objects only (shared nodes, gateways, attachments, firewalls, endpoints; network VPCs
    holding them): network accounts, not shared workload accounts."""
    ix = c.eg.ix
    out = set()
    for a in ix.model.accounts:
        if not set(envs) <= {a.env, *a.shared_with}:
            continue
        placed = [n for e in envs for n in ix.nodes_in(e) if ix.locate(n.id, e).account == a.id]
        if all(n.shared or n.kind in NETWORK_KINDS for n in placed):
            out.add(a.id)
    return out


def _components(c: CheckContext) -> list[Node | None]:
    return [None] + [n for n in c.nodes() if n.at[c.env].requirements.must_not_reach is not None]


def _expected(item) -> str:
    return _("到達しない: {targets}").format(targets=", ".join([*item.envs, *(_("{tier}層").format(tier=t) for t in item.tiers)]))


def _paths(c: CheckContext, other: str) -> tuple[Outcome | None, int]:
    """The first working path between ``c``'s environment and ``other`` (either way), and how many pairs were asked."""
    asked = 0
    for q, env in ((c.net, other), (c.net.peer(other), c.env)):
        for r in crossings(q, env):
            hop = crossing_hop(r)
            words = T("path", source=r.source, target=r.target, proto=r.protocol, port=r.port,
                      crossing=hop.reason if hop is not None else r.hops[-1].reason)
            return Outcome.broken(words, hop.location if hop is not None else None, "ENV_ISOLATION_BROKEN"), asked
        asked += len(q.sources) * len(cross_targets(q, env))
    return None, asked


def _environments(c: CheckContext, other: str) -> Outcome:
    mine, theirs = accounts_used(c, c.env), accounts_used(c, other)
    network = network_accounts(c, (c.env, other))
    common = sorted(set(mine) & set(theirs))
    shared = [a for a in common if a not in network]
    if shared:
        a = shared[0]
        node, where = mine[a] if mine[a][0] else theirs[a]
        owner = c.eg.ix.accounts[a].env if a in c.eg.ix.accounts else "?"
        return Outcome.broken(T("shared", node=node or a, env=owner, account=a,
                                other=other if owner == c.env else c.env), where, "ENV_ISOLATION_BROKEN")
    first = next(iter(mine.values()), ("", None))[1]
    scope = c.eg.scope
    if scope is None or other not in scope.envs:
        return Outcome.kept(T("apart", env=c.env, mine=", ".join(mine), other=other, theirs=", ".join(theirs)), first)
    broken, asked = _paths(c, other)
    if broken is not None:
        return broken
    objects = ", ".join(scope.shared)
    if common:
        return Outcome.kept(T("no_path", accounts=", ".join(common), shared=objects, env=c.env, other=other,
                              pairs=asked), first)
    return Outcome.kept(T("no_path_plain", shared=objects, env=c.env, other=other, pairs=asked), first)


def _tier(c: CheckContext, sources: list[str], tier: str) -> Outcome:
    targets = [n.id for n in tier_nodes(c, tier)]
    for s in sources:
        for t in targets:
            if t == s:
                continue
            for port in listening_ports(c.eg, t):
                r = c.net.reach(s, t, port)
                if r.ok:
                    rule = next((ref for sg, refs in c.eg.rules.items() for ref in refs
                                 if f"{sg}#{ref.index}" in r.rules and sg in c.eg.enis[t][0].sgs), None)
                    return Outcome.broken(T("tier_open", source=s, tier=tier, target=t, port=port),
                                          rule.location if rule else c.where_node(t), "TIER_ISOLATION_BROKEN")
    return Outcome.kept(T("tier_closed", sources=", ".join(sources), tier=tier, targets=", ".join(targets)))


@check("must_not_reach", N_("環境・層の分離"), _components, _expected, ("ENV_ISOLATION_BROKEN", "TIER_ISOLATION_BROKEN"),
       inherit=False)
def isolation(c: CheckContext, scope: Node | None, item) -> Iterator[tuple[str, Outcome]]:
    if scope is None:
        for other in item.envs:
            yield other, _environments(c, other)
        sources = [a.id for a in c.eg.ix.actors_in(c.env)]
    else:
        sources = [scope.id]
    for tier in item.tiers:
        yield (scope.id if scope is not None else _("{tier}層").format(tier=tier)), _tier(c, sources, tier)
