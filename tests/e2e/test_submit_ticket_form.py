"""The submit-ticket form in Chromium, against the local stack: severity, reasons and deadlines in the
page's language and the reader's time zone; errors next to the fields."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

DESCRIPTION = (
    "Since this morning the sales team of our customer cannot open any deal record in the product. Every "
    "attempt ends on an error page after a long wait, for every user and in every browser we tried. The "
    "problem started after the nightly import and blocks their quarter-end work."
)
READER_ZONE = "America/Los_Angeles"


@pytest.fixture
def reader(browser):
    """A page whose browser lives in a time zone far from every support region."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, timezone_id=READER_ZONE)
    page = context.new_page()
    yield page
    context.close()


def fill(page, stack, lang="", email="ana@bluepeak-solutions.example", account="100200300", impact="how_to",
         request_type="technical_support", product="crm", description=DESCRIPTION):
    page.goto(f"{stack.url}{lang}/forms/submit-ticket/")
    page.fill("#requester_email", email)
    page.fill("#customer_account", account)
    page.select_option("#request_type", request_type)
    page.select_option("#product", product)
    if impact:
        page.select_option("#impact", impact)
    page.fill("#description", description)


def send(page):
    with page.expect_response(lambda r: r.url.endswith("/api/tickets") and r.request.method == "POST") as info:
        page.click("form[data-hc-form] button[type=submit]")
    return info.value


def shown(iso: str, lang: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(READER_ZONE))


def test_multi_user_ticket_shows_s1_reasons_and_deadlines_in_the_readers_zone(reader, stack):
    fill(reader, stack)
    assert "words" in reader.inner_text("#description-count")
    response = send(reader)
    assert response.status == 201
    data = response.json()
    result = reader.locator("#hc-ticket-output .hc-ticket")
    result.wait_for()
    assert data["ticket_id"] in result.locator("h2").inner_text()
    assert "S1 – critical business impact" in result.inner_text()
    assert "Multi-user account" in result.inner_text()
    assert "120 user licences" in result.inner_text() and "India threshold of 100" in result.inner_text()
    rows = result.locator("table.hc-deadlines tbody tr")
    assert rows.count() == 3  # acknowledgement, diagnosis, resolution aim
    latest = rows.nth(0).locator("time").nth(1)
    assert latest.get_attribute("datetime") == data["acknowledge_by"]
    local = shown(data["acknowledge_by"], "en")
    text = latest.inner_text()
    assert local.strftime("%B") in text and str(local.day) in text and f"{local.hour % 12 or 12:02d}:{local.minute:02d}" in text
    assert "PST" in text or "PDT" in text
    assert READER_ZONE in result.locator(".hc-ticket__zone").inner_text()
    assert "Toll-free phone support" in result.locator(".hc-channels").inner_text()
    assert reader.locator("#requester_email").input_value() == ""  # form reset for the next ticket


def test_how_to_from_a_small_account_shows_s3(reader, stack):
    fill(reader, stack, email="li@summit-resellers.example", account="100200307")
    send(reader)
    result = reader.locator("#hc-ticket-output .hc-ticket")
    result.wait_for()
    assert "S3 – low business impact" in result.inner_text()
    assert "below the Canada & Brazil threshold of 50" in result.inner_text()
    assert result.locator("table.hc-deadlines tbody tr").count() == 2


def test_gmail_address_shows_the_reason_next_to_the_field(page, stack):
    fill(page, stack, email="partner.support@gmail.com")
    response = send(page)
    assert response.status == 400
    error = page.locator("#requester_email-error")
    error.wait_for()
    assert "Free-mail addresses such as gmail or yahoo are refused" in error.inner_text()
    assert page.get_attribute("#requester_email", "aria-invalid") == "true"
    assert page.locator("#hc-ticket-output .hc-ticket").count() == 0


def test_missing_impact_and_customer_are_marked(page, stack):
    page.goto(f"{stack.url}/forms/submit-ticket/")
    page.fill("#requester_email", "ana@bluepeak-solutions.example")
    page.select_option("#request_type", "technical_support")
    page.select_option("#product", "crm")
    page.fill("#description", "Broken.")
    send(page)
    page.locator("#customer_account-error").wait_for()
    assert page.get_attribute("#impact", "aria-invalid") == "true"
    assert page.get_attribute("#description", "aria-invalid") == "true"
    assert "at least 20 words" in page.inner_text("#description-error")


def test_french_page_speaks_french_and_uses_the_24_hour_clock(reader, stack):
    fill(reader, stack, lang="/fr")
    data = send(reader).json()
    result = reader.locator("#hc-ticket-output .hc-ticket")
    result.wait_for()
    assert reader.evaluate("document.documentElement.lang") == "fr"
    text = result.inner_text()
    assert "S1" in text and "licences utilisateur" in text and "Inde" in text
    local = shown(data["acknowledge_by"], "fr")
    assert f"{local.hour:02d}:{local.minute:02d}" in result.locator("table.hc-deadlines tbody tr").nth(0).inner_text()


def test_thai_page_shows_buddhist_era_years(reader, stack):
    fill(reader, stack, lang="/th")
    data = send(reader).json()
    result = reader.locator("#hc-ticket-output .hc-ticket")
    result.wait_for()
    year = shown(data["acknowledge_by"], "th").year + 543
    assert str(year) in result.locator("table.hc-deadlines").inner_text()
    assert "อินเดีย" in result.inner_text()


def test_screenshot_is_uploaded_to_storage_before_the_ticket(reader, stack, tmp_path):
    screenshot = tmp_path / "error.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    fill(reader, stack)
    reader.set_input_files("#attachments", str(screenshot))
    response = send(reader)
    assert response.status == 201
    assert response.request.post_data_json["attachments"][0].endswith("/error.png")


BILLING_DESCRIPTION = (
    "Our last invoice still shows the old company address and VAT number. We changed both in the account "
    "settings last month; please issue a corrected invoice for our accountant before the end of the month."
)


def fill_billing_case(page, stack, lang="", email="amministrazione@bellavista.example", account="100200303"):
    fill(page, stack, lang, email, account, impact=None, request_type="invoice_change", product="general",
         description=BILLING_DESCRIPTION)


def test_billing_contact_sees_a_billing_case_with_the_plans_channels(reader, stack):
    fill_billing_case(reader, stack)
    response = send(reader)
    assert response.status == 201
    data = response.json()
    result = reader.locator("#hc-ticket-output .hc-ticket")
    result.wait_for()
    assert result.locator("h2").inner_text() == f"Billing case {data['ticket_id']} accepted"
    text = result.inner_text()
    assert "This is a billing case" in text and "S3 – low business impact" in text and "Billing team" in text
    assert "Support channels of your plan" in text
    channels = result.locator(".hc-channels").inner_text()
    assert "Online billing case (owners, admins and billing users)" in channels and "Live chat" not in channels
    assert result.locator(".hc-ticket__escalation").count() == 0
    assert result.locator("table.hc-deadlines tbody tr").count() == 2


def test_billing_case_in_italian(reader, stack):
    fill_billing_case(reader, stack, lang="/it")
    send(reader)
    result = reader.locator("#hc-ticket-output .hc-ticket")
    result.wait_for()
    assert result.locator("h2").inner_text().startswith("Richiesta sulla fatturazione")
    assert "Canali di assistenza del tuo piano" in result.inner_text()


def test_free_plan_shows_the_reason_next_to_the_account(page, stack):
    fill_billing_case(page, stack, email="owner@chaophraya-crafts.example", account="100200306")
    response = send(page)
    assert response.status == 400
    error = page.locator("#customer_account-error")
    error.wait_for()
    assert "Billing cases come with paid plans" in error.inner_text()
    assert "paid plans" in page.inner_text(".hc-message")
