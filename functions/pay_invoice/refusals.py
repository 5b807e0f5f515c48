"""Why an invoice lookup or payment did not happen: the domain refusals ``pay_invoice.logic`` raises
(the HTTP layer maps each kind to its status)."""

from __future__ import annotations

from helpcenter import errors
from helpcenter.settlement import ChargeNotSettled  # noqa: F401 - re-exported with the refusals

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


