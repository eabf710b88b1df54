"""Glosses of the analysis codes, for approvers who read the pages and the PDF.

The codes themselves stay English and stable (tools and CI match them); each page that
shows one also says in the document's language what it means. The tables hold the Japanese
gloss as the msgid of the ``pages`` domain; :func:`gloss` translates it (the English catalog
holds each code's English gloss). The analysis registers every code with an English
description (``analysis.review.registry.CODES``, ``analysis.results.BLOCKER_CODES``); a test
checks that every registered code has a gloss here.

>>> gloss("SG_INGRESS_DENIED")
'宛先のSGの受信ルールが許可していない'
>>> gloss("A_CODE_FROM_A_NEWER_ANALYSIS")
''
"""

from __future__ import annotations

from render.pages.i18n import N_, _

__all__ = ["FINDING_GLOSS", "BLOCKER_GLOSS", "gloss", "with_gloss"]

FINDING_GLOSS: dict[str, str] = {
    "ALB_INTERNET_FACING_NO_IGW_ROUTE": N_("インターネット向けALBのサブネットにIGWへのルートがない"),
    "ALB_LISTENER_NOT_ADMITTED": N_("ALBのリスナーのポートに届く送信元がない"),
    "ALB_NO_HTTPS_LISTENER": N_("インターネット向けロードバランサーにHTTPSリスナーがない"),
    "ALB_SUBNETS_SINGLE_AZ": N_("ALBのサブネットが2AZ未満"),
    "ALB_TARGET_NOT_ADMITTED": N_("ロードバランサーからターゲットのポート・ヘルスチェックポートに届かない"),
    "ALB_TARGET_PORT_MISMATCH": N_("ターゲットグループのポートがコンテナのポートと違う"),
    "AZ_SINGLE_POINT_OF_FAILURE": N_("1つのAZの障害で止まる構成要素がある（AZ障害に耐える要件に反する）"),
    "CLOUDWATCH_15_ALARM_ACTIONS": N_("CloudWatchアラームの通知先がない"),
    "CVPN_CLIENT_CIDR_OVERLAP": N_("Client VPNのクライアントCIDRが関連VPCと重なる"),
    "CVPN_CLIENT_CIDR_SIZE": N_("Client VPNのクライアントCIDRが/12〜/22の範囲外"),
    "CVPN_FULL_TUNNEL_NO_INTERNET": N_("フルトンネルのClient VPNのクライアントがインターネットに出られない"),
    "CVPN_SINGLE_SUBNET": N_("Client VPNの関連サブネットが1つだけ（冗長化なし）"),
    "DATA_PORT_OPEN_TO_WORLD": N_("データベース・キャッシュのポートが0.0.0.0/0に開いている（意図の宣言なし）"),
    "DR_COPY_FREQUENCY": N_("DR用コピーの頻度が要件より低い"),
    "DR_COPY_MISSING": N_("データストアのDR用コピーがDRリージョンにない"),
    "DR_OUTSIDE_REGION": N_("DR用コピーが宣言したDRリージョンの外にある"),
    "DR_RPO_NOT_MET": N_("リージョンをまたぐコピーでは目標復旧時点（RPO）を満たせない"),
    "DXGW_TGW_REQUIRES_TRANSIT_VIF": N_("TGWに関連付けるDirect Connect GatewayがTransit VIFでない"),
    "EC2_18_UNRESTRICTED_PORT": N_("80/443以外のポートが0.0.0.0/0に開いている（意図の宣言なし）"),
    "EC2_19_HIGH_RISK_PORT_OPEN": N_("危険度の高いポートが0.0.0.0/0に開いている（意図の宣言なし）"),
    "ECS_2_PUBLIC_IP": N_("ECSのサービス・タスクにパブリックIPが割り当てられる"),
    "ECS_SERVICE_AUTOSCALING": N_("ECSサービスが負荷に応じてスケールしない（Auto Scaling要件に反する）"),
    "ECS_SERVICE_MIN_TASKS": N_("ECSサービスの最小タスク数が要件より少ない"),
    "ECS_SERVICE_SINGLE_AZ": N_("ECSのサービス・タスクが1つのAZだけで動く（Multi-AZ要件に反する）"),
    "ELB_1_HTTP_TO_HTTPS": N_("ALBのHTTPリスナーがHTTPSへリダイレクトせずに転送する"),
    "ENV_ISOLATION_BROKEN": N_("分離すべき環境がアカウントまたは経路を共有している"),
    "FARGATE_IMAGE_PULL_NO_EGRESS": N_("ECSタスクがECR（443）に届かない（イメージを取得できない）"),
    "FLOW_NOT_ADMITTED": N_("構成図の通信がルート・フィルタで許可されていない"),
    "INTENT_KNOWN_VIOLATION": N_("設計書のままでは満たせない意図（既知の違反）"),
    "INTENT_KNOWN_VIOLATION_STALE": N_("既知の違反とした意図が満たされている（記載の更新が必要）"),
    "INTENT_VIOLATED": N_("意図が満たされていない"),
    "INTERNET_EXPOSED_UNINTENDED": N_("意図・通信にないポートがインターネットから届く"),
    "MONITORING_ALARMS_NOT_NOTIFIED": N_("通知が必要なのにアラームがない、または誰にも通知しない"),
    "NACL_DUPLICATE_RULE_NUMBER": N_("NACLの同じ方向に同じルール番号が2つある"),
    "NACL_REPLY_PORTS_PARTIAL": N_("NACLが戻りの一時ポートの一部しか許可せず、接続の一部が失敗する"),
    "NACL_RULE_NEVER_MATCHES": N_("NACLルールの範囲がどのルート・拠点・VPNからも届かない"),
    "NACL_RULE_SHADOWED": N_("NACLのルールが前のルールに隠れて評価されない"),
    "NACL_SUBNET_MULTIPLE": N_("サブネットに複数のNACLが関連付けられている"),
    "NAMED_CIDR_UNDEFINED": N_("名前付きCIDRにこの環境の値がない"),
    "NAT_CROSS_AZ_DEPENDENCY": N_("あるAZのプライベートサブネットが別のAZのNAT Gatewayでインターネットに出る"),
    "NAT_NOT_IN_PUBLIC_SUBNET": N_("NAT GatewayがIGWへのルートのないサブネットにある"),
    "PIPELINE_APPROVAL_BYPASS": N_("パイプラインが承認を経ずに承認後の工程へ進める"),
    "PRIVATE_SUBNET_ROUTES_TO_IGW": N_("プライベート層・DBのサブネットが0.0.0.0/0をIGWへ送る"),
    "RDS_11_BACKUP_RETENTION": N_("RDSの自動バックアップ保持日数が要件より短い（既定の基準は7日）"),
    "RDS_2_PUBLIC_ACCESS": N_("RDSがパブリックにアクセス可能"),
    "RDS_3_ENCRYPTION_AT_REST": N_("RDSが保存時に暗号化されていない"),
    "RDS_5_MULTI_AZ": N_("RDSがSingle-AZ（Multi-AZ要件に反する）"),
    "RDS_15_CLUSTER_MULTI_AZ": N_("Auroraクラスターにフェイルオーバー先のリーダーがない（Multi-AZ要件に反する）"),
    "RDS_27_CLUSTER_ENCRYPTION_AT_REST": N_("Auroraクラスターが保存時に暗号化されていない"),
    "RDS_SUBNET_GROUP_SINGLE_AZ": N_("DBサブネットグループが2AZ未満"),
    "S3_17_KMS_ENCRYPTION": N_("S3バケットがKMSで暗号化されていない（KMS要件に反する）"),
    "S3_8_BLOCK_PUBLIC_ACCESS": N_("S3バケットがパブリックアクセスをブロックしていない"),
    "SG_EGRESS_TIER_POLICY": N_("SGの送信ルールがサブネット層の送信ポリシーを超える"),
    "SG_RULE_NEVER_MATCHES": N_("SGルールの送信元・宛先がパケットに現れない（例: Client VPNのクライアントCIDR）"),
    "SG_RULE_SHADOWED": N_("SGルールが同じグループの他のルールで許可済みのものしか許可しない"),
    "SG_RULE_UNUSED": N_("SGルールがどの経路でも使われない"),
    "TGW_APPLIANCE_MODE_DISABLED": N_("検査用ファイアウォールへ送るTGWアタッチメントでアプライアンスモードが無効"),
    "TGW_ATTACH_AZ_NOT_COVERED": N_("TGWアタッチメントのないAZにノードがある"),
    "TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ": N_("TGWアタッチメントに同じAZのサブネットが複数ある"),
    "TGW_RTB_MIXES_ENVIRONMENTS": N_("共有TGWのルートテーブルが別の環境のアタッチメントを関連付け・伝播している"),
    "TIER_ISOLATION_BROKEN": N_("到達してはならない層に到達できる"),
}
"""Design-review finding code -> what it means (msgid: the Japanese gloss)."""

BLOCKER_GLOSS: dict[str, str] = {
    "ALB_INTERNAL_SCHEME": N_("内部ALBにはパブリックアドレスがない"),
    "AZ_DEPENDENT": N_("送信元のAZによって届いたり届かなかったりする"),
    "CVPN_AUTHORIZATION_RULE_MISSING": N_("宛先を許可するClient VPNの認可ルールがない"),
    "CVPN_ROUTE_MISSING": N_("宛先へのClient VPNのルートがない"),
    "CVPN_TRANSPORT_MISMATCH": N_("Client VPNのエンドポイントは自分のプロトコル・ポートしか受けない"),
    "DISCONNECTED": N_("送信元から宛先への経路がモデルにない"),
    "DXGW_ALLOWED_PREFIX_RESTRICTION": N_("Direct Connect Gatewayの許可プレフィックスが宛先を含まない"),
    "FIREWALL_ASYMMETRIC_ROUTING": N_("ステートフルなファイアウォールが通信の片方向しか見ない（非対称経路）"),
    "FIREWALL_RULES_RESTRICTION": N_("Network Firewallのルール（または既定アクション）がパケットを破棄する"),
    "IGW_PRIVATE_DESTINATION": N_("インターネットゲートウェイはプライベート宛先を転送しない"),
    "LISTENER_PORT_MISMATCH": N_("ロードバランサーにそのプロトコル・ポートのリスナーがない"),
    "LOOP": N_("パケットが同じ場所に同じヘッダーで戻る（ループ、または64ホップ超）"),
    "NACL_DENIED": N_("NACLがサブネットの出入りで拒否する"),
    "NACL_EPHEMERAL_PARTIAL": N_("NACLが応答の一時ポートの一部しか許可しない"),
    "NAMED_CIDR_UNDEFINED": N_("経路上の名前付きCIDRにこの環境の値がない"),
    "NAT_INBOUND_NOT_ALLOWED": N_("NAT Gatewayは外からの接続を受けない"),
    "NGW_REQUIRES_SOURCE_IN_VPC": N_("NAT Gatewayは自VPC内の送信元しか変換しない"),
    "NO_PUBLIC_ADDRESS": N_("インターネット経由にはパブリックIPが必要だが、ない"),
    "NO_RETURN_PATH": N_("応答が戻れない（戻りのルートがない、またはNACLが落とす）"),
    "NO_ROUTE": N_("宛先へのルートがない"),
    "NULL_ROUTED": N_("TGWのルートがブラックホール"),
    "ONPREM_INTERNET_NOT_MODELED": N_("オンプレミス側のインターネット接続を使う（モデル外）"),
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": N_("VPCピアリングは自VPCからピアVPCへのパケットだけを運ぶ（推移的でない）"),
    "PORT_NOT_LISTENING": N_("データベース・キャッシュ・ファイルシステムは別のポート（仕様の、またはエンジン既定のポート）で待ち受ける"),
    "SERVICE_PORT_RESTRICTION": N_("AWSサービスのエンドポイントはHTTPS（TCP 443）のみ"),
    "SG_EGRESS_DENIED": N_("送信元のSGの送信ルールが許可していない"),
    "SG_INGRESS_DENIED": N_("宛先のSGの受信ルールが許可していない"),
    "TARGET_UNREACHABLE": N_("ロードバランサーがどのターゲットにも届かない"),
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": N_("TGWアタッチメントにTGWルートテーブルの関連付けがない"),
    "TGW_ROUTE_AZ_RESTRICTION": N_("送信元・宛先のAZにTGWアタッチメントのサブネットがない"),
    "TGW_RTB_NO_ROUTE": N_("TGWルートテーブルに宛先へのルートがない"),
    "UNKNOWN_ENDPOINT": N_("送信元・宛先がこの環境のネットワーク上の端点でない"),
    "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS": N_("仮想プライベートゲートウェイは自VPCのENIからの通信だけを送る"),
    "VPCE_GATEWAY_PROTOCOL_RESTRICTION": N_("ゲートウェイ型エンドポイントはTCPだけを運ぶ"),
    "VPCE_GATEWAY_SOURCE_NOT_IN_VPC": N_("ゲートウェイ型エンドポイントは自VPCのENIからの通信だけを運ぶ"),
    "VPCE_POLICY_DENIED": N_("VPCエンドポイントのポリシーが要求を拒否する"),
    "WAF_DEFAULT_ACTION_BLOCK": N_("WAFの既定アクションがブロックで、許可するルールがない"),
    "WAF_GEO_BLOCKED": N_("WAFの地域制限が送信元の国をブロックする（プライベートアドレスは国XX）"),
    "WAF_GEO_UNDETERMINED": N_("WAFの地域制限が適用され、送信元の国がモデルにない"),
    "WAF_RATE_BASED_CONDITIONAL": N_("WAFのレート制限を超えるとブロックされる"),
}
"""Reachability blocker code -> what it means (msgid: the Japanese gloss)."""


def gloss(code: str) -> str:
    """The gloss of a finding or blocker code in the current language ('' for a code this catalog does not know)."""
    message = FINDING_GLOSS.get(code) or BLOCKER_GLOSS.get(code, "")
    return _(message) if message else ""


def with_gloss(code: str) -> str:
    """``CODE`` and, on the next line, its gloss in parentheses (the code alone when unknown)."""
    meaning = gloss(code)
    return code + "\n" + _("（{meaning}）").format(meaning=meaning) if meaning else code
