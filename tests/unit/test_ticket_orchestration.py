"""Accepting a ticket, orchestrated with in-memory seams (``tests/unit/fakes.py``): who may file, what
is refused and what each refusal costs, replays, the hourly limits, the how-to flag and the messages
written with the ticket (the outbox, rendered here as the deliverer renders them), in milliseconds. The same flows over HTTP against DynamoDB (moto) are in
``tests/integration/test_submit_ticket.py``; the store's own contract in
``tests/integration/test_ticket_store_contract.py``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from helpcenter.domain import Account, Partner, PartnerTier, Plan, Region, Role
from helpcenter.errors import Conflict, InvalidRequest, NotFound, TooManyRequests
from helpcenter.i18n.emails import render
from helpcenter.messages import Channel, Kind
from helpcenter.rules.tickets import partner_managers
from helpcenter.support import CONFIG
from submit_ticket import logic
from submit_ticket.models import TicketRequest
from tests.unit.fakes import InMemoryTicketStore

NOW = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)  # a Tuesday
DESCRIPTION = ("Since this morning the customer's sales team cannot open any deal record; every attempt shows an "
               "error page after a long wait, for every user and in every browser we tried today")
PARTNER = Partner("bluepeak.example", "Bluepeak", PartnerTier.ADVANCED, "in", Region.INDIA,
                  customers=frozenset({"100200300", "100200301"}), language="vi")
OTHER_PARTNER = Partner("northwind.example", "Northwind", PartnerTier.PREMIUM, "eu", Region.EUROPE_UK,
                        customers=frozenset({"100200399"}))
BIG = Account("100200300", "Lotus Trading Co.", Plan.BUSINESS, Region.INDIA, "digest", licenses=120)
SMALL = Account("100200301", "Corner Shop", Plan.PRO, Region.INDIA, "digest", licenses=10)
OTHERS = Account("100200399", "Someone Else's", Plan.PRO, Region.EUROPE_UK, "digest", licenses=200)
PAID = Account("100200302", "Rive Gauche", Plan.PRO, Region.EUROPE_UK, "digest",
               billing_contacts=("compta@rive-gauche.example",),
               users=(("marie@rive-gauche.example", Role.ADMIN), ("paul@rive-gauche.example", Role.MEMBER)),
               language="fr")
FREE = Account("100200304", "Free Co", Plan.FREE, Region.EUROPE_UK, "digest", billing_contacts=("boss@free.example",))


def ticket(**changes) -> TicketRequest:
    body = {"requester_email": "ana@bluepeak.example", "customer_account": "100200300",
            "request_type": "technical_support", "product": "crm", "impact": "outage", "reproducible": False,
            "description": DESCRIPTION, "attachments": [], **changes}
    return TicketRequest.model_validate(body)


def billing_case(**changes) -> TicketRequest:
    return ticket(**{"requester_email": "compta@rive-gauche.example", "customer_account": PAID.number,
                     "request_type": "invoice_change", "product": "general", "impact": None, **changes})


@dataclass
class Outbox:
    """The e-mails of the ticket store's outbox, rendered as the deliverer renders them."""

    tickets: InMemoryTicketStore

    @property
    def emails(self):
        return [(list(m.to), render(m.kind.value, m.language, m.facts)) for m in self.tickets.outbox
                if m.channel is Channel.EMAIL]

    @property
    def sent(self) -> list[tuple[list[str], str, str]]:  # (to, subject, text)
        return [(to, email.subject, email.text) for to, email in self.emails]

    @property
    def languages(self) -> list[str]:
        return [email.language for _, email in self.emails]


@pytest.fixture
def seams():
    tickets = InMemoryTicketStore()
    tickets.add(PARTNER, OTHER_PARTNER, BIG, SMALL, OTHERS, PAID, FREE)
    return tickets, Outbox(tickets), logic.TicketIntake(tickets, lambda body: {"acknowledge_url": "https://ack.example/x"})


def hourly_count(tickets: InMemoryTicketStore, partition: str) -> int:
    return sum(count for (where, window), count in tickets.counters.items()
               if where == partition and window.startswith("tickets"))


def test_a_multi_user_customer_makes_an_s1_stored_counted_and_mailed_in_two_languages(seams):
    tickets, mailer, intake = seams
    body, new = intake.submit(ticket(language="th"), None, NOW)
    assert new and body["severity"] == "S1" and body["multi_user"] and body["kind"] == "partner"
    assert body["reasons"][0]["code"] == "multi_user_account"
    assert body["queue"] == "main" and body["time_zone"] == "Asia/Kolkata"
    assert body["accepted_at"] == "2026-12-01T15:00:15+05:30"  # to the second, in the region's zone
    assert body["acknowledge_by"] == body["targets"]["acknowledgement"]["latest"]
    stored = tickets.tickets[body["ticket_id"]]
    assert stored["partner_domain"] == PARTNER.domain and stored["rule"] == 1  # the first rule: multi-user account
    assert json.loads(stored["response"]) == body
    assert hourly_count(tickets, "COUNTER#PARTNER#bluepeak.example") == 1
    (queue_to, queue_subject, queue_text), (to, _, text) = mailer.sent
    assert queue_to == [CONFIG.queues["main"].email] and body["ticket_id"] in queue_subject
    assert to == ["ana@bluepeak.example"] and mailer.languages == ["en", "th"]  # the form page's language
    assert "https://ack.example/x" in queue_text and "https://ack.example/x" not in text  # the queue acknowledges
    assert [m.id for m in tickets.outbox] == [f"{body['ticket_id']}#queue", f"{body['ticket_id']}#confirmation"]


def test_the_confirmation_falls_back_to_the_partners_language(seams):
    _, mailer, intake = seams
    intake.submit(ticket(), None, NOW)
    assert mailer.languages == ["en", "vi"]


def test_a_replayed_key_answers_the_first_ticket_and_writes_nothing(seams):
    tickets, mailer, intake = seams
    first, _ = intake.submit(ticket(), "key-00000001", NOW)
    again, new = intake.submit(ticket(), "key-00000001", NOW)
    assert again == first and not new
    assert len(tickets.tickets) == 1 and len(mailer.sent) == 2
    with pytest.raises(Conflict) as refused:
        intake.submit(ticket(description=DESCRIPTION + " and more"), "key-00000001", NOW)
    assert refused.value.code == "key_reused"


def test_a_concurrent_request_with_the_same_key_wins_and_this_one_replays_it(seams):
    tickets, mailer, intake = seams
    first, _ = intake.submit(ticket(), "key-00000002", NOW)
    winner = tickets.tickets.pop(first["ticket_id"])  # as if not yet written when this request read
    tickets.written_first = winner
    again, new = intake.submit(ticket(), "key-00000002", NOW)
    assert again == first and not new and len(mailer.sent) == 2  # no second set of e-mails


def test_refusals_cost_like_filing_until_the_hourly_limit(seams):
    tickets, _, intake = seams
    limit = CONFIG.limits["tickets_per_partner_per_hour"]
    for _ in range(limit):
        with pytest.raises(NotFound):
            intake.submit(ticket(customer_account="999999999"), None, NOW)
    with pytest.raises(TooManyRequests) as limited:
        intake.submit(ticket(), None, NOW)
    assert limited.value.retry_after is not None and 0 < limited.value.retry_after <= 3600 - 30 * 60 + 1  # the hour ends at 10:00
    assert not tickets.tickets


def test_the_limit_reached_meanwhile_refuses_the_write_with_429(seams):
    tickets, _, intake = seams
    limit = CONFIG.limits["tickets_per_partner_per_hour"]
    intake.check_rate = lambda who, now: None  # the read before the work saw room; the write does not
    for _ in range(limit):
        intake.submit(ticket(), None, NOW)
    with pytest.raises(TooManyRequests):
        intake.submit(ticket(), None, NOW)
    assert len(tickets.tickets) == limit


def test_another_partners_customer_is_never_read_and_answers_like_an_unknown_one(seams):
    tickets, _, intake = seams
    with pytest.raises(NotFound) as theirs:
        intake.submit(ticket(customer_account=OTHERS.number), None, NOW)
    with pytest.raises(NotFound) as unknown:
        intake.submit(ticket(customer_account="999999999"), None, NOW)
    assert theirs.value.body() == unknown.value.body()
    assert OTHERS.number not in tickets.accounts_read


@pytest.mark.parametrize(("address", "code"), [("ops@gmail.com", "free_mail_domain"),
                                                ("ops@unknown-partner.example", "unregistered_domain")])
def test_a_stranger_is_refused_the_same_way_whether_the_account_exists_or_not(seams, address, code):
    _, _, intake = seams
    answers = []
    for number in (PAID.number, "999999999"):
        with pytest.raises(InvalidRequest) as refused:
            intake.submit(billing_case(requester_email=address, customer_account=number), None, NOW)
        answers.append(refused.value.body())
    assert answers[0] == answers[1] and answers[0]["error"] == code


def test_a_billing_contact_opens_a_billing_case_for_its_account(seams):
    tickets, mailer, intake = seams
    body, _ = intake.submit(billing_case(), None, NOW)
    assert body["kind"] == "billing" and body["queue"] == "billing" and body["escalation"] == []
    assert "billing_case" in body["channels"]
    assert tickets.tickets[body["ticket_id"]]["account_number"] == PAID.number
    assert hourly_count(tickets, f"COUNTER#BILLING#{PAID.number}") == 1
    assert mailer.sent[0][0] == [CONFIG.queues["billing"].email] and mailer.languages == ["en", "fr"]


def test_an_admin_may_open_a_billing_case_a_member_of_a_pro_account_may_not(seams):
    _, _, intake = seams
    assert intake.submit(billing_case(requester_email="marie@rive-gauche.example"), None, NOW)[0]["kind"] == "billing"
    with pytest.raises(InvalidRequest) as refused:
        intake.submit(billing_case(requester_email="paul@rive-gauche.example"), None, NOW)
    assert refused.value.code == "unregistered_domain"


def test_the_free_plan_has_no_billing_case_and_the_refusal_counts(seams):
    tickets, _, intake = seams
    with pytest.raises(InvalidRequest) as refused:
        intake.submit(billing_case(requester_email="boss@free.example", customer_account=FREE.number), None, NOW)
    assert refused.value.code == "billing_case_not_in_plan"
    assert refused.value.fields[0]["code"] == "free_plan"
    assert hourly_count(tickets, f"COUNTER#BILLING#{FREE.number}") == 1


def test_a_billing_case_takes_only_billing_request_types(seams):
    _, _, intake = seams
    with pytest.raises(InvalidRequest) as refused:
        intake.submit(billing_case(request_type="commission_payout"), None, NOW)
    assert [f["code"] for f in refused.value.fields] == ["not_for_billing_case"]


def test_field_rules_are_refused_together(seams):
    _, _, intake = seams
    with pytest.raises(InvalidRequest) as refused:
        intake.submit(ticket(impact=None, reproducible=True, description="Too short to act on."), None, NOW)
    assert {f["field"]: f["code"] for f in refused.value.fields} == {
        "impact": "required", "reproduction_details": "required", "description": "too_short"}


def test_the_honeypot_refuses_before_anything_is_read(seams):
    tickets, _, intake = seams
    with pytest.raises(InvalidRequest) as refused:
        intake.submit(ticket(website="https://spam.example"), None, NOW)
    assert refused.value.code == "rejected" and not tickets.counters and not tickets.accounts_read


def test_the_fifth_how_to_in_a_day_flags_the_partner_managers_once(seams):
    tickets, mailer, intake = seams
    flood = CONFIG.limits["how_to_flood"]["tickets"]
    flags = [tickets.tickets[intake.submit(ticket(impact="how_to", customer_account=SMALL.number), None, NOW)[0]
                             ["ticket_id"]]["how_to_flood"] for _ in range(flood + 1)]
    assert flags == [False] * (flood - 1) + [True, False]
    managers = partner_managers(PARTNER.region)
    alerts = [(subject, language) for (to, subject, _), language in zip(mailer.sent, mailer.languages) if to == managers]
    assert managers and len(alerts) == 1 and alerts[0][1] == PARTNER.language and "Bluepeak" in alerts[0][0]


def test_the_queue_copy_goes_to_each_configured_channel(seams, monkeypatch):
    tickets, _, intake = seams
    monkeypatch.setenv("TICKET_CHANNELS", "email,webhook,zendesk")
    body, _ = intake.submit(ticket(), None, NOW)
    queue_copies = [(m.id, m.channel) for m in tickets.outbox if m.kind is Kind.TICKET_QUEUE]
    assert queue_copies == [(f"{body['ticket_id']}#queue", Channel.EMAIL), (f"{body['ticket_id']}#webhook", Channel.WEBHOOK),
                            (f"{body['ticket_id']}#zendesk", Channel.ZENDESK)]


def test_a_store_outage_writes_nothing_and_moves_no_counter(seams):
    tickets, mailer, intake = seams
    tickets.broken_writes = 1
    with pytest.raises(ConnectionError):
        intake.submit(ticket(), None, NOW)
    assert not tickets.tickets and hourly_count(tickets, "COUNTER#PARTNER#bluepeak.example") == 0
    assert not mailer.sent
    intake.submit(ticket(), None, NOW)
    assert hourly_count(tickets, "COUNTER#PARTNER#bluepeak.example") == 1
