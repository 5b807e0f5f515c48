"""Business-hours deadlines: weekends, DST changes in Europe and the US, year end, exempt categories,
and properties over any submission time and region."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpcenter.rules.deadlines import Deadlines, add_business_hours, business_hours_between, deadlines
from helpcenter.rules.severity import Classification
from helpcenter.support import CONFIG

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
ZONES = sorted({settings_.time_zone.key for settings_ in CONFIG.regions.values()})


def at(zone, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def verdict(severity="S2", multi_user=False, weekends=False, commitment=True) -> Classification:
    return Classification(severity, commitment, multi_user, weekends, 1 if multi_user else 3, ())


def committed(classification: Classification, accepted_at: datetime, zone: ZoneInfo) -> Deadlines:
    """The deadlines of a ticket with a commitment (``deadlines`` gives None only without one)."""
    due = deadlines(classification, accepted_at, zone)
    assert due is not None, "a committed ticket has deadlines"
    return due


def test_the_articles_example_friday_evening_s2():
    """severity-and-response-times.md: S2 accepted Friday 20:00 → acknowledgement Monday 02:00–08:00."""
    due = committed(verdict("S2"), at(PARIS, 2026, 11, 27, 20, 0), PARIS)
    assert due.acknowledgement.earliest == at(PARIS, 2026, 11, 30, 2, 0)
    assert due.acknowledgement.latest == at(PARIS, 2026, 11, 30, 8, 0)
    assert due.acknowledgement.as_dict() == {"earliest": "2026-11-30T02:00:00+01:00",
                                             "latest": "2026-11-30T08:00:00+01:00"}


@pytest.mark.parametrize(
    "severity, ack, diagnosis",
    [("S1", (1, 3), (2, 8)), ("S2", (6, 12), (24, 48)), ("S3", (16, 24), (48, 72))],
)
def test_targets_table_on_a_monday_morning(severity, ack, diagnosis):
    start = at(KOLKATA, 2026, 11, 23, 9, 0)  # Monday
    due = committed(verdict(severity), start, KOLKATA)
    assert (due.acknowledgement.earliest - start, due.acknowledgement.latest - start) == tuple(
        timedelta(hours=h) for h in ack)
    # 48–72 h from Monday 09:00 stay within the week
    assert (due.diagnosis.earliest - start, due.diagnosis.latest - start) == tuple(timedelta(hours=h) for h in diagnosis)
    assert due.resolution is None


def test_weekend_submission_starts_on_monday():
    due = committed(verdict("S1"), at(PARIS, 2026, 11, 28, 14, 30), PARIS)  # Saturday
    assert due.acknowledgement.earliest == at(PARIS, 2026, 11, 30, 1, 0)
    assert due.acknowledgement.latest == at(PARIS, 2026, 11, 30, 3, 0)


def test_s3_diagnosis_of_3_days_skips_the_weekend():
    due = committed(verdict("S3"), at(NEW_YORK, 2026, 11, 26, 12, 0), NEW_YORK)  # Thursday noon
    # Thursday 12 h + Friday 24 h = 36; 12 more on Monday (48), 36 more → Tuesday noon (72)
    assert due.diagnosis.earliest == at(NEW_YORK, 2026, 11, 30, 12, 0)
    assert due.diagnosis.latest == at(NEW_YORK, 2026, 12, 1, 12, 0)


@pytest.mark.parametrize("impact_weekends, expected", [(False, at(PARIS, 2026, 11, 30, 3, 0)),
                                                       (True, at(PARIS, 2026, 11, 28, 17, 30))])
def test_outages_and_login_problems_count_weekend_hours(impact_weekends, expected):
    due = committed(verdict("S1", weekends=impact_weekends), at(PARIS, 2026, 11, 28, 14, 30), PARIS)
    assert due.acknowledgement.latest == expected


def test_end_of_friday_is_given_as_monday_midnight():
    assert add_business_hours(at(PARIS, 2026, 11, 27, 23, 0), 1, PARIS) == at(PARIS, 2026, 11, 30, 0, 0)


def test_europe_spring_forward_for_an_exempt_ticket():
    """Paris, Sunday 29 March 2026: 02:00 → 03:00. Three real hours from 01:30 end at 05:30 CEST."""
    due = add_business_hours(at(PARIS, 2026, 3, 29, 1, 30), 3, PARIS, weekends_count=True)
    assert due == at(PARIS, 2026, 3, 29, 5, 30)
    assert due.isoformat() == "2026-03-29T05:30:00+02:00"


def test_europe_fall_back_friday_to_monday_changes_the_offset():
    """Paris, Sunday 25 October 2026: CEST → CET inside the weekend; business hours are unaffected."""
    due = add_business_hours(at(PARIS, 2026, 10, 23, 22, 0), 12, PARIS)
    assert due.isoformat() == "2026-10-26T10:00:00+01:00"


def test_us_spring_forward_for_an_exempt_and_a_normal_ticket():
    """New York, Sunday 8 March 2026: 02:00 → 03:00."""
    assert add_business_hours(at(NEW_YORK, 2026, 3, 8, 0, 30), 3, NEW_YORK, True).isoformat() == "2026-03-08T04:30:00-04:00"
    assert add_business_hours(at(NEW_YORK, 2026, 3, 6, 18, 0), 8, NEW_YORK).isoformat() == "2026-03-09T02:00:00-04:00"


def test_us_fall_back_sunday_night_exempt_ticket_gets_25_hour_day():
    """New York, Sunday 1 November 2026: 02:00 → 01:00. 24 real hours from Saturday 12:00 end Sunday 11:00."""
    assert add_business_hours(at(NEW_YORK, 2026, 10, 31, 12, 0), 24, NEW_YORK, True) == at(NEW_YORK, 2026, 11, 1, 11, 0)


def test_year_end():
    """Thursday 31 December 2026, 20:00 in Kolkata: 24 business hours end on Friday 1 January 2027 (no
    public holidays: the seeds promise 24×5), 48 skip the first weekend of the year."""
    due = committed(verdict("S2"), at(KOLKATA, 2026, 12, 31, 20, 0), KOLKATA)
    assert due.diagnosis.earliest.isoformat() == "2027-01-01T20:00:00+05:30"
    assert due.diagnosis.latest.isoformat() == "2027-01-04T20:00:00+05:30"
    assert due.acknowledgement.latest.isoformat() == "2027-01-01T08:00:00+05:30"


def test_multi_user_s1_aims_at_resolution_within_24_to_48_hours():
    start = at(KOLKATA, 2026, 11, 23, 9, 0)
    due = committed(verdict("S1", multi_user=True), start, KOLKATA)
    assert due.resolution is not None
    assert (due.resolution.earliest, due.resolution.latest) == (start + timedelta(hours=24), start + timedelta(hours=48))


def test_no_commitment_no_deadlines():
    assert deadlines(verdict("S3", commitment=False), at(PARIS, 2026, 11, 23, 9, 0), PARIS) is None


def test_submission_in_utc_is_answered_in_the_region_offset():
    due = committed(verdict("S1"), datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc), KOLKATA)
    assert due.acknowledgement.earliest.isoformat() == "2026-11-23T09:30:00+05:30"
    assert due.time_zone == "Asia/Kolkata"


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        add_business_hours(datetime(2026, 11, 23, 9, 0), 1, PARIS)


# --- properties ----------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                       timezones=st.just(timezone.utc))
zones = st.sampled_from(ZONES).map(ZoneInfo)
hours = st.sampled_from(sorted({h for t in CONFIG.targets.values() for h in (*t.acknowledgement, *t.diagnosis)}
                               | set(CONFIG.multi_user_resolution)))


@settings(max_examples=400, deadline=None)
@given(moments, zones, hours)
def test_a_normal_deadline_never_lands_on_a_weekend(start, zone, h):
    assert add_business_hours(start, h, zone).weekday() < 5


@settings(max_examples=300, deadline=None)
@given(moments, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)), zones, hours, st.booleans())
def test_deadlines_are_monotone_in_submission_time(start, later, zone, h, weekends):
    assert add_business_hours(start, h, zone, weekends) <= add_business_hours(start + later, h, zone, weekends)


@settings(max_examples=300, deadline=None)
@given(moments, zones, hours, st.booleans())
def test_a_deadline_never_precedes_submission_and_counts_exactly(start, zone, h, weekends):
    due = add_business_hours(start, h, zone, weekends)
    assert due > start
    assert business_hours_between(start, due, zone, weekends) == pytest.approx(h)
    assert due.tzinfo is zone and due.utcoffset() is not None


@settings(max_examples=200, deadline=None)
@given(moments, zones)
def test_earliest_bound_never_after_latest(start, zone):
    for severity in ("S1", "S2", "S3"):
        due = committed(verdict(severity, multi_user=severity == "S1"), start, zone)
        for window in (due.acknowledgement, due.diagnosis, due.resolution):
            if window:
                assert start < window.earliest <= window.latest
        assert due.acknowledgement.latest <= due.diagnosis.latest
