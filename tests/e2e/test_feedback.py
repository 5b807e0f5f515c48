"""Readers' feedback in Chromium against the local stack, read back with the writers' report
(``tools/feedback_report.py --local``, what ``make feedback`` runs).

* A Thai reader votes "No" on the refund article with a comment holding an e-mail address: the
  report shows the vote under billing/refunds / th and the comment without the address; focus and
  the thanks go to the status line; the article no longer asks (remembered); axe finds nothing in
  any of these states.
* A search that finds nothing is counted in the report once, a search that finds something is not.
* "Still need help?" on a billing article leads to the status form and the billing case.
"""

from __future__ import annotations

import subprocess
import sys

from tests.e2e.axe import violations
from tests.e2e.test_layout import ROOT


def writers_report(stack) -> str:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "feedback_report.py"), "--local", stack.url],
                          capture_output=True, text=True, check=True).stdout


def test_a_vote_on_a_thai_article_shows_in_the_writers_report(page, fresh_stack):
    stack = fresh_stack
    page.goto(f"{stack.url}/th/billing/refunds/")
    box = page.locator(".hc-feedback")
    assert box.locator("h2").inner_text() == "บทความนี้มีประโยชน์หรือไม่"
    assert not violations(page)
    box.locator("[data-helpful=false]").click()
    assert page.evaluate("document.activeElement.id") == "hc-feedback-comment"
    assert box.locator("[data-helpful=false]").get_attribute("aria-pressed") == "true"
    assert not violations(page)
    page.fill("#hc-feedback-comment", "ไม่ชัดเจน ติดต่อ somchai@example.co.th")
    with page.expect_response(lambda r: r.url.endswith("/api/feedback")) as sent:
        box.locator("button[type=submit]").click()
    assert sent.value.status == 200
    page.wait_for_function("document.activeElement.classList.contains('hc-feedback__status')")
    assert "ขอบคุณ" in box.locator(".hc-feedback__status").inner_text()
    assert not violations(page)
    report = writers_report(stack)
    assert "| billing/refunds | th | 0 | 1 | 0 % |" in report
    assert "ไม่ชัดเจน ติดต่อ […]" in report and "somchai" not in report
    page.reload()
    assert page.locator(".hc-feedback__vote").is_hidden()


def test_searches_that_find_nothing_are_counted(page, fresh_stack):
    stack = fresh_stack
    page.goto(f"{stack.url}/fr/billing/invoices/")
    page.locator(".md-search__input").focus()
    with page.expect_response(lambda r: r.url.endswith("/api/feedback"), timeout=10_000):
        page.fill(".md-search__input", "qqzzkk wwxxjj")
    page.fill(".md-search__input", "facture")
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_timeout(2000)
    report = writers_report(stack)
    assert "| fr | qqzzkk wwxxjj | 1 |" in report
    assert "| fr | facture |" not in report


def test_still_need_help_leads_to_the_forms_of_the_topic(page, stack):
    page.goto(f"{stack.url}/it/billing/card-payments/")
    links = page.locator(".hc-still-help a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["../../forms/account-status/", "../../forms/submit-ticket/#billing-cases", "../phone-lines/"]
    page.goto(f"{stack.url}/partners/support-guide/")
    assert page.locator(".hc-still-help a").first.get_attribute("href") == "../../forms/submit-ticket/"
