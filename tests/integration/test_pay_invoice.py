"""POST /api/invoices/lookup and /api/invoices/pay over real HTTP on the local stack.

Charges are counted in the sandbox provider's store (``SANDBOX#<key>`` items in the table), so
"exactly once" is checked where the money would move. Most tests pay invoices of accounts they
create for themselves (a small data file loaded into the running stack); those that use the demo
accounts put the demo data back afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from helpcenter import store
from helpcenter.domain import AccountStatus
from tests.support.faults import failing, recorded_calls
from tests.support.sandbox_charges import sandbox_charges
from tests.support.stored import stored_account

NO_MATCH = {"error": "no_match",
            "message": "No unpaid invoice matches these numbers. Check both numbers against the invoice."}
_numbers = itertools.count(random.randint(10_000_000, 80_000_000) * 10)


def lookup(stack, account_number, invoice_number, **kwargs):
    return requests.post(f"{stack.url}/api/invoices/lookup", timeout=10,
                         json={"account_number": account_number, "invoice_number": invoice_number}, **kwargs)


def pay(stack, body, key=None, timeout=30):
    headers = {"Idempotency-Key": key} if key else {}
    return requests.post(f"{stack.url}/api/invoices/pay", json=body, headers=headers, timeout=timeout)


def new_key() -> str:
    return str(uuid.uuid4())


def succeeded_charges(invoice_number: str | None = None, account_number: str | None = None) -> list[dict]:
    return [c for c in sandbox_charges() if c["status"] == "succeeded"
            and (invoice_number is None or c["metadata"]["invoice_number"] == invoice_number)
            and (account_number is None or c["metadata"]["account_number"] == account_number)]


@pytest.fixture
def account(stack, tmp_path):
    """Make an account of our own: ``account(invoices=[("INV-1", "59.00", "EUR", "-10d"), …])``."""

    def make(invoices=(("INV-1", "59.00", "EUR", "-10d"),), dunning_since="-10d", contacts=("billing@own.example",),
             credits=None):
        number = str(next(_numbers))
        lines = [
            "accounts:",
            f'  - number: "{number}"',
            "    name: Own Test Company",
            "    plan: pro",
            "    region: europe_uk",
            '    postal_code: "10115"',
            f"    billing_contacts: [{', '.join(contacts)}]",
        ]
        if dunning_since:
            lines.append(f"    dunning_since: {dunning_since}")
        lines.append("    invoices:")
        for invoice_number, amount, currency, due in invoices:
            credit = (credits or {}).get(invoice_number)
            extra = f', credit: "{credit}"' if credit else ""
            lines.append(f'      - {{number: {invoice_number}, amount: "{amount}", currency: {currency}, '
                         f"due_date: {due}{extra}}}")
        path = tmp_path / f"{number}.yaml"
        path.write_text("\n".join(lines) + "\n")
        stack.load([path])
        return number

    return make


def body_for(number, invoice_number="INV-1", amount="59.00", currency="EUR", token="tok_success"):
    return {"account_number": number, "invoice_number": invoice_number, "amount_due": amount, "currency": currency,
            "payment_token": token}


@pytest.fixture
def demo_stack(stack):
    """The demo data as loaded, before and after a test that reads or pays demo invoices: no payment or
    look-up miss of an earlier test (misses lock an account number) changes what it sees."""
    stack.reset()
    yield stack
    stack.reset()


# --- lookup -----------------------------------------------------------------------------------------


def test_lookup_shows_amount_currency_due_date_and_masked_name(demo_stack):
    stack = demo_stack
    response = lookup(stack, "100200303", "INV-4001")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["invoice_number"] == "INV-4001"
    assert (body["amount_due"], body["currency"]) == ("59.00", "EUR")
    assert body["account_name"] == "Tr******* Be********"
    assert body["payment_provider"] == "sandbox"
    assert len(body["due_date"]) == 10


def test_lookup_takes_the_downgrade_credit_off(demo_stack):
    stack = demo_stack
    body = lookup(stack, "100200304", "INV-5001").json()
    assert (body["amount_due"], body["currency"]) == ("2100000", "VND")


ENUMERATION_CASES = [
    ("999999999", "INV-4001", "unknown account"),
    ("100200303", "INV-9999", "unknown invoice"),
    ("100200303", "INV-5001", "another account's invoice"),
    ("100200300", "INV-0987", "already paid"),
    ("100200305", "INV-6001", "deleted account"),
]


@pytest.mark.parametrize("account_number, invoice_number, case", ENUMERATION_CASES)
def test_every_mismatch_looks_the_same(demo_stack, account_number, invoice_number, case):
    stack = demo_stack
    found = lookup(stack, account_number, invoice_number)
    assert (found.status_code, found.json()) == (404, NO_MATCH), case
    paid = pay(stack, body_for(account_number, invoice_number, "59.00", "EUR"), new_key())
    assert (paid.status_code, paid.content) == (404, found.content), case


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, field, words", [
    ({"amount_due": 59}, "amount_due", "decimal string"),
    ({"amount_due": 59.0}, "amount_due", "decimal string"),
    ({"amount_due": "59.001"}, "amount_due", "decimal places"),
    ({"amount_due": "59,00"}, "amount_due", None),
    ({"amount_due": "-59.00"}, "amount_due", None),
    ({"amount_due": "1e3"}, "amount_due", None),
    ({"currency": "XXX"}, "currency", "currency"),
    ({"payment_token": "tok success!"}, "payment_token", None),
    ({"account_number": "12ab"}, "account_number", None),
    ({"invoice_number": ""}, "invoice_number", None),
    ({"admin": True}, "admin", None),
])
def test_invalid_pay_bodies_get_a_400_naming_the_field(stack, change, field, words):
    response = pay(stack, {**body_for("100200303", "INV-4001"), **change}, new_key())
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "validation_error"
    assert [f["field"] for f in body["fields"]] == [field]
    if words:
        assert words in body["fields"][0]["message"]
    assert "59.001" not in response.text and "XXX" not in response.text  # values are never echoed


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "short"}, {"Idempotency-Key": "x" * 129},
                                     {"Idempotency-Key": "has spaces in it"}])
def test_a_pay_request_needs_a_sound_idempotency_key(stack, headers):
    response = requests.post(f"{stack.url}/api/invoices/pay", json=body_for("100200303", "INV-4001"),
                             headers=headers, timeout=10)
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"].lower().endswith("idempotency-key")


def test_a_float_in_raw_json_is_refused_before_anything_is_charged(stack, account):
    number = account()
    data = json.dumps(body_for(number)).replace('"59.00"', "59.00")
    response = requests.post(f"{stack.url}/api/invoices/pay", data=data, timeout=10,
                             headers={"Content-Type": "application/json", "Idempotency-Key": new_key()})
    assert response.status_code == 400 and "decimal string" in response.text
    assert succeeded_charges(account_number=number) == []


@pytest.mark.parametrize("amount, currency", [("58.99", "EUR"), ("59.01", "EUR"), ("59.00", "USD"), ("59", "GBP")])
def test_the_amount_must_be_the_amount_due(stack, account, amount, currency):
    number = account()
    response = pay(stack, body_for(number, amount=amount, currency=currency), new_key())
    assert response.status_code == 409 and response.json()["error"] == "amount_mismatch"
    assert pay(stack, body_for(number, amount="59"), new_key()).status_code == 200  # 59 == 59.00


@pytest.mark.parametrize("token, status, error, reason", [
    ("tok_declined", 402, "payment_declined", "card_declined"),
    ("tok_insufficient_funds", 402, "payment_declined", "insufficient_funds"),
    ("tok_unknown_card", 402, "payment_declined", "invalid_payment_method"),
    ("tok_provider_error", 503, "provider_error", None),
])
def test_a_failed_charge_takes_nothing_and_frees_the_invoice(stack, account, token, status, error, reason):
    number = account()
    key = new_key()
    response = pay(stack, body_for(number, token=token), key)
    assert response.status_code == status and response.json()["error"] == error
    if reason:
        assert [{k: f[k] for k in ("field", "code")} for f in response.json()["fields"]] == [
            {"field": "payment_token", "code": reason}]
    else:
        assert response.headers["Retry-After"]
    assert succeeded_charges(account_number=number) == []
    again = pay(stack, body_for(number, token=token), key)  # the same attempt again: the same answer
    assert (again.status_code, again.json()) == (status, response.json())
    if reason:  # a decline is the attempt's final answer: replayed, and the key is spent
        assert again.headers["Idempotent-Replayed"] == "true"
        assert pay(stack, body_for(number), key).json()["error"] == "key_reused"
    else:  # nothing happened: the key may still carry a payment
        assert "Idempotent-Replayed" not in again.headers
        assert pay(stack, body_for(number), key).status_code == 200
    paid = pay(stack, body_for(number), new_key())  # the invoice was never held back
    assert paid.status_code == (200 if reason else 404), paid.text
    assert len(succeeded_charges(account_number=number)) == 1


# --- paying, replays, key reuse ---------------------------------------------------------------------


def test_paying_the_last_overdue_invoice_reactivates_the_account(demo_stack):
    stack = demo_stack
    before, invoices = stored_account("100200303")
    assert before.status is AccountStatus.SUSPENSION_WARNING and "100200303" in store.account_numbers_in_dunning()
    sent = len(stack.delivered())
    response = pay(stack, body_for("100200303", "INV-4001"), new_key())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["invoice_number"] == "INV-4001" and body["amount_paid"] == "59.00" and body["currency"] == "EUR"
    assert body["account_status"] == "active" and body["payment_id"].startswith("sbx_")
    # the status page, the dunning index and the dunning step all see an active account
    status = requests.post(f"{stack.url}/api/accounts/status", timeout=10,
                           json={"account_number": "100200303", "postal_code": "20121"}).json()
    assert status["status"] == "active" and status["next_event"] is None
    assert [i["invoice_number"] for i in status["outstanding_invoices"]] == ["INV-4002"]
    assert "100200303" not in set(store.account_numbers_in_dunning())
    assert store.record_dunning_step(before, AccountStatus.CANCELLED, ("cancellation",), "2026-12-01") is False
    after, _ = stored_account("100200303")
    assert after.status is AccountStatus.ACTIVE and after.dunning_since is None and not after.notices_sent
    # one confirmation, to the billing contact
    mails = stack.delivered()[sent:]
    assert [(m["to"], m["language"], m["subject"]) for m in mails] == [
        (["amministrazione@bellavista.example"], "it", "Pagamento ricevuto: fattura INV-4001, 59,00\u00a0€")]
    assert body["payment_id"] in mails[0]["body"] and "è di nuovo attivo" in mails[0]["body"]
    assert f"{stack.url}/it/forms/account-status/" in mails[0]["body"] and mails[0]["html"].count("<html lang=\"it\">") == 1
    # the invoice is paid: looking it up again answers like any wrong number
    assert lookup(stack, "100200303", "INV-4001").json() == NO_MATCH
    # the invoice that is not due yet can be paid too
    assert pay(stack, body_for("100200303", "INV-4002"), new_key()).json()["account_status"] == "active"


def test_a_cancelled_account_pays_the_credited_amount_and_is_reactivated(demo_stack):
    response = pay(demo_stack, body_for("100200304", "INV-5001", "2100000", "VND"), new_key())
    assert response.status_code == 200, response.text
    assert (response.json()["amount_paid"], response.json()["account_status"]) == ("2100000", "active")
    (charge,) = succeeded_charges("INV-5001", "100200304")
    assert (charge["amount_minor"], charge["currency"]) == (2_100_000, "VND")


def test_one_overdue_invoice_paid_of_two_keeps_the_account_in_dunning(stack, account):
    number = account(invoices=[("INV-1", "950.00", "SAR", "-32d"), ("INV-2", "950.00", "SAR", "-2d")],
                     dunning_since="-2d")
    first = pay(stack, body_for(number, "INV-1", "950.00", "SAR"), new_key()).json()
    assert first["account_status"] == "past_due"
    assert number in set(store.account_numbers_in_dunning())
    second = pay(stack, body_for(number, "INV-2", "950.00", "SAR"), new_key()).json()
    assert second["account_status"] == "active"
    assert number not in set(store.account_numbers_in_dunning())


def test_every_billing_contact_gets_the_confirmation(stack, account):
    number = account(contacts=("compta@own.example", "owner@own.example"))
    sent = len(stack.delivered())
    assert pay(stack, body_for(number), new_key()).status_code == 200
    (mail,) = [m for m in stack.delivered()[sent:] if "compta@own.example" in m["to"]]
    assert sorted(mail["to"]) == ["compta@own.example", "owner@own.example"]


def test_a_replay_answers_the_first_response_without_charging_again(stack, account):
    number, key = account(), new_key()
    first = pay(stack, body_for(number), key)
    replays = [pay(stack, body_for(number), key) for _ in range(3)]
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    for replay in replays:
        assert (replay.status_code, replay.json()) == (200, first.json())
        assert replay.headers["Idempotent-Replayed"] == "true"
    assert len(succeeded_charges(account_number=number)) == 1


def test_a_reused_key_with_another_body_is_refused(stack, account):
    number, other, key = account(), account(), new_key()
    assert pay(stack, body_for(number), key).status_code == 200
    for body in (body_for(number, token="tok_declined"), body_for(other), body_for(number, amount="59")):
        response = pay(stack, body, key)
        assert (response.status_code, response.json()["error"]) == (409, "key_reused"), body
    assert succeeded_charges(account_number=other) == []


def test_a_paid_invoice_answers_its_own_key_even_after_the_idempotency_record_is_gone(stack, account):
    number, key = account(), new_key()
    first = pay(stack, body_for(number), key).json()
    store.client().delete_item(TableName=os.environ["IDEMPOTENCY_TABLE"], Key={"id": {"S": _idempotency_id(key)}})
    again = pay(stack, body_for(number), key)
    assert (again.status_code, again.json()) == (200, first)
    assert pay(stack, body_for(number), new_key()).json() == NO_MATCH
    assert len(succeeded_charges(account_number=number)) == 1


def _idempotency_id(key: str) -> str:
    import hashlib

    return "pay_invoice#" + hashlib.sha256(json.dumps(key).encode()).hexdigest()


# --- concurrency --------------------------------------------------------------------------------------


def race(stack, body, keys) -> list[requests.Response]:
    barrier = threading.Barrier(len(keys))

    def one(key):
        barrier.wait()
        return pay(stack, body, key, timeout=60)

    with ThreadPoolExecutor(len(keys)) as pool:
        return list(pool.map(one, keys))


def outcome(response) -> str:
    if response.status_code == 200:
        return "replay" if response.headers.get("Idempotent-Replayed") else "200"
    return f"{response.status_code} {response.json()['error']}"


def test_50_concurrent_pays_with_distinct_keys_charge_once(stack, account, record_property):
    number = account()
    responses = race(stack, body_for(number), [new_key() for _ in range(50)])
    counts = Counter(outcome(r) for r in responses)
    record_property("outcomes", dict(counts))
    print("50 distinct keys:", dict(counts))
    assert counts["200"] == 1
    # after the payment the others are misses (already paid); a few misses lock the account number
    assert set(counts) <= {"200", "409 in_progress", "404 no_match", "429 too_many_attempts"}
    assert len(succeeded_charges(account_number=number)) == 1
    _, invoices = stored_account(number)
    assert [i.status.value for i in invoices] == ["paid"]
    winner = next(r for r in responses if r.status_code == 200).json()
    assert winner["payment_id"] == succeeded_charges(account_number=number)[0]["charge_id"]


def test_50_concurrent_pays_with_the_same_key_charge_once(stack, account, record_property):
    number, key = account(), new_key()
    responses = race(stack, body_for(number), [key] * 50)
    counts = Counter(outcome(r) for r in responses)
    record_property("outcomes", dict(counts))
    print("50 same key:", dict(counts))
    assert counts["200"] == 1
    assert set(counts) <= {"200", "replay", "409 in_progress"}
    assert len({r.content for r in responses if r.status_code == 200}) == 1
    assert all(r.headers.get("Retry-After") for r in responses if r.status_code == 409)
    assert len(succeeded_charges(account_number=number)) == 1


def test_two_overdue_invoices_paid_at_once_reactivate_the_account(stack, account):
    for _ in range(5):
        number = account(invoices=[("INV-1", "10.00", "EUR", "-20d"), ("INV-2", "20.00", "EUR", "-5d")],
                         dunning_since="-20d")
        barrier = threading.Barrier(2)

        def one(invoice, amount):
            barrier.wait()
            return pay(stack, body_for(number, invoice, amount), new_key())

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(one, ["INV-1", "INV-2"], ["10.00", "20.00"]))
        assert [r.status_code for r in results] == [200, 200]
        account_after, _ = stored_account(number)
        assert account_after.status is AccountStatus.ACTIVE and account_after.dunning_since is None
        assert number not in set(store.account_numbers_in_dunning())
        assert "active" in {r.json()["account_status"] for r in results}


@pytest.fixture
def pay_in_process(stack):
    """PayInvoiceFunction in the test process, so a test can patch its provider, client or logger."""
    with stack.in_process("PayInvoiceFunction"):
        yield


# --- slow providers, timeouts and faults ------------------------------------------------------------


def test_while_a_slow_charge_runs_other_attempts_wait(stack, pay_in_process, account, monkeypatch):
    monkeypatch.setenv("SANDBOX_SLOW_SECONDS", "1.5")
    number, key = account(), new_key()
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(pay, stack, body_for(number, token="tok_slow"), key)
        wait_for_claim(number, "INV-1", key)
        same_key = pay(stack, body_for(number, token="tok_slow"), key)
        other_key = pay(stack, body_for(number), new_key())
        assert (same_key.status_code, same_key.json()["error"]) == (409, "in_progress")
        assert (other_key.status_code, other_key.json()["error"]) == (409, "in_progress")
        assert same_key.headers["Retry-After"] == other_key.headers["Retry-After"] == "2"
        assert first.result().status_code == 200
    assert pay(stack, body_for(number, token="tok_slow"), key).json() == first.result().json()
    assert pay(stack, body_for(number), new_key()).json() == NO_MATCH
    assert len(succeeded_charges(account_number=number)) == 1


def wait_for_claim(account_number: str, invoice_number: str, key: str, seconds: float = 10) -> None:
    """Until the attempt ``key`` holds the invoice (its charge is then under way)."""
    deadline = time.monotonic() + seconds
    while store.get_payment_context(account_number).payments[invoice_number].claimed_by != key:
        assert time.monotonic() < deadline, "the first attempt never claimed the invoice"
        time.sleep(0.02)


def test_a_client_that_times_out_retries_until_it_gets_the_first_answer(stack, pay_in_process, account, monkeypatch):
    monkeypatch.setenv("SANDBOX_SLOW_SECONDS", "1.5")
    number, key = account(), new_key()
    seen = []
    for _ in range(40):
        try:
            response = pay(stack, body_for(number, token="tok_slow"), key, timeout=0.3)
        except requests.Timeout:
            seen.append("timeout")
            continue
        seen.append(outcome(response))
        if response.status_code == 200:
            break
        time.sleep(0.2)
    assert seen[0] == "timeout" and seen[-1] == "replay", seen  # the answer to the request that timed out
    assert set(seen) <= {"timeout", "409 in_progress", "replay"}
    assert response.json()["account_status"] == "active"
    assert len(succeeded_charges(account_number=number)) == 1


def test_a_lost_provider_answer_is_settled_by_retrying_the_same_key(stack, account):
    number, key = account(), new_key()
    lost = pay(stack, body_for(number, token="tok_timeout"), key)
    assert (lost.status_code, lost.json()["error"]) == (503, "payment_pending")
    assert lost.headers["Retry-After"]
    assert len(succeeded_charges(account_number=number)) == 1  # charged, not yet recorded
    blocked = pay(stack, body_for(number), new_key())  # another attempt must not charge again
    assert (blocked.status_code, blocked.json()["error"]) == (409, "in_progress")
    settled = pay(stack, body_for(number, token="tok_timeout"), key)
    assert settled.status_code == 200, settled.text
    assert settled.json()["payment_id"] == succeeded_charges(account_number=number)[0]["charge_id"]
    assert len(succeeded_charges(account_number=number)) == 1


def test_an_abandoned_attempt_that_charged_pays_the_invoice_for_the_next(stack, account):
    number, abandoned = account(), new_key()
    assert pay(stack, body_for(number, token="tok_timeout"), abandoned).status_code == 503
    _expire_claim(number, "INV-1")  # its client never came back, and the claim ran out
    response = pay(stack, body_for(number), new_key())
    assert response.status_code == 200, response.text
    (charge,) = succeeded_charges(account_number=number)
    assert response.json()["payment_id"] == charge["charge_id"] and charge["payment_token"] == "tok_timeout"
    retry = pay(stack, body_for(number, token="tok_timeout"), abandoned)  # the first client does come back
    assert (retry.status_code, retry.json()["payment_id"]) == (200, charge["charge_id"])
    assert len(succeeded_charges(account_number=number)) == 1


def test_an_abandoned_attempt_that_did_not_charge_leaves_the_invoice_to_the_next(stack, account):
    number = account()
    store.claim_invoice(number, "INV-1", "vanished-attempt-1", until=0, now=0)  # claimed, then nothing
    response = pay(stack, body_for(number), new_key())
    assert response.status_code == 200, response.text
    (charge,) = succeeded_charges(account_number=number)
    assert charge["payment_token"] == "tok_success"


def test_when_the_provider_cannot_tell_the_abandoned_claim_stays_for_the_next(stack, pay_in_process, account, monkeypatch):
    from helpcenter import payments
    from helpcenter.payments.sandbox import SandboxProvider

    number, abandoned = account(), new_key()
    assert pay(stack, body_for(number, token="tok_timeout"), abandoned).status_code == 503
    _expire_claim(number, "INV-1")

    def cannot_tell(self, key):
        raise payments.ProviderUnreachable("no answer")

    monkeypatch.setattr(SandboxProvider, "find_charge", cannot_tell)
    response = pay(stack, body_for(number), new_key())
    assert (response.status_code, response.json()["error"]) == (503, "payment_pending")
    held = store.get_payment_context(number).payments["INV-1"]
    assert held.claimed_by == abandoned and held.status == "open"  # handed back, lease over
    monkeypatch.undo()
    assert pay(stack, body_for(number), new_key()).status_code == 200
    assert len(succeeded_charges(account_number=number)) == 1


def _expire_claim(account_number: str, invoice_number: str) -> None:
    store.client().update_item(TableName=store.table_name(), Key=store.invoice_key(account_number, invoice_number),
                               UpdateExpression="SET claimed_until = :past",
                               ExpressionAttributeValues={":past": {"N": "0"}})


def test_a_charge_whose_write_failed_is_completed_by_the_retry_without_charging_again(stack, pay_in_process, account):
    number, key = account(), new_key()
    with failing(store.client(), "TransactWriteItems", "InternalServerError", times=1) as injected:
        failed = pay(stack, body_for(number), key)
    assert injected and (failed.status_code, failed.json()["error"]) == (503, "unavailable")
    assert failed.headers["Retry-After"]
    (charge,) = succeeded_charges(account_number=number)  # the money was taken …
    _, invoices = stored_account(number)
    assert invoices[0].status.value == "open"  # … the invoice not yet marked paid
    retried = pay(stack, body_for(number), key)
    assert retried.status_code == 200, retried.text
    assert retried.json()["payment_id"] == charge["charge_id"]
    assert len(succeeded_charges(account_number=number)) == 1
    _, invoices = stored_account(number)
    assert invoices[0].status.value == "paid"


# --- cost -------------------------------------------------------------------------------------------


def test_dynamodb_round_trips(stack, pay_in_process, account, record_property):
    number = account()
    lookup(stack, number, "INV-1")  # warm an instance
    with recorded_calls(store.client()) as calls:
        _round_trips(stack, account, number, calls, record_property)


def _round_trips(stack, account, number, calls, record_property):
    assert lookup(stack, number, "INV-1").status_code == 200
    lookups = [c[0] for c in calls]
    calls.clear()
    assert pay(stack, body_for(number), new_key()).status_code == 200
    paid = [(operation, table) for operation, table, _ in calls]
    record_property("lookup", lookups)
    record_property("pay", paid)
    print("lookup:", lookups, "pay:", paid)
    assert lookups == ["GetItem", "BatchGetItem"]  # is the account number locked (helpcenter.lookup_guard)? then the look-up
    ours = [(op, table) for op, table in paid if not (op == "PutItem" and table == store.table_name())]
    assert ours == [
        ("GetItem", store.table_name()),  # is the account number locked?
        ("PutItem", "IdempotencyTable"),  # the attempt is in progress
        ("Query", store.table_name()),  # account and invoices
        ("UpdateItem", store.table_name()),  # claim the invoice
        ("TransactWriteItems", ""),  # invoice paid + account
        ("UpdateItem", "IdempotencyTable"),  # the attempt's response
    ]
    assert len(paid) == len(ours) + 1  # plus the sandbox provider's own charge record

    declining, key = account(), new_key()
    calls.clear()
    pay(stack, body_for(declining, token="tok_declined"), key)
    declined = [op for op, table, _ in calls if not (op == "PutItem" and table == store.table_name())]
    calls.clear()
    assert pay(stack, body_for(declining), key).status_code == 409  # the same key with another body
    reused = [op for op, _, _ in calls]
    calls.clear()
    assert pay(stack, body_for(declining, token="tok_declined"), key).status_code == 402  # a replay
    replayed = [op for op, _, _ in calls]
    record_property("declined", declined)
    print("declined:", declined, "key reused:", reused, "replayed:", replayed)
    assert declined == ["GetItem", "PutItem", "Query", "UpdateItem", "UpdateItem", "UpdateItem"]  # … release, record
    assert reused == replayed == ["GetItem", "PutItem"]  # lock check; the refused put returns the stored record


# --- logs -------------------------------------------------------------------------------------------


def test_logs_name_no_account_address_token_or_key(stack, pay_in_process, account):
    import io
    import logging

    from helpcenter.observability import logger

    stream = io.StringIO()
    captured = logging.StreamHandler(stream)
    captured.setFormatter(logger.registered_formatter)
    logger.addHandler(captured)
    level = logger.log_level
    logger.setLevel("DEBUG")
    try:
        number = account(contacts=("secret-person@own.example",))
        keys = [new_key() for _ in range(4)]
        pay(stack, body_for(number, token="tok_declined"), keys[0])
        pay(stack, body_for(number, token="tok_provider_error"), keys[1])
        pay(stack, body_for(number, token="tok_timeout"), keys[2])
        with failing(store.client(), "TransactWriteItems", "ValidationException",
                     f"bad key ACCOUNT#{number} secret-person@own.example"):
            pay(stack, body_for(number, token="tok_timeout"), keys[2])
        assert pay(stack, body_for(number, token="tok_timeout"), keys[2]).status_code == 200
    finally:
        logger.setLevel(level)
        logging.getLogger(logger.name).removeHandler(captured)  # the logger Powertools writes with
    logs = stream.getvalue()
    assert "payment recorded" in logs and "payment store unavailable" in logs
    for secret in (number, "secret-person", "tok_", *keys):
        assert secret not in logs, secret
