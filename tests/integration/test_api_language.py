"""The API over HTTP answers its sentences in the reader's language; codes stay the same."""

from __future__ import annotations

import requests

from helpcenter.i18n.catalog import lookup
from helpcenter.i18n.sentences import reason_sentence
from tests.integration.test_submit_ticket import ticket


def post(stack, path, body, **headers):
    return requests.post(f"{stack.url}/api{path}", json=body, headers=headers, timeout=10)


def test_accept_language_words_the_refusal(stack):
    wrong = {"account_number": "100200303", "postal_code": "99999"}
    english = post(stack, "/accounts/status", wrong)
    vietnamese = post(stack, "/accounts/status", wrong, **{"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert english.status_code == vietnamese.status_code == 404
    assert english.json()["error"] == vietnamese.json()["error"] == "no_match"
    assert vietnamese.json()["message"] == lookup("vi", "forms.account_status.errors.no_match")
    assert vietnamese.headers["Content-Language"] == "vi" and english.headers["Content-Language"] == "en"


def test_validation_errors_name_their_fields_in_the_readers_language(stack):
    response = post(stack, "/invoices/lookup", {"account_number": "12", "invoice_number": "INV-4001"},
                    **{"Accept-Language": "fr"})
    body = response.json()
    assert (response.status_code, body["error"]) == (400, "validation_error")
    assert body["fields"][0]["field"] == "account_number"
    assert body["fields"][0]["message"] == lookup("fr", "forms.pay_invoice.field_errors.account_number")


def test_the_body_language_words_a_ticket_and_its_refusals(stack):
    accepted = post(stack, "/tickets", ticket(language="th"), **{"Accept-Language": "en"}).json()
    first = accepted["reasons"][0]
    assert first["code"] == "multi_user_account"
    assert first["message"] == reason_sentence("th", first["code"], first["params"])
    refused = post(stack, "/tickets", ticket(requester_email="ops@gmail.com", language="it"))
    assert refused.json()["error"] == "free_mail_domain"
    assert refused.json()["message"] == lookup("it", "forms.submit_ticket.errors.free_mail_domain")
