"""The Stripe provider: one confirmed PaymentIntent per payment, created with our idempotency key.

The secret key is read through Powertools Parameters (cached for five minutes), from the SSM
SecureString named by ``STRIPE_SECRET_PARAMETER`` or, when ``STRIPE_SECRET_ID`` is set instead, from
Secrets Manager. ``STRIPE_API_BASE`` points the SDK elsewhere (a local stand-in in tests).

``payment_token`` is a PaymentMethod id (``pm_…``) created in the browser by Stripe.js (the Payment
Element), so card data never reaches us. The intent is confirmed on the server at once, without
redirects (``use_stripe_sdk``): when the bank asks for 3-D Secure it answers ``requires_action`` and
the page completes the check with Stripe.js (``handleNextAction``), then sends the same attempt
again. That second call replays the first answer from Stripe (same key), so the intent is read
again for its current status: succeeded (the charge), ``requires_payment_method`` (the check or the
card failed: declined, nothing taken) or still waiting.

Stripe replays the first answer for a reused key (also its errors), and refuses a reused key with
other parameters (``idempotency_error``): a retried payment request is never a second charge.
"""

from __future__ import annotations

import os
from typing import Callable

import stripe

from helpcenter.money import Money
from helpcenter.payments import (
    DECLINE_REASONS,
    Charge,
    ChargeRequest,
    PaymentDeclined,
    ProviderFailed,
    ProviderKeyReused,
    ActionRequired,
    ProviderUnreachable,
)
from helpcenter.observability import trace_requests

trace_requests()  # Stripe's SDK sends its calls with requests

DEFAULT_SECRET_PARAMETER = "/helpcenter/stripe/secret-key"
# Statuses whose current value must be read again after a create that Stripe replayed.
UNSETTLED = frozenset({"requires_action", "requires_confirmation", "processing"})
# Statuses in which an abandoned intent could still succeed later, unless it is cancelled.
CANCELLABLE = frozenset({"requires_action", "requires_confirmation", "requires_payment_method"})
SECRET_MAX_AGE_SECONDS = 300


def read_secret_key() -> str:
    """The Stripe secret key, through Powertools Parameters (SSM SecureString or Secrets Manager)."""
    from aws_lambda_powertools.utilities import parameters

    secret_id = os.environ.get("STRIPE_SECRET_ID")
    if secret_id:
        return parameters.get_secret(secret_id, max_age=SECRET_MAX_AGE_SECONDS).strip()
    name = os.environ.get("STRIPE_SECRET_PARAMETER", DEFAULT_SECRET_PARAMETER)
    return parameters.get_parameter(name, decrypt=True, max_age=SECRET_MAX_AGE_SECONDS).strip()


class StripeProvider:
    name = "stripe"

    def __init__(self, secret_key: Callable[[], str] = read_secret_key, api_base: str | None = None,
                 timeout: tuple[float, float] = (3.0, 10.0), max_network_retries: int = 1):
        self.secret_key = secret_key
        self.api_base = api_base
        self.timeout = timeout
        self.max_network_retries = max_network_retries
        self._clients: dict[tuple[str, str], stripe.StripeClient] = {}

    @classmethod
    def from_environment(cls) -> StripeProvider:
        return cls(api_base=os.environ.get("STRIPE_API_BASE") or None)

    def _client(self) -> stripe.StripeClient:
        key, base = self.secret_key(), self.api_base or stripe.api_base
        if (key, base) not in self._clients:  # a rotated key or another base gets its own client
            self._clients[(key, base)] = stripe.StripeClient(
                api_key=key,
                base_addresses={"api": base},
                max_network_retries=self.max_network_retries,  # retries reuse the idempotency key
                http_client=stripe.RequestsClient(timeout=self.timeout),
            )
        return self._clients[(key, base)]

    def charge(self, request: ChargeRequest) -> Charge:
        try:
            client = self._client()
        except Exception as error:  # the secret could not be read: nothing was charged
            raise ProviderFailed("stripe: secret key unavailable") from error
        try:
            intent = client.v1.payment_intents.create(
                params={
                    "amount": request.amount.minor,  # ISO minor units = Stripe's for our currencies
                    "currency": request.amount.currency.lower(),
                    "payment_method": request.payment_token,
                    "confirm": True,
                    # the Payment Element's methods (cards, and the wallets it offers), never a redirect
                    "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
                    "use_stripe_sdk": True,  # a 3-D Secure check is completed by Stripe.js in the page
                    "description": request.description,
                    "metadata": {**request.metadata, "idempotency_key": request.idempotency_key},
                },
                options={"idempotency_key": request.idempotency_key},
            )
            if intent.status in UNSETTLED:  # the create may be a replay: read what became of it
                intent = client.v1.payment_intents.retrieve(intent.id)
        except stripe.CardError as error:
            raise PaymentDeclined(_decline_reason(error)) from None
        except stripe.IdempotencyError:
            raise ProviderKeyReused("stripe: idempotency key used with other parameters") from None
        except stripe.InvalidRequestError as error:
            if error.param == "payment_method" or error.code in ("resource_missing", "payment_method_invalid"):
                raise PaymentDeclined("invalid_payment_method") from None
            raise ProviderFailed(f"stripe: invalid request ({error.code})") from None
        except (stripe.AuthenticationError, stripe.PermissionError, stripe.RateLimitError) as error:
            raise ProviderFailed(f"stripe: {type(error).__name__}") from None
        except (stripe.APIConnectionError, stripe.APIError) as error:  # no answer, or a fault on their side
            raise ProviderUnreachable(f"stripe: {type(error).__name__}") from None
        return _outcome(intent)

    def find_charge(self, idempotency_key: str) -> Charge | None:
        """The succeeded PaymentIntent made with this key, if any; a pending one is cancelled first, so
        the abandoned attempt can never charge after this answer (Search API, which Stripe indexes
        within about a minute: shorter than the claim an abandoned attempt leaves)."""
        try:
            client = self._client()
            found = client.v1.payment_intents.search(params={
                "query": f"metadata['idempotency_key']:'{idempotency_key}'", "limit": 10})
            for intent in found.data:
                if intent.status in CANCELLABLE:
                    intent = self._cancel(client, intent)
                if intent.status == "succeeded":
                    return _charge(intent)
                if intent.status == "processing":
                    raise ProviderUnreachable("stripe: payment still processing")
        except stripe.StripeError as error:
            raise ProviderUnreachable(f"stripe: {type(error).__name__}") from None
        except ProviderUnreachable:
            raise
        except Exception as error:  # noqa: BLE001 - e.g. the secret could not be read
            raise ProviderUnreachable("stripe: secret key unavailable") from error
        return None

    def outcome(self, payment_id: str) -> Charge | None:
        """What a PaymentIntent is now: its charge when it succeeded, else None (webhooks)."""
        try:
            intent = self._client().v1.payment_intents.retrieve(payment_id)
        except stripe.StripeError as error:
            raise ProviderUnreachable(f"stripe: {type(error).__name__}") from None
        return _charge(intent) if intent.status == "succeeded" else None

    def refund(self, payment_id: str, key: str) -> None:
        """Give a charge back in full, once (Stripe's idempotency on the PaymentIntent's id)."""
        try:
            self._client().v1.refunds.create(params={"payment_intent": payment_id, "metadata": {"idempotency_key": key}},
                                             options={"idempotency_key": f"refund-{payment_id}"})
        except stripe.StripeError as error:
            raise ProviderUnreachable(f"stripe: {type(error).__name__}") from None

    @staticmethod
    def _cancel(client: stripe.StripeClient, intent):
        try:
            return client.v1.payment_intents.cancel(intent.id)
        except stripe.InvalidRequestError:  # it changed meanwhile (succeeded, or cancelled already)
            return client.v1.payment_intents.retrieve(intent.id)


def _charge(intent) -> Charge:
    return Charge(payment_id=intent.id, amount=Money(int(intent.amount), intent.currency.upper()))


def _outcome(intent) -> Charge:
    """A confirmed PaymentIntent as our outcome: the charge, or the exception that says why not."""
    if intent.status == "succeeded":
        return _charge(intent)
    if intent.status == "requires_action":
        raise ActionRequired(intent.id, intent.client_secret)
    if intent.status == "requires_payment_method":
        raise PaymentDeclined(_decline_reason_of_intent(intent))
    if intent.status == "canceled":
        raise PaymentDeclined("payment_canceled")
    raise ProviderUnreachable(f"stripe: payment intent {intent.status}")  # processing: not settled yet


def _decline_reason(error: stripe.CardError) -> str:
    decline_code = (error.error.decline_code if error.error else None) or ""
    for reason in (decline_code, error.code or ""):
        if reason in DECLINE_REASONS:
            return reason
    return "card_declined"


def _decline_reason_of_intent(intent) -> str:
    last = getattr(intent, "last_payment_error", None)
    code = (getattr(last, "decline_code", None) or getattr(last, "code", None)) if last else None
    if code == "payment_intent_authentication_failure":
        return "authentication_failed"
    return code if code in DECLINE_REASONS else "card_declined"
