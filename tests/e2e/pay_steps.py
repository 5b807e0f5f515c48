"""Steps the pay-page tests share."""

from __future__ import annotations


def status_after_receipt(page, account_number: str, postal_code: str) -> tuple[str, str]:
    """From the receipt's "Check account status" link, the account's status page: its heading and text."""
    page.click("#hc-pay-receipt a[href='../account-status/']")
    page.wait_for_url("**/forms/account-status/")
    page.fill("#account_number", account_number)
    page.fill("#postal_code", postal_code)
    page.click("form[data-hc-form] button[type=submit]")
    heading = page.locator("#hc-status-output .hc-result h2")
    heading.wait_for()
    return heading.inner_text(), page.inner_text("#hc-status-output")
