"""Our refund policy: which charges are refunded, as a pure function (no clock: callers pass dates).

- A charge taken twice for one invoice, or taken by mistake, is refunded in full whenever it is reported.
- Cancelling a new subscription or a renewal within ``REFUND_WINDOW_DAYS`` of its charge refunds that
  charge in full; later, nothing is refunded and the plan runs to the end of the paid period.
- A refund is always the whole charge, in the invoice's currency, to the method that paid it; banks
  show it within ``REFUND_ARRIVAL_BUSINESS_DAYS``.
- The card check (an authorisation, never taken) and a downgrade for non-payment (a credit on the
  amount due instead, see ``rules.payment``) are never refunded.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

REFUND_WINDOW_DAYS = 14
REFUND_ARRIVAL_BUSINESS_DAYS = (5, 10)


class ChargeKind(StrEnum):
    DUPLICATE = "duplicate"  # the same invoice charged twice, or a charge taken by mistake
    SUBSCRIPTION = "subscription"  # a new subscription or a renewal
    CARD_CHECK = "card_check"  # the authorisation made when a card is saved
    NON_PAYMENT_DOWNGRADE = "non_payment_downgrade"


def refundable(kind: ChargeKind, charged_on: date, asked_on: date) -> bool:
    """Whether a charge of ``kind`` taken on ``charged_on`` is refunded when asked on ``asked_on``."""
    if kind is ChargeKind.DUPLICATE:
        return True
    if kind is ChargeKind.SUBSCRIPTION:
        return 0 <= (asked_on - charged_on).days <= REFUND_WINDOW_DAYS
    return False
