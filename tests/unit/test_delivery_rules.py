from hypothesis import given
from hypothesis import strategies as st

from helpcenter.rules.delivery import MAX_RECEIVES, RETRY_CAP_SECONDS, retry_delay, total_retry_window


def test_the_schedule_doubles_from_30_seconds_to_15_minutes():
    assert [retry_delay(n) for n in range(1, MAX_RECEIVES)] == [30, 60, 120, 240, 480, 900, 900, 900, 900]
    assert 60 * 60 < total_retry_window() < 2 * 60 * 60  # about an hour and a half before the dead-letter queue


def test_the_local_schedule_outlasts_a_minute_of_outage():
    assert total_retry_window(2, 15) > 90


@given(st.integers(min_value=1, max_value=10_000))
def test_delays_grow_and_stay_within_the_cap(receives):
    assert retry_delay(receives) <= RETRY_CAP_SECONDS and retry_delay(receives + 1) >= retry_delay(receives)
