"""Section 5 rows for the components beyond the seed: EC2, Auto Scaling, ECS on EC2,
ElastiCache, Aurora, NLB, VPC endpoints, peering, site-to-site VPN, Network Firewall.

Same shape as :mod:`render.pages.components`: one subsection per kind present in the model,
each a list of ``(heading, items)`` groups (a group per node, per environment where the
spec sits in the placement), items as ``(label, value, children)``. Wording is fixed here;
every value comes from the model.

>>> _onoff(True), _onoff(False)
('有効', '無効')
"""

from __future__ import annotations

from model.index import ModelIndex
from model.schema import DEFAULT_PORTS, NodeKind

__all__ = ["network_sections"]

Item = tuple


def _onoff(flag: bool) -> str:
    return "有効" if flag else "無効"


def _per_env(ix: ModelIndex, key: str, items_of) -> list:
    """One group per node and environment that has the placement spec ``key``."""
    groups = []
    for n in ix.model.nodes:
        for env in ix.model.environments:
            spec = getattr(n.at[env.id], key) if env.id in n.at else None
            if spec is not None:
                groups.append((f"{n.label}（{env.name}）", items_of(spec, n, env.id)))
    return groups


def _ec2(spec, n, env) -> list[Item]:
    return [("インスタンスタイプ", spec.instance_type, ()), ("OS", spec.os, ()),
            ("送信元/送信先チェック", _onoff(spec.source_dest_check), ())]


def _asg(spec, n, env) -> list[Item]:
    items = [("インスタンスタイプ", spec.instance_type, ()), ("インスタンス数", f"{spec.min}-{spec.max}", ())]
    if spec.desired is not None:
        items.append(("希望数", str(spec.desired), ()))
    items.append(("セキュリティグループ（起動テンプレート）", ", ".join(n.security_groups) or "なし", ()))
    return items


def _ecs_ec2(spec, n, env) -> list[Item]:
    items = [("キャパシティ", spec.capacity, ()), ("ネットワークモード", spec.network_mode, ()),
             ("コンテナポート", str(spec.container_port), ()), ("タスク数", str(spec.tasks), ())]
    if spec.network_mode == "bridge":
        items.append(("ホストポート", str(spec.host_port) if spec.host_port is not None else "動的", ()))
    return items


def _cache(spec, n, env) -> list[Item]:
    port = spec.port or DEFAULT_PORTS[spec.engine]
    return [("エンジン", spec.engine, ()), ("ノードタイプ", spec.node_type, ()), ("シャード", str(spec.shards), ()),
            ("レプリカ", str(spec.replicas), ()), ("クラスターモード", _onoff(spec.cluster_mode), ()),
            ("Multi-AZ", _onoff(spec.multi_az), ()), ("ポート", str(port), ()),
            ("サブネットグループ", ", ".join(spec.subnet_group), ())]


def _aurora(spec, n, env) -> list[Item]:
    port = spec.port or DEFAULT_PORTS[spec.engine]
    return [("エンジン", f"{spec.engine} {spec.engine_version}", ()), ("インスタンスクラス", spec.instance_class, ()),
            ("構成", f"ライター 1 + リーダー {spec.readers}", ()), ("ポート", str(port), ()),
            ("暗号化", _onoff(spec.encryption), ()), ("サブネットグループ", ", ".join(spec.subnet_group), ())]


def _nlb(n) -> list[Item]:
    spec = n.nlb
    listeners = [(None, f"{x.protocol}:{x.port} → {x.target_group}", ()) for x in spec.listeners]
    protocols = {x.target_group: x.protocol for x in spec.listeners}
    groups = []
    for t in spec.target_groups:
        keep = _onoff(t.client_ip_preserved(protocols.get(t.id, "TCP")))
        text = f"{t.id}: {t.target}:{t.port}（{t.target_type}、クライアントIP保持: {keep}" + \
            ("（既定）" if t.preserve_client_ip is None else "") + "）"
        groups.append((None, text, ()))
    return [("スキーム", "Internet-facing" if spec.scheme == "internet-facing" else "Internal", ()),
            ("リスナー", None, listeners), ("ターゲットグループ", None, groups),
            ("クロスゾーン", _onoff(spec.cross_zone), ())]


def _endpoint(n) -> list[Item]:
    spec = n.endpoint
    items = [("種類", "ゲートウェイ" if spec.type == "gateway" else "インターフェイス", ()), ("サービス", spec.service, ())]
    if spec.type == "gateway":
        items.append(("ルートテーブル", ", ".join(spec.route_tables), ()))
    else:
        items += [("プライベートDNS", _onoff(spec.private_dns), ()),
                  ("セキュリティグループ", ", ".join(n.security_groups) or "なし", ())]
    items.append(("エンドポイントポリシー", "許可" if spec.policy == "allow" else "拒否", ()))
    return items


def _vpn(ix: ModelIndex, n) -> list[Item]:
    spec = n.vpn
    cgw = ix.nodes.get(spec.customer_gateway)
    site = cgw.customer_gateway.site if cgw is not None and cgw.customer_gateway else "-"
    items = [("カスタマーゲートウェイ", f"{spec.customer_gateway}（{site}）", ()), ("接続先", spec.gateway, ()),
             ("ルーティング", "動的（BGP）" if spec.routing == "dynamic" else "静的", ()), ("トンネル", f"{spec.tunnels}本", ())]
    if spec.static_routes:
        items.append(("静的ルート", ", ".join(spec.static_routes), ()))
    return items


def _firewall(n) -> list[Item]:
    spec = n.firewall
    rules = [(None, f"{r.id}: {'ステートレス' if r.engine == 'stateless' else 'ステートフル'} 優先度{r.priority} {r.action} "
                    f"{r.protocol} {r.source} → {r.destination}" + (f" ポート {_port(r.port)}" if r.port is not None else ""),
              ()) for r in sorted(spec.rules, key=lambda r: (r.engine != "stateless", r.priority))]
    return [("ステートレス既定アクション", spec.stateless_default, ()), ("ステートフル既定アクション", spec.stateful_default, ()),
            ("ルール", None, rules or [(None, "なし", ())])]


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
        ("VPCエンドポイント", _nodes(ix, NodeKind.VPC_ENDPOINT, _endpoint)),
        ("VPCピアリング", [(n.label, [("リクエスタ", n.peering.requester, ()), ("アクセプタ", n.peering.accepter, ())])
                       for n in ix.model.nodes if n.peering is not None]),
        ("サイト間VPN", _nodes(ix, NodeKind.VPN_CONNECTION, lambda n: _vpn(ix, n))),
        ("Network Firewall", _nodes(ix, NodeKind.NETWORK_FIREWALL, _firewall)),
    ]
    return [{"title": title, "groups": groups} for title, groups in candidates if groups]
