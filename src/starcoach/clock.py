"""The only place that reads the wall clock. Core code takes ``now`` as an argument instead.

Imports nothing from starcoach.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def fixed(at: datetime) -> Clock:
    """A clock that always answers ``at`` (for tests and replays)."""
    if at.tzinfo is None:
        raise ValueError("fixed clock needs an aware datetime")
    return lambda: at
