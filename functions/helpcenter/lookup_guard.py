"""Look-ups that lock an account number after a few misses (``helpcenter.rules.lookups``).

``guarded(scope, account_number, now, look_up)`` refuses with 429 and Retry-After while the number is
locked (before looking anything up, so the right numbers are refused too), runs the look-up, and
counts a miss (a ``NotFound``) against the number. The refusal is the same whether or not an account
has that number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, TypeVar

from helpcenter import errors, store
from helpcenter.observability import metrics
from helpcenter.rules import lookups

T = TypeVar("T")

LOCKED_MESSAGE = ("Too many look-ups of this account number did not match. Wait until the time in "
                  "Retry-After, then check both numbers against your invoice.")


class AccountNumberLocked(errors.TooManyRequests):
    code = "too_many_attempts"
    message = LOCKED_MESSAGE


def refuse_if_locked(scope: str, account_number: str, now: datetime) -> lookups.LookupWindow:
    window = lookups.lookup_window(scope, now)
    if lookups.is_locked(store.lookup_failures(account_number, window)):
        metrics.add_metric(name="LookupsLocked", unit="Count", value=1)
        raise AccountNumberLocked(retry_after=window.retry_after(now))
    return window


def count_miss(account_number: str, window: lookups.LookupWindow) -> None:
    store.add_lookup_failure(account_number, window)


def guarded(scope: str, account_number: str, now: datetime, look_up: Callable[[], T]) -> T:
    window = refuse_if_locked(scope, account_number, now)
    try:
        return look_up()
    except errors.NotFound:
        count_miss(account_number, window)
        raise
