"""The Stripe provider with the official SDK, against the local stand-in for Stripe's API.

The stand-in (``devstack.stripe_standin``) is not Stripe: it answers the PaymentIntents endpoints the
way Stripe documents them (form-encoded parameters, a bearer secret key, idempotency by the
``Idempotency-Key`` header, card errors as 402, 3-D Secure as ``requires_action``). The secret key
comes from SSM (SecureString) or Secrets Manager in the local stack's moto, through Powertools
Parameters.
"""

from __future__ import annotations

import time
import uuid

import boto3
import pytest
import requests
import stripe

from devstack.stripe_standin import SECRET_KEY as SECRET
from helpcenter import payments
from helpcenter.money import Money
from helpcenter.payments import ChargeRequest
from helpcenter.payments.stripe_provider import StripeProvider


def provider(standin, **kwargs) -> StripeProvider:
    return StripeProvider(api_base=standin.url, timeout=kwargs.pop("timeout", (2.0, 2.0)),
                          max_network_retries=kwargs.pop("max_network_retries", 0), **kwargs)


def charge_request(key=None, token="pm_card_visa", minor=5900, currency="EUR") -> ChargeRequest:
    return ChargeRequest(idempotency_key=key or str(uuid.uuid4()), amount=Money(minor, currency),
                         payment_token=token, description="Invoice INV-4001",
                         metadata={"invoice_number": "INV-4001", "account_number": "100200303"})


# --- the provider -----------------------------------------------------------------------------------


def test_a_charge_is_a_confirmed_payment_intent_with_our_idempotency_key(standin, secret_in_ssm):
    request = charge_request()
    charge = provider(standin).charge(request)
    assert charge.payment_id.startswith("pi_") and charge.amount == Money(5900, "EUR")
    (sent,) = [r for r in standin.requests if r["method"] == "POST"]
    assert sent["headers"]["Idempotency-Key"] == request.idempotency_key
    assert sent["form"]["amount"] == "5900" and sent["form"]["currency"] == "eur"
    assert sent["form"]["confirm"] == "true" and sent["form"]["automatic_payment_methods[enabled]"] == "true"
    assert sent["form"]["automatic_payment_methods[allow_redirects]"] == "never"
    assert sent["form"]["use_stripe_sdk"] == "true"
    assert sent["form"]["metadata[invoice_number]"] == "INV-4001"
    assert sent["form"]["metadata[idempotency_key]"] == request.idempotency_key


def test_the_same_key_is_the_same_charge(standin, secret_in_ssm):
    request = charge_request()
    first, second = provider(standin).charge(request), provider(standin).charge(request)
    assert first == second
    assert len(standin.charges(request.idempotency_key)) == 1


def test_zero_decimal_currencies_go_as_they_are(standin, secret_in_ssm):
    charge = provider(standin).charge(charge_request(minor=2_100_000, currency="VND"))
    assert charge.amount == Money(2_100_000, "VND")
    assert standin.requests[-1]["form"]["amount"] == "2100000"


@pytest.mark.parametrize("token, reason", [
    ("pm_card_chargeDeclined", "card_declined"),
    ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"),
    ("pm_does_not_exist", "invalid_payment_method"),
])
def test_declines_name_their_reason_and_take_nothing(standin, secret_in_ssm, token, reason):
    with pytest.raises(payments.PaymentDeclined) as declined:
        provider(standin).charge(charge_request(token=token))
    assert declined.value.reason == reason
    assert standin.charges() == []


def test_a_reused_key_with_other_parameters_is_refused(standin, secret_in_ssm):
    request = charge_request()
    provider(standin).charge(request)
    with pytest.raises(payments.ProviderKeyReused):
        provider(standin).charge(charge_request(key=request.idempotency_key, minor=6000))
    assert len(standin.charges()) == 1


def test_a_stripe_fault_is_an_unknown_outcome(standin, secret_in_ssm):
    with pytest.raises(payments.ProviderUnreachable):
        provider(standin, max_network_retries=1).charge(charge_request(token="pm_server_error"))
    assert len([r for r in standin.requests if r["method"] == "POST"]) == 2  # the SDK retried, same key
    keys = {r["headers"]["Idempotency-Key"] for r in standin.requests if r["method"] == "POST"}
    assert len(keys) == 1


def test_a_lost_answer_is_found_by_the_retry_and_by_a_lookup(standin, secret_in_ssm):
    standin.answer_delay_seconds = 1.0
    request = charge_request()
    with pytest.raises(payments.ProviderUnreachable):
        provider(standin, timeout=(1.0, 0.3)).charge(request)
    (made,) = standin.charges(request.idempotency_key)  # Stripe charged meanwhile
    found = provider(standin).find_charge(request.idempotency_key)
    assert found is not None and found.payment_id == made["id"]
    assert provider(standin).find_charge("never-used-key") is None
    standin.answer_delay_seconds = 0
    assert provider(standin).charge(request).payment_id == made["id"]
    assert len(standin.charges()) == 1


def test_3d_secure_asks_for_the_check_then_the_same_attempt_is_the_charge(standin, secret_in_ssm):
    request = charge_request(token="pm_card_authenticationRequired")
    with pytest.raises(payments.ActionRequired) as required:
        provider(standin).charge(request)
    assert required.value.client_secret.startswith(required.value.payment_id + "_secret_")
    assert standin.charges() == []
    with pytest.raises(payments.ActionRequired):  # the customer has not answered the bank yet
        provider(standin).charge(request)
    standin.authenticate_intent(required.value.payment_id, passed=True)
    assert provider(standin).charge(request).payment_id == required.value.payment_id
    assert len(standin.charges()) == 1 and len(standin.intents) == 1


def test_a_failed_3d_secure_check_is_a_decline_and_takes_nothing(standin, secret_in_ssm):
    request = charge_request(token="pm_card_authenticationRequired")
    with pytest.raises(payments.ActionRequired) as required:
        provider(standin).charge(request)
    standin.authenticate_intent(required.value.payment_id, passed=False)
    with pytest.raises(payments.PaymentDeclined) as declined:
        provider(standin).charge(request)
    assert declined.value.reason == "authentication_failed" and standin.charges() == []


def test_finding_an_abandoned_attempt_cancels_its_pending_check(standin, secret_in_ssm):
    request = charge_request(token="pm_card_authenticationRequired")
    with pytest.raises(payments.ActionRequired) as required:
        provider(standin).charge(request)
    assert provider(standin).find_charge(request.idempotency_key) is None
    assert standin.intents[required.value.payment_id]["status"] == "canceled"
    standin.authenticate_intent(required.value.payment_id, passed=True)  # too late: nothing is taken
    assert standin.charges() == []
    with pytest.raises(payments.PaymentDeclined) as declined:
        provider(standin).charge(request)
    assert declined.value.reason == "payment_canceled"


def test_a_delayed_payment_is_pending_until_it_succeeds(standin, secret_in_ssm):
    standin.delay_seconds = 0.3
    request = charge_request(token="pm_card_delayed")
    with pytest.raises(payments.ProviderUnreachable):
        provider(standin).charge(request)
    with pytest.raises(payments.ProviderUnreachable):  # processing cannot be cancelled: cannot tell yet
        provider(standin).find_charge(request.idempotency_key)
    time.sleep(0.6)
    charged = provider(standin).charge(request)
    found = provider(standin).find_charge(request.idempotency_key)
    assert found is not None and charged.payment_id == found.payment_id


def test_a_wrong_or_missing_secret_takes_nothing(standin, stack, monkeypatch):
    boto3.client("ssm").put_parameter(Name="/helpcenter/stripe/wrong", Value="sk_test_wrong", Type="SecureString",
                                      Overwrite=True)
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    monkeypatch.setenv("STRIPE_SECRET_PARAMETER", "/helpcenter/stripe/wrong")
    with pytest.raises(payments.ProviderFailed):
        provider(standin).charge(charge_request())
    monkeypatch.setenv("STRIPE_SECRET_PARAMETER", "/helpcenter/stripe/missing")
    parameters.clear_caches()
    with pytest.raises(payments.ProviderFailed):
        provider(standin).charge(charge_request())
    assert standin.charges() == []


def test_the_secret_can_live_in_secrets_manager(standin, stack, monkeypatch):
    name = f"helpcenter-stripe-{uuid.uuid4().hex[:8]}"
    boto3.client("secretsmanager").create_secret(Name=name, SecretString=SECRET)
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    monkeypatch.setenv("STRIPE_SECRET_ID", name)
    assert provider(standin).charge(charge_request()).payment_id.startswith("pi_")


def test_the_sdk_default_base_is_stripe_itself():
    assert StripeProvider().api_base is None and stripe.api_base == "https://api.stripe.com"


# --- the whole route with Stripe ----------------------------------------------------------------------


@pytest.fixture
def stripe_configured(stack, standin, secret_in_ssm, monkeypatch):
    """The pay function configured for Stripe (as PaymentProvider=stripe does on AWS), at the stand-in."""
    monkeypatch.setenv("PAYMENT_PROVIDER", "stripe")
    monkeypatch.setenv("STRIPE_API_BASE", standin.url)
    monkeypatch.setattr(payments, "_providers", {})
    with stack.in_process("PayInvoiceFunction"):  # the settings above are this process's
        yield standin


def test_paying_through_the_api_with_stripe(stack, stripe_configured, tmp_path):
    standin = stripe_configured
    number = "7" + uuid.uuid4().int.__str__()[:9]
    path = tmp_path / "stripe.yaml"
    path.write_text(f"""accounts:
  - number: "{number}"
    name: Stripe Paying Co
    plan: pro
    region: europe_uk
    postal_code: "10115"
    billing_contacts: [billing@stripe-paying.example]
    dunning_since: -22d
    invoices:
      - {{number: INV-1, amount: "59.00", currency: EUR, due_date: -22d}}
""")
    stack.load([path])
    found = requests.post(f"{stack.url}/api/invoices/lookup", json={"account_number": number, "invoice_number": "INV-1"},
                          timeout=10).json()
    assert found["payment_provider"] == "stripe"
    body = {"account_number": number, "invoice_number": "INV-1", "amount_due": "59.00", "currency": "EUR",
            "payment_token": "pm_card_visa"}
    key = str(uuid.uuid4())
    first = requests.post(f"{stack.url}/api/invoices/pay", json=body, headers={"Idempotency-Key": key}, timeout=10)
    assert first.status_code == 200, first.text
    assert first.json()["payment_id"].startswith("pi_") and first.json()["account_status"] == "active"
    replay = requests.post(f"{stack.url}/api/invoices/pay", json=body, headers={"Idempotency-Key": key}, timeout=10)
    assert replay.json() == first.json()
    declined = requests.post(f"{stack.url}/api/invoices/pay", timeout=10, headers={"Idempotency-Key": str(uuid.uuid4())},
                             json={**body, "payment_token": "pm_card_chargeDeclined"})
    assert declined.status_code == 404  # the invoice is paid: no second charge is even attempted
    (intent,) = standin.charges()
    assert intent["id"] == first.json()["payment_id"] and intent["metadata"]["idempotency_key"] == key
