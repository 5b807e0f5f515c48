"""The pay-an-invoice form in Chromium, against the local stack (site + API + moto + sandbox provider)."""

from __future__ import annotations

import pytest

from tests.e2e.pay_steps import status_after_receipt
from tests.support.sandbox_charges import sandbox_charges


@pytest.fixture
def demo_stack(stack):
    """The demo data as loaded, before and after a test that pays a demo invoice."""
    stack.reset()
    yield stack
    stack.reset()


def charges(invoice_number: str, status: str = "succeeded") -> list[dict]:
    return [c for c in sandbox_charges()
            if c["metadata"]["invoice_number"] == invoice_number and c["status"] == status]


def look_up(page, stack, invoice_number="INV-4001", account_number="100200303", lang_prefix=""):
    page.goto(f"{stack.url}{lang_prefix}/forms/pay-invoice/")
    page.fill("#invoice_number", invoice_number)
    page.fill("#account_number", account_number)
    page.click("form[data-hc-form] button[type=submit]")


def pay_requests(page) -> list:
    sent = []
    page.on("request", lambda request: sent.append(request) if request.url.endswith("/api/invoices/pay") else None)
    return sent


def test_a_warned_account_pays_its_overdue_invoice_and_is_active_again(page, demo_stack):
    stack = demo_stack
    look_up(page, stack)
    summary = page.locator("#hc-pay-form")
    summary.wait_for(state="visible")
    assert page.inner_text("[data-field=amount_due]") == "€59.00"
    assert page.inner_text("[data-field=invoice_number]") == "INV-4001"
    assert page.inner_text("[data-field=account_name]") == "Tr******* Be********"
    assert page.inner_text("[data-field=due_date]")  # a long date in the page's language
    assert page.is_hidden("form[data-hc-form]")
    assert page.inner_text("#hc-pay-form button[type=submit]") == "Pay €59.00"

    page.select_option("#payment_token", "tok_success")
    page.click("#hc-pay-form button[type=submit]")
    receipt = page.locator("#hc-pay-receipt .hc-result")
    receipt.wait_for()
    text = receipt.inner_text()
    assert "Payment received" in text and "€59.00" in text and "Active" in text
    assert "your account is active again" in text
    (charge,) = charges("INV-4001")
    assert charge["charge_id"] in text

    heading, shown = status_after_receipt(page, "100200303", "20121")
    assert heading == "Account status: Active" and "INV-4001" not in shown


def test_a_declined_card_says_so_and_charges_nothing(page, demo_stack):
    look_up(page, demo_stack)
    page.locator("#hc-pay-form").wait_for(state="visible")
    page.select_option("#payment_token", "tok_declined")
    page.click("#hc-pay-form button[type=submit]")
    page.wait_for_function("document.querySelector('#hc-pay-form .hc-message').textContent.includes('declined')")
    message = page.inner_text("#hc-pay-form .hc-message")
    assert "Your card was declined. You were not charged." in message
    assert page.get_attribute("#hc-pay-form .hc-message", "class").endswith("--error")
    assert charges("INV-4001") == []
    # another card, a new attempt: it goes through
    page.select_option("#payment_token", "tok_success")
    page.click("#hc-pay-form button[type=submit]")
    page.locator("#hc-pay-receipt .hc-result").wait_for()
    assert len(charges("INV-4001")) == 1


def test_a_double_click_sends_one_payment(page, demo_stack):
    sent = pay_requests(page)
    look_up(page, demo_stack)
    page.locator("#hc-pay-form").wait_for(state="visible")
    page.dblclick("#hc-pay-form button[type=submit]")
    page.locator("#hc-pay-receipt .hc-result").wait_for()
    page.wait_for_timeout(300)
    assert len(sent) == 1
    assert len(charges("INV-4001")) == 1


def test_a_lost_answer_is_retried_with_the_same_key_and_charged_once(page, demo_stack):
    sent = pay_requests(page)
    look_up(page, demo_stack)
    page.locator("#hc-pay-form").wait_for(state="visible")
    page.select_option("#payment_token", "tok_timeout")
    page.click("#hc-pay-form button[type=submit]")
    page.locator("#hc-pay-receipt .hc-result").wait_for(timeout=15_000)
    keys = [request.headers["idempotency-key"] for request in sent]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(charges("INV-4001")) == 1


def test_wrong_numbers_get_the_no_match_message(page, stack):
    look_up(page, stack, account_number="100200304")  # a real invoice of another account
    page.wait_for_function("document.querySelector('form[data-hc-form] .hc-message').textContent.includes('No unpaid')")
    assert "No unpaid invoice matches these numbers" in page.inner_text("form[data-hc-form] .hc-message")
    assert page.is_hidden("#hc-pay-form")
    look_up(page, stack, account_number="12ab")
    page.locator("#account_number-error").wait_for()
    assert page.get_attribute("#account_number", "aria-invalid") == "true"


@pytest.mark.parametrize("lang, pay_label", [("/fr", "Payer"), ("/it", "Paga"), ("/vi", "Thanh toán"),
                                             ("/th", "ชำระเงิน")])
def test_the_form_speaks_the_page_language(page, stack, lang, pay_label):
    look_up(page, stack, lang_prefix=lang)
    page.locator("#hc-pay-form").wait_for(state="visible")
    assert page.inner_text("#hc-pay-form button[type=submit]").startswith(pay_label)
    assert page.evaluate("document.documentElement.lang") == lang.strip("/")


def test_the_receipt_links_the_next_overdue_invoice_and_prints_alone(page, demo_stack):
    look_up(page, demo_stack, invoice_number="inv-8001", account_number="100-200-308")  # two overdue invoices
    page.locator("#hc-pay-form").wait_for(state="visible")
    page.select_option("#payment_token", "tok_success")
    page.click("#hc-pay-form button[type=submit]")
    page.locator("#hc-pay-receipt .hc-result").wait_for()
    next_invoice = page.locator("#hc-pay-receipt a.md-button--primary")
    assert "INV-8002" in next_invoice.inner_text()

    page.emulate_media(media="print")  # what the browser prints or saves as PDF
    assert page.locator("#hc-pay-receipt .hc-result").is_visible()
    assert "INV-8001" in page.inner_text("#hc-pay-receipt")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", "article > h1", "#how-it-works",
                   ".hc-receipt__actions", "#hc-pay-form"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")
    next_invoice.click()  # both numbers go with the link: the next invoice is looked up at once
    page.wait_for_function("document.querySelector('[data-field=invoice_number]').textContent === 'INV-8002'")
