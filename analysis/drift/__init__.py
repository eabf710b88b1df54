"""Drift: the loaded model compared with an already-read deployed state (no I/O here).

:func:`drift` matches each deployed resource to a model item by the ``archdoc:id`` tag the
exporter writes, falling back to the CIDR (VPCs, subnets in a matched VPC), the name
(security groups, ECS services, route tables by their Name tag) or the attached VPC
(internet gateways, TGW attachments) for resources built by hand. It returns frozen :class:`DriftRow` rows:

* ``missing`` - in the model, not in the account;
* ``extra`` - in the account (untagged or with an unknown id), not in the model; resources
  inside an extra VPC are counted in that VPC's row, not listed one by one;
* ``changed`` - both, but an attribute (CIDR, AZ, instance class, Multi-AZ, ...) differs, or
  an element of a set (a route, an SG or NACL rule, a listener port, a subnet) was added or
  removed. ECS task counts differ when the desired count is outside the model's min-max.

Each row names the model's ``file:line`` and the AWS resource id. Resources tagged with
another environment (``archdoc:env``) are left alone.

* :mod:`~analysis.drift.expected` - the model side; :mod:`~analysis.drift.deployed` - the
  account side, from raw describe responses; :mod:`~analysis.drift.compare` - matching and rows.

May import: :mod:`model` only (the deployed state arrives as plain data read by :mod:`aws`).
"""

from analysis.drift.compare import DriftReport, DriftRow, drift

__all__ = ["drift", "DriftRow", "DriftReport"]
