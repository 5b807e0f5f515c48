"""The Stripe provider: one confirmed PaymentIntent per payment, created with our idempotency key.

The secret key is read through Powertools Parameters (cached for five minutes), from the SSM
SecureString named by ``STRIPE_SECRET_PARAMETER`` or, when ``STRIPE_SECRET_ID`` is set instead, from
Secrets Manager. ``STRIPE_API_BASE`` points the SDK elsewhere (a local stand-in in tests).

``payment_token`` is a PaymentMethod id (``pm_…``) created in the browser by Stripe.js, so card data
never reaches us. The intent is confirmed at once and never redirects; one that would need a
redirect or 3-D Secure is reported as declined (``authentication_required``) and nothing is taken.

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
    ProviderUnreachable,
)

DEFAULT_SECRET_PARAMETER = "/helpcenter/stripe/secret-key"
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
                    "payment_method_types": ["card"],
                    "confirm": True,
                    "description": request.description,
                    "metadata": {**request.metadata, "idempotency_key": request.idempotency_key},
                },
                options={"idempotency_key": request.idempotency_key},
            )
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
        if intent.status == "succeeded":
            return Charge(payment_id=intent.id, amount=Money(int(intent.amount), intent.currency.upper()))
        if intent.status == "requires_action":
            raise PaymentDeclined("authentication_required")
        if intent.status == "requires_payment_method":
            raise PaymentDeclined(_decline_reason_of_intent(intent))
        raise ProviderUnreachable(f"stripe: payment intent {intent.status}")  # processing: not settled yet


    def find_charge(self, idempotency_key: str) -> Charge | None:
        """The succeeded PaymentIntent carrying this key in its metadata (Search API, which Stripe
        indexes within about a minute: shorter than the claim an abandoned attempt leaves)."""
        try:
            found = self._client().v1.payment_intents.search(params={
                "query": f"metadata['idempotency_key']:'{idempotency_key}' AND status:'succeeded'",
                "limit": 1,
            })
        except stripe.StripeError as error:
            raise ProviderUnreachable(f"stripe: {type(error).__name__}") from None
        except Exception as error:  # noqa: BLE001 - e.g. the secret could not be read
            raise ProviderUnreachable("stripe: secret key unavailable") from error
        for intent in found.data:
            return Charge(payment_id=intent.id, amount=Money(int(intent.amount), intent.currency.upper()))
        return None


def _decline_reason(error: stripe.CardError) -> str:
    decline_code = (error.error.decline_code if error.error else None) or ""
    for reason in (decline_code, error.code or ""):
        if reason in DECLINE_REASONS:
            return reason
    return "card_declined"


def _decline_reason_of_intent(intent) -> str:
    last = getattr(intent, "last_payment_error", None)
    code = (getattr(last, "decline_code", None) or getattr(last, "code", None)) if last else None
    return code if code in DECLINE_REASONS else "card_declined"
