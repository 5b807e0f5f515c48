"""Every e-mail in every language: one renderer, absolute links, figures derived from the rules."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import date, timedelta

import pytest

from helpcenter import i18n, mail
from helpcenter.domain import Account, Invoice, Plan, Region
from helpcenter.i18n import catalog, emails
from helpcenter.money import Money

BASE = "https://help.example.com/"
TODAY = date(2026, 12, 1)
TICKET = {
    "ticket_id": "T-ABCDEFGHIJ", "kind": "partner", "severity": "S1", "commitment": True, "multi_user": True,
    "reasons": [{"code": "multi_user_account", "params": {"licenses": 120, "region": "india", "threshold": 100}},
                {"code": "weekends_count", "params": {}}],
    "accepted_at": "2026-12-01T08:00:17+05:30",
    "targets": {"acknowledgement": {"earliest": "2026-12-01T09:00:17+05:30", "latest": "2026-12-01T11:00:17+05:30"},
                "diagnosis": {"earliest": "2026-12-01T10:00:17+05:30", "latest": "2026-12-01T16:00:17+05:30"},
                "resolution": {"earliest": "2026-12-02T08:00:17+05:30", "latest": "2026-12-03T08:00:17+05:30"}},
    "time_zone": "Asia/Kolkata", "weekends_count": True, "queue": "main", "channels": ["ticket", "chat"],
    "escalation": [{"level": 1, "role": "desk", "contacts": [{"name": "Escalation desk", "email": "esc@x.example"}]}],
    "request_type": "technical_support", "product": "crm", "impact": "outage",
    "requester_email": "ana@bluepeak.example", "customer_account": "100200300", "reproducible": False,
    "reproduction_details": None, "description": "Nothing loads <script>alert(1)</script>", "troubleshooting": None,
    "attachments": [], "partner_name": "Bluepeak", "partner_domain": "bluepeak.example", "partner_tier": "advanced",
    "data_center": "in", "region": "india", "requester_language": "th", "reader_time_zone": None,
}


def account(days_in_dunning: int, language: str = "vi") -> tuple[Account, list[Invoice]]:
    since = TODAY - timedelta(days=days_in_dunning)
    holder = Account("100200304", "Saigon Green Logistics", Plan.ENTERPRISE, Region.ASIA_PACIFIC_JAPAN, "digest",
                     dunning_since=since, language=language)
    invoices = [Invoice("INV-5001", holder.number, Money.parse("2500000", "VND"), since, credit=Money.parse("400000", "VND")),
                Invoice("INV-5002", holder.number, Money.parse("100000", "VND"), TODAY + timedelta(days=3))]
    return holder, invoices


def dunning(notice: str, days: int, language: str = "vi") -> emails.Email:
    holder, invoices = account(days, language)
    return emails.render("dunning_notice", language, emails.dunning_context(holder, invoices, notice, TODAY),
                         base_url=BASE)


def every_email(lang: str) -> list[emails.Email]:
    notices = [dunning(notice, days, lang) for notice, days in (("first_notice", 0), ("second_notice", 2),
               ("third_notice", 4), ("suspension_warning", 21), ("cancellation", 29), ("deletion", 119))]
    payment = emails.render("payment_confirmation", lang, {
        "account_number": "100200304", "account_name": "Saigon Green", "invoice_number": "INV-5001",
        "amount": "2100000", "currency": "VND", "payment_id": "pay_123", "reactivated": True}, base_url=BASE)
    billing = {**TICKET, "kind": "billing", "account_number": "100200303", "plan": "pro", "region": "europe_uk",
               "escalation": [], "channels": ["knowledge_base", "billing_case"]}
    return [*notices, payment,
            emails.render("ticket_confirmation", lang, TICKET, base_url=BASE),
            emails.render("ticket_confirmation", lang, billing, base_url=BASE),
            emails.render("ticket_queue", lang, TICKET, base_url=BASE),
            emails.render("ticket_queue", lang, billing, base_url=BASE),
            emails.render("how_to_flood", lang, {"partner_name": "Bluepeak", "domain": "bluepeak.example", "count": 5,
                                                 "hours": 24}, base_url=BASE),
            emails.render("ticket_escalation", lang, escalation_notice(lang), base_url=BASE)]


def escalation_notice(lang: str) -> dict:
    """The escalation job's context: the ticket, the level it reached and its acknowledge link."""
    prefix = "" if lang == i18n.DEFAULT else f"{lang}/"
    return {**TICKET, "escalated_to": 2, "escalation_role": "regional_lead", "missed_target": "acknowledgement",
            "acknowledge_url": f"{BASE}{prefix}forms/ticket-status/#ticket=T-ABCDEFGHIJ&acknowledge=1.x"}


def test_the_escalation_notice_names_the_level_the_missed_target_and_the_acknowledge_link():
    message = emails.render("ticket_escalation", "en", escalation_notice("en"), base_url=BASE)
    assert message.subject == "[S1] Escalated to level 2: T-ABCDEFGHIJ"
    assert "Escalation level 2: Regional partner support lead" in message.text
    assert "its Acknowledgement (first reply) target passed at" in message.text
    assert f'href="{BASE}forms/ticket-status/#ticket=T-ABCDEFGHIJ&amp;acknowledge=1.x"' in message.html
    assert "Nothing loads" in message.text  # the ticket itself follows


def test_the_confirmation_links_to_the_ticket_status_page_in_the_readers_language():
    message = emails.render("ticket_confirmation", "fr", TICKET, base_url=BASE)
    assert f"{BASE}fr/forms/ticket-status/#ticket=T-ABCDEFGHIJ" in message.text


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_email_renders_in_every_language_with_absolute_links(lang):
    prefix = "" if lang == i18n.DEFAULT else f"{lang}/"
    for message in every_email(lang):
        assert message.language == lang and message.subject and "\n" not in message.subject
        assert f'<html lang="{lang}">' in message.html
        for part in (message.subject, message.text, message.html):
            assert not re.search(r"\{\w+\}|\{\{|\}\}", part), (message.kind, part)
        links = re.findall(r'href="([^"]+)"', message.html)
        assert links or message.kind in ("ticket_queue", "how_to_flood")  # to agents and managers
        assert all(link.startswith((f"{BASE}{prefix}", "mailto:")) for link in links), links
        assert "/forms/" not in message.text.replace(f"{BASE}{prefix}forms/", "")


def test_vietnamese_dunning_names_the_invoice_the_amount_and_the_page():
    message = dunning("first_notice", 0)
    assert "INV-5001" in message.text and "100200304" in message.subject
    assert "2.100.000\u00a0₫" in message.text  # the amount due after the credit, in Vietnamese notation
    assert f"{BASE}vi/forms/account-status/" in message.text and f"{BASE}vi/forms/pay-invoice/" in message.html
    assert message.text.startswith("Xin chào Saigon Green Logistics,")


@pytest.mark.parametrize("days, left", [(21, 8), (23, 6), (28, 1)])
def test_the_cancellation_warning_counts_the_days_left_from_the_rules(days, left):
    english = dunning("suspension_warning", days, "en")
    assert (f"in {left} days" if left > 1 else "in 1 day") in english.text
    assert f"sau {left} ngày nữa" in dunning("suspension_warning", days).text


def test_the_cancellation_notice_gives_the_deletion_date_and_days_left():
    message = dunning("cancellation", 29, "en")
    assert "March 1, 2027" in message.text and "in 90 days" in message.text  # D+119


def test_the_deletion_notice_offers_what_is_still_possible_not_payment():
    for lang in i18n.LANGUAGES:
        message = dunning("deletion", 119, lang)
        assert "pay-invoice" not in message.html and "pay-invoice" not in message.text
        for option in catalog.lookup(lang, "emails.dunning.deletion.options"):
            assert option in message.text


def test_thai_ticket_confirmation_writes_deadlines_in_the_buddhist_era():
    message = emails.render("ticket_confirmation", "th", TICKET, base_url=BASE)
    assert "พ.ศ. 2569" in message.text and "2026" not in message.text
    assert "เวลาอินเดีย" in message.text and "Asia/Kolkata" not in message.text


def test_deadlines_follow_the_readers_time_zone():
    message = emails.render("ticket_confirmation", "fr", {**TICKET, "reader_time_zone": "Europe/Paris"}, base_url=BASE)
    assert "04:30" in message.text and "heure normale d’Europe centrale" in message.text


def test_french_labels_take_a_no_break_space_before_the_colon():
    message = emails.render("payment_confirmation", "fr", {
        "account_number": "100200302", "account_name": "Rive Gauche", "invoice_number": "INV-3001",
        "amount": "199.90", "currency": "EUR", "payment_id": "pay_1", "reactivated": False}, base_url=BASE)
    assert "Montant payé\u00a0: 199,90\u00a0€" in message.text
    assert not re.search(r"\S:", message.text.replace("https:", "").replace("mailto:", ""))


def test_html_parts_escape_what_people_typed():
    message = emails.render("ticket_queue", "en", TICKET, base_url=BASE)
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "<script>alert(1)</script>" in message.text


def test_links_need_the_sites_absolute_address(monkeypatch):
    monkeypatch.setenv("SITE_URL", "/")
    with pytest.raises(ValueError, match="absolute"):
        dunning_without_base = emails.dunning_context(*account(0), "first_notice", TODAY)
        emails.render("dunning_notice", "vi", dunning_without_base)
    monkeypatch.setenv("SITE_URL", "https://support.example.org")
    assert "https://support.example.org/vi/forms/" in emails.render(
        "dunning_notice", "vi", emails.dunning_context(*account(0), "first_notice", TODAY)).text


def test_an_unknown_language_or_kind_is_refused():
    with pytest.raises(ValueError):
        emails.render("how_to_flood", "es", {})
    with pytest.raises(KeyError):
        emails.render("newsletter", "en", {})


def test_the_mime_message_is_multipart_with_the_recipients_language():
    message = dunning("first_notice", 0)
    parsed = email.message_from_bytes(mail.mime(["ketoan@saigon-green.example"], message), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Content-Language"] == "vi" and parsed["Subject"] == message.subject
    plain, rich = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None and rich is not None
    assert plain.get_content().replace("\r\n", "\n").strip() == message.text.strip()
    assert rich.get_content().replace("\r\n", "\n").strip() == message.html.strip()
