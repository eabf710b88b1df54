"""The POC -> production migration table (section 9), derived from the model.

:mod:`~model.migration.aspects` computes the aspects the seed's table names (accounts,
VPCs, connections, RDS, Auto Scaling, security services, DR, encryption), in the seed's
order; :mod:`~model.migration.differences` adds every further difference between the two
environments; :mod:`~model.migration.row` is the row type both produce.

May import: :mod:`model.index`, :mod:`model.schema`.
"""

from __future__ import annotations

from model.migration.aspects import SECURITY_SERVICE_KINDS, migration_rows
from model.migration.row import MigrationRow

__all__ = ["MigrationRow", "migration_rows", "SECURITY_SERVICE_KINDS"]
