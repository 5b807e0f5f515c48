"""Card payment on the pay page in Chromium, from `make serve PAYMENT_PROVIDER=stripe`: the Payment
Element, a 3-D Secure check completed in the page, Stripe's webhook, the status page.

Stripe cannot be reached here: the page loads the local stand-in Stripe.js (``devstack/stripe_standin.js``,
not Stripe's script) from the local stack, which turns the card into a PaymentMethod at the local
stand-in for Stripe's API (``devstack/stripe_standin.py``, not Stripe) and shows its test bank's
challenge. The pay function's Stripe SDK talks to that stand-in, which sends signed webhooks back.
"""

from __future__ import annotations

import time

import requests

from helpcenter.i18n.catalog import text
from tests.e2e.pay_steps import status_after_receipt

THREE_D_SECURE_CARD = "4000 0027 6000 3184"  # Stripe's test card that always asks for the bank's check


def stand_in_state(url: str) -> dict:
    return requests.get(f"{url}/_local/stripe", timeout=10).json()


def enter_card(page, url: str, lang_prefix: str, invoice_number: str, account_number: str) -> None:
    """Look the invoice up and type the test card into the Payment Element."""
    page.goto(f"{url}{lang_prefix}/forms/pay-invoice/")
    page.fill("#invoice_number", invoice_number)
    page.fill("#account_number", account_number)
    page.click("form[data-hc-form] button[type=submit]")
    element = page.locator("[data-standin=payment-element]")
    element.wait_for()
    assert page.locator("#payment_token").count() == 0  # no sandbox test cards on a production build
    element.locator("input[autocomplete=cc-number]").fill(THREE_D_SECURE_CARD)
    element.locator("input[autocomplete=cc-exp]").fill("12 / 34")
    element.locator("input[autocomplete=cc-csc]").fill("123")
    page.wait_for_function("!document.querySelector('#hc-pay-form button[type=submit]').disabled")
    page.click("#hc-pay-form button[type=submit]")


def answer_challenge(page, outcome: str) -> None:
    """The test bank's 3-D Secure page, opened by Stripe.js in the page: pass or fail it."""
    page.locator("[data-standin=challenge] iframe").wait_for()
    page.frame_locator("[data-standin=challenge] iframe").locator(f"button[value={outcome}]").click()


def wait_for_deliveries(url: str, count: int) -> dict:
    """The stand-in's state once it delivered at least ``count`` webhook events."""
    for _ in range(100):
        state = stand_in_state(url)
        if state["deliveries"] >= count and not state["held"]:
            return state
        time.sleep(0.1)
    return state


def mails_naming(url: str, reference: str, seconds: float = 30) -> list[str]:
    """The e-mails of the local outbox that name ``reference``, once there is one: the outbox's
    deliverer sends them after the payment is recorded, not during the request."""
    deadline = time.monotonic() + seconds
    while True:
        mails = requests.get(f"{url}/_local/outbox", timeout=10).text.split("<article")[1:]
        naming = [mail for mail in mails if reference in mail]
        if naming or time.monotonic() > deadline:
            return naming
        time.sleep(0.2)


def test_a_card_with_3d_secure_pays_the_overdue_invoice_and_the_account_is_active(page, stripe_stack_url):
    url = stripe_stack_url
    charges_before = stand_in_state(url)["charges"]
    enter_card(page, url, "", "inv-4001", "100 200 303")  # lower case and spaces, as people type them
    answer_challenge(page, "pass")
    receipt = page.locator("#hc-pay-receipt .hc-result")
    receipt.wait_for()
    shown = receipt.inner_text()
    assert "Payment received" in shown and "€59.00" in shown and "Active" in shown
    reference = page.inner_text("#hc-pay-receipt .hc-reference")
    assert reference.startswith("pi_")
    state = wait_for_deliveries(url, 1)
    assert state["charges"] == charges_before + 1  # one charge, however many events told of it

    heading, shown = status_after_receipt(page, "100200303", "20121")
    assert heading == "Account status: Active" and "INV-4001" not in shown
    assert len(mails_naming(url, reference)) == 1  # one confirmation, naming the payment


def test_failing_the_bank_check_charges_nothing_and_says_so_in_the_readers_language(page, stripe_stack_url):
    url = stripe_stack_url
    charges_before = stand_in_state(url)["charges"]
    enter_card(page, url, "/fr", "INV-3001", "100-200-302")
    answer_challenge(page, "fail")
    expected = text("fr", "forms.pay_invoice.declined.authentication_failed")
    page.wait_for_function("(t) => document.querySelector('#hc-pay-form .hc-message').textContent.includes(t)",
                           arg=expected)
    assert page.get_attribute("#hc-pay-form .hc-message", "class").endswith("--error")
    assert page.is_hidden("#hc-pay-receipt")
    assert stand_in_state(url)["charges"] == charges_before
    # the invoice is still open and can be paid
    found = requests.post(f"{url}/api/invoices/lookup", json={"account_number": "100200302", "invoice_number": "INV-3001"},
                          timeout=10)
    assert found.status_code == 200 and found.json()["payment_provider"] == "stripe"
