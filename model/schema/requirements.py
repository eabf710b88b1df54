"""Requirements: the promises a design document makes, as typed facts the analysis can check.

A design document promises things its approvers sign ("production is Multi-AZ", "backups kept
for 30 days", "a DR copy in a second region"). A :class:`Requirements` block states them per environment
(``environments[].requirements``) and, where one component differs, per component
(``nodes[].at.<env>.requirements``: a key given there replaces the environment's for that
component). Every item carries the document's own words (``statement``) and where they are
(``seed_ref``), so the requirements table shows the promise as written next to whether the
configuration keeps it.

A value that relaxes a requirement (``multi_az: false``, ``encryption_at_rest:
not-required``) is a *declared* choice: the checks then stay silent where AWS's default
controls would otherwise report (a verification environment that skips encryption for cost).

>>> r = Requirements.model_validate({"backup_retention_days": {"value": 30, "statement": "バックアップ: 30日間",
...                                  "seed_ref": "5.2"}})
>>> r.backup_retention_days.value, r.declared()
(30, ('backup_retention_days',))
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from model.schema.base import Id, Port, Strict, Text

__all__ = ["Tier", "Frequency", "Requirement", "Flag", "TaskMinimum", "Encryption", "RetentionDays", "Hours",
           "DisasterRecovery", "EgressPolicy", "AlarmNotification", "Isolation", "Requirements",
           "FREQUENCY_HOURS"]

Tier = Literal["public", "private-app", "private-db"]
"""A subnet's role in the design (``subnets[].tier``)."""

Frequency = Literal["continuous", "hourly", "daily", "weekly", "monthly"]
"""How often a copy or backup runs."""

FREQUENCY_HOURS: dict[str, int] = {"continuous": 0, "hourly": 1, "daily": 24, "weekly": 168, "monthly": 744}
"""The longest gap between two copies of a frequency, in hours (the data a loss can take)."""


class Requirement(Strict):
    """What every requirement item carries: the document's words and where they are."""

    statement: Text
    """The requirement in the document's own words (shown in the requirements table)."""
    seed_ref: Text
    """Where the source document states it (section numbers)."""
    assumption: Id | None = None
    """The assumption this reading of the document relies on, when it is not stated outright."""


class Flag(Requirement):
    value: StrictBool
    """True: required; false: declared not required (AWS's default control then stays silent)."""


class TaskMinimum(Requirement):
    value: Annotated[StrictInt, Field(ge=0)]
    """The fewest tasks every ECS service must keep running."""


class Encryption(Requirement):
    value: Literal["required", "kms", "not-required"]
    """'required' (any encryption at rest), 'kms' (with AWS KMS keys) or 'not-required' (declared off)."""


class RetentionDays(Requirement):
    value: Annotated[StrictInt, Field(ge=0, le=35)]
    """Automated backups are kept at least this many days (0-35, the RDS limit)."""


class Hours(Requirement):
    hours: Annotated[StrictInt, Field(ge=0)]
    """The objective in hours (0: no loss / immediate)."""


class DisasterRecovery(Requirement):
    region: Id
    """The DR region (a region id of ``regions``): every data store has a copy there."""
    frequency: Frequency
    """How often the copy must run at least: 'continuous', 'hourly', 'daily', 'weekly' or 'monthly'."""


class EgressPolicy(Requirement):
    tier: Tier
    """The subnet tier the policy governs (every node with an interface in such a subnet)."""
    allow: Literal["none", "vpc", "internet"]
    """'none' (no outbound rule at all), 'vpc' (only inside the environment's VPCs) or 'internet'."""
    ports: tuple[Port, ...] = ()
    """With 'internet': the only ports allowed outside the VPCs (empty: any port)."""


class AlarmNotification(Requirement):
    value: Literal["required"]
    """'required': the environment has alarms, and every alarm notifies a person."""
    channels: tuple[Literal["email", "chat"], ...] = ()
    """Who must receive the alarms (node kinds 'email', 'chat'); empty: any of them."""


class Isolation(Requirement):
    envs: tuple[Id, ...] = ()
    """Environments this one must share no account and no network path with."""
    tiers: tuple[Tier, ...] = ()
    """Subnet tiers that must stay unreachable: from outside parties (actors) when stated for an
    environment, from the component itself when stated for a component."""


class Requirements(Strict):
    """The requirements of an environment (or the overrides of one component); every key optional."""

    multi_az: Flag | None = None
    """Databases are Multi-AZ and ECS services/tasks run in two or more AZs."""
    survive_az_loss: Flag | None = None
    """Losing one AZ stops no component: no single-AZ database, service, load balancer or NAT path."""
    min_tasks_per_service: TaskMinimum | None = None
    """The fewest running tasks of every ECS service."""
    autoscaling: Flag | None = None
    """ECS services scale with load (Auto Scaling on, with room above the minimum)."""
    encryption_at_rest: Encryption | None = None
    """Data stores (RDS, S3) are encrypted at rest."""
    backup_retention_days: RetentionDays | None = None
    """Automated database backups are kept at least this many days."""
    dr: DisasterRecovery | None = None
    """Disaster recovery: every data store is copied to the DR region at least this often."""
    rpo: Hours | None = None
    """Recovery point objective: at most this many hours of data lost in a regional disaster."""
    rto: Hours | None = None
    """Recovery time objective: service back within this many hours (not decidable from a design)."""
    egress: tuple[EgressPolicy, ...] = ()
    """Who may call out: an outbound policy per subnet tier."""
    alarms_notify: AlarmNotification | None = None
    """Monitoring: alarms exist and notify a person."""
    must_not_reach: Isolation | None = None
    """Isolation: environments and tiers that must stay out of reach."""

    def declared(self) -> tuple[str, ...]:
        """The keys this block states, in field order."""
        return tuple(k for k in type(self).model_fields if getattr(self, k) not in (None, ()))
