"""POST /api/accounts/status over real HTTP on the local stack (moto DynamoDB, demo data)."""

from datetime import date, timedelta

import pytest
import requests

def status(stack, body, **kwargs):
    return requests.post(f"{stack.url}/api/accounts/status", json=body, timeout=10, **kwargs)


@pytest.mark.parametrize(
    "number, postal_code, expected, next_event",
    [
        ("100200300", "560001", "active", None),
        ("100200301", "2000", "past_due", "second_notice"),
        ("100200302", "75006", "past_due", "suspension_warning"),
        ("100200308", "11564", "past_due", "third_notice"),
        ("100200303", "20121", "suspension_warning", "cancellation"),
        ("100200304", "700000", "cancelled", "deletion"),
        ("100200305", "94105", "deleted", None),
    ],
)
def test_every_dunning_state(stack, number, postal_code, expected, next_event):
    response = status(stack, {"account_number": number, "postal_code": postal_code})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == expected
    assert (body["next_event"] or {}).get("event") == next_event
    assert set(body) >= {"plan", "outstanding_invoices", "deletion_date", "support_channels"}


def test_suspension_warning_dates_follow_day_d(stack):
    body = status(stack, {"account_number": "100200303", "postal_code": " 20121 "}).json()
    d = date.today() - timedelta(days=23)
    assert body["next_event"]["date"] == (d + timedelta(days=29)).isoformat()
    assert body["deletion_date"] == (d + timedelta(days=119)).isoformat()
    assert [i["invoice_number"] for i in body["outstanding_invoices"]] == ["INV-4001", "INV-4002"]
    assert body["outstanding_invoices"][0] == {
        "invoice_number": "INV-4001", "amount_due": "59.00", "currency": "EUR",
        "due_date": d.isoformat(), "overdue": True,
    }


def test_credit_is_deducted_and_vnd_has_no_decimals(stack):
    body = status(stack, {"account_number": "100200304", "postal_code": "700000"}).json()
    assert body["outstanding_invoices"][0]["amount_due"] == "2100000"


def test_erased_account_keeps_no_invoices(stack):
    body = status(stack, {"account_number": "100200305", "postal_code": "94105"}).json()
    assert body["outstanding_invoices"] == [] and body["support_channels"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"account_number": "100200303", "postal_code": "99999"},  # wrong postal code
        {"account_number": "999999999", "postal_code": "20121"},  # unknown account
        {"account_number": "100200300", "postal_code": "20121"},  # another account's postal code
    ],
)
def test_no_match_is_identical_whatever_is_wrong(stack, body):
    response = status(stack, body)
    assert response.status_code == 404
    assert response.json() == {
        "error": "no_match", "message": "No account matches this account number and postal code."
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"account_number": 100200300, "postal_code": "20121"},
        {"account_number": "12ab", "postal_code": "20121"},
        {"account_number": "100200303", "postal_code": "x"},
        {"account_number": "100200303", "postal_code": "20121", "admin": True},
        {"account_number": None, "postal_code": None},
    ],
)
def test_invalid_fields_get_a_400_naming_them(stack, body):
    response = status(stack, body)
    assert response.status_code == 400
    assert response.json()["error"] == "validation_error" and response.json()["fields"]


def test_field_errors_name_the_field_without_echoing_values(stack):
    response = status(stack, {"account_number": "12ab-secret", "postal_code": "20121"})
    body = response.json()
    assert body["fields"][0]["field"] == "account_number"
    assert "secret" not in response.text
