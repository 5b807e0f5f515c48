"""The Stripe provider with the official SDK, against a local stand-in of the Stripe endpoints it calls.

The stand-in (a small Werkzeug app) answers ``POST /v1/payment_intents`` and
``GET /v1/payment_intents/search`` the way Stripe documents them: form-encoded parameters, a bearer
secret key, idempotency by the ``Idempotency-Key`` header (the first answer replayed, another body
refused with ``idempotency_error``), card errors as 402. The secret key comes from SSM (SecureString)
or Secrets Manager in the local stack's moto, through Powertools Parameters.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid

import boto3
import pytest
import requests
import stripe
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from helpcenter import payments
from helpcenter.money import Money
from helpcenter.payments import ChargeRequest
from helpcenter.payments.stripe_provider import StripeProvider

SECRET = "sk_test_local_standin"
PARAMETER = "/helpcenter/stripe/secret-key"


class StripeStandIn:
    """Just enough of Stripe's PaymentIntents API for our provider."""

    def __init__(self, secret: str = SECRET):
        self.secret = secret
        self.by_key: dict[str, tuple[dict, int, dict]] = {}  # key → (params, status, body)
        self.intents: list[dict] = []  # every PaymentIntent that took money
        self.requests: list[dict] = []
        self.slow_seconds = 0.0
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self.dispatch(request)(environ, start_response)

    @staticmethod
    def error(status: int, **error) -> Response:
        return Response(json.dumps({"error": error}), status, content_type="application/json")

    def dispatch(self, request: Request) -> Response:
        self.requests.append({"method": request.method, "path": request.path, "headers": dict(request.headers),
                              "form": request.form.to_dict(), "args": request.args.to_dict()})
        if request.headers.get("Authorization") != f"Bearer {self.secret}":
            return self.error(401, type="invalid_request_error", message="Invalid API Key provided")
        if request.method == "GET" and request.path == "/v1/payment_intents/search":
            return self.search(request.args["query"])
        if request.method == "POST" and request.path == "/v1/payment_intents":
            return self.create(request.headers.get("Idempotency-Key"), request.form.to_dict())
        return self.error(404, type="invalid_request_error", message="Unrecognized request URL")

    def create(self, key: str | None, params: dict) -> Response:
        with self.lock:
            if key in self.by_key:
                first_params, status, body = self.by_key[key]
                if first_params != params:
                    return self.error(400, type="idempotency_error",
                                      message="Keys for idempotent requests can only be used with the same parameters")
                return Response(json.dumps(body), status, content_type="application/json",
                                headers={"Idempotent-Replayed": "true"})
            status, body = self.outcome(params)
            if key:
                self.by_key[key] = (params, status, body)
        if params["payment_method"] == "pm_card_slow":
            time.sleep(self.slow_seconds)  # charged, but the answer comes too late for the client
        return Response(json.dumps(body), status, content_type="application/json")

    def outcome(self, params: dict) -> tuple[int, dict]:
        method = params["payment_method"]
        intent = {
            "id": f"pi_{uuid.uuid4().hex[:24]}", "object": "payment_intent", "amount": int(params["amount"]),
            "currency": params["currency"], "status": "succeeded", "payment_method": method,
            "metadata": {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")},
            "description": params.get("description"),
        }
        if method in ("pm_card_visa", "pm_card_slow"):
            self.intents.append(intent)
            return 200, intent
        if method == "pm_card_chargeDeclined":
            return 402, {"error": {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline",
                                   "message": "Your card was declined."}}
        if method == "pm_card_chargeDeclinedInsufficientFunds":
            return 402, {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                                   "message": "Your card has insufficient funds."}}
        if method == "pm_card_authenticationRequired":
            return 200, {**intent, "status": "requires_action"}
        if method == "pm_server_error":
            return 500, {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}
        return 400, {"error": {"type": "invalid_request_error", "code": "resource_missing", "param": "payment_method",
                               "message": f"No such PaymentMethod: '{method}'"}}

    def search(self, query: str) -> Response:
        key = re.search(r"metadata\['idempotency_key'\]:'([^']+)'", query).group(1)
        found = [i for i in self.intents if i["metadata"].get("idempotency_key") == key]
        return Response(json.dumps({"object": "search_result", "data": found, "has_more": False, "url": "/v1/payment_intents/search"}),
                        content_type="application/json")

    def charges(self, key: str | None = None) -> list[dict]:
        return [i for i in self.intents if key is None or i["metadata"].get("idempotency_key") == key]

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def standin():
    server = StripeStandIn()
    yield server
    server.stop()


@pytest.fixture
def secret_in_ssm(stack):
    """The secret key as an SSM SecureString in the local stack's AWS (moto)."""
    boto3.client("ssm").put_parameter(Name=PARAMETER, Value=SECRET, Type="SecureString", Overwrite=True)
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    yield PARAMETER
    parameters.clear_caches()


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
    assert sent["form"]["confirm"] == "true" and sent["form"]["payment_method_types[0]"] == "card"
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
    ("pm_card_authenticationRequired", "authentication_required"),
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
    standin.slow_seconds = 1.0
    request = charge_request(token="pm_card_slow")
    with pytest.raises(payments.ProviderUnreachable):
        provider(standin, timeout=(1.0, 0.3)).charge(request)
    (made,) = standin.charges(request.idempotency_key)  # Stripe charged meanwhile
    assert provider(standin).find_charge(request.idempotency_key).payment_id == made["id"]
    assert provider(standin).find_charge("never-used-key") is None
    standin.slow_seconds = 0
    assert provider(standin).charge(request).payment_id == made["id"]
    assert len(standin.charges()) == 1


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
