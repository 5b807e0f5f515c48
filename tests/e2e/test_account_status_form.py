"""The account-status form in Chromium, against the local stack (site + API + moto)."""

import pytest

STATES = [
    ("100200301", "2000", "Payment overdue", "Retry, second e-mail"),
    ("100200303", "20121", "Cancellation warning", "Account cancelled"),
    ("100200304", "700000", "Cancelled", "Data deleted, no reactivation possible"),
    ("100200305", "94105", "Deleted", None),
    ("100200300", "560001", "Active", None),
]


def check(page, stack, number, postal_code, lang_prefix=""):
    page.goto(f"{stack.url}{lang_prefix}/forms/account-status/")
    page.fill("#account_number", number)
    page.fill("#postal_code", postal_code)
    page.click("form[data-hc-form] button[type=submit]")


@pytest.mark.parametrize("number, postal_code, status, next_event", STATES)
def test_status_of_each_dunning_state(page, stack, number, postal_code, status, next_event):
    check(page, stack, number, postal_code)
    result = page.locator("#hc-status-output .hc-result")
    result.wait_for()
    assert f"Account status: {status}" in result.locator("h2").inner_text()
    if next_event:
        assert next_event in result.locator(".hc-status__next").inner_text()
        assert result.locator(".hc-timeline__step").count() == 6
        assert result.locator(".hc-timeline__step--next").count() == 1
    else:
        assert result.locator(".hc-status__next").count() == 0


def test_outstanding_invoices_and_channels(page, stack):
    check(page, stack, "100200303", "20121")
    table = page.locator(".hc-invoices")
    table.wait_for()
    assert table.locator("tbody tr").count() == 2
    assert "€59.00" in table.inner_text() and "overdue" in table.inner_text()
    channels = page.locator(".hc-channels").inner_text()
    # a Pro plan: who may use each channel comes from the rule; live chat is not configured, so not offered
    assert "Online billing case (owners, admins and billing users)" in channels and "Live chat" not in channels
    assert page.locator(".hc-result a.md-button").get_attribute("href") == "../pay-invoice/"


def test_no_match_and_field_errors(page, stack):
    check(page, stack, "100200303", "99999")
    message = page.locator("form .hc-message")
    message.wait_for()
    page.wait_for_function("document.querySelector('form .hc-message').textContent.includes('No account')")
    assert "No account matches" in message.inner_text()
    check(page, stack, "12ab", "20121")
    page.locator("#account_number-error").wait_for()
    assert page.get_attribute("#account_number", "aria-invalid") == "true"
    assert "6 to 16 digits" in page.inner_text("#account_number-error")


def test_a_translated_form_speaks_its_language(page, stack):
    check(page, stack, "100200303", "20121", lang_prefix="/fr")
    title = page.locator("#hc-status-output h2")
    title.wait_for()
    assert "suspension_warning" not in title.inner_text()  # a translated label, not the code
    assert page.evaluate("document.documentElement.lang") == "fr"
