"""Response deadlines in business hours: 24 hours a day, Monday to Friday, in a region's time zone.

- An hour is an hour of real elapsed time (UTC arithmetic): across a DST change a business day of
  wall-clock 00:00–24:00 lasts 23 or 25 hours, and an exempt ticket's 3 hours stay 3 hours.
- The weekend is Saturday 00:00 to Monday 00:00, local wall-clock time. A ticket accepted at a
  weekend starts its clock on Monday 00:00. Outages, systems down and login problems
  (``weekends_count``) count every hour of the week.
- A target that runs out exactly at the end of Friday is given as Monday 00:00, the same business
  instant, so a non-exempt deadline never falls on a weekend.
- Diagnosis is counted from acceptance, like acknowledgement; S3's "2–3 days" are 48–72 business
  hours; multi-user S1 tickets also aim at resolution within 24–48 business hours.
- Every bound is returned in the region's time zone, so ``isoformat()`` carries the offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from helpcenter.rules.severity import Classification
from helpcenter.support import CONFIG, SupportConfig

SATURDAY = 5


@dataclass(frozen=True)
class Window:
    """One target: due no earlier than ``earliest`` is promised, no later than ``latest``."""

    earliest: datetime
    latest: datetime

    def as_dict(self) -> dict:
        return {"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat()}


@dataclass(frozen=True)
class Deadlines:
    acknowledgement: Window
    diagnosis: Window
    resolution: Window | None  # multi-user S1 only
    time_zone: str
    weekends_count: bool


def _local_midnight(day, tz: tzinfo | None) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _week_end(local: datetime) -> datetime:
    """Saturday 00:00 after ``local`` (a weekday), as an aware local datetime."""
    return _local_midnight(local.date() + timedelta(days=SATURDAY - local.weekday()), local.tzinfo)


def _next_monday(local: datetime) -> datetime:
    return _local_midnight(local.date() + timedelta(days=7 - local.weekday()), local.tzinfo)


def _plus(moment: datetime, duration: timedelta, tz: ZoneInfo) -> datetime:
    """``moment + duration`` in elapsed time (aware ``+`` would add wall-clock time)."""
    return (moment.astimezone(timezone.utc) + duration).astimezone(tz)


def add_business_hours(start: datetime, hours: float, tz: ZoneInfo, weekends_count: bool = False) -> datetime:
    """The instant ``hours`` business hours after ``start`` (aware), in ``tz``."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    remaining = timedelta(hours=hours)
    if weekends_count:
        return _plus(start, remaining, tz)
    current = start.astimezone(tz)
    while True:
        if current.weekday() >= SATURDAY:
            current = _next_monday(current)
        week_end = _week_end(current)
        available = week_end.astimezone(timezone.utc) - current.astimezone(timezone.utc)
        if remaining < available:
            return _plus(current, remaining, tz)
        remaining -= available
        current = week_end


def business_hours_between(start: datetime, end: datetime, tz: ZoneInfo, weekends_count: bool = False) -> float:
    """Business hours from ``start`` to ``end`` (the inverse of ``add_business_hours``), for tests and reports."""
    if end <= start:
        return 0.0
    if weekends_count:
        return (end - start).total_seconds() / 3600
    total = timedelta()
    current = start.astimezone(tz)
    while current < end:
        if current.weekday() >= SATURDAY:
            current = _next_monday(current)
            continue
        stop = min(_week_end(current), end.astimezone(tz))
        total += stop.astimezone(timezone.utc) - current.astimezone(timezone.utc)
        current = _week_end(current)
    return total.total_seconds() / 3600


def window(start: datetime, bounds: tuple[int, int], tz: ZoneInfo, weekends_count: bool) -> Window:
    earliest, latest = bounds
    return Window(add_business_hours(start, earliest, tz, weekends_count),
                  add_business_hours(start, latest, tz, weekends_count))


def deadlines(
    classification: Classification, accepted_at: datetime, tz: ZoneInfo, config: SupportConfig = CONFIG
) -> Deadlines | None:
    """The targets of a classified ticket accepted at ``accepted_at``; None without a commitment."""
    if not classification.commitment:
        return None
    targets = config.targets[classification.severity]
    weekends = classification.weekends_count
    return Deadlines(
        acknowledgement=window(accepted_at, targets.acknowledgement, tz, weekends),
        diagnosis=window(accepted_at, targets.diagnosis, tz, weekends),
        resolution=window(accepted_at, config.multi_user_resolution, tz, weekends) if classification.multi_user else None,
        time_zone=tz.key,
        weekends_count=weekends,
    )
