"""Network ACLs on a path: stateless checks where traffic crosses a subnet boundary.

AWS evaluates a subnet's NACL "when traffic enters and leaves the subnet, not as it is
routed within a subnet", rules in ascending number, first match wins, then the implicit
``*`` deny. NACLs are stateless: the *reply* of an allowed connection is a new packet to
the client's ephemeral source port and must be allowed by the opposite-direction rules.

A walk (:mod:`analysis.paths`) calls two helpers per crossing:

* :func:`leave` - the packet leaves ``subnet`` towards ``peer``: outbound rules on the
  destination port; the reply enters the subnet: inbound rules from ``peer`` on every port
  of the client's ephemeral range;
* :func:`enter` - the packet enters ``subnet`` from ``peer``: inbound rules on the
  destination port; the reply leaves: outbound rules to ``peer`` on the ephemeral range.

A forward denial is ``NACL_DENIED``; a reply denied on the whole ephemeral range is
``NO_RETURN_PATH``; a reply allowed on part of it only is ``NACL_EPHEMERAL_PARTIAL``
(conditional: it depends on the port the client picks). Each names the NACL, the rule
number (or the implicit deny) and the model line.

Ephemeral ranges (:func:`ephemeral_of`, AWS VPC guide "Ephemeral ports"): NAT gateway,
load balancers, Lambda, Client VPN and clients outside AWS (internet, on-premises; the
operating system is unknown) use 1024-65535; Linux workloads in the VPC (ECS/Fargate
tasks, EC2, batch, RDS) 32768-60999 (``net.ipv4.ip_local_port_range``).

>>> ephemeral_of(None, None), EPHEMERAL_LINUX
((1024, 65535), (32768, 60999))
"""

from __future__ import annotations

from analysis.graph.filters import NaclVerdict, nacl_check, nacl_range
from analysis.graph.build import EnvGraph, Net, PUBLIC_ADDR
from model.schema import NodeKind

__all__ = ["EPHEMERAL_LINUX", "EPHEMERAL_WIDE", "ephemeral_of", "leave", "enter", "attachment_subnet"]

EPHEMERAL_LINUX = (32768, 60999)
"""Linux clients (``ip_local_port_range`` default)."""
EPHEMERAL_WIDE = (1024, 65535)
"""NAT gateway, ELB, Lambda, Client VPN, and clients whose operating system is unknown."""

_WIDE_KINDS = frozenset({NodeKind.NAT_GATEWAY, NodeKind.ALB, NodeKind.CLIENT_VPN})


def ephemeral_of(eg: EnvGraph | None, node_id: str | None) -> tuple[int, int]:
    """The ephemeral port range a client node opens connections from (actors: the wide range)."""
    if eg is None or node_id is None or node_id not in eg.ix.nodes:
        return EPHEMERAL_WIDE
    kind = eg.ix.nodes[node_id].kind
    if kind in _WIDE_KINDS or kind.value == "lambda":
        return EPHEMERAL_WIDE
    return EPHEMERAL_LINUX


def _show(n: Net) -> str:
    return "インターネット" if n == PUBLIC_ADDR else str(n)


def _rule(v: NaclVerdict) -> str:
    return f"ルール {v.rule_number}" if v.rule_number is not None else "暗黙の拒否（*）"


def _forward(eg: EnvGraph, t, subnet: str, direction: str, p, peer: Net) -> None:
    v = nacl_check(eg, subnet, direction, p.proto, p.port, peer)
    if v.default:
        t.note("ASSUMED_DEFAULT_NACL")
    elif v.allowed:
        t.hop(subnet, "PERMITTED", f"NACL {v.nacl} ルール {v.rule_number}（{direction} {p.proto}/{p.port}、"
              f"{'宛先' if direction == 'outbound' else '送信元'} {_show(peer)}）", v.location)
    else:
        t.block("NACL_DENIED", subnet, f"NACL {v.nacl}（{subnet}）の{_rule(v)} が {direction} {p.proto}/{p.port}"
                f"（{'宛先' if direction == 'outbound' else '送信元'} {_show(peer)}）を拒否（SUBNET_ACL_RESTRICTION）",
                v.location)


def _reply(eg: EnvGraph, t, subnet: str, direction: str, p, eph: tuple[int, int], peer: Net) -> None:
    runs = nacl_range(eg, subnet, direction, p.proto, eph[0], eph[1], peer)
    if runs[0][2].default:
        t.note("ASSUMED_DEFAULT_NACL")
        return
    ok = [(a, b, v) for a, b, v in runs if v.allowed]
    bad = [(a, b, v) for a, b, v in runs if not v.allowed]
    nacl = runs[0][2].nacl
    span = f"{eph[0]}-{eph[1]}"
    side = "宛先" if direction == "outbound" else "送信元"
    if not bad:
        rules = ", ".join(dict.fromkeys(str(v.rule_number) for _, _, v in ok))
        t.hop(subnet, "PERMITTED", f"NACL {nacl} ルール {rules}（戻り {direction} {p.proto}/{span}、{side} {_show(peer)}）",
              ok[0][2].location)
        return
    a, b, v = bad[0]
    where = f"NACL {nacl}（{subnet}）の{_rule(v)} が戻りの {direction} {p.proto}/{a}-{b}（{side} {_show(peer)}）を拒否"
    if not ok:
        t.block("NO_RETURN_PATH", subnet, f"応答が戻れない: {where}。NACLはステートレスで、応答はクライアントの一時ポート"
                f" {span} 宛ての新しいパケットとして評価される", v.location)
    else:
        allowed = ", ".join(f"{x}-{y}" for x, y, _ in ok)
        t.block("NACL_EPHEMERAL_PARTIAL", subnet, f"{where}。一時ポート {span} のうち {allowed} のみ許可され、"
                "クライアントが選ぶポート次第で応答が落ちる", v.location)


def leave(eg: EnvGraph, t, subnet: str, p, peer: Net, eph: tuple[int, int]) -> None:
    """The packet leaves ``subnet`` towards ``peer``; its reply (to ports ``eph``) comes back in."""
    _forward(eg, t, subnet, "outbound", p, peer)
    _reply(eg, t, subnet, "inbound", p, eph, peer)


def enter(eg: EnvGraph, t, subnet: str, p, peer: Net, eph: tuple[int, int]) -> None:
    """The packet enters ``subnet`` from ``peer``; its reply (to ports ``eph``) goes back out."""
    _forward(eg, t, subnet, "inbound", p, peer)
    _reply(eg, t, subnet, "outbound", p, eph, peer)


def attachment_subnet(eg: EnvGraph, att: str, az: str) -> str | None:
    """The subnet of TGW attachment ``att`` in ``az`` (where its ENI sits), if any."""
    return next((s for s in eg.attachments.get(att, ()) if eg.ix.subnets[s].az == az), None)
