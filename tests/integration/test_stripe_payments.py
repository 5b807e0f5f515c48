"""Card payments end to end with the Stripe provider: the local stack's API, the official stripe SDK
and the local stand-in for Stripe (``devstack.stripe_standin``, not Stripe itself), which delivers
signed webhooks to ``POST /api/webhooks/stripe``: 3-D Secure passed and failed, webhooks first,
duplicated and reordered, a fault right after the charge settled by reconciliation while dunning
waits. Many concurrent attempts for one invoice: ``test_payment_race.py`` (function instances in
processes of their own, as Lambda runs them; in this process concurrent requests would share
Powertools' current event)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import requests

from devstack.stripe_standin import WEBHOOK_SECRET, sign
from helpcenter import payments, store
from helpcenter.rules.payment import CLAIM_LEASE_SECONDS
from tests.support.faults import failing

WEBHOOK_PARAMETER = "/helpcenter/stripe/webhook-secret"


@pytest.fixture
def stripe_stack(stack, standin, secret_in_ssm, monkeypatch):  # noqa: F811 - the fixture, imported
    """The local stack's functions configured for Stripe (PaymentProvider=stripe), at the stand-in, which
    delivers its webhooks to the stack."""
    boto3.client("ssm").put_parameter(Name=WEBHOOK_PARAMETER, Value=WEBHOOK_SECRET, Type="SecureString",
                                      Overwrite=True)
    monkeypatch.setenv("PAYMENT_PROVIDER", "stripe")
    monkeypatch.setenv("STRIPE_API_BASE", standin.url)
    monkeypatch.setattr(payments, "_providers", {})
    standin.webhooks.url = f"{stack.url}/api/webhooks/stripe"
    with stack.in_process("PayInvoiceFunction"), stack.in_process("StripeWebhookFunction"):  # these settings
        yield stack


def new_account(stack, tmp_path, invoices: str = '- {number: INV-1, amount: "59.00", currency: EUR, due_date: -30d}'):
    number = "8" + str(uuid.uuid4().int)[:9]
    path = tmp_path / f"{number}.yaml"
    path.write_text(f"""accounts:
  - number: "{number}"
    name: Card Paying Co
    plan: pro
    region: europe_uk
    postal_code: "10115"
    billing_contacts: [billing-{number}@card-paying.example]
    dunning_since: -30d
    invoices:
""" + "".join(f"      {line}\n" for line in invoices.splitlines()))
    stack.load([path])
    return number


def pay(stack, number, token, key=None, invoice="INV-1"):
    body = {"account_number": number, "invoice_number": invoice, "amount_due": "59.00", "currency": "EUR",
            "payment_token": token}
    return requests.post(f"{stack.url}/api/invoices/pay", json=body, timeout=30,
                         headers={"Idempotency-Key": key or str(uuid.uuid4())})


def confirmations(stack, number) -> int:
    return sum(1 for m in stack.delivered() if f"billing-{number}@" in ",".join(m["to"])
               and m["subject"].startswith("Payment received"))


def notices(stack, number) -> int:
    return sum(1 for m in stack.delivered() if f"billing-{number}@" in ",".join(m["to"])
               and not m["subject"].startswith("Payment received"))


def status(stack, number) -> str:
    return requests.post(f"{stack.url}/api/accounts/status", json={"account_number": number, "postal_code": "10115"},
                         timeout=10).json()["status"]


def wait_for(condition, seconds=10.0):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_3d_secure_is_completed_then_the_same_attempt_gets_the_receipt(stripe_stack, standin, tmp_path):
    number = new_account(stripe_stack, tmp_path)
    key = str(uuid.uuid4())
    first = pay(stripe_stack, number, "pm_card_authenticationRequired", key)
    assert first.status_code == 202, first.text
    action = first.json()
    assert action["status"] == "requires_action" and action["client_secret"].startswith(action["payment_id"])
    assert pay(stripe_stack, number, "pm_card_authenticationRequired").status_code == 409  # others wait
    standin.authenticate_intent(action["payment_id"], passed=True)
    receipt = pay(stripe_stack, number, "pm_card_authenticationRequired", key)
    assert receipt.status_code == 200, receipt.text
    assert receipt.json()["payment_id"] == action["payment_id"] and receipt.json()["account_status"] == "active"
    assert len(standin.charges()) == 1 and len(standin.intents) == 1
    assert wait_for(lambda: confirmations(stripe_stack, number) == 1)


def test_a_failed_check_charges_nothing_and_says_so(stripe_stack, standin, tmp_path):
    number = new_account(stripe_stack, tmp_path)
    key = str(uuid.uuid4())
    action = pay(stripe_stack, number, "pm_card_authenticationRequired", key).json()
    standin.authenticate_intent(action["payment_id"], passed=False)
    refused = pay(stripe_stack, number, "pm_card_authenticationRequired", key)
    assert refused.status_code == 402
    assert refused.json()["fields"][0]["code"] == "authentication_failed"
    assert standin.charges() == [] and status(stripe_stack, number) != "active"
    assert pay(stripe_stack, number, "pm_card_visa").status_code == 200  # the invoice can be paid again


def test_a_webhook_with_a_bad_signature_is_refused(stripe_stack, standin):
    event = '{"id": "evt_x", "object": "event", "type": "payment_intent.succeeded", "data": {"object": {}}}'
    for signature in ("t=1,v1=bad", sign(event, "whsec_someone_else"), None):
        answer = requests.post(f"{stripe_stack.url}/api/webhooks/stripe", data=event, timeout=10,
                               headers={"Content-Type": "application/json",
                                        **({"Stripe-Signature": signature} if signature else {})})
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_signature"


def test_webhooks_first_duplicated_and_reordered_settle_once(stripe_stack, standin, tmp_path):
    number = new_account(stripe_stack, tmp_path)
    standin.webhooks.synchronous, standin.webhooks.duplicates = True, 3  # succeeded reaches us before the page
    key = str(uuid.uuid4())
    action = pay(stripe_stack, number, "pm_card_authenticationRequired", key).json()
    standin.authenticate_intent(action["payment_id"], passed=True)  # the webhooks settle it here
    assert status(stripe_stack, number) == "active"
    receipt = pay(stripe_stack, number, "pm_card_authenticationRequired", key)  # the page's own call, after
    assert receipt.status_code == 200 and receipt.json()["payment_id"] == action["payment_id"]
    standin.webhooks.synchronous, standin.webhooks.reorder = False, True
    standin.publish([e for e in standin.events if e["type"] == "payment_intent.succeeded"])
    standin.flush()
    delivered = [d for d in standin.webhooks.deliveries if d[1] == "payment_intent.succeeded"]
    assert len(delivered) == 6 and all(200 <= status_code < 300 for *_, status_code in delivered)
    assert len(standin.charges()) == 1 and confirmations(stripe_stack, number) == 1


@pytest.fixture
def demo_data_put_back(stack):
    """For a test that runs the daily job months ahead, which cancels and erases every demo account (and
    mails their notices): the demo data is loaded anew afterwards, for the tests that read it."""
    yield
    stack.reset()


def test_a_charge_whose_recording_failed_is_settled_by_reconciliation_and_dunning_waits(demo_data_put_back, stripe_stack,
                                                                                       standin, tmp_path):
    number = new_account(stripe_stack, tmp_path)
    standin.webhooks.url = None  # its webhook is lost too: only reconciliation can learn of the charge
    with failing(store.client(), "TransactWriteItems", "InternalServerError", times=5) as injected:
        lost = pay(stripe_stack, number, "pm_card_visa")
    assert injected and lost.status_code == 503  # charged, not recorded; the client never retries
    assert len(standin.charges()) == 1 and status(stripe_stack, number) != "active"

    later = (datetime.now(timezone.utc) + timedelta(days=30)).date()  # past cancellation and deletion dates
    from dunning import handler as dunning

    notices_before = notices(stripe_stack, number)
    assert dunning.run(later + timedelta(days=100)).get("payment_unresolved", 0) >= 1  # past the erasure date
    assert notices(stripe_stack, number) == notices_before  # no notice, no cancellation, no erasure
    assert status(stripe_stack, number) != "deleted"

    from reconcile import handler as reconcile

    after_lease = datetime.now(timezone.utc) + timedelta(seconds=CLAIM_LEASE_SECONDS + 1)
    assert reconcile.run(datetime.now(timezone.utc)).get("settled", 0) == 0  # the claim has not run out yet
    assert reconcile.run(after_lease).get("settled") == 1
    assert status(stripe_stack, number) == "active" and confirmations(stripe_stack, number) == 1
    assert reconcile.run(after_lease) == {} and len(standin.charges()) == 1


def test_reconciliation_releases_an_abandoned_check_and_cancels_it(stripe_stack, standin, tmp_path):
    number = new_account(stripe_stack, tmp_path)
    action = pay(stripe_stack, number, "pm_card_authenticationRequired").json()
    from reconcile import handler as reconcile

    assert reconcile.run(datetime.now(timezone.utc) + timedelta(hours=1)).get("released") == 1
    assert standin.intents[action["payment_id"]]["status"] == "canceled"
    standin.authenticate_intent(action["payment_id"], passed=True)  # too late: nothing is taken
    assert standin.charges() == [] and pay(stripe_stack, number, "pm_card_visa").status_code == 200
