"""Express invoice payment: look an invoice up, pay it once.

The decisions are in ``helpcenter.rules.payment``; this module puts the store and the payment
provider around them, in this order for a payment:

1. read the account and its invoices; anything but a payable invoice is "no match";
2. check the amount against the amount due after credit;
3. claim the invoice for this attempt (conditional write): a concurrent attempt with another key
   stops here, before any charge;
4. charge through the provider with the attempt's idempotency key: a retry of this attempt gets the
   first charge back instead of a second one. If the claim was taken over from an attempt that
   vanished without knowing its outcome, first ask the provider whether that attempt charged: if it
   did, its charge pays the invoice;
   When the customer's bank asks for a check (3-D Secure), nothing is taken yet: the claim is kept
   for the check's duration, the page completes it and sends the same attempt again;
5. record the paid invoice, the account (reactivated, out of dunning, when no overdue invoice
   remains) and the confirmation to every billing contact (in the outbox) in one transaction, through
   ``helpcenter.settlement``, which the Stripe webhook and the reconciliation job share: whichever
   learns of the charge first records it, once; the deliverer function sends the confirmation.

If step 5 fails after the charge, the claim stays with this attempt: its retry (same key) passes
step 3, gets the same charge at step 4, and finishes step 5; if the client never retries, the
webhook (Stripe) or the reconciliation job (once the claim ran out) does. Idempotency of whole requests (a replay
answers the first response) is the handler's, with Powertools.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Protocol

from collections.abc import Sequence

from helpcenter import payments, store
from helpcenter.messages import Message
from helpcenter.observability import logger, metrics
from helpcenter.settlement import Settlements
from helpcenter.domain import Account, Invoice, InvoiceStatus
from pay_invoice.models import PayInvoiceRequest
from pay_invoice.refusals import (  # noqa: F401 - re-exported: the handler names them through logic
    AmountMismatch,
    ChargeNotSettled,
    Declined,
    KeyReused,
    NoMatch,
    PaymentInProgress,
    PaymentPending,
    ProviderDown,
    Refusal,
    RETRY_AFTER_SECONDS,
)
from helpcenter.rules import payment
from helpcenter.rules.dunning import status_on



class ActionNeeded(Exception):
    """Not a refusal: nothing is taken yet, the customer's bank asks for a check the page completes."""

    def __init__(self, payment_id: str, client_secret: str):
        super().__init__("action needed")
        self.payment_id, self.client_secret = payment_id, client_secret


class PaymentStore(Protocol):
    """What payment needs of the store (``helpcenter.store.payments`` is the DynamoDB one)."""

    def get_account_and_invoice(self, account_number: str, invoice_number: str
                                ) -> tuple[Account | None, Invoice | None]: ...

    def get_payment_context(self, account_number: str) -> store.PaymentContext: ...

    def claim_invoice(self, account_number: str, invoice_number: str, key: str, until: int,
                      now: int) -> store.InvoicePayment | None: ...

    def hand_back_claim(self, account_number: str, invoice_number: str, key: str,
                        previous: store.InvoicePayment, now: int) -> None: ...

    def release_claim(self, account_number: str, invoice_number: str, key: str) -> None: ...

    def record_payment(self, settlement: payment.Settlement, key: str, payment_id: str, paid_at: str,
                       seen_seq: int, paid_by: str | None = None, messages: Sequence[Message] = ()) -> None: ...


def default() -> InvoicePayments:
    """The production seams: DynamoDB (the confirmation in the outbox) and the configured provider."""
    from helpcenter.store import payments as payment_store

    return InvoicePayments(payment_store, payments.provider())


def lookup(account_number: str, invoice_number: str) -> dict:
    return default().lookup(account_number, invoice_number)


def pay(request: PayInvoiceRequest, key: str, *, now: datetime, today: date) -> dict:
    """Pay one invoice for the attempt ``key``; returns the receipt or raises a ``Refusal``."""
    return default().pay(request, key, now=now, today=today)


class InvoicePayments:
    """Invoice lookup and payment around their two seams: the payment store (``PaymentStore``, which
    writes the confirmation with the payment) and the payment provider. The handler uses ``default()``;
    unit tests pass in-memory fakes."""

    def __init__(self, store: PaymentStore, provider: payments.PaymentProvider):
        self.store, self.provider = store, provider
        self.settlements = Settlements(store)

    def lookup(self, account_number: str, invoice_number: str) -> dict:
        account, invoice = self.store.get_account_and_invoice(account_number, invoice_number)
        payable = payment.payable_invoice(account, [invoice] if invoice else [], invoice_number)
        if payable is None:
            metrics.add_metric(name="InvoiceNoMatch", unit="Count", value=1)
            raise NoMatch()
        return {
            "invoice_number": payable.number,
            "amount": payable.amount.to_decimal_string(),
            "credit": payable.credit.to_decimal_string() if payable.credit and payable.credit.minor else None,
            "amount_due": payable.amount_due.to_decimal_string(),
            "currency": payable.amount_due.currency,
            "due_date": payable.due_date.isoformat(),
            "account_name": account.masked_name if account else "",
            "payment_provider": payments.provider_name(),
            "stripe_publishable_key": _publishable_key(),
        }


    def pay(self, request: PayInvoiceRequest, key: str, *, now: datetime, today: date) -> dict:
        """Pay one invoice for the attempt ``key``; returns the receipt or raises a ``Refusal``."""
        epoch = int(now.timestamp())
        context = self.store.get_payment_context(request.account_number)
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
            abandoned = self.store.claim_invoice(invoice.account_number, invoice.number, key, payment.claim_expiry(epoch),
                                            epoch)
        except store.ClaimRefused as refused:
            current = refused.current
            verdict = payment.claim_verdict(status=current.status, claimed_by=current.claimed_by, key=key)
            if verdict is payment.ClaimVerdict.ALREADY_PAID_BY_THIS_KEY:
                return _receipt(self.store.get_payment_context(request.account_number), invoice.number, current.payment_id,
                                today)
            if verdict is payment.ClaimVerdict.IN_PROGRESS:
                metrics.add_metric(name="PaymentsInProgress", unit="Count", value=1)
                raise PaymentInProgress() from None
            metrics.add_metric(name="InvoiceNoMatch", unit="Count", value=1)
            raise NoMatch() from None

        provider = self.provider
        charge = self._charge_of_abandoned_attempt(provider, invoice, key, abandoned, epoch) if abandoned else None
        paid_by = abandoned.claimed_by if abandoned and abandoned.claimed_by and charge else key
        if charge is None:
            charge = self._charge(provider, invoice, key, request.payment_token, epoch)

        settled = self.settlements.settle(invoice.account_number, invoice.number, key, charge, now=now, today=today,
                                          paid_by=paid_by, context=context)
        if settled.settlement is None:  # a retry of this attempt, or Stripe's webhook, recorded it meanwhile
            return _receipt(self.store.get_payment_context(request.account_number), invoice.number, charge.payment_id,
                            today)
        paid = settled.settlement
        return {
            "payment_id": charge.payment_id,
            "invoice_number": invoice.number,
            "amount_paid": paid.amount_paid.to_decimal_string(),
            "currency": paid.amount_paid.currency,
            "account_status": paid.account_status.value,
            "next_invoice": _next_invoice([i for i in settled.context.invoices if i.number != invoice.number], today),
        }

    def _charge_of_abandoned_attempt(self, provider, invoice, key: str, abandoned: store.InvoicePayment,
                                      epoch: int) -> payments.Charge | None:
        """An earlier attempt claimed this invoice and vanished without an answer (its client never
        retried): ask the provider whether it charged before charging again. If it did, that charge pays
        the invoice; if the provider cannot tell now, the claim goes back for the next attempt."""
        try:
            earlier = provider.find_charge(abandoned.claimed_by)
        except payments.ProviderUnreachable:
            self.store.hand_back_claim(invoice.account_number, invoice.number, key, abandoned, epoch)
            metrics.add_metric(name="PaymentsPending", unit="Count", value=1)
            raise PaymentPending() from None
        if earlier is not None:
            metrics.add_metric(name="AbandonedChargesRecovered", unit="Count", value=1)
            logger.warning("an abandoned attempt had charged: recording it", extra={"payment_id": earlier.payment_id})
        return earlier


    def _charge(self, provider, invoice, key: str, token: str, epoch: int) -> payments.Charge:
        """Charge the amount due with this attempt's key; a refused charge gives the invoice back, a
        bank check keeps it for as long as the check may take."""
        charge_request = payments.ChargeRequest(
            idempotency_key=key,
            amount=invoice.amount_due,
            payment_token=token,
            description=f"Invoice {invoice.number}",
            metadata={"invoice_number": invoice.number, "account_number": invoice.account_number},
        )
        try:
            return provider.charge(charge_request)
        except payments.ActionRequired as required:
            self.store.claim_invoice(invoice.account_number, invoice.number, key, payment.action_claim_expiry(epoch),
                                     epoch)
            metrics.add_metric(name="PaymentsAwaitingCustomer", unit="Count", value=1)
            raise ActionNeeded(required.payment_id, required.client_secret) from None
        except payments.PaymentDeclined as declined:
            self.store.release_claim(invoice.account_number, invoice.number, key)
            metrics.add_metric(name="PaymentsDeclined", unit="Count", value=1)
            logger.info("payment declined", extra={"reason": declined.reason, "provider": provider.name})
            raise Declined(declined.reason) from None
        except (payments.ProviderFailed, payments.ProviderKeyReused) as failed:
            self.store.release_claim(invoice.account_number, invoice.number, key)
            logger.warning("payment not processed", extra={"provider": provider.name, "error": type(failed).__name__})
            metrics.add_metric(name="PaymentProviderFailures", unit="Count", value=1)
            raise (KeyReused() if isinstance(failed, payments.ProviderKeyReused) else ProviderDown()) from None
        except payments.ProviderUnreachable:
            # The charge may exist: keep the claim, so that only this attempt (same key) can finish it.
            logger.warning("payment outcome unknown", extra={"provider": provider.name})
            metrics.add_metric(name="PaymentsPending", unit="Count", value=1)
            raise PaymentPending() from None


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
        "next_invoice": _next_invoice(context.invoices, today),
    }


def _next_invoice(invoices: list[Invoice], today: date) -> dict | None:
    """The next overdue invoice of the account, for the receipt's "pay the next one" link."""
    following = payment.next_invoice_to_pay(invoices, today)
    if following is None:
        return None
    return {"invoice_number": following.number, "amount_due": following.amount_due.to_decimal_string(),
            "currency": following.amount_due.currency, "due_date": following.due_date.isoformat()}


def _publishable_key() -> str | None:
    """Stripe's publishable key, for the page's Stripe.js (public by design); None with the sandbox."""
    if payments.provider_name() != "stripe":
        return None
    return os.environ.get("STRIPE_PUBLISHABLE_KEY") or None
