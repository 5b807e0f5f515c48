"""The contract every payment provider keeps (``helpcenter.payments.PaymentProvider``), run against
each one: the sandbox (its charges in the local stack's table) and Stripe (the official SDK against
the local Stripe stand-in). A new provider joins ``PROVIDERS`` and must pass the same tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable

import pytest

from helpcenter import payments
from helpcenter.money import Money
from helpcenter.payments import ChargeRequest, PaymentProvider
from helpcenter.payments.sandbox import SandboxProvider
from devstack.stripe_standin import StripeStandIn
from tests.integration.test_stripe_provider import provider as stripe_provider


@dataclass
class Subject:
    provider: PaymentProvider
    tokens: dict[str, str]  # outcome → the provider's test token
    lose_answer: Callable[[], None] = lambda: None  # make the next charge's answer get lost


@pytest.fixture(params=["sandbox", "stripe"])
def subject(request, stack):
    if request.param == "sandbox":
        yield Subject(SandboxProvider(), {"success": "tok_success", "declined": "tok_declined",
                                          "insufficient_funds": "tok_insufficient_funds",
                                          "lost_answer": "tok_timeout", "unknown": "tok_no_such_card"})
        return
    request.getfixturevalue("secret_in_ssm")
    standin = StripeStandIn().start()

    def slow():
        standin.answer_delay_seconds = 1.0

    yield Subject(stripe_provider(standin, timeout=(1.0, 0.3)),
                  {"success": "pm_card_visa", "declined": "pm_card_chargeDeclined",
                   "insufficient_funds": "pm_card_chargeDeclinedInsufficientFunds", "lost_answer": "pm_card_visa",
                   "unknown": "pm_does_not_exist"}, slow)
    standin.stop()


def charge_request(subject: Subject, outcome: str = "success", key: str | None = None, minor: int = 5900):
    return ChargeRequest(idempotency_key=key or f"contract-{uuid.uuid4()}", amount=Money(minor, "EUR"),
                         payment_token=subject.tokens[outcome], description="Invoice INV-9001",
                         metadata={"invoice_number": "INV-9001", "account_number": "100900900"})


def test_a_charge_takes_the_amount_once_per_key(subject):
    request = charge_request(subject)
    first = subject.provider.charge(request)
    assert first.amount == Money(5900, "EUR") and first.payment_id
    assert subject.provider.charge(request) == first
    assert subject.provider.find_charge(request.idempotency_key) == first


@pytest.mark.parametrize("outcome, reason", [("declined", "card_declined"), ("insufficient_funds", "insufficient_funds"),
                                             ("unknown", "invalid_payment_method")])
def test_a_decline_names_its_reason_and_takes_nothing(subject, outcome, reason):
    request = charge_request(subject, outcome)
    with pytest.raises(payments.PaymentDeclined) as declined:
        subject.provider.charge(request)
    assert declined.value.reason == reason
    assert subject.provider.find_charge(request.idempotency_key) is None


def test_a_key_reused_with_another_amount_is_refused(subject):
    request = charge_request(subject)
    subject.provider.charge(request)
    with pytest.raises(payments.ProviderKeyReused):
        subject.provider.charge(charge_request(subject, key=request.idempotency_key, minor=6000))


def test_an_unknown_key_has_no_charge(subject):
    assert subject.provider.find_charge(f"never-used-{uuid.uuid4()}") is None


def test_a_lost_answer_is_found_by_the_same_key(subject):
    request = charge_request(subject, "lost_answer")
    subject.lose_answer()
    with pytest.raises(payments.ProviderUnreachable):
        subject.provider.charge(request)
    found = subject.provider.find_charge(request.idempotency_key)
    assert found is not None and found.amount == Money(5900, "EUR")
    assert subject.provider.charge(request) == found


def test_a_refund_can_be_asked_again_without_error(subject):
    request = charge_request(subject)
    charge = subject.provider.charge(request)
    subject.provider.refund(charge.payment_id, request.idempotency_key)
    subject.provider.refund(charge.payment_id, request.idempotency_key)  # given back once, however often asked
