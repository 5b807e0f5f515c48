"""Locking an account number after failed look-ups, and the keyed postal-code digest."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.domain import Account, Plan, Region, postal_code_digest
from helpcenter.postal_codes import parse_keys
from helpcenter.rules import lookups

KEY, OLD_KEY = b"n" * 32, b"o" * 32


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(timezone.utc)))
def test_the_window_contains_the_instant_and_retry_after_reaches_its_end(now):
    window = lookups.lookup_window("status", now)
    assert 1 <= window.retry_after(now) <= lookups.WINDOW_SECONDS
    assert now + timedelta(seconds=window.retry_after(now)) >= datetime.fromtimestamp(window.ends_at, timezone.utc)
    assert window.expires_at > window.ends_at
    assert lookups.lookup_window("status", now + timedelta(seconds=window.retry_after(now))).key != window.key


def test_scopes_are_counted_apart_and_unknown_ones_refused():
    now = datetime(2026, 12, 1, 9, 7, tzinfo=timezone.utc)
    assert lookups.lookup_window("status", now).key != lookups.lookup_window("invoice", now).key
    with pytest.raises(ValueError):
        lookups.lookup_window("tickets", now)


def test_locked_from_the_fifth_miss():
    assert [lookups.is_locked(n) for n in range(7)] == [False] * 5 + [True] * 2


def test_digest_is_keyed_and_verified_under_old_or_new_key():
    old = postal_code_digest("100200300", "20121", OLD_KEY)
    assert old != postal_code_digest("100200300", "20121", KEY)
    account = Account("100200300", "Acme", Plan.PRO, Region.EUROPE_UK, old)
    assert account.postal_code_matches("20121", (KEY, OLD_KEY))
    assert not account.postal_code_matches("20121", (KEY,))
    assert not account.postal_code_matches("20122", (KEY, OLD_KEY))


def test_key_parameter_holds_long_keys_comma_separated():
    assert parse_keys(f"{'n' * 32}, {'o' * 32}") == (KEY, OLD_KEY)
    for bad in ("", "short", f"{'n' * 32},short"):
        with pytest.raises(ValueError):
            parse_keys(bad)
