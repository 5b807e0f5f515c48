"""The one place the functions read the clock; rules take ``now`` or ``today`` as arguments."""

from __future__ import annotations

from datetime import date, datetime, timezone


def today() -> date:
    """The business day, in UTC (date rules: dunning, credits)."""
    return datetime.now(timezone.utc).date()


def now() -> datetime:
    """The current instant, in UTC (time rules: deadlines, leases)."""
    return datetime.now(timezone.utc)
