from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.money import CURRENCY_EXPONENTS, Money, MoneyError


@pytest.mark.parametrize(
    "amount, currency, minor",
    [("149.00", "USD", 14900), ("149.5", "EUR", 14950), ("0.01", "GBP", 1), ("2500000", "VND", 2500000),
     ("1200", "JPY", 1200), (" 12.30 ", "thb", 1230), (7, "USD", 700), (Decimal("3.10"), "AUD", 310)],
)
def test_parse_to_minor_units(amount, currency, minor):
    assert Money.parse(amount, currency) == Money(minor, currency.upper())


@pytest.mark.parametrize(
    "amount, currency",
    [(1.5, "USD"), ("1.234", "USD"), ("12.5", "VND"), ("abc", "USD"), ("NaN", "USD"), ("Infinity", "EUR"),
     ("10", "XXX"), ("", "USD")],
)
def test_refuses_floats_extra_decimals_and_unknown_currencies(amount, currency):
    with pytest.raises(MoneyError):
        Money.parse(amount, currency)


def test_arithmetic_refuses_mixed_currencies():
    with pytest.raises(MoneyError):
        Money(100, "USD") - Money(1, "EUR")
    assert Money(1000, "EUR") - Money(250, "EUR") == Money(750, "EUR")


@given(minor=st.integers(min_value=0, max_value=10**15), currency=st.sampled_from(sorted(CURRENCY_EXPONENTS)))
def test_decimal_string_round_trips(minor, currency):
    money = Money(minor, currency)
    assert Money.parse(money.to_decimal_string(), currency) == money
