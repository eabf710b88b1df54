"""Network ACL constraints and hygiene, one small rule each.

* ``NACL_DUPLICATE_RULE_NUMBER`` (error) - two rules of one NACL share a number in the same
  direction (AWS rejects the second).
* ``NACL_SUBNET_MULTIPLE`` (error) - a subnet is associated with more than one NACL (a
  subnet has exactly one).
* ``NACL_RULE_SHADOWED`` (info) - an earlier (lower-numbered) rule of the same direction
  matches everything this rule matches (protocol, ports, CIDR), so it is never evaluated.
* ``NACL_REPLY_PORTS_PARTIAL`` (warning) - a drawn flow or a reach intent works only for the
  connections whose client port a NACL admits on the way back: the replies of the others are
  dropped (intermittent failures, the stateless-NACL pitfall AWS documents). ``reach`` calls
  such a path conditional; this says so in the review, once per flow or intent.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> [f for f in analyze(load_model()).findings if f.code.startswith("NACL_")]
[]
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from analysis.graph.build import net, ports_of
from analysis.paths.reach import UnknownEndpoint, flow_ports
from analysis.results import Finding
from analysis.review.registry import ReviewContext, rule
from analysis.i18n import _

__all__: list[str] = []  # rules register themselves


def _covers(a, b) -> bool:
    (alo, ahi), (blo, bhi) = ports_of(a.port), ports_of(b.port)
    return (a.protocol in ("all", b.protocol) and alo <= blo and bhi <= ahi
            and net(b.cidr).subnet_of(net(a.cidr)) if net(a.cidr).version == net(b.cidr).version else False)


@rule(("NACL_DUPLICATE_RULE_NUMBER", "error", "two rules of one NACL share a number in the same direction"),
      ("NACL_RULE_SHADOWED", "info", "a NACL rule is never evaluated: an earlier rule matches everything it matches"),
      ("NACL_SUBNET_MULTIPLE", "error", "a subnet is associated with more than one NACL"))
def nacl_rules(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    owners: dict[str, list[str]] = {}
    for i, n in enumerate(eg.model.nacls):
        if n.vpc not in eg.vpc_net:
            continue
        for s in n.subnets:
            owners.setdefault(s, []).append(n.id)
        dup = Counter((r.direction, r.number) for r in n.rules)
        for (direction, number), count in sorted(dup.items()):
            if count > 1:
                yield ctx.finding("NACL_DUPLICATE_RULE_NUMBER", (n.id,),
                              _("NACL {id} の {direction} にルール番号 {number} が {count} 個ある（番号は方向ごとに一意）").format(id=n.id, direction=direction, number=number, count=count),
                              eg.where("nacls", i), _("重複する番号を別の番号に振り直す"))
        order = sorted(range(len(n.rules)), key=lambda k: n.rules[k].number)
        for pos, k in enumerate(order):
            b = n.rules[k]
            a = next((n.rules[j] for j in order[:pos] if n.rules[j].direction == b.direction
                      and n.rules[j].number < b.number and _covers(n.rules[j], b)), None)
            if a is not None:
                yield ctx.finding("NACL_RULE_SHADOWED", (n.id,),
                              _("NACL {id} のルール {number}（{direction} {action}）はルール {number2}（{action2}）が先に一致するため評価されない").format(id=n.id, number=b.number, direction=b.direction, action=b.action, number2=a.number, action2=a.action), eg.where("nacls", i, "rules", k),
                              _("ルール {number} を削除するか、ルール {number2} より小さい番号にする").format(number=b.number, number2=a.number))
    for s, ids in sorted(owners.items()):
        if len(ids) > 1:
            yield ctx.finding("NACL_SUBNET_MULTIPLE", (s, *ids),
                          _("サブネット {s} が複数のNACL（{ids}）に関連付けられている（サブネットのNACLは1つ）").format(s=s, ids=', '.join(ids)),
                          eg.where_id("nacls", ids[1]), _("どちらか一方のNACLの subnets から外す"))


def _partial(ctx: ReviewContext, source: str, target: str, port: int, protocol: str):
    try:
        r = ctx.net.reach(source, target, port, protocol)
    except UnknownEndpoint:
        return None
    return next((b for b in r.blockers if b.code == "NACL_EPHEMERAL_PARTIAL"), None) if r.ok else None


@rule(("NACL_REPLY_PORTS_PARTIAL", "warning",
       "a drawn flow or a reach intent works only for part of the client's ephemeral ports (a NACL drops the other replies)"))
def reply_ports_partial(ctx: ReviewContext) -> Iterator[Finding]:
    eg = ctx.eg
    asked: list[tuple[str, str, str, int, str | None]] = []
    for i, f in enumerate(eg.model.flows):
        if eg.env in f.envs:
            protocol, ports = flow_ports(eg, f)
            asked += [(f.source, f.target, protocol, port, eg.where("flows", i)) for port in ports]
    for i, it in enumerate(eg.model.intents):
        if it.env == eg.env and it.expect == "reach" and it.port is not None and it.target_env in (None, eg.env):
            asked.append((it.source, it.target, it.protocol, it.port, eg.where("intents", i)))
    seen: set[tuple[str, str, str, int]] = set()
    for source, target, protocol, port, where in asked:
        if (source, target, protocol, port) in seen:
            continue
        seen.add((source, target, protocol, port))
        b = _partial(ctx, source, target, port, protocol)
        if b is not None:
            yield ctx.finding("NACL_REPLY_PORTS_PARTIAL", (source, target, b.node),
                              _("{source} → {target}（{protocol}/{port}）は一部の接続だけが成立する: {reason}").format(
                                  source=source, target=target, protocol=protocol, port=port, reason=b.message),
                              b.location or where,
                              _("NACLの戻り方向のルールでクライアントの一時ポートの範囲をすべて許可する（Linux 32768-60999、"
                                "Windows 49152-65535、NAT Gateway・ロードバランサー・インターネットの利用者 1024-65535）"))
