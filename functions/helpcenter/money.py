"""Money as integer minor units with an ISO 4217 currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# ISO 4217 minor-unit exponents of the currencies we bill in.
CURRENCY_EXPONENTS: dict[str, int] = {
    "AUD": 2, "BRL": 2, "CAD": 2, "CHF": 2, "EUR": 2, "GBP": 2, "HKD": 2, "INR": 2, "JPY": 0,
    "MYR": 2, "NZD": 2, "SAR": 2, "SGD": 2, "THB": 2, "USD": 2, "VND": 0, "ZAR": 2,
}


class MoneyError(ValueError):
    """An amount or currency that cannot be billed."""


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self):
        if self.currency not in CURRENCY_EXPONENTS:
            raise MoneyError(f"unsupported currency {self.currency!r}")
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise MoneyError("minor units must be an integer")

    @classmethod
    def parse(cls, amount: str | int | Decimal, currency: str) -> Money:
        """``"149.50", "USD"`` → 14950 minor units. Refuses floats and extra decimals."""
        if isinstance(amount, float):
            raise MoneyError("amounts are decimal strings, never floats")
        currency = str(currency).upper()
        if currency not in CURRENCY_EXPONENTS:
            raise MoneyError(f"unsupported currency {currency!r}")
        try:
            value = Decimal(str(amount).strip())
        except InvalidOperation as error:
            raise MoneyError(f"{amount!r} is not a decimal amount") from error
        if not value.is_finite():
            raise MoneyError(f"{amount!r} is not a finite amount")
        scaled = value.scaleb(CURRENCY_EXPONENTS[currency])
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{amount} has more decimals than {currency} allows")
        return cls(int(scaled), currency)

    def to_decimal_string(self) -> str:
        """14950 USD → ``"149.50"``; 500000 VND → ``"500000"``."""
        exponent = CURRENCY_EXPONENTS[self.currency]
        return str(Decimal(self.minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent)))

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")
