"""CloudFormation templates from the model: one template per account of an environment.

* :mod:`~render.cloudformation.template` - one template being assembled; logical ids, tags;
* :mod:`~render.cloudformation.context` - the environment: which account holds what, references
  across templates (parameters filled from another stack's outputs);
* :mod:`~render.cloudformation.network` - VPCs, subnets, route tables, security groups, NACLs;
* :mod:`~render.cloudformation.registry` - one exporter function per node kind;
* :mod:`~render.cloudformation.connectivity` - IGW, NAT, TGW, attachments, TGW route tables,
  Direct Connect gateway, Client VPN;
* :mod:`~render.cloudformation.apps` - ALB, WAF, ECS, EventBridge schedules, RDS;
* :mod:`~render.cloudformation.export` - the files: ``<env>-<account>.yaml`` and README.md.

May import: :mod:`model` only.
"""

from render.cloudformation.export import build_templates, export_environment, to_yaml

__all__ = ["export_environment", "build_templates", "to_yaml"]
