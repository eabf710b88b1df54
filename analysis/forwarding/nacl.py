"""Subnet boundaries: the network ACL a packet meets where it leaves or enters a subnet.

AWS evaluates a subnet's NACL "when traffic enters and leaves the subnet, not as it is
routed within a subnet", rules in ascending number, first match wins, then the implicit
``*`` deny (:func:`analysis.graph.filters.nacl_check`). NACLs are stateless: the *reply*
of an allowed connection is a new packet to the client's ephemeral port, traced back by
the same engine and evaluated here on the whole ephemeral range
(:func:`analysis.graph.filters.nacl_range`). Outbound rules see the destination,
inbound rules the source.

A forward denial is ``NACL_DENIED``; a reply denied on the whole ephemeral range is
``NO_RETURN_PATH``; a reply allowed on part of it only is ``NACL_EPHEMERAL_PARTIAL``
(conditional: it depends on the port the client picks). Each names the NACL, the rule
number (or the implicit deny) and the model line.

Ephemeral ranges (:func:`ephemeral_of`, AWS VPC guide "Ephemeral ports"): NAT gateway,
load balancers, Lambda, Client VPN and clients outside AWS (internet, on-premises; the
operating system is unknown) use 1024-65535; Windows instances 49152-65535; Linux
workloads in the VPC (ECS tasks, EC2, batch, RDS) 32768-60999 (``ip_local_port_range``).

>>> ephemeral_of(None, None), EPHEMERAL_LINUX
((1024, 65535), (32768, 60999))
"""

from __future__ import annotations

from analysis.forwarding.trace import EPHEMERAL_LINUX, EPHEMERAL_WIDE, EPHEMERAL_WINDOWS, Header
from analysis.graph.build import EnvGraph
from analysis.graph.filters import NaclVerdict, nacl_check, nacl_range
from analysis.i18n import N_, Templates
from model.schema import NodeKind

__all__ = ["EPHEMERAL_LINUX", "EPHEMERAL_WIDE", "ephemeral_of", "check", "attachment_subnet"]

_WIDE_KINDS = frozenset({NodeKind.NAT_GATEWAY, NodeKind.ALB, NodeKind.NLB, NodeKind.CLIENT_VPN})

T = Templates({
    "rule": N_("ルール {number}"),
    "implicit": N_("暗黙の拒否（*）"),
    "dst": N_("宛先"),
    "src": N_("送信元"),
    "internet": N_("インターネット"),
    "permitted": N_("NACL {nacl} ルール {number}（{direction} {proto}/{port}、{side} {peer}）"),
    "denied": N_("NACL {nacl}（{subnet}）の{rule} が {direction} {proto}/{port}（{side} {peer}）を拒否（SUBNET_ACL_RESTRICTION）"),
    "reply_permitted": N_("NACL {nacl} ルール {rules}（戻り {direction} {proto}/{span}、{side} {peer}）"),
    "reply_where": N_("NACL {nacl}（{subnet}）の{rule} が戻りの {direction} {proto}/{lo}-{hi}（{side} {peer}）を拒否"),
    "reply_denied": N_("応答が戻れない: {where}。NACLはステートレスで、応答はクライアントの一時ポート {span} 宛ての新しいパケットとして評価される"),
    "reply_partial": N_("{where}。一時ポート {span} のうち {allowed} のみ許可され、クライアントが選ぶポート次第で応答が落ちる"),
})


def ephemeral_of(eg: EnvGraph | None, node_id: str | None) -> tuple[int, int]:
    """The ephemeral port range a client node opens connections from (actors: the wide range)."""
    if eg is None or node_id is None or node_id not in eg.ix.nodes:
        return EPHEMERAL_WIDE
    node = eg.ix.nodes[node_id]
    if node.kind in _WIDE_KINDS or node.kind.value == "lambda":
        return EPHEMERAL_WIDE
    spec = node.at[eg.env].ec2 or node.at[eg.env].asg if eg.env in node.at else None
    if spec is not None and spec.os == "windows":
        return EPHEMERAL_WINDOWS
    return EPHEMERAL_LINUX


def _rule(v: NaclVerdict) -> str:
    return T("rule", number=v.rule_number) if v.rule_number is not None else T("implicit")


def _peer(w, n) -> str:
    return T("internet") if n == w.plan.internet else w.show(n)


def _forward(w, subnet: str, direction: str, h: Header, peer) -> None:
    v = nacl_check(w.eg, subnet, direction, h.proto, h.port, peer)
    side = T("dst") if direction == "outbound" else T("src")
    if v.default:
        w.note("ASSUMED_DEFAULT_NACL")
    elif v.allowed:
        w.step(subnet, "PERMITTED", T("permitted", nacl=v.nacl, number=v.rule_number, direction=direction,
                                      proto=h.proto, port=h.port, side=side, peer=_peer(w, peer)), v.location)
    else:
        w.block("NACL_DENIED", subnet, T("denied", nacl=v.nacl, subnet=subnet, rule=_rule(v), direction=direction,
                                         proto=h.proto, port=h.port, side=side, peer=_peer(w, peer)), v.location)


def _reply(w, subnet: str, direction: str, h: Header, peer) -> None:
    eph = h.eph
    runs = nacl_range(w.eg, subnet, direction, h.proto, eph[0], eph[1], peer)
    if runs[0][2].default:
        w.note("ASSUMED_DEFAULT_NACL")
        return
    ok = [(a, b, v) for a, b, v in runs if v.allowed]
    bad = [(a, b, v) for a, b, v in runs if not v.allowed]
    nacl = runs[0][2].nacl
    span = f"{eph[0]}-{eph[1]}"
    side = T("dst") if direction == "outbound" else T("src")
    if not bad:
        rules = ", ".join(dict.fromkeys(str(v.rule_number) for _, _, v in ok))
        w.step(subnet, "PERMITTED", T("reply_permitted", nacl=nacl, rules=rules, direction=direction, proto=h.proto,
                                      span=span, side=side, peer=_peer(w, peer)), ok[0][2].location)
        return
    a, b, v = bad[0]
    where = T("reply_where", nacl=nacl, subnet=subnet, rule=_rule(v), direction=direction, proto=h.proto, lo=a, hi=b,
              side=side, peer=_peer(w, peer))
    if not ok:
        w.block("NO_RETURN_PATH", subnet, T("reply_denied", where=where, span=span), v.location)
    else:
        allowed = ", ".join(f"{x}-{y}" for x, y, _ in ok)
        w.block("NACL_EPHEMERAL_PARTIAL", subnet, T("reply_partial", where=where, span=span, allowed=allowed),
                v.location)


def check(w, subnet: str, direction: str, h: Header) -> None:
    """The NACL of ``subnet`` on the packet leaving (outbound) or entering (inbound) it."""
    peer = h.dst if direction == "outbound" else h.src
    if h.reply:
        _reply(w, subnet, direction, h, peer)
    else:
        _forward(w, subnet, direction, h, peer)


def attachment_subnet(eg: EnvGraph, att: str, az: str | None) -> str | None:
    """The subnet of TGW attachment ``att`` in ``az`` (where its ENI sits), if any."""
    return next((s for s in eg.attachments.get(att, ()) if eg.ix.subnets[s].az == az), None)
