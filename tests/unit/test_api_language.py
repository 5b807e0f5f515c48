"""The API's sentences in the reader's language: Accept-Language or the body's language; codes stable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpcenter.i18n import LANGUAGES
from helpcenter.i18n.api_texts import ROUTE_FORMS, accepted_languages, error_message, localize, reader_language
from helpcenter.i18n.catalog import lookup

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"


def test_accept_language_is_read_by_quality_then_order():
    assert accepted_languages("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == ["fr-CH", "fr", "en", "de", "*"]
    assert accepted_languages("th;q=0.2, vi;q=0.9, it") == ["it", "vi", "th"]
    assert accepted_languages("es;q=0, fr;q=bad") == []
    assert accepted_languages(None) == []


@pytest.mark.parametrize("header, body, expected", [
    ("vi-VN,vi;q=0.9,en;q=0.8", None, "vi"),
    ("de-DE, th;q=0.5", None, "th"),
    ("de-DE", None, "en"),
    (None, None, "en"),
    ("vi", "fr", "fr"),
    ("vi", "es", "vi"),
    ("vi", 42, "vi"),
])
def test_the_reader_language(header, body, expected):
    assert reader_language(header, body) == expected


def test_an_error_body_is_worded_in_the_readers_language_with_its_codes_unchanged():
    body = {"error": "validation_error", "message": "Some fields are missing or invalid.",
            "fields": [{"field": "requester_email", "code": "free_mail_domain", "message": "…"},
                       {"field": "description", "code": "string_too_short", "message": "…"},
                       {"field": "time_zone", "code": "string_type", "message": "…"}]}
    localized, known = localize(body, "th", "/tickets")
    assert known and localized["error"] == "validation_error"
    assert localized["message"] == lookup("th", "forms.submit_ticket.errors.validation_error")
    assert [f["code"] for f in localized["fields"]] == ["free_mail_domain", "string_too_short", "string_type"]
    assert localized["fields"][0]["message"] == lookup("th", ("forms", "submit_ticket", "field_codes",
                                                              "requester_email.free_mail_domain"))
    assert localized["fields"][1]["message"] == lookup("th", "forms.submit_ticket.field_errors.description")
    assert localized["fields"][2]["message"] == lookup("th", "api.invalid_field")


def test_the_same_code_is_worded_for_its_route():
    no_match = {"error": "no_match", "message": "x"}
    assert localize(no_match, "it", "/accounts/status")[0]["message"] == lookup("it", "forms.account_status.errors.no_match")
    assert localize(no_match, "it", "/invoices/pay")[0]["message"] == lookup("it", "forms.pay_invoice.errors.no_match")
    assert localize({"error": "malformed_json", "message": "x"}, "fr", None)[0]["message"] == lookup(
        "fr", "api.errors.malformed_json")


def test_the_default_language_keeps_the_specific_sentences_the_logic_raised():
    body = {"error": "free_mail_domain", "message": "gmail.com is a free e-mail service.",
            "fields": [{"field": "requester_email", "code": "free_mail_domain", "message": "gmail.com is …"}]}
    assert localize(body, "en", "/tickets") == (body, True)


def test_an_unknown_code_keeps_its_message_and_says_so():
    assert localize({"error": "brand_new", "message": "As raised."}, "vi", "/tickets") == (
        {"error": "brand_new", "message": "As raised."}, False)


RAISED = re.compile(r'(?:InvalidRequest|NotFound|Conflict|TooManyRequests|Unavailable|PaymentRefused)\("(\w+)"'
                    r'|ApiError\(\d+, "(\w+)"|error_response\(\d+, "(\w+)"|^    code = "(\w+)"', re.M)


def raised_codes() -> set[str]:
    sources = [*FUNCTIONS.rglob("*.py"), ROOT / "devstack" / "gateway.py"]
    return {next(filter(None, match)) for path in sources for match in RAISED.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_error_code_the_api_raises_has_a_sentence_in_every_language(lang):
    codes = raised_codes() | {"malformed_json", "invalid_body", "request_error", "method_not_allowed"}
    assert {"no_match", "key_reused", "free_mail_domain", "body_too_deep"} <= codes
    missing = {code for code in codes if all(error_message(lang, route, code) is None for route in (None, *ROUTE_FORMS))}
    assert not missing
