"""Guessing the numbers of one account: how many failed look-ups lock it, and for how long.

A status look-up needs the account number and the billing postal code; an invoice look-up or payment
the account number and the invoice number. Both numbers are short and the postal code is often public,
so the look-ups for one account number are counted per fixed window: after ``MAX_FAILURES`` answers of
"no match" in a window, the account number is locked until the window ends, for every client and
whether or not such an account exists (the lock is keyed on the number asked for, and the answer is
the same). While locked even the right numbers are refused, so a guesser gets at most
``MAX_FAILURES`` tries per window: 5 tries a quarter hour is 480 a day, against 100,000 codes of a
5-digit postal code. WAF's per-client rate rule limits the look-ups of one client across accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
SCOPES = ("status", "invoice")  # counted apart: guessing invoice numbers does not lock the status page


@dataclass(frozen=True)
class LookupWindow:
    """The fixed window containing an instant: ``key`` names it, ``ends_at`` and ``expires_at`` are
    epoch seconds (the counter item outlives its window by an hour, then DynamoDB's TTL removes it)."""

    key: str
    ends_at: int

    @property
    def expires_at(self) -> int:
        return self.ends_at + 3600

    def retry_after(self, now: datetime) -> int:
        """Seconds until the window ends (at least 1)."""
        return max(self.ends_at - int(now.timestamp()), 1)


def lookup_window(scope: str, now: datetime) -> LookupWindow:
    if scope not in SCOPES:
        raise ValueError(f"unknown look-up scope {scope!r}")
    start = int(now.timestamp()) // WINDOW_SECONDS * WINDOW_SECONDS
    return LookupWindow(f"{scope}#{start}", start + WINDOW_SECONDS)


def is_locked(failures: int) -> bool:
    """Whether an account number with ``failures`` misses in the current window is refused."""
    return failures >= MAX_FAILURES
