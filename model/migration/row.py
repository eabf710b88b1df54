"""A row of the migration table and the words its cells use."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MigrationRow", "ABSENT", "PRESENT", "ON", "OFF"]

ABSENT = "なし"
PRESENT = "あり"
ON, OFF = "有効", "無効"


@dataclass(frozen=True)
class MigrationRow:
    """One row of the migration table: an item, its value in each environment, and why."""

    item: str
    before: str
    after: str
    basis: str
    """What in the model the row is computed from (shown to reviewers)."""
    seed: bool
    """True for the 13 aspects the seed's table lists."""
