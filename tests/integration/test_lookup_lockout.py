"""Guessing is cut off per account number: after a few misses the number is locked for the rest of
the window (429 + Retry-After), the same answer whether or not the account exists, and the right
numbers are refused while it lasts."""

from __future__ import annotations

import uuid

import pytest
import requests

from helpcenter.rules.lookups import MAX_FAILURES, WINDOW_SECONDS

KNOWN, UNKNOWN = "100200303", "999000111"  # demo account (postal code 20121, invoice INV-4001); no account


@pytest.fixture
def isolated(fresh_stack):
    yield fresh_stack
    fresh_stack.reset()  # the counters go with the data


def post(stack, path: str, body: dict, headers: dict | None = None) -> requests.Response:
    return requests.post(f"{stack.url}/api{path}", json=body, headers=headers or {}, timeout=15)


def guess(stack, path: str, bodies) -> list[requests.Response]:
    return [post(stack, path, body) for body in bodies]


def cut_off_after(responses: list[requests.Response]) -> int:
    """How many answers came before the first 429."""
    statuses = [r.status_code for r in responses]
    return statuses.index(429) if 429 in statuses else len(statuses)


def test_thirty_wrong_postal_codes_are_cut_off_and_the_right_one_refused_while_locked(isolated):
    wrong = [{"account_number": KNOWN, "postal_code": f"{10000 + n}"} for n in range(30)]
    responses = guess(isolated, "/accounts/status", wrong)
    answered = cut_off_after(responses)
    print(f"30 wrong postal codes for one account: {answered} answered (404), {30 - answered} refused (429)")
    assert answered == MAX_FAILURES
    assert {r.status_code for r in responses[:answered]} == {404}
    assert {r.status_code for r in responses[answered:]} == {429}
    locked = responses[-1]
    assert 0 < int(locked.headers["Retry-After"]) <= WINDOW_SECONDS
    assert locked.json()["error"] == "too_many_attempts"
    right = post(isolated, "/accounts/status", {"account_number": KNOWN, "postal_code": "20121"})
    assert right.status_code == 429 and right.json() == locked.json()
    # another account, and the invoice look-ups of this one, are not locked by it
    assert post(isolated, "/accounts/status", {"account_number": "100200300", "postal_code": "560001"}).status_code == 200
    assert post(isolated, "/invoices/lookup", {"account_number": KNOWN, "invoice_number": "INV-4001"}).status_code == 200


def test_an_unknown_account_number_is_locked_the_same_way(isolated):
    known = guess(isolated, "/accounts/status", [{"account_number": KNOWN, "postal_code": f"{n:05}"} for n in range(8)])
    unknown = guess(isolated, "/accounts/status",
                    [{"account_number": UNKNOWN, "postal_code": f"{n:05}"} for n in range(8)])
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.json() for r in known] == [r.json() for r in unknown]


def test_invoice_number_guessing_is_cut_off_for_lookup_and_pay(isolated):
    lookups = guess(isolated, "/invoices/lookup",
                    [{"account_number": KNOWN, "invoice_number": f"INV-{9000 + n}"} for n in range(10)])
    assert cut_off_after(lookups) == MAX_FAILURES
    pay = post(isolated, "/invoices/pay", {"account_number": KNOWN, "invoice_number": "INV-4001", "amount_due": "59.00",
                                           "currency": "EUR", "payment_token": "tok_success"},
               {"Idempotency-Key": str(uuid.uuid4())})
    assert pay.status_code == 429 and "Retry-After" in pay.headers
    right = post(isolated, "/invoices/lookup", {"account_number": KNOWN, "invoice_number": "INV-4001"})
    assert right.status_code == 429
    # the status page of the same account is counted apart
    assert post(isolated, "/accounts/status", {"account_number": KNOWN, "postal_code": "20121"}).status_code == 200


def test_failed_payments_count_as_misses(isolated):
    answers = [post(isolated, "/invoices/pay", {"account_number": UNKNOWN, "invoice_number": f"INV-{n}00",
                                                "amount_due": "1.00", "currency": "EUR", "payment_token": "tok_success"},
                    {"Idempotency-Key": str(uuid.uuid4())}) for n in range(1, 9)]
    assert cut_off_after(answers) == MAX_FAILURES


def test_a_paid_invoice_is_counted_like_a_wrong_one(isolated):
    """Both numbers of an invoice already paid answer no_match and count as a miss, as a wrong pair does.
    Not counting them would spare their owner a lock, but a stranger could then tell a real paid pair
    (and so a real account number) from a wrong one: after five tries only the wrong one is locked."""
    paid = guess(isolated, "/invoices/lookup", [{"account_number": "100200300", "invoice_number": "INV-0987"}] * 8)
    wrong = guess(isolated, "/invoices/lookup", [{"account_number": UNKNOWN, "invoice_number": "INV-0987"}] * 8)
    assert [r.status_code for r in paid] == [r.status_code for r in wrong] == [404] * MAX_FAILURES + [429] * 3
    assert [r.json() for r in paid] == [r.json() for r in wrong]
