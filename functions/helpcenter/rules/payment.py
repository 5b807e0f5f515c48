"""Express invoice payment: what may be paid, for how much, and what a payment changes.

Pure functions over the domain records: no boto3, no HTTP, no clock (callers pass ``today``/``now``).

- **What may be paid**: one open invoice of an account that is not deleted, with something left to
  pay after any downgrade credit. Every other case (unknown account, unknown invoice, another
  account's invoice, an invoice already paid, a deleted account) is one and the same "no match", so
  the answer never tells which of the two numbers exists.
- **How much**: exactly the amount due after the credit, in the invoice's currency.
- **What it changes**: the invoice is paid; when no overdue invoice remains, an account in the
  dunning timeline (past due, warned or cancelled; never deleted) becomes active and leaves dunning,
  so the daily job stops for it.
- **Who holds the invoice**: a payment claims the invoice for a short lease before charging, so two
  payments with different idempotency keys never both reach the payment provider.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus
from helpcenter.money import Money
from helpcenter.rules.dunning import has_overdue, status_on

# How long a claim keeps other payments of the same invoice out. Much longer than the pay function's
# timeout (20 s: its Lambda is stopped before the lease ends), so a claim outlives the charge it
# guards, and long enough for a provider to index that charge for lookup (Stripe's search: about a
# minute) before the next attempt asks whether the vanished one charged.
CLAIM_LEASE_SECONDS = 120
# How long a claim is kept while the customer answers their bank's check (3-D Secure) in the page:
# long enough for a person, and the reconciliation job cancels what is left after it.
ACTION_LEASE_SECONDS = 15 * 60

# Statuses an unpaid account can be in; paying every overdue invoice returns it to active.
RESTRICTED = frozenset({AccountStatus.PAST_DUE, AccountStatus.SUSPENSION_WARNING, AccountStatus.CANCELLED})


def payable_invoice(account: Account | None, invoices: list[Invoice], invoice_number: str) -> Invoice | None:
    """The invoice that may be paid with these two numbers, or None for every kind of mismatch."""
    if account is None or account.status is AccountStatus.DELETED:
        return None
    invoice = next((i for i in invoices if i.number == invoice_number), None)
    if invoice is None or invoice.account_number != account.number:
        return None
    if invoice.status is not InvoiceStatus.OPEN or invoice.amount_due.minor <= 0:
        return None
    return invoice


def amount_matches(invoice: Invoice, offered: Money) -> bool:
    """The customer pays exactly the amount due after credit, in the invoice's currency."""
    return offered == invoice.amount_due


@dataclass(frozen=True)
class Settlement:
    """What paying one invoice changes."""

    invoice: Invoice  # the invoice, now paid
    account: Account  # the account after the payment
    reactivated: bool  # the account left the dunning timeline
    account_status: AccountStatus  # its status today, as the status page will show it

    @property
    def amount_paid(self) -> Money:
        return self.invoice.amount_due


def settle(account: Account, invoices: list[Invoice], invoice_number: str, today: date) -> Settlement:
    """The account and invoice after ``invoice_number`` is paid on ``today``.

    Raises ValueError when the invoice may not be paid (callers check ``payable_invoice`` first).
    """
    invoice = payable_invoice(account, invoices, invoice_number)
    if invoice is None:
        raise ValueError("this invoice cannot be paid")
    paid = replace(invoice, status=InvoiceStatus.PAID)
    after = [paid if i.number == invoice_number else i for i in invoices]
    in_dunning = account.dunning_since is not None or account.status in RESTRICTED
    reactivated = in_dunning and not has_overdue(after, today)
    if reactivated:
        account = replace(account, status=AccountStatus.ACTIVE, dunning_since=None, notices_sent=frozenset())
    return Settlement(paid, account, reactivated, status_on(account, after, today))


class ClaimVerdict(StrEnum):
    """Why a payment could not claim an invoice, from what the invoice held at that moment."""

    ALREADY_PAID_BY_THIS_KEY = "already_paid_by_this_key"  # our own earlier attempt finished: replay it
    IN_PROGRESS = "in_progress"  # another attempt holds an unexpired claim
    NO_MATCH = "no_match"  # paid by someone else, or gone


def claim_verdict(*, status: str | None, claimed_by: str | None, key: str) -> ClaimVerdict:
    """Read a refused claim of attempt ``key``: ``status`` and ``claimed_by`` are what the invoice held.

    Another attempt's claim means "in progress" even if it ran out this very second: the retry then
    takes it over.
    """
    if status == InvoiceStatus.PAID.value:
        return ClaimVerdict.ALREADY_PAID_BY_THIS_KEY if claimed_by == key else ClaimVerdict.NO_MATCH
    if status == InvoiceStatus.OPEN.value and claimed_by and claimed_by != key:
        return ClaimVerdict.IN_PROGRESS
    return ClaimVerdict.NO_MATCH


def claim_expiry(now: int) -> int:
    return now + CLAIM_LEASE_SECONDS


def action_claim_expiry(now: int) -> int:
    """The claim's end while the bank's check is under way."""
    return now + ACTION_LEASE_SECONDS


def attempt_unresolved(status: str | None, claimed_by: str | None) -> bool:
    """An open invoice still held by a payment attempt: it may have been paid, and nobody knows yet.
    The dunning job leaves its account alone until the attempt is settled or released."""
    return status == InvoiceStatus.OPEN.value and bool(claimed_by)


def next_invoice_to_pay(invoices: list[Invoice], today: date) -> Invoice | None:
    """After a payment, the invoice to pay next: the oldest overdue one still open, if any."""
    overdue = [i for i in invoices if i.is_overdue(today) and i.amount_due.minor > 0]
    return min(overdue, key=lambda i: (i.due_date, i.number), default=None)
