"""Payment providers behind one small interface, chosen by ``PAYMENT_PROVIDER`` (sandbox | stripe).

A provider charges a tokenised payment method (card data never reaches our functions) and is
idempotent by the key we pass: charging again with the same key returns the first charge instead of
making a second one. That key is the client's ``Idempotency-Key``, so a retried payment request is
never a second charge, whichever provider serves it.

Outcomes:
- a ``Charge`` — the money was taken;
- ``PaymentDeclined`` — the provider refused the payment method; nothing was taken;
- ``ProviderFailed`` — the provider could not process the request and took nothing;
- ``ProviderUnreachable`` — no answer (timeout, lost connection, provider fault): the charge may or
  may not exist, and only a retry with the same key tells which;
- ``ProviderKeyReused`` — the key was already used for a different charge;
- ``ActionRequired`` — the customer's bank asks for a check first (3-D Secure): the page completes it
  with the provider's script and sends the same attempt again, which then gets one of the above.

``find_charge(key)`` looks a charge up without making one: how the next attempt (or the
reconciliation job) learns what an attempt that vanished mid-charge (its client never retried) left
behind. It also makes sure that attempt can no longer charge: a payment still waiting for the
customer's bank is cancelled, and one the provider is still processing is "cannot tell yet".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Protocol

from helpcenter.money import Money


@dataclass(frozen=True)
class ChargeRequest:
    idempotency_key: str
    amount: Money
    payment_token: str  # the provider's token for the payment method (a test token in the sandbox)
    description: str  # shown on the provider's dashboard, e.g. "Invoice INV-4001"
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Charge:
    payment_id: str
    amount: Money


class PaymentError(Exception):
    """Base of a charge that did not succeed."""


class PaymentDeclined(PaymentError):
    """The payment method was refused; ``reason`` is one of ``DECLINE_REASONS``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason if reason in DECLINE_REASONS else "card_declined"


class ProviderFailed(PaymentError):
    """The provider took nothing and said so (a fault before charging, our configuration)."""


class ProviderUnreachable(PaymentError):
    """No usable answer: the charge may exist. Retry with the same key to find out."""


class ProviderKeyReused(PaymentError):
    """The idempotency key was already used with other parameters."""


class ProviderNotConfigured(ProviderFailed):
    """The configuration names no provider this deployment may use: nothing can be charged."""


class ActionRequired(PaymentError):
    """Nothing is taken yet: the customer must pass a check of their bank in the page first."""

    def __init__(self, payment_id: str, client_secret: str):
        super().__init__("action required")
        self.payment_id, self.client_secret = payment_id, client_secret


DECLINE_REASONS = frozenset({"card_declined", "insufficient_funds", "expired_card", "authentication_required",
                             "authentication_failed", "payment_canceled", "invalid_payment_method"})


class PaymentProvider(Protocol):
    name: str

    def charge(self, request: ChargeRequest) -> Charge:
        """Take ``request.amount`` once per ``request.idempotency_key``; raise a ``PaymentError`` otherwise."""
        ...

    def find_charge(self, idempotency_key: str) -> Charge | None:
        """The successful charge made with this key, if any, without charging (``ProviderUnreachable``
        when the provider cannot tell now). Used to resolve an attempt that vanished mid-charge; a
        payment of that key still waiting for the customer is cancelled first."""
        ...

    def refund(self, payment_id: str, idempotency_key: str) -> None:
        """Give a charge back in full, once: a charge that paid no invoice."""
        ...


class NotConfigured:
    """The provider of a configuration that may not take payments: it charges nothing, ever."""

    name = "not_configured"

    def __init__(self, reason: str):
        self.reason = reason

    def charge(self, request: ChargeRequest) -> Charge:
        raise ProviderNotConfigured(self.reason)

    def find_charge(self, idempotency_key: str) -> Charge | None:
        return None  # it never charged

    def refund(self, payment_id: str, idempotency_key: str) -> None:
        raise ProviderNotConfigured(self.reason)


_providers: dict[str, PaymentProvider] = {}


def provider_name() -> str:
    return os.environ.get("PAYMENT_PROVIDER", "sandbox").strip().lower() or "sandbox"


def provider() -> PaymentProvider:
    """The configured provider (one instance per name and process)."""
    name = provider_name()
    if name not in _providers:
        if name == "sandbox":
            if os.environ.get("PAYMENT_DEMO", "no").strip().lower() != "yes":
                _providers[name] = NotConfigured("the sandbox provider takes test tokens as payment: it runs "
                                                 "only in a demo (SandboxDemo=yes, PAYMENT_DEMO=yes)")
                return _providers[name]
            from helpcenter.payments.sandbox import SandboxProvider

            _providers[name] = SandboxProvider()
        elif name == "stripe":
            from helpcenter.payments.stripe_provider import StripeProvider

            _providers[name] = StripeProvider.from_environment()
        else:
            raise ProviderNotConfigured(f"unknown PAYMENT_PROVIDER {name!r} (sandbox | stripe)")
    return _providers[name]
