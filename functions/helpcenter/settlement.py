"""Recording a charge against its invoice, exactly once, whoever learns of it first.

Three callers can learn that an attempt's charge went through: the pay function (the page's own
call), the Stripe webhook (``payment_intent.succeeded``, possibly duplicated, concurrent, or before
the page's call) and the reconciliation job (an attempt whose outcome was never recorded). They all
call :func:`settle`, which decides with the rules (``rules.payment.settle``) and writes the paid
invoice and the account in one conditional transaction (``store.record_payment``: only while the
invoice is open and held by that attempt's key). Exactly one call wins that write; only that call
sends the confirmation (:func:`confirm`), so the customer gets one e-mail however often the news
arrives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

from helpcenter import mail, payments, store
from helpcenter.api import error_facts, logger, metrics
from helpcenter.domain import InvoiceStatus
from helpcenter.rules import payment

STATUS_PAGE = os.environ.get("STATUS_PAGE_URL", "/forms/account-status/")
RECORD_ATTEMPTS = 5  # fresh reads when another payment of the same account changed it meanwhile


class ChargeNotSettled(Exception):
    """Charged, but the invoice is gone or was paid by another attempt: for the operators."""


@dataclass(frozen=True)
class Settled:
    """The outcome of :func:`settle`: ``settlement`` is None when an earlier call recorded it."""

    settlement: payment.Settlement | None
    context: store.PaymentContext


def settle(account_number: str, invoice_number: str, key: str, charge: payments.Charge, *, now: datetime,
           today: date, paid_by: str | None = None, context: store.PaymentContext | None = None) -> Settled:
    """Record ``charge`` (made by the attempt ``paid_by``, by default ``key``) as the payment of the
    invoice held by the attempt ``key``; confirm it by e-mail when this call recorded it."""
    paid_by = paid_by or key
    paid_at = now.isoformat(timespec="seconds")
    context = context or store.get_payment_context(account_number)
    for _ in range(RECORD_ATTEMPTS):
        invoice = payment.payable_invoice(context.account, context.invoices, invoice_number)
        if invoice is None:
            earlier = context.payments.get(invoice_number)
            if earlier and earlier.status == InvoiceStatus.PAID.value and earlier.claimed_by == paid_by:
                return Settled(None, context)  # recorded already: a duplicate, or the other caller won
            break
        settlement = payment.settle(context.account, context.invoices, invoice_number, today)
        try:
            store.record_payment(settlement, key, charge.payment_id, paid_at, context.payment_seq, paid_by)
        except store.PaymentNotRecorded:
            context = store.get_payment_context(account_number)
            continue
        metrics.add_metric(name="PaymentsCompleted", unit="Count", value=1)
        if settlement.reactivated:
            metrics.add_metric(name="AccountsReactivated", unit="Count", value=1)
        logger.info("payment recorded", extra={"payment_id": charge.payment_id, "currency": charge.amount.currency,
                                               "reactivated": settlement.reactivated})
        confirm(settlement, charge.payment_id)
        return Settled(settlement, context)
    metrics.add_metric(name="ChargesNotSettled", unit="Count", value=1)
    logger.error("charged but not recorded", extra={"payment_id": charge.payment_id})
    raise ChargeNotSettled(charge.payment_id)


def confirm(settlement: payment.Settlement, payment_id: str) -> None:
    """The confirmation to every billing contact; a mail failure does not undo the payment."""
    account, invoice = settlement.account, settlement.invoice
    try:
        mail.send(
            list(account.billing_contacts),
            mail.PAYMENT_SUBJECT.format(invoice_number=invoice.number),
            mail.payment_text(account.name, invoice.number, settlement.amount_paid.to_decimal_string(),
                              settlement.amount_paid.currency, payment_id, settlement.reactivated, STATUS_PAGE),
        )
    except Exception as error:  # noqa: BLE001 - the money is taken and recorded; the e-mail is best effort
        metrics.add_metric(name="ConfirmationsNotSent", unit="Count", value=1)
        # the error's type and code only: SES messages can name the addresses
        logger.warning("payment confirmation not sent", extra={"payment_id": payment_id, **error_facts(error)})
