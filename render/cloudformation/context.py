"""What every exporter function needs to know about one environment: which account (template)
holds each construct, and how to refer to a construct from any template.

A reference inside one template is a ``Ref``/``GetAtt``; a reference to a construct in
another account's template becomes a parameter of the referring template, filled from the
other stack's output (the README written next to the templates says which).

>>> from model.loader import load_model
>>> ctx = Context(load_model().model, "prod")
>>> ctx.account_of_node(ctx.ix.nodes["tgw"])
'shared-account'
>>> ctx.account_of_node(ctx.ix.nodes["waf"])
'prod-account'
>>> ctx.logical("tgw-attach-app", "TransitGatewayAttachment")
'TgwAttachAppTransitGatewayAttachment'
"""

from __future__ import annotations

from functools import cached_property

from model.index import ModelIndex
from model.schema import Model, Node, NodeKind
from render.cloudformation.template import Template, camel, get_att, ref

__all__ = ["Context", "SUFFIX"]

#: Logical id suffix of the main resource exported for a node kind.
SUFFIX: dict[NodeKind, str] = {
    NodeKind.IGW: "InternetGateway",
    NodeKind.NAT_GATEWAY: "NatGateway",
    NodeKind.TGW: "TransitGateway",
    NodeKind.TGW_ATTACHMENT: "TransitGatewayAttachment",
    NodeKind.DX_GATEWAY: "DirectConnectGateway",
    NodeKind.CLIENT_VPN: "ClientVpnEndpoint",
    NodeKind.ALB: "LoadBalancer",
    NodeKind.WAF: "WebACL",
    NodeKind.ECS_CLUSTER: "Cluster",
    NodeKind.ECS_SERVICE: "Service",
    NodeKind.ECS_TASK: "TaskDefinition",
    NodeKind.RDS: "DBInstance",
    NodeKind.VPC_PEERING: "VPCPeeringConnection",
    NodeKind.VGW: "VPNGateway",
    NodeKind.CUSTOMER_GATEWAY: "CustomerGateway",
    NodeKind.VPN_CONNECTION: "VPNConnection",
    NodeKind.VPC_ENDPOINT: "VPCEndpoint",
    NodeKind.NLB: "LoadBalancer",
}


class Context:
    """One environment being exported: the model, its index, and one template per account."""

    def __init__(self, model: Model, env: str):
        self.model = model
        self.env = env
        self.ix = ModelIndex(model)
        self.templates: dict[str, Template] = {}
        for account in self.ix.accounts_in(env):
            self.templates[account.id] = Template(env, account.id, self.region_of_account(account.id))

    # ------------------------------------------------------------ placement
    def region_of_account(self, account: str) -> str:
        """The region the account's template is deployed to: its VPCs' region, else the env's."""
        for vpc in self.ix.vpcs_in(self.env):
            if vpc.account == account:
                return vpc.region
        regions = [v.region for v in self.ix.vpcs_in(self.env)]
        return regions[0] if regions else self.model.regions[0].id

    def account_of_vpc(self, vpc: str) -> str:
        return self.ix.vpcs[vpc].account

    def account_of_node(self, node: Node) -> str | None:
        """The account a node is built in: its placement, its VPC's, the protected node's
        (WAF), or the environment's only account; None when the model does not say."""
        env = self.env if self.env in node.at else next(iter(node.at))  # another environment's node
        loc = self.ix.locate(node.id, env)
        if loc.account is not None:
            return loc.account
        if node.waf is not None and node.waf.protects in self.ix.nodes:
            return self.account_of_node(self.ix.nodes[node.waf.protects])
        if node.kind is NodeKind.CUSTOMER_GATEWAY:  # placed at its site: AWS's record of it lives with its VPN
            vpn = next((n for n in self.ix.nodes_in(self.env) if n.vpn is not None
                        and n.vpn.customer_gateway == node.id), None)
            if vpn is not None:
                return self.account_of_node(vpn)
        accounts = self.ix.accounts_in(self.env)
        return accounts[0].id if len(accounts) == 1 else None

    def region_of_node(self, node: Node) -> str | None:
        return self.ix.locate(node.id, self.env).region

    def vpc_of_subnets(self, subnets: tuple[str, ...]) -> str | None:
        vpcs = {self.ix.subnets[s].vpc for s in subnets}
        return vpcs.pop() if len(vpcs) == 1 else None

    def nodes_of_kind(self, kind: NodeKind) -> list[Node]:
        return [n for n in self.ix.nodes_in(self.env) if n.kind is kind]

    @cached_property
    def sg_vpcs(self) -> dict[str, set[str]]:
        """Security group id -> the VPCs of the nodes that use it in this environment."""
        found: dict[str, set[str]] = {}
        for node in self.ix.nodes_in(self.env):
            vpc = self.ix.locate(node.id, self.env).vpc
            for sg in node.security_groups:
                if vpc is not None:
                    found.setdefault(sg, set()).add(vpc)
        return found

    def named(self, named: str) -> str | None:
        return self.ix.named_value(named, self.env)

    # ------------------------------------------------------------ naming and references
    @staticmethod
    def logical(model_id: str, suffix: str) -> str:
        return camel(model_id) + suffix

    def ref(self, template: Template, owner: str | None, model_id: str, suffix: str,
            what: str) -> dict:
        """A Ref to ``model_id``'s resource from ``template``; a parameter when ``owner``
        (the account holding it) is another account, whose template then outputs it."""
        logical = self.logical(model_id, suffix)
        if owner == template.account or owner is None:
            return ref(logical)
        name = f"{logical}Id"
        if owner not in self.templates:  # a network account of another environment (shared through AWS RAM)
            return template.parameter(name, "String", f"id of {what}, shared from account {owner} "
                                                      f"(another environment's stack, AWS RAM)")
        self.templates[owner].output(name, ref(logical), f"id of {what} (parameter {name} of the "
                                     f"{self.env}-{template.account} stack)")
        return template.parameter(name, "String", f"id of {what}, output {name} of the "
                                                  f"{self.env}-{owner} stack")

    def sg_ref(self, template: Template, sg: str, vpc: str) -> dict:
        """The group id of security group ``sg`` in ``vpc``."""
        return get_att(self.sg_logical(sg, vpc), "GroupId")

    def sg_logical(self, sg: str, vpc: str) -> str:
        """Logical id of a security group; a group used in several VPCs is exported once per VPC."""
        if len(self.sg_vpcs.get(sg, ())) > 1:
            return self.logical(f"{sg}-{vpc}", "SecurityGroup")
        return self.logical(sg, "SecurityGroup")

    def node_ref(self, template: Template, node_id: str) -> dict:
        """A Ref to a node's main resource (a parameter across accounts)."""
        node = self.ix.nodes[node_id]
        return self.ref(template, self.account_of_node(node), node_id, SUFFIX[node.kind], node.label)
