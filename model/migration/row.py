"""A row of the migration table and the words its cells use."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MigrationRow", "ABSENT", "PRESENT", "ON", "OFF", "N_"]


def N_(message: str) -> str:
    """Mark a msgid kept in a table or constant; it is translated with ``_`` where it is used."""
    return message


ABSENT = N_("なし")
PRESENT = N_("あり")
ON, OFF = N_("有効"), N_("無効")
"""The cell words (msgids of the ``model`` domain): translate with :func:`model.catalog._` at the point of use."""


@dataclass(frozen=True)
class MigrationRow:
    """One row of the migration table: an item, its value in each environment, and why."""

    item: str
    before: str
    after: str
    basis: str
    """What in the model the row is computed from (shown to reviewers)."""
    seed: bool
    """True for the aspects (the rows a source document's migration table lists), False for the further differences."""
