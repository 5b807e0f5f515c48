"""Express invoice payment: look an invoice up, pay it once.

The decisions are in ``helpcenter.rules.payment``; this module puts the store, the payment provider
and the mail around them, in this order for a payment:

1. read the account and its invoices; anything but a payable invoice is "no match";
2. check the amount against the amount due after credit;
3. claim the invoice for this attempt (conditional write): a concurrent attempt with another key
   stops here, before any charge;
4. charge through the provider with the attempt's idempotency key: a retry of this attempt gets the
   first charge back instead of a second one. If the claim was taken over from an attempt that
   vanished without knowing its outcome, first ask the provider whether that attempt charged: if it
   did, its charge pays the invoice;
5. record the paid invoice and the account in one transaction (reactivated, out of dunning, when no
   overdue invoice remains);
6. e-mail the confirmation to every billing contact.

If step 5 fails after the charge, the claim stays with this attempt: its retry (same key) passes
step 3, gets the same charge at step 4, and finishes step 5. Idempotency of whole requests (a replay
answers the first response) is the handler's, with Powertools.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from helpcenter import errors, mail, payments, store
from helpcenter.observability import error_facts, logger, metrics
from helpcenter.domain import InvoiceStatus
from pay_invoice.models import PayInvoiceRequest
from helpcenter.rules import payment
from helpcenter.rules.dunning import status_on

STATUS_PAGE = os.environ.get("STATUS_PAGE_URL", "/forms/account-status/")
RECORD_ATTEMPTS = 5


Refusal = errors.Refusal
RETRY_AFTER_SECONDS = 2


class NoMatch(errors.NotFound):
    """Unknown account, unknown invoice, another account's invoice, already paid, deleted account."""

    code = "no_match"
    message = "No unpaid invoice matches these numbers. Check both numbers against the invoice."


class AmountMismatch(errors.Conflict):
    """The amount or currency sent is not the amount due."""

    code = "amount_mismatch"
    message = "The amount or currency is not the amount due on this invoice. Look the invoice up again."


class PaymentInProgress(errors.Conflict):
    """Another attempt holds the invoice right now."""

    code = "in_progress"
    message = "Another payment of this invoice is being processed. Try again in a moment."
    retry_after = RETRY_AFTER_SECONDS


class Declined(errors.PaymentRefused):
    """The provider refused the payment method; nothing was taken."""

    def __init__(self, reason: str):
        super().__init__(message=f"The payment was declined ({reason.replace('_', ' ')}). You were not charged.",
                         fields=[errors.field_problem("payment_token", reason, reason.replace("_", " ").capitalize() + ".")])
        self.reason = reason


class ProviderDown(errors.Unavailable):
    """The provider took nothing and could not process the payment now."""

    code = "provider_error"
    message = "The payment service could not take the payment. You were not charged; try again."
    retry_after = RETRY_AFTER_SECONDS


class PaymentPending(errors.Unavailable):
    """The provider did not answer: retry with the same key to learn (and settle) the outcome."""

    code = "payment_pending"
    message = ("The payment service has not confirmed the payment yet. Send the same request again "
               "with the same Idempotency-Key: you will not be charged twice.")
    retry_after = RETRY_AFTER_SECONDS


class KeyReused(errors.Conflict):
    """The provider already knows this key for another charge."""

    code = "key_reused"
    message = "This Idempotency-Key was already used for another payment."


class ChargeNotSettled(Exception):
    """Charged, but the invoice could not be marked paid: for the operators (never expected)."""


def lookup(account_number: str, invoice_number: str) -> dict:
    account, invoice = store.get_account_and_invoice(account_number, invoice_number)
    payable = payment.payable_invoice(account, [invoice] if invoice else [], invoice_number)
    if payable is None:
        metrics.add_metric(name="InvoiceNoMatch", unit="Count", value=1)
        raise NoMatch()
    return {
        "invoice_number": payable.number,
        "amount_due": payable.amount_due.to_decimal_string(),
        "currency": payable.amount_due.currency,
        "due_date": payable.due_date.isoformat(),
        "account_name": account.masked_name if account else "",
        "payment_provider": payments.provider_name(),
    }


def pay(request: PayInvoiceRequest, key: str, *, now: datetime, today: date) -> dict:
    """Pay one invoice for the attempt ``key``; returns the receipt or raises a ``Refusal``."""
    epoch = int(now.timestamp())
    context = store.get_payment_context(request.account_number)
    invoice = payment.payable_invoice(context.account, context.invoices, request.invoice_number)
    if invoice is None:
        earlier = context.payments.get(request.invoice_number)
        if context.account and earlier and earlier.status == InvoiceStatus.PAID.value and earlier.claimed_by == key:
            return _receipt(context, request.invoice_number, earlier.payment_id, today)  # our answer was lost
        metrics.add_metric(name="InvoiceNoMatch", unit="Count", value=1)
        raise NoMatch()
    if not payment.amount_matches(invoice, request.amount):
        raise AmountMismatch()

    try:
        abandoned = store.claim_invoice(invoice.account_number, invoice.number, key, payment.claim_expiry(epoch),
                                        epoch)
    except store.ClaimRefused as refused:
        current = refused.current
        verdict = payment.claim_verdict(status=current.status, claimed_by=current.claimed_by, key=key)
        if verdict is payment.ClaimVerdict.ALREADY_PAID_BY_THIS_KEY:
            return _receipt(store.get_payment_context(request.account_number), invoice.number, current.payment_id,
                            today)
        if verdict is payment.ClaimVerdict.IN_PROGRESS:
            metrics.add_metric(name="PaymentsInProgress", unit="Count", value=1)
            raise PaymentInProgress() from None
        metrics.add_metric(name="InvoiceNoMatch", unit="Count", value=1)
        raise NoMatch() from None

    provider = payments.provider()
    charge = _charge_of_abandoned_attempt(provider, invoice, key, abandoned, epoch) if abandoned else None
    paid_by = abandoned.claimed_by if abandoned and abandoned.claimed_by and charge else key
    if charge is None:
        charge = _charge(provider, invoice, key, request.payment_token)

    settlement = _record(context, invoice.number, key, charge, now, today, paid_by)
    if settlement is None:  # a retry of this same attempt recorded it meanwhile
        return _receipt(store.get_payment_context(request.account_number), invoice.number, charge.payment_id, today)
    metrics.add_metric(name="PaymentsCompleted", unit="Count", value=1)
    if settlement.reactivated:
        metrics.add_metric(name="AccountsReactivated", unit="Count", value=1)
    logger.info("payment recorded", extra={
        "payment_id": charge.payment_id, "provider": provider.name, "currency": charge.amount.currency,
        "reactivated": settlement.reactivated,
    })
    _confirm(settlement, charge.payment_id)
    return {
        "payment_id": charge.payment_id,
        "invoice_number": invoice.number,
        "amount_paid": settlement.amount_paid.to_decimal_string(),
        "currency": settlement.amount_paid.currency,
        "account_status": settlement.account_status.value,
    }


def _charge_of_abandoned_attempt(provider, invoice, key: str, abandoned: store.InvoicePayment,
                                  epoch: int) -> payments.Charge | None:
    """An earlier attempt claimed this invoice and vanished without an answer (its client never
    retried): ask the provider whether it charged before charging again. If it did, that charge pays
    the invoice; if the provider cannot tell now, the claim goes back for the next attempt."""
    try:
        earlier = provider.find_charge(abandoned.claimed_by)
    except payments.ProviderUnreachable:
        store.hand_back_claim(invoice.account_number, invoice.number, key, abandoned, epoch)
        metrics.add_metric(name="PaymentsPending", unit="Count", value=1)
        raise PaymentPending() from None
    if earlier is not None:
        metrics.add_metric(name="AbandonedChargesRecovered", unit="Count", value=1)
        logger.warning("an abandoned attempt had charged: recording it", extra={"payment_id": earlier.payment_id})
    return earlier


def _charge(provider, invoice, key: str, token: str) -> payments.Charge:
    """Charge the amount due with this attempt's key; a refused charge gives the invoice back."""
    charge_request = payments.ChargeRequest(
        idempotency_key=key,
        amount=invoice.amount_due,
        payment_token=token,
        description=f"Invoice {invoice.number}",
        metadata={"invoice_number": invoice.number, "account_number": invoice.account_number},
    )
    try:
        return provider.charge(charge_request)
    except payments.PaymentDeclined as declined:
        store.release_claim(invoice.account_number, invoice.number, key)
        metrics.add_metric(name="PaymentsDeclined", unit="Count", value=1)
        logger.info("payment declined", extra={"reason": declined.reason, "provider": provider.name})
        raise Declined(declined.reason) from None
    except (payments.ProviderFailed, payments.ProviderKeyReused) as failed:
        store.release_claim(invoice.account_number, invoice.number, key)
        logger.warning("payment not processed", extra={"provider": provider.name, "error": type(failed).__name__})
        metrics.add_metric(name="PaymentProviderFailures", unit="Count", value=1)
        raise (KeyReused() if isinstance(failed, payments.ProviderKeyReused) else ProviderDown()) from None
    except payments.ProviderUnreachable:
        # The charge may exist: keep the claim, so that only this attempt (same key) can finish it.
        logger.warning("payment outcome unknown", extra={"provider": provider.name})
        metrics.add_metric(name="PaymentsPending", unit="Count", value=1)
        raise PaymentPending() from None


def _record(context: store.PaymentContext, invoice_number: str, key: str, charge: payments.Charge,
            now: datetime, today: date, paid_by: str) -> payment.Settlement | None:
    """Mark the invoice paid; re-read and decide again when another payment changed the account."""
    paid_at = now.isoformat(timespec="seconds")
    for _ in range(RECORD_ATTEMPTS):
        invoice = payment.payable_invoice(context.account, context.invoices, invoice_number)
        if invoice is None:
            earlier = context.payments.get(invoice_number)
            if earlier and earlier.status == InvoiceStatus.PAID.value and earlier.claimed_by == paid_by:
                return None
            break  # charged, and the invoice is gone or no longer ours
        assert context.account is not None  # a payable invoice belongs to an account
        settlement = payment.settle(context.account, context.invoices, invoice_number, today)
        try:
            store.record_payment(settlement, key, charge.payment_id, paid_at, context.payment_seq, paid_by)
            return settlement
        except store.PaymentNotRecorded:
            context = store.get_payment_context(invoice.account_number)
    metrics.add_metric(name="ChargesNotSettled", unit="Count", value=1)
    logger.error("charged but not recorded", extra={"payment_id": charge.payment_id})
    raise ChargeNotSettled(charge.payment_id)


def _receipt(context: store.PaymentContext, invoice_number: str, payment_id: str | None, today: date) -> dict:
    """The answer for an invoice this attempt already paid (its first answer was lost)."""
    invoice = next(i for i in context.invoices if i.number == invoice_number)
    assert context.account is not None  # the invoice was found in the account's partition
    return {
        "payment_id": payment_id or "",
        "invoice_number": invoice.number,
        "amount_paid": invoice.amount_due.to_decimal_string(),
        "currency": invoice.amount_due.currency,
        "account_status": status_on(context.account, context.invoices, today).value,
    }


def _confirm(settlement: payment.Settlement, payment_id: str) -> None:
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
