"""Steps for a forked :class:`archdoc.side_by_side.Worker` in the tests: each notes its call in a
file named by the ``ARCHDOC_TEST_STEPS`` environment variable (the child inherits it)."""

from __future__ import annotations

import os


def note(word: str) -> None:
    with open(os.environ["ARCHDOC_TEST_STEPS"], "a", encoding="utf-8") as handle:
        handle.write(word + "\n")


def idle() -> None:
    note("idle")


def fail(message: str) -> None:
    raise RuntimeError(message)


def note_niceness() -> None:
    note(f"nice={os.nice(0)}")


def idle_thrice() -> bool:
    """Idle work with more to do: True (call again) until its third call."""
    with open(os.environ["ARCHDOC_TEST_STEPS"], encoding="utf-8") as handle:
        done = sum(1 for line in handle if line.startswith("idle"))
    note(f"idle{done + 1}")
    return done + 1 < 3
