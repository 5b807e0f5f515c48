"""Recording a charge against its invoice, exactly once, whoever learns of it first.

Three callers can learn that an attempt's charge went through: the pay function (the page's own
call), the Stripe webhook (``payment_intent.succeeded``, possibly duplicated, concurrent, or before
the page's call) and the reconciliation job (an attempt whose outcome was never recorded). They all
call :func:`settle`, which decides with the rules (``rules.payment.settle``) and writes the paid
invoice, the account and the confirmation to every billing contact (:func:`confirmation`, into the
outbox) in one conditional transaction (``store.record_payment``: only while the invoice is open and
held by that attempt's key). Exactly one call wins that write, so exactly one confirmation is
promised however often the news arrives; the deliverer function sends it, retrying until it is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from helpcenter import payments, store
from helpcenter.domain import InvoiceStatus
from helpcenter.messages import Kind, Message
from helpcenter.observability import logger, metrics
from helpcenter.rules import payment

RECORD_ATTEMPTS = 5  # fresh reads when another payment of the same account changed it meanwhile


class ChargeNotSettled(Exception):
    """Charged, but the invoice is gone or was paid by another attempt: for the operators."""


class SettlementStore(Protocol):
    """What settling needs of the store (``helpcenter.store.payments`` is the DynamoDB one)."""

    def get_payment_context(self, account_number: str) -> store.PaymentContext: ...

    def record_payment(self, settlement: payment.Settlement, key: str, payment_id: str, paid_at: str,
                       seen_seq: int, paid_by: str | None = None, messages: Sequence[Message] = ()) -> None: ...


@dataclass(frozen=True)
class Settled:
    """The outcome of ``Settlements.settle``: ``settlement`` is None when an earlier call recorded it."""

    settlement: payment.Settlement | None
    context: store.PaymentContext


def default() -> Settlements:
    """The production seam: DynamoDB (the confirmation in the outbox, in the payment's transaction)."""
    from helpcenter.store import payments as payment_store

    return Settlements(payment_store)


class Settlements:
    """Recording charges against invoices around one seam: the store, which writes the payment with
    its confirmation."""

    def __init__(self, store: SettlementStore):
        self.store = store

    def settle(self, account_number: str, invoice_number: str, key: str, charge: payments.Charge, *,
               now: datetime, today: date, paid_by: str | None = None,
               context: store.PaymentContext | None = None) -> Settled:
        """Record ``charge`` (made by the attempt ``paid_by``, by default ``key``) as the payment of
        the invoice held by the attempt ``key``, with its confirmation (written only by the call that
        records it)."""
        paid_by = paid_by or key
        paid_at = now.isoformat(timespec="seconds")
        context = context or self.store.get_payment_context(account_number)
        for _ in range(RECORD_ATTEMPTS):
            invoice = payment.payable_invoice(context.account, context.invoices, invoice_number)
            if invoice is None:
                earlier = context.payments.get(invoice_number)
                if earlier and earlier.status == InvoiceStatus.PAID.value and earlier.claimed_by == paid_by:
                    return Settled(None, context)  # recorded already: a duplicate, or the other caller won
                break
            assert context.account is not None  # a payable invoice belongs to an account
            settlement = payment.settle(context.account, context.invoices, invoice_number, today)
            try:
                self.store.record_payment(settlement, key, charge.payment_id, paid_at, context.payment_seq, paid_by,
                                          confirmation(settlement, charge.payment_id))
            except store.PaymentNotRecorded:
                context = self.store.get_payment_context(account_number)
                continue
            metrics.add_metric(name="PaymentsCompleted", unit="Count", value=1)
            if settlement.reactivated:
                metrics.add_metric(name="AccountsReactivated", unit="Count", value=1)
            logger.info("payment recorded", extra={"payment_id": charge.payment_id,
                                                   "currency": charge.amount.currency,
                                                   "reactivated": settlement.reactivated})
            return Settled(settlement, context)
        metrics.add_metric(name="ChargesNotSettled", unit="Count", value=1)
        logger.error("charged but not recorded", extra={"payment_id": charge.payment_id})
        raise ChargeNotSettled(charge.payment_id)


def confirmation(settlement: payment.Settlement, payment_id: str) -> list[Message]:
    """The payment's confirmation to every billing contact, written with the payment (its id derives
    from the payment's, so one payment never promises two)."""
    account, invoice = settlement.account, settlement.invoice
    if not account.billing_contacts:
        return []
    facts = {"account_number": account.number, "account_name": account.name, "invoice_number": invoice.number,
             "amount": settlement.amount_paid.to_decimal_string(), "currency": settlement.amount_paid.currency,
             "payment_id": payment_id, "reactivated": settlement.reactivated}
    return [Message(f"payment#{payment_id}#confirmation", Kind.PAYMENT_CONFIRMATION,
                    tuple(account.billing_contacts), facts, account.language)]
