"""Component chapter rows for the further kinds: EC2, Auto Scaling, ECS on EC2,
ElastiCache, Aurora, NLB, VPC endpoints, peering, site-to-site VPN, Network Firewall.

Same shape as :mod:`render.pages.components`: one subsection per kind present in the model,
each a list of ``(heading, items)`` groups (a group per node, per environment where the
spec sits in the placement), items as ``(label, value, children)``. Wording is fixed here;
every value comes from the model.

>>> onoff(True), onoff(False)
('有効', '無効')
"""

from __future__ import annotations

from model.index import ModelIndex
from model.schema import DEFAULT_PORTS, NodeKind
from render.pages.i18n import N_, _, ngettext

__all__ = ["network_sections", "onoff"]

Item = tuple


def onoff(flag: bool) -> str:
    """'有効' (enabled) or '無効' (disabled) in the current language."""
    return _("有効") if flag else _("無効")


def _per_env(ix: ModelIndex, key: str, items_of) -> list:
    """One group per node and environment that has the placement spec ``key``."""
    groups = []
    for n in ix.model.nodes:
        for env in ix.model.environments:
            spec = getattr(n.at[env.id], key) if env.id in n.at else None
            if spec is not None:
                groups.append((_("{label}（{env}）").format(label=n.label, env=env.name), items_of(spec, n, env.id)))
    return groups


def _ec2(spec, n, env) -> list[Item]:
    return [(_("インスタンスタイプ"), spec.instance_type, ()), ("OS", spec.os, ()),
            (_("送信元/送信先チェック"), onoff(spec.source_dest_check), ())]


def _asg(spec, n, env) -> list[Item]:
    items = [(_("インスタンスタイプ"), spec.instance_type, ()), (_("インスタンス数"), f"{spec.min}-{spec.max}", ())]
    if spec.desired is not None:
        items.append((_("希望数"), str(spec.desired), ()))
    items.append((_("セキュリティグループ（起動テンプレート）"), ", ".join(n.security_groups) or _("なし"), ()))
    return items


def _ecs_ec2(spec, n, env) -> list[Item]:
    items = [(_("キャパシティ"), spec.capacity, ()), (_("ネットワークモード"), spec.network_mode, ()),
             (_("コンテナポート"), str(spec.container_port), ()), (_("タスク数"), str(spec.tasks), ())]
    if spec.network_mode == "bridge":
        items.append((_("ホストポート"), str(spec.host_port) if spec.host_port is not None else _("動的"), ()))
    return items


def _cache(spec, n, env) -> list[Item]:
    port = spec.port or DEFAULT_PORTS[spec.engine]
    return [(_("エンジン"), spec.engine, ()), (_("ノードタイプ"), spec.node_type, ()), (_("シャード"), str(spec.shards), ()),
            (_("レプリカ"), str(spec.replicas), ()), (_("クラスターモード"), onoff(spec.cluster_mode), ()),
            ("Multi-AZ", onoff(spec.multi_az), ()), (_("ポート"), str(port), ()),
            (_("サブネットグループ"), ", ".join(spec.subnet_group), ())]


def _aurora(spec, n, env) -> list[Item]:
    port = spec.port or DEFAULT_PORTS[spec.engine]
    return [(_("エンジン"), f"{spec.engine} {spec.engine_version}", ()), (_("インスタンスクラス"), spec.instance_class, ()),
            (_("構成"), _("ライター 1 + リーダー {readers}").format(readers=spec.readers), ()), (_("ポート"), str(port), ()),
            (_("暗号化"), onoff(spec.encryption), ()), (_("サブネットグループ"), ", ".join(spec.subnet_group), ())]


def _nlb(n) -> list[Item]:
    spec = n.nlb
    listeners = [(None, f"{x.protocol}:{x.port} → {x.target_group}", ()) for x in spec.listeners]
    protocols = {x.target_group: x.protocol for x in spec.listeners}
    groups = []
    for t in spec.target_groups:
        keep = onoff(t.client_ip_preserved(protocols.get(t.id, "TCP")))
        text = (_("{id}: {target}:{port}（{type}、クライアントIP保持: {keep}（既定））") if t.preserve_client_ip is None
                else _("{id}: {target}:{port}（{type}、クライアントIP保持: {keep}）")).format(
            id=t.id, target=t.target, port=t.port, type=t.target_type, keep=keep)
        groups.append((None, text, ()))
    return [(_("スキーム"), "Internet-facing" if spec.scheme == "internet-facing" else "Internal", ()),
            (_("リスナー"), None, listeners), (_("ターゲットグループ"), None, groups),
            (_("クロスゾーン"), onoff(spec.cross_zone), ())]


def _endpoint(n) -> list[Item]:
    spec = n.endpoint
    items = [(_("種類"), _("ゲートウェイ") if spec.type == "gateway" else _("インターフェイス"), ()),
             (_("サービス"), spec.service, ())]
    if spec.type == "gateway":
        items.append((_("ルートテーブル"), ", ".join(spec.route_tables), ()))
    else:
        items += [(_("プライベートDNS"), onoff(spec.private_dns), ()),
                  (_("セキュリティグループ"), ", ".join(n.security_groups) or _("なし"), ())]
    items.append((_("エンドポイントポリシー"), _("許可") if spec.policy == "allow" else _("拒否"), ()))
    return items


def _vpn(ix: ModelIndex, n) -> list[Item]:
    spec = n.vpn
    cgw = ix.nodes.get(spec.customer_gateway)
    site = cgw.customer_gateway.site if cgw is not None and cgw.customer_gateway else "-"
    items = [(_("カスタマーゲートウェイ"), _("{gateway}（{site}）").format(gateway=spec.customer_gateway, site=site), ()),
             (_("接続先"), spec.gateway, ()),
             (_("ルーティング"), _("動的（BGP）") if spec.routing == "dynamic" else _("静的"), ()),
             (_("トンネル"), ngettext("{count}本", "{count}本", spec.tunnels).format(count=spec.tunnels), ())]
    if spec.static_routes:
        items.append((_("静的ルート"), ", ".join(spec.static_routes), ()))
    return items


def _firewall(n) -> list[Item]:
    spec = n.firewall
    rules = [(None, _("{id}: {engine} 優先度{priority} {action} {protocol} {source} → {destination}").format(
                  id=r.id, engine=_("ステートレス") if r.engine == "stateless" else _("ステートフル"), priority=r.priority,
                  action=r.action, protocol=r.protocol, source=r.source, destination=r.destination)
              + (_(" ポート {port}").format(port=_port(r.port)) if r.port is not None else ""), ())
             for r in sorted(spec.rules, key=lambda r: (r.engine != "stateless", r.priority))]
    return [(_("ステートレス既定アクション"), spec.stateless_default, ()),
            (_("ステートフル既定アクション"), spec.stateful_default, ()),
            (_("ルール"), None, rules or [(None, _("なし"), ())])]


def _port(port) -> str:
    return str(port) if isinstance(port, int) else f"{port.start}-{port.end}"


def _nodes(ix: ModelIndex, kind: NodeKind, items_of) -> list:
    return [(n.label, items_of(n)) for n in ix.model.nodes if n.kind is kind]


def network_sections(ix: ModelIndex) -> list[dict]:
    """Subsections for the workload and connectivity kinds present in the model, in a fixed order."""
    candidates = [
        ("EC2", _per_env(ix, "ec2", _ec2)),
        ("Auto Scaling", _per_env(ix, "asg", _asg)),
        ("ECS on EC2", _per_env(ix, "ecs_ec2", _ecs_ec2)),
        ("ElastiCache", _per_env(ix, "elasticache", _cache)),
        ("Aurora", _per_env(ix, "aurora", _aurora)),
        ("Network Load Balancer", _nodes(ix, NodeKind.NLB, _nlb)),
        (N_("VPCエンドポイント"), _nodes(ix, NodeKind.VPC_ENDPOINT, _endpoint)),
        (N_("VPCピアリング"), [(n.label, [(_("リクエスタ"), n.peering.requester, ()), (_("アクセプタ"), n.peering.accepter, ())])
                             for n in ix.model.nodes if n.peering is not None]),
        (N_("サイト間VPN"), _nodes(ix, NodeKind.VPN_CONNECTION, lambda n: _vpn(ix, n))),
        ("Network Firewall", _nodes(ix, NodeKind.NETWORK_FIREWALL, _firewall)),
    ]
    return [{"title": _(title), "groups": groups} for title, groups in candidates if groups]
