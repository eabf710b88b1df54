"""Japanese glosses of the analysis codes, for approvers who read the pages and the PDF.

The codes themselves stay English and stable (tools and CI match them); each page that
shows one also says in Japanese what it means. The analysis registers every code with an
English description (``analysis.review.registry.CODES``, ``analysis.results.BLOCKER_CODES``);
a test checks that every registered code has a gloss here.

>>> gloss("SG_INGRESS_DENIED")
'宛先のSGの受信ルールが許可していない'
>>> gloss("A_CODE_FROM_A_NEWER_ANALYSIS")
''
"""

from __future__ import annotations

__all__ = ["FINDING_GLOSS", "BLOCKER_GLOSS", "gloss", "with_gloss"]

FINDING_GLOSS: dict[str, str] = {
    "ALB_INTERNET_FACING_NO_IGW_ROUTE": "インターネット向けALBのサブネットにIGWへのルートがない",
    "ALB_LISTENER_NOT_ADMITTED": "ALBのリスナーのポートに届く送信元がない",
    "ALB_NO_HTTPS_LISTENER": "インターネット向けロードバランサーにHTTPSリスナーがない",
    "ALB_SUBNETS_SINGLE_AZ": "ALBのサブネットが2AZ未満",
    "ALB_TARGET_NOT_ADMITTED": "ロードバランサーからターゲットのポート・ヘルスチェックポートに届かない",
    "ALB_TARGET_PORT_MISMATCH": "ターゲットグループのポートがコンテナのポートと違う",
    "AZ_SINGLE_POINT_OF_FAILURE": "1つのAZの障害で止まる構成要素がある（AZ障害に耐える要件に反する）",
    "CLOUDWATCH_15_ALARM_ACTIONS": "CloudWatchアラームの通知先がない",
    "CVPN_CLIENT_CIDR_OVERLAP": "Client VPNのクライアントCIDRが関連VPCと重なる",
    "CVPN_CLIENT_CIDR_SIZE": "Client VPNのクライアントCIDRが/12〜/22の範囲外",
    "CVPN_FULL_TUNNEL_NO_INTERNET": "フルトンネルのClient VPNのクライアントがインターネットに出られない",
    "CVPN_SINGLE_SUBNET": "Client VPNの関連サブネットが1つだけ（冗長化なし）",
    "DATA_PORT_OPEN_TO_WORLD": "データベース・キャッシュのポートが0.0.0.0/0に開いている（意図の宣言なし）",
    "DR_COPY_FREQUENCY": "DR用コピーの頻度が要件より低い",
    "DR_COPY_MISSING": "データストアのDR用コピーがDRリージョンにない",
    "DR_OUTSIDE_REGION": "DR用コピーが宣言したDRリージョンの外にある",
    "DR_RPO_NOT_MET": "リージョンをまたぐコピーでは目標復旧時点（RPO）を満たせない",
    "DXGW_TGW_REQUIRES_TRANSIT_VIF": "TGWに関連付けるDirect Connect GatewayがTransit VIFでない",
    "EC2_18_UNRESTRICTED_PORT": "80/443以外のポートが0.0.0.0/0に開いている（意図の宣言なし）",
    "EC2_19_HIGH_RISK_PORT_OPEN": "危険度の高いポートが0.0.0.0/0に開いている（意図の宣言なし）",
    "ECS_2_PUBLIC_IP": "ECSのサービス・タスクにパブリックIPが割り当てられる",
    "ECS_SERVICE_AUTOSCALING": "ECSサービスが負荷に応じてスケールしない（Auto Scaling要件に反する）",
    "ECS_SERVICE_MIN_TASKS": "ECSサービスの最小タスク数が要件より少ない",
    "ECS_SERVICE_SINGLE_AZ": "ECSのサービス・タスクが1つのAZだけで動く（Multi-AZ要件に反する）",
    "ELB_1_HTTP_TO_HTTPS": "ALBのHTTPリスナーがHTTPSへリダイレクトせずに転送する",
    "ENV_ISOLATION_BROKEN": "分離すべき環境がアカウントまたは経路を共有している",
    "FARGATE_IMAGE_PULL_NO_EGRESS": "ECSタスクがECR（443）に届かない（イメージを取得できない）",
    "FLOW_NOT_ADMITTED": "構成図の通信がルート・フィルタで許可されていない",
    "INTENT_KNOWN_VIOLATION": "設計書のままでは満たせない意図（既知の違反）",
    "INTENT_KNOWN_VIOLATION_STALE": "既知の違反とした意図が満たされている（記載の更新が必要）",
    "INTENT_VIOLATED": "意図が満たされていない",
    "INTERNET_EXPOSED_UNINTENDED": "意図・通信にないポートがインターネットから届く",
    "MONITORING_ALARMS_NOT_NOTIFIED": "通知が必要なのにアラームがない、または誰にも通知しない",
    "NACL_DUPLICATE_RULE_NUMBER": "NACLの同じ方向に同じルール番号が2つある",
    "NACL_RULE_NEVER_MATCHES": "NACLルールの範囲がどのルート・拠点・VPNからも届かない",
    "NACL_RULE_SHADOWED": "NACLのルールが前のルールに隠れて評価されない",
    "NACL_SUBNET_MULTIPLE": "サブネットに複数のNACLが関連付けられている",
    "NAMED_CIDR_UNDEFINED": "名前付きCIDRにこの環境の値がない",
    "NAT_CROSS_AZ_DEPENDENCY": "あるAZのプライベートサブネットが別のAZのNAT Gatewayでインターネットに出る",
    "NAT_NOT_IN_PUBLIC_SUBNET": "NAT GatewayがIGWへのルートのないサブネットにある",
    "PIPELINE_APPROVAL_BYPASS": "パイプラインが承認を経ずに承認後の工程へ進める",
    "PRIVATE_SUBNET_ROUTES_TO_IGW": "プライベート層・DBのサブネットが0.0.0.0/0をIGWへ送る",
    "RDS_11_BACKUP_RETENTION": "RDSの自動バックアップ保持日数が要件より短い（既定の基準は7日）",
    "RDS_2_PUBLIC_ACCESS": "RDSがパブリックにアクセス可能",
    "RDS_3_ENCRYPTION_AT_REST": "RDSが保存時に暗号化されていない",
    "RDS_5_MULTI_AZ": "RDSがSingle-AZ（Multi-AZ要件に反する）",
    "RDS_SUBNET_GROUP_SINGLE_AZ": "DBサブネットグループが2AZ未満",
    "S3_17_KMS_ENCRYPTION": "S3バケットがKMSで暗号化されていない（KMS要件に反する）",
    "S3_8_BLOCK_PUBLIC_ACCESS": "S3バケットがパブリックアクセスをブロックしていない",
    "SG_EGRESS_TIER_POLICY": "SGの送信ルールがサブネット層の送信ポリシーを超える",
    "SG_RULE_NEVER_MATCHES": "SGルールの送信元・宛先がパケットに現れない（例: Client VPNのクライアントCIDR）",
    "SG_RULE_SHADOWED": "SGルールが同じグループの他のルールで許可済みのものしか許可しない",
    "SG_RULE_UNUSED": "SGルールがどの経路でも使われない",
    "TGW_APPLIANCE_MODE_DISABLED": "検査用ファイアウォールへ送るTGWアタッチメントでアプライアンスモードが無効",
    "TGW_ATTACH_AZ_NOT_COVERED": "TGWアタッチメントのないAZにノードがある",
    "TGW_ATTACH_MULTIPLE_SUBNETS_PER_AZ": "TGWアタッチメントに同じAZのサブネットが複数ある",
    "TGW_RTB_MIXES_ENVIRONMENTS": "共有TGWのルートテーブルが別の環境のアタッチメントを関連付け・伝播している",
    "TIER_ISOLATION_BROKEN": "到達してはならない層に到達できる",
}
"""Design-review finding code -> what it means, in Japanese."""

BLOCKER_GLOSS: dict[str, str] = {
    "ALB_INTERNAL_SCHEME": "内部ALBにはパブリックアドレスがない",
    "AZ_DEPENDENT": "送信元のAZによって届いたり届かなかったりする",
    "CVPN_AUTHORIZATION_RULE_MISSING": "宛先を許可するClient VPNの認可ルールがない",
    "CVPN_ROUTE_MISSING": "宛先へのClient VPNのルートがない",
    "CVPN_TRANSPORT_MISMATCH": "Client VPNのエンドポイントは自分のプロトコル・ポートしか受けない",
    "DISCONNECTED": "送信元から宛先への経路がモデルにない",
    "DXGW_ALLOWED_PREFIX_RESTRICTION": "Direct Connect Gatewayの許可プレフィックスが宛先を含まない",
    "FIREWALL_ASYMMETRIC_ROUTING": "ステートフルなファイアウォールが通信の片方向しか見ない（非対称経路）",
    "FIREWALL_RULES_RESTRICTION": "Network Firewallのルール（または既定アクション）がパケットを破棄する",
    "IGW_PRIVATE_DESTINATION": "インターネットゲートウェイはプライベート宛先を転送しない",
    "LISTENER_PORT_MISMATCH": "ロードバランサーにそのプロトコル・ポートのリスナーがない",
    "LOOP": "パケットが同じ場所に同じヘッダーで戻る（ループ、または64ホップ超）",
    "NACL_DENIED": "NACLがサブネットの出入りで拒否する",
    "NACL_EPHEMERAL_PARTIAL": "NACLが応答の一時ポートの一部しか許可しない",
    "NAMED_CIDR_UNDEFINED": "経路上の名前付きCIDRにこの環境の値がない",
    "NAT_INBOUND_NOT_ALLOWED": "NAT Gatewayは外からの接続を受けない",
    "NGW_REQUIRES_SOURCE_IN_VPC": "NAT Gatewayは自VPC内の送信元しか変換しない",
    "NO_PUBLIC_ADDRESS": "インターネット経由にはパブリックIPが必要だが、ない",
    "NO_RETURN_PATH": "応答が戻れない（戻りのルートがない、またはNACLが落とす）",
    "NO_ROUTE": "宛先へのルートがない",
    "NULL_ROUTED": "TGWのルートがブラックホール",
    "ONPREM_INTERNET_NOT_MODELED": "オンプレミス側のインターネット接続を使う（モデル外）",
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": "VPCピアリングは自VPCからピアVPCへのパケットだけを運ぶ（推移的でない）",
    "PORT_NOT_LISTENING": "データベース・キャッシュ・ファイルシステムは別のポート（仕様の、またはエンジン既定のポート）で待ち受ける",
    "SERVICE_PORT_RESTRICTION": "AWSサービスのエンドポイントはHTTPS（TCP 443）のみ",
    "SG_EGRESS_DENIED": "送信元のSGの送信ルールが許可していない",
    "SG_INGRESS_DENIED": "宛先のSGの受信ルールが許可していない",
    "TARGET_UNREACHABLE": "ロードバランサーがどのターゲットにも届かない",
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": "TGWアタッチメントにTGWルートテーブルの関連付けがない",
    "TGW_ROUTE_AZ_RESTRICTION": "送信元・宛先のAZにTGWアタッチメントのサブネットがない",
    "TGW_RTB_NO_ROUTE": "TGWルートテーブルに宛先へのルートがない",
    "UNKNOWN_ENDPOINT": "送信元・宛先がこの環境のネットワーク上の端点でない",
    "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS": "仮想プライベートゲートウェイは自VPCのENIからの通信だけを送る",
    "VPCE_GATEWAY_PROTOCOL_RESTRICTION": "ゲートウェイ型エンドポイントはTCPだけを運ぶ",
    "VPCE_GATEWAY_SOURCE_NOT_IN_VPC": "ゲートウェイ型エンドポイントは自VPCのENIからの通信だけを運ぶ",
    "VPCE_POLICY_DENIED": "VPCエンドポイントのポリシーが要求を拒否する",
    "WAF_DEFAULT_ACTION_BLOCK": "WAFの既定アクションがブロックで、許可するルールがない",
    "WAF_GEO_BLOCKED": "WAFの地域制限が送信元の国をブロックする（プライベートアドレスは国XX）",
    "WAF_GEO_UNDETERMINED": "WAFの地域制限が適用され、送信元の国がモデルにない",
    "WAF_RATE_BASED_CONDITIONAL": "WAFのレート制限を超えるとブロックされる",
}
"""Reachability blocker code -> what it means, in Japanese."""


def gloss(code: str) -> str:
    """The Japanese gloss of a finding or blocker code ('' for a code this catalog does not know)."""
    return FINDING_GLOSS.get(code) or BLOCKER_GLOSS.get(code, "")


def with_gloss(code: str) -> str:
    """``CODE`` and, on the next line, its gloss in parentheses (the code alone when unknown)."""
    meaning = gloss(code)
    return f"{code}\n（{meaning}）" if meaning else code
