"""Usable without a mouse or eyes, measured with axe-core in Chromium (tests/e2e/axe.py).

* Every built page of every language: zero axe violations (WCAG 2.1 A/AA and axe's best practices).
* Each form, in each language, in each state a reader meets (empty, field errors, refusal, result),
  against the local stack, on a 320 px wide phone: zero axe violations; after a result or an error
  the focus is on it (the result's heading, the first invalid field, or the message), so a screen
  reader reads it and the page scrolls to it; a field in error stays described by its help text as
  well as by its error; and the page is still no wider than the screen (receipts and results fit).
"""

from __future__ import annotations

import pytest

from benchmarks import lighthouse as lh
from tests.e2e.axe import violations
from tests.e2e.test_layout import overflow_problems

LANGUAGES = ("en", "vi", "it", "fr", "th")
TICKET_DESCRIPTION = (
    "Since this morning the sales team of our customer cannot open any deal record in the product. Every "
    "attempt ends on an error page after a long wait, for every user and in every browser we tried."
)

FOCUSED = """() => {
  const node = document.activeElement;
  return {tag: node.tagName.toLowerCase(), id: node.id, cls: node.className, text: (node.textContent || "").trim().slice(0, 80),
          describedby: node.getAttribute("aria-describedby") || "", invalid: node.getAttribute("aria-invalid")};
}"""


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"/{lang}"


@pytest.fixture
def phone(page):
    """The conftest page, as narrow as the smallest phone we support."""
    page.set_viewport_size({"width": 320, "height": 700})
    return page


def check_state(page, label: str) -> list[str]:
    """axe violations and sideways overflow of the page as it is now."""
    return [f"{label}: {problem}" for problem in violations(page) + overflow_problems(page, page.url)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_no_axe_violations(browser, site_url, built_site, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    for path in [p for p in lh.discover_pages(built_site) if lh.page_language(p) == lang]:
        page.goto(site_url + path, wait_until="load")
        problems += [f"{path}: {v}" for v in violations(page)]
    page.goto(f"{site_url}{prefix(lang)}/404.html")
    problems += [f"404: {v}" for v in violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


def submit(page, form="form[data-hc-form]"):
    page.click(f"{form} button[type=submit]")


def empty_then_errors(page, url: str, invalid: str) -> tuple[list[str], dict]:
    """The form as it opens, then sent empty: the problems of both states and what has the focus."""
    page.goto(url)
    problems = check_state(page, "empty")
    submit(page)
    page.wait_for_selector(invalid)
    focused = page.evaluate(FOCUSED)
    return problems + check_state(page, "errors"), focused


@pytest.mark.parametrize("lang", LANGUAGES)
def test_account_status_form_states(phone, stack, lang):
    page = phone
    problems, focused = empty_then_errors(page, f"{stack.url}{prefix(lang)}/forms/account-status/",
                                          "#account_number[aria-invalid=true]")
    assert focused["id"] == "account_number", focused
    assert focused["describedby"].split() == ["account_number-help", "account_number-error"], focused
    page.fill("#account_number", "100200399")
    page.fill("#postal_code", "00000")
    submit(page)
    page.wait_for_selector("form[data-hc-form] .hc-message--error")
    assert page.evaluate(FOCUSED)["cls"].startswith("hc-message"), "a refusal takes the focus"
    assert page.get_attribute("#account_number", "aria-describedby") == "account_number-help"
    problems += check_state(page, "no match")
    page.fill("#account_number", "100200303")
    page.fill("#postal_code", "20121")
    submit(page)
    page.wait_for_selector("#hc-status-output h2")
    focused = page.evaluate(FOCUSED)
    assert focused["id"] == "hc-result-title", focused
    problems += check_state(page, "result")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pay_invoice_form_states(phone, fresh_stack, lang):
    page, stack = phone, fresh_stack
    problems, focused = empty_then_errors(page, f"{stack.url}{prefix(lang)}/forms/pay-invoice/",
                                          "#invoice_number[aria-invalid=true]")
    assert focused["id"] == "invoice_number", focused
    page.fill("#invoice_number", "INV-4001")
    page.fill("#account_number", "100200303")
    submit(page)
    page.locator("#hc-pay-form").wait_for(state="visible")
    assert page.evaluate(FOCUSED)["id"] == "hc-pay-title"
    problems += check_state(page, "pay step")
    page.select_option("#payment_token", "tok_declined")
    submit(page, "#hc-pay-form")
    page.wait_for_selector("#hc-pay-form .hc-message--error")
    assert page.evaluate(FOCUSED)["cls"].startswith("hc-message"), "a declined card takes the focus, not <body>"
    problems += check_state(page, "declined")
    page.select_option("#payment_token", "tok_success")
    submit(page, "#hc-pay-form")
    page.wait_for_selector("#hc-pay-receipt h2")
    assert page.evaluate(FOCUSED)["id"] == "hc-receipt-title"
    problems += check_state(page, "receipt")
    stack.reset()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_submit_ticket_form_states(phone, stack, lang):
    page = phone
    problems, focused = empty_then_errors(page, f"{stack.url}{prefix(lang)}/forms/submit-ticket/",
                                          "form[data-hc-form] [aria-invalid=true]")
    assert focused["invalid"] == "true", focused
    page.fill("#requester_email", "ana@bluepeak-solutions.example")
    page.fill("#customer_account", "100200300")
    page.select_option("#request_type", "technical_support")
    page.select_option("#product", "crm")
    page.select_option("#impact", "how_to")
    page.fill("#description", TICKET_DESCRIPTION)
    submit(page)
    page.wait_for_selector("#hc-ticket-output h2")
    assert page.evaluate(FOCUSED)["id"] == "hc-ticket-title"
    problems += check_state(page, "result")
    assert not problems, "\n".join(problems)
