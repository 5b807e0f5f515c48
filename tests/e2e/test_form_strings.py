"""A form whose strings cannot be read stays switched off, says so in the page language, and never
falls back to a native submission (a GET would put the account number in the URL)."""

from __future__ import annotations

import re

import pytest

from helpcenter.i18n.catalog import text

FORMS = ["forms/account-status/", "forms/pay-invoice/", "forms/submit-ticket/", "forms/ticket-status/"]
STRINGS = re.compile(r'(<script type="application/json" class="hc-strings"[^>]*>\{)')


def break_strings(route):
    """The page as served, with one comma dropped from its strings (the JSON no longer parses)."""
    response = route.fetch()
    body = response.text()
    strings = STRINGS.search(body)
    assert strings, "the page has its strings"
    start = strings.end()
    comma = body.index(",", start)
    route.fulfill(response=response, body=body[:comma] + body[comma + 1:])


@pytest.mark.parametrize("form", FORMS)
def test_a_form_is_ready_once_its_strings_are_read(page, site_url, form):
    page.goto(f"{site_url}/th/{form}")
    button = page.locator("form[data-hc-form] button[type=submit]")
    page.wait_for_function("!document.querySelector('form[data-hc-form] button[type=submit]').disabled")
    assert button.is_enabled()
    assert page.locator("form[data-hc-form]").get_attribute("method") == "post"


@pytest.mark.parametrize("lang, form", [("th", "forms/account-status/"), ("fr", "forms/submit-ticket/"),
                                        ("en", "forms/pay-invoice/")])
def test_broken_strings_show_an_error_and_never_submit_by_get(page, site_url, lang, form):
    prefix = "" if lang == "en" else f"/{lang}"
    url = f"{site_url}{prefix}/{form}"
    page.route(url, break_strings)
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(url)
    alert = page.locator("form[data-hc-form] .hc-message[role=alert]")
    alert.wait_for()
    assert alert.inner_text() == text(lang, "forms.unavailable")
    assert page.locator("form[data-hc-form] button[type=submit]").is_disabled()

    first_field = page.locator("form[data-hc-form] input:not([type=hidden])").first
    assert first_field.is_disabled()
    page.evaluate("""() => {
      const form = document.querySelector('form[data-hc-form]');
      form.querySelectorAll('input, button').forEach((node) => { node.disabled = false; });
      const field = form.querySelector('input[name=account_number], input[name=requester_email]');
      field.value = '100200303';
      form.requestSubmit();
    }""")
    page.wait_for_timeout(300)
    assert page.url == url
    assert not any("100200303" in request.url for request in requests)
    assert [request.url for request in requests if request.is_navigation_request()] == [url]
