"""Feedback stays anonymous: addresses and long numbers never reach the table."""

from datetime import datetime, timezone

from hypothesis import given, strategies as st

from helpcenter.rules.feedback import (COMMENT_MAX_CHARS, REDACTED, clean_comment, clean_query, rate_window,
                                       redact)


def test_addresses_and_long_numbers_are_removed():
    assert redact("mail me: ana.b@shop.example, card 4242 4242 4242 4242") == f"mail me: {REDACTED} card {REDACTED}"
    assert redact("invoice INV-4001 in 2026") == "invoice INV-4001 in 2026"  # short numbers stay
    assert redact("call +39 02-1234-5678 today") == f"call +{REDACTED} today"


@given(st.text(max_size=3000))
def test_a_comment_is_never_longer_than_the_limit_nor_holds_an_address(text):
    cleaned = clean_comment(text)
    assert cleaned is None or (len(cleaned) <= COMMENT_MAX_CHARS and "@" not in cleaned.replace(REDACTED, ""))


def test_queries_are_lowered_and_a_number_alone_is_not_counted():
    assert clean_query("  Hoàn   TIỀN ") == "hoàn tiền"
    assert clean_query("100200303") is None
    assert clean_query("   ") is None


def test_rate_windows_are_minutes():
    key, expires = rate_window(datetime(2026, 12, 1, 9, 30, 59, tzinfo=timezone.utc))
    assert int(key) % 60 == 0 and expires == int(key) + 120
