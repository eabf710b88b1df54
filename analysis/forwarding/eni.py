"""Network interfaces: where a path starts (``eni-out``) and where it is delivered (``eni-in``).

* ``eni-out``: the sender's security groups must allow the new connection outbound
  (stateful, allow-only; an SG without outbound rules allows no new connection); a
  reply leaves by the session its request set up (``MATCHED_SESSION``). The packet then
  meets the route table of the sender's subnet.
* ``eni-in``: the receiver's security groups must allow it inbound. An SG rule that
  references another SG matches only while the packet carries the sender's *private*
  address from the same VPC or a peered VPC (AWS: SG references match private IPs; NAT,
  a proxy or the Client VPN SNAT carry the translator's identity). Then what the node
  itself admits: a load balancer's listener (and WAF, and its targets), a NAT gateway
  (nothing from outside), an interface endpoint (its service).

>>> T("received", node="db", subnet="s-a", az="az-a", proto="tcp", port=5432)
'db（s-a, az-a）が tcp/5432 を受信'
"""

from __future__ import annotations

from analysis.forwarding.trace import Packet
from analysis.forwarding.walk import Walk, hop
from analysis.graph.filters import proto_match, sg_match
from analysis.graph.types import Eni
from analysis.i18n import N_, Templates, _

__all__ = ["identity_kept", "peer_sgs"]

T = Templates({
    "none": N_("（なし）"),
    "out_permitted": N_("SG {sg} 送信ルール「{purpose}」"),
    "in_permitted": N_("SG {sg} 受信ルール「{purpose}」"),
    "no_outbound": N_("送信ルールが1つもない（新しい送信接続はすべて拒否）"),
    "out_missing": N_("{proto}/{port} → {dst} を許可する送信ルールがない"),
    "out_denied": "SG {sgs}: {why}",
    "in_denied": N_("SG {sgs} に {proto}/{port} を送信元 {src}{src_sgs} から許可する受信ルールがない{extra}"),
    "src_sgs": N_("（SG {sgs}）"),
    "cvpn_extra": N_("（Client VPNはクライアントCIDRをENIアドレスに変換するため、VPN CIDRの行「{rules}」は一致しない）"),
    "session": N_("SG（ステートフル）: 往路の接続の応答として許可"),
    "session_plain": N_("往路の接続への応答を送信"),
    "received": N_("{node}（{subnet}, {az}）が {proto}/{port} を受信"),
    "reply_received": N_("{node} が応答を受信"),
    "stray_reply": N_("応答が {node} に届き、送信元に戻らない"),
})


def _names(sgs: tuple[str, ...]) -> str:
    return ", ".join(sgs) or T("none")


def identity_kept(eg, sender: Eni | None, receiver: Eni) -> bool:
    """SG references can match: the sender's private address arrives from its VPC or a peered one."""
    if sender is None:
        return False
    if sender.vpc == receiver.vpc:
        return True
    return any({a, b} == {sender.vpc, receiver.vpc} for a, b in eg.links.peerings.values())


def peer_sgs(w: Walk, sender: Eni, dst) -> tuple[tuple[str, ...], bool]:
    """The SGs of the destination as the sender's outbound rules may reference them."""
    tg = w.target
    if tg is None or dst != tg.net:
        return (), False
    same = identity_kept(w.eg, sender, tg)
    return tg.sgs, same


@hop("eni-out")
def eni_out(w: Walk, p: Packet) -> Packet | None:
    s = p.sender
    if w.reply:
        w.step(s.node, "MATCHED_SESSION", T("session") if s.sgs else T("session_plain"))
    elif s.sgs and w.recorder is not None:
        w.recorder.append(("sg-out", s, p.h.dst))
    elif s.sgs:
        sgs, same = peer_sgs(w, s, p.h.dst)
        hits = sg_match(w.eg, s.sgs, "outbound", p.h.proto, p.h.port, p.h.dst, sgs, same)
        if hits:
            h = hits[0]
            w.step(s.node, "PERMITTED", T("out_permitted", sg=h.sg, purpose=h.rule.purpose), h.location)
            w.t.used.add(f"{h.sg}#{h.index}")
        else:
            empty = not any(r.direction == "outbound" for g in s.sgs for r in w.eg.rules.get(g, ()))
            why = T("no_outbound") if empty else T("out_missing", proto=p.h.proto, port=p.h.port, dst=w.show(p.h.dst))
            w.block("SG_EGRESS_DENIED", s.node, T("out_denied", sgs=_names(s.sgs), why=why),
                    w.eg.sg_location.get(s.sgs[0]))
    return p.to("router", p.subnet or s.subnet)


def _client_cidr_rules(w: Walk, sgs: tuple[str, ...], p: Packet) -> list:
    """Inbound rules of ``sgs`` whose peer is a Client VPN client CIDR and that would admit ``p`` from it."""
    eg = w.eg
    clients = [c for n in eg.ix.nodes_in(eg.env) if n.client_vpn is not None
               for c in (eg.named(n.client_vpn.client_cidr),) if c is not None]
    return [r for sg in sgs for r in eg.rules.get(sg, ())
            if r.direction == "inbound" and proto_match(r.protocol, p.h.proto) and r.ports[0] <= p.h.port <= r.ports[1]
            and r.peer_net is not None and r.peer_net.prefixlen > 0
            and any(c.version == r.peer_net.version and c.overlaps(r.peer_net) for c in clients)]


def ingress_sg(w: Walk, e: Eni, p: Packet) -> bool:
    """The receiver's inbound SG rules; returns True when they drop the packet."""
    if not e.sgs:
        return False
    same = bool(p.h.src_sgs) and identity_kept(w.eg, p.sender, e)
    if w.recorder is not None:
        w.recorder.append(("sg-in", e, p.h.src, p.h.src_sgs if same else ()))
        return False
    hits = sg_match(w.eg, e.sgs, "inbound", p.h.proto, p.h.port, p.h.src, p.h.src_sgs, same)
    if hits:
        h = hits[0]
        w.step(e.node, "PERMITTED", T("in_permitted", sg=h.sg, purpose=h.rule.purpose), h.location)
        w.t.used.add(f"{h.sg}#{h.index}")
        return False
    extra = ""
    if "CVPN_SNAT_SOURCE_IS_ENI" in w.t.notes:
        vpn = _client_cidr_rules(w, e.sgs, p)
        if vpn:
            extra = T("cvpn_extra", rules=_("」「").join(r.rule.purpose for r in vpn))
    src_sgs = T("src_sgs", sgs=", ".join(p.h.src_sgs)) if p.h.src_sgs and same else ""
    w.block("SG_INGRESS_DENIED", e.node, T("in_denied", sgs=_names(e.sgs), proto=p.h.proto, port=p.h.port,
                                           src=w.show(p.h.src), src_sgs=src_sgs, extra=extra),
            w.eg.sg_location.get(e.sgs[0]))
    return True


def received(w: Walk, e: Eni, p: Packet) -> None:
    w.step(e.node, "RECEIVED", T("received", node=e.node, subnet=e.subnet, az=e.az, proto=p.h.proto, port=p.h.port))
    w.delivered = p


@hop("eni-in")
def eni_in(w: Walk, p: Packet) -> Packet | None:
    target = w.target
    if w.reply:
        goal = w.goal
        if goal and goal[0] == "eni" and p.node == goal[1].node and p.subnet == goal[1].subnet:
            w.step(p.node, "RECEIVED", T("reply_received", node=p.node))
            w.delivered = p
            return None
        if goal and goal[0] == "cvpn" and p.node == goal[1]:
            return p.to("cvpn-in", p.node)
        w.block("NO_RETURN_PATH", p.node, T("stray_reply", node=p.node))
        return None
    e = target if target is not None and target.node == p.node and target.subnet == p.subnet else None
    if e is None:
        return None
    from analysis.forwarding.balancers import after_ingress
    from analysis.forwarding.listening import refuse_unlistened
    denied = ingress_sg(w, e, p)
    if after_ingress(w, e, p, denied) and not refuse_unlistened(w, e.node, p.h.port):
        received(w, e, p)
    return None
