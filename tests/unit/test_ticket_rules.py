"""Intake rules besides severity: free-mail domains, identifiers, word counts, routing, escalation,
channels by tier, counter windows, who may open a billing case."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from helpcenter.domain import Account, AccountStatus, Partner, PartnerTier, Plan, Region, Role
from helpcenter.rules import tickets as rules
from helpcenter.rules.plans import MEMBER_BILLING_CASE_PLANS, support_channels
from helpcenter.support import CONFIG


@pytest.mark.parametrize("domain", ["gmail.com", "GoogleMail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr",
                                    "hotmail.fr", "outlook.com", "live.co.uk", "icloud.com", "gmx.de", "proton.me"])
def test_free_mail_domains(domain):
    assert rules.is_free_mail(domain)


@pytest.mark.parametrize("domain", ["northwind-partners.example", "yahoo-partners.example", "mail.lotus.example",
                                    "outlook.consulting.example.co.uk"])
def test_company_domains(domain):
    assert not rules.is_free_mail(domain)


@pytest.mark.parametrize("value, kind", [("100200300", "account_number"), (" 100200300 ", "account_number"),
                                         ("admin@lotus-trading.example", "email"), ("ORG-77812", "organisation_id"),
                                         ("12345", "organisation_id"), ("a b", None), ("x", None)])
def test_identifier_kinds(value, kind):
    assert rules.identifier_kind(value) == kind


@pytest.mark.parametrize("text, words", [
    ("", 0), ("one two  three", 3), ("Hello, world — ok.", 3), ("l'équipe n'arrive pas", 3),
    ("Không đăng nhập được", 4),
])
def test_word_count_of_spaced_languages(text, words):
    assert rules.word_count(text) == words


# Thai is written without spaces: 24 words (segmented by hand: | marks the boundaries) and 6 words.
THAI_24 = "ตั้งแต่|เช้า|นี้|ผู้ใช้|ทุก|คน|ของ|ลูกค้า|เข้า|สู่|ระบบ|ไม่ได้|และ|ทีม|ขาย|ไม่|สามารถ|เปิด|ดีล|ใด|ได้|เลย|ทั้ง|วัน"
THAI_6 = "ระบบ|ล่ม|ทั้งหมด|ช่วย|ด่วน|ครับ"


@pytest.mark.parametrize("segmented", [THAI_24, THAI_6])
def test_thai_word_count_is_close_to_a_human_count(segmented):
    human = len(segmented.split("|"))
    estimate = rules.word_count(segmented.replace("|", ""))
    assert abs(estimate - human) <= human * 0.35, (estimate, human)
    assert (estimate >= CONFIG.limits["description_min_words"]) is (human >= 20)


def test_customer_required_only_where_multi_user_can_depend_on_it():
    assert rules.customer_required("technical_support", "crm")
    assert not rules.customer_required("technical_support", "email_campaigns")
    assert not rules.customer_required("commission_payout", "crm")
    assert rules.customer_required("invoice_change", "general")


@pytest.mark.parametrize("data_center, queue", [("us", "main"), ("in", "main"), ("au", "main"), ("jp", "main"),
                                                ("sa", "main"), ("ca", "main"), ("eu", "eu"), ("uk", "eu"),
                                                ("mars", "main")])
def test_queue_by_data_center_group(data_center, queue):
    partner = Partner("p.example", "P", PartnerTier.ADVANCED, data_center, Region.INDIA)
    assert rules.queue_for(partner).name == queue


@pytest.mark.parametrize("region", list(Region))
def test_four_escalation_levels_in_every_region(region):
    levels = rules.escalation_levels(region)
    assert [level["level"] for level in levels] == [1, 2, 3, 4]
    assert [level["role"] for level in levels] == ["escalation_desk", "regional_lead", "central_support_manager",
                                                   "partner_account_manager"]
    assert all(level["contacts"] and all(c["email"].endswith(".example") for c in level["contacts"]) for level in levels)
    assert rules.partner_managers(region) == [c["email"] for c in levels[3]["contacts"]]


def test_channels_by_tier():
    widgets = replace(CONFIG, third_party={"chat": {}, "partner_widget": {}})
    assert "chat" not in rules.channels_for(PartnerTier.AUTHORIZED, widgets)
    assert {"chat", "toll_free_phone"} <= set(rules.channels_for(PartnerTier.ADVANCED, widgets))
    assert "success_manager_call" not in rules.channels_for(PartnerTier.ADVANCED)
    assert "success_manager_call" in rules.channels_for(PartnerTier.PREMIUM)
    for tier in PartnerTier:
        assert {"ticket", "partner_widget", "critical_issue_dashboard"} <= set(rules.channels_for(tier, widgets))
        assert {"ticket", "critical_issue_dashboard"} <= set(rules.channels_for(tier))


def test_counter_windows_are_fixed_and_expire_after_they_end():
    moment = datetime(2026, 11, 23, 14, 37, tzinfo=timezone.utc)
    hour = rules.counter_window("tickets", 1, moment)
    assert hour.key == "tickets#2026-11-23T14"
    day = rules.counter_window("how_to", 24, moment)
    assert day.start == datetime(2026, 11, 23, tzinfo=timezone.utc)
    assert day.expires_at == int(datetime(2026, 11, 25, tzinfo=timezone.utc).timestamp())


def test_the_flood_is_flagged_once_per_window():
    limit = CONFIG.limits["how_to_flood"]["tickets"]
    assert [rules.is_how_to_flood(n) for n in range(1, limit + 3)] == [False] * (limit - 1) + [True, False, False]


def customer(plan=Plan.PRO, status=AccountStatus.ACTIVE, contacts=("Amministrazione@Bellavista.example",),
             users=()) -> Account:
    return Account(number="100200303", name="Trattoria Bellavista", plan=plan, region=Region.EUROPE_UK,
                   postal_code_digest="x", billing_contacts=contacts, status=status, users=users)


@pytest.mark.parametrize("address, contact", [
    ("amministrazione@bellavista.example", True),
    ("AMMINISTRAZIONE@bellavista.EXAMPLE", True),
    (" amministrazione@bellavista.example ", True),
    ("chef@bellavista.example", False),
    ("amministrazione@bellavista.example.evil.example", False),
    ("amministrazione@gmail.com", False),
])
def test_billing_contacts_are_matched_case_insensitively_and_exactly(address, contact):
    assert rules.is_billing_contact(address, customer()) is contact


def test_a_gmail_billing_contact_is_a_billing_contact():
    assert rules.is_billing_contact("Trattoria.Bellavista@gmail.com", customer(contacts=("trattoria.bellavista@gmail.com",)))


def test_unknown_and_deleted_accounts_have_no_billing_contacts():
    assert not rules.is_billing_contact("amministrazione@bellavista.example", None)
    assert not rules.is_billing_contact("amministrazione@bellavista.example", customer(status=AccountStatus.DELETED))
    for status in (AccountStatus.PAST_DUE, AccountStatus.SUSPENSION_WARNING, AccountStatus.CANCELLED):
        assert rules.is_billing_contact("amministrazione@bellavista.example", customer(status=status))


@pytest.mark.parametrize("plan", list(Plan))
def test_billing_cases_come_with_paid_plans(plan):
    assert rules.billing_case_included(plan) is (plan is not Plan.FREE)
    assert rules.billing_case_included(plan) is ("billing_case" in support_channels(plan))


def test_billing_case_types_and_queue_are_configured():
    assert rules.billing_case_types() == ["payment_extension", "upgrade", "invoice_change", "billing_question"]
    assert all(CONFIG.request_types[t].customer_required for t in rules.billing_case_types())
    queue = rules.billing_queue()
    assert queue.name == "billing" and queue.email.endswith(".example") and not queue.data_centers
    assert rules.billing_queue() not in {rules.queue_for(Partner("p.example", "P", PartnerTier.ADVANCED, dc,
                                                                  Region.INDIA)) for dc in ("us", "eu", "mars")}


USER = "giulia@bellavista.example"
BUSINESS_AND_UP = {Plan.BUSINESS, Plan.EDUCATION, Plan.ENTERPRISE, Plan.API}


@pytest.mark.parametrize("plan", list(Plan))
@pytest.mark.parametrize("role", list(Role))
def test_who_may_open_a_billing_case_by_role_and_plan(role, plan):
    """Owner, admin and billing: every paid plan; member: business, education, enterprise and API only;
    nobody on the free plan (which is refused with its own reason: ``acts_for_billing`` still holds)."""
    account = customer(plan=plan, users=((USER, role),))
    member_plan = plan in BUSINESS_AND_UP
    acts = role is not Role.MEMBER or member_plan
    assert rules.acts_for_billing(USER, account) is acts
    assert rules.acts_for_billing("Giulia@Bellavista.EXAMPLE ", account) is acts
    assert rules.billing_case_included(plan) is (plan is not Plan.FREE)


def test_the_member_constant_is_the_business_and_up_plans():
    assert MEMBER_BILLING_CASE_PLANS == BUSINESS_AND_UP


@pytest.mark.parametrize("plan", list(Plan))
def test_billing_contacts_may_open_a_billing_case_on_every_paid_plan(plan):
    account = customer(plan=plan, users=(("amministrazione@bellavista.example", Role.MEMBER),))
    assert rules.acts_for_billing("amministrazione@bellavista.example", account)


def test_strangers_unknown_and_deleted_accounts_may_not_open_a_billing_case():
    account = customer(plan=Plan.BUSINESS, users=((USER, Role.OWNER),))
    assert rules.user_role(USER, account) is Role.OWNER
    for address in ("chef@bellavista.example", "giulia@bellavista.example.evil.example", "giulia@gmail.com"):
        assert rules.user_role(address, account) is None
        assert not rules.acts_for_billing(address, account)
    assert not rules.acts_for_billing(USER, None)
    deleted = customer(plan=Plan.BUSINESS, status=AccountStatus.DELETED, users=((USER, Role.OWNER),))
    assert rules.user_role(USER, deleted) is None and not rules.acts_for_billing(USER, deleted)
    assert not rules.acts_for_billing("amministrazione@bellavista.example", deleted)
