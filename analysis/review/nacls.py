"""Network ACL constraints and hygiene, one small rule each.

* ``NACL_DUPLICATE_RULE_NUMBER`` (error) - two rules of one NACL share a number in the same
  direction (AWS rejects the second).
* ``NACL_SUBNET_MULTIPLE`` (error) - a subnet is associated with more than one NACL (a
  subnet has exactly one).
* ``NACL_RULE_SHADOWED`` (info) - an earlier (lower-numbered) rule of the same direction
  matches everything this rule matches (protocol, ports, CIDR), so it is never evaluated.

>>> from model.loader import load_model
>>> from analysis.analyze import analyze
>>> [f for f in analyze(load_model()).findings if f.code.startswith("NACL_")]
[]
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from analysis.graph.build import net, ports_of
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
