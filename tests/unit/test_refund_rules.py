"""The refund policy: duplicates always, subscriptions within the window, never a card check or credit."""

from datetime import date, timedelta

from hypothesis import given, strategies as st

from helpcenter.rules.refunds import REFUND_WINDOW_DAYS, ChargeKind, refundable

CHARGED = date(2026, 11, 1)


@given(st.integers(min_value=0, max_value=3650))
def test_a_duplicate_charge_is_always_refunded(days):
    assert refundable(ChargeKind.DUPLICATE, CHARGED, CHARGED + timedelta(days=days))


@given(st.integers(min_value=0, max_value=400))
def test_a_subscription_is_refunded_only_within_the_window(days):
    assert refundable(ChargeKind.SUBSCRIPTION, CHARGED, CHARGED + timedelta(days=days)) == (days <= REFUND_WINDOW_DAYS)


def test_the_window_edges():
    assert refundable(ChargeKind.SUBSCRIPTION, CHARGED, CHARGED + timedelta(days=REFUND_WINDOW_DAYS))
    assert not refundable(ChargeKind.SUBSCRIPTION, CHARGED, CHARGED + timedelta(days=REFUND_WINDOW_DAYS + 1))


def test_card_checks_and_non_payment_downgrades_are_never_refunded():
    for kind in (ChargeKind.CARD_CHECK, ChargeKind.NON_PAYMENT_DOWNGRADE):
        assert not refundable(kind, CHARGED, CHARGED)
