"""POST /api/tickets and /api/tickets/attachments over real HTTP on the local stack (moto, demo data)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
import requests

from helpcenter.domain import Plan, Region
from helpcenter.rules.deadlines import business_hours_between
from helpcenter.rules.plans import support_channels
from helpcenter.support import CONFIG
from tests.support.stored import stored_ticket

DESCRIPTION = " ".join(
    "Since this morning the customer's sales team cannot open any deal record; every attempt shows an "
    "error page after a long wait, for every user and in every browser we tried today".split()
)
INDIA = "bluepeak-solutions.example"  # advanced, data center in, region india
EU = "northwind-partners.example"  # premium, data center eu, region europe_uk
US = "summit-resellers.example"  # authorized, data center us, region us_latam


def ticket(**changes) -> dict:
    body = {
        "requester_email": f"ana@{INDIA}",
        "customer_account": "100200300",
        "request_type": "technical_support",
        "product": "crm",
        "impact": "how_to",
        "reproducible": True,
        "reproduction_details": "User 4411, 2026-11-20 09:10 UTC, workflow 'Deal follow-up'",
        "description": DESCRIPTION,
        "troubleshooting": "Cleared the cache, tried another browser.",
        "attachments": [],
    }
    body.update(changes)
    return body


def submit(stack, body, **kwargs) -> requests.Response:
    return requests.post(f"{stack.url}/api/tickets", json=body, timeout=10, **kwargs)


@pytest.fixture
def isolated(fresh_stack):
    """Demo data anew, and again afterwards: for tests that use up a partner's counters."""
    yield fresh_stack
    fresh_stack.reset()


def test_multi_user_india_customer_is_s1_with_reasons_and_both_deadlines(stack):
    sent_before = len(stack.delivered())
    response = submit(stack, ticket())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["severity"] == "S1" and body["multi_user"] is True and body["commitment"] is True
    assert body["reasons"][0]["code"] == "multi_user_account"
    assert body["reasons"][0]["params"] == {"licenses": 120, "threshold": 100, "region": "india"}
    assert "120 user licences" in body["reasons"][0]["message"] and "India" in body["reasons"][0]["message"]
    assert body["queue"] == "main" and body["time_zone"] == "Asia/Kolkata"
    accepted = datetime.fromisoformat(body["accepted_at"])
    zone = CONFIG.regions[Region.INDIA].time_zone
    for name, (low, high) in (("acknowledgement", (1, 3)), ("diagnosis", (2, 8)), ("resolution", (24, 48))):
        window = body["targets"][name]
        earliest, latest = datetime.fromisoformat(window["earliest"]), datetime.fromisoformat(window["latest"])
        assert window["latest"].endswith("+05:30") and "." not in window["latest"]  # to the second
        assert business_hours_between(accepted, earliest, zone) == pytest.approx(low, abs=1 / 3600)
        assert business_hours_between(accepted, latest, zone) == pytest.approx(high, abs=1 / 3600)
    assert body["acknowledge_by"] == body["targets"]["acknowledgement"]["latest"]
    assert body["diagnose_by"] == body["targets"]["diagnosis"]["latest"]
    assert body["kind"] == "partner"
    # chat and the partner widget are third-party channels: none is configured in the shipped support.yml
    assert body["channels"] == ["ticket", "critical_issue_dashboard", "toll_free_phone"] and body["plan"] is None
    assert [level["level"] for level in body["escalation"]] == [1, 2, 3, 4]

    mails = stack.delivered()[sent_before:]
    queue = next(m for m in mails if m["to"] == ["partner-support@helpcenter.example"])
    confirmation = next(m for m in mails if m["to"] == [f"ana@{INDIA}"])
    assert body["ticket_id"] in queue["subject"] and "[S1]" in queue["subject"]
    assert body["ticket_id"] in confirmation["body"] and "Severity: S1" in confirmation["body"]
    assert confirmation["language"] == "en"  # the partner's language: the request named none
    acknowledge_by = datetime.fromisoformat(body["acknowledge_by"])
    assert "120 user licences" in confirmation["body"] and f"{acknowledge_by:%B} {acknowledge_by.day}," in confirmation["body"]
    assert "India Time" in confirmation["body"] and "Asia/Kolkata" not in confirmation["body"]
    assert "Toll-free phone" in confirmation["body"] and "success manager" not in confirmation["body"]


def test_a_ticket_from_the_thai_form_is_confirmed_in_thai_with_buddhist_era_dates(stack):
    sent_before = len(stack.delivered())
    body = submit(stack, ticket(language="th", time_zone="Asia/Bangkok", impact="outage")).json()
    (confirmation,) = [m for m in stack.delivered()[sent_before:] if m["to"] == [f"ana@{INDIA}"]]
    year = datetime.fromisoformat(body["acknowledge_by"]).year
    assert confirmation["language"] == "th" and confirmation["subject"].startswith(f"รับทิกเก็ต {body['ticket_id']} แล้ว")
    assert f"พ.ศ. {year + 543}" in confirmation["body"] and "เวลาอินโดจีน" in confirmation["body"]
    assert f"{stack.url}/th/partners/tiers-and-escalation/" in confirmation["html"]
    (queue,) = [m for m in stack.delivered()[sent_before:] if m["to"] == ["partner-support@helpcenter.example"]]
    assert queue["language"] == "en" and "Requester's language: th" in queue["body"]


def test_how_to_from_a_10_licence_account_is_s3(stack):
    response = submit(stack, ticket(requester_email=f"li@{US}", customer_account="100200307"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["severity"], body["multi_user"]) == ("S3", False)
    assert [r["code"] for r in body["reasons"]] == ["below_multi_user_threshold", "impact_S3"]
    assert body["reasons"][0]["params"] == {"licenses": 10, "threshold": 50, "region": "canada_brazil"}
    assert body["targets"]["resolution"] is None and body["time_zone"] == "America/New_York"
    assert body["channels"] == ["ticket", "critical_issue_dashboard"]


def test_eu_partner_goes_to_the_eu_queue_with_premium_channels(stack):
    body = submit(stack, ticket(requester_email=f"eva@{EU}", impact="outage", customer_account="100200302")).json()
    assert body["queue"] == "eu" and body["time_zone"] == "Europe/Paris"
    assert body["severity"] == "S1" and body["weekends_count"] is True
    assert "success_manager_call" in body["channels"]
    assert body["reasons"][-1]["code"] == "weekends_count"
    assert any(c["area"] == "United Kingdom" for c in body["escalation"][1]["contacts"])


def test_product_not_metered_by_users_and_feature_requests(stack):
    body = submit(stack, ticket(product="email_campaigns", impact="incorrect_results")).json()
    assert body["severity"] == "S2" and body["reasons"][0]["code"] == "product_not_user_metered"
    body = submit(stack, ticket(impact="feature_request")).json()
    assert (body["severity"], body["commitment"], body["targets"], body["acknowledge_by"]) == ("S3", False, None, None)


def test_customer_identified_by_email_is_classified_on_impact(stack):
    body = submit(stack, ticket(customer_account="admin@lotus-trading.example", impact="data_integrity")).json()
    assert body["severity"] == "S1" and body["multi_user"] is False
    assert [r["code"] for r in body["reasons"]] == ["customer_not_verified", "impact_S1"]


def test_non_technical_request_needs_no_impact(stack):
    body = submit(stack, ticket(request_type="commission_payout", customer_account=None, impact=None,
                                product="general")).json()
    assert body["severity"] == "S3"
    assert [r["code"] for r in body["reasons"]] == ["no_customer_account", "request_type_default"]


@pytest.mark.parametrize("address", ["ops@gmail.com", "ops@yahoo.co.uk", "ops@Hotmail.FR", "ops@outlook.com"])
def test_free_mail_requester_is_refused_with_the_reason(stack, address):
    response = submit(stack, ticket(requester_email=address))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "free_mail_domain"
    assert "free e-mail" in body["message"] and "registered" in body["message"]
    assert body["fields"][0]["field"] == "requester_email"


def test_unknown_partner_domain_is_refused(stack):
    response = submit(stack, ticket(requester_email="it@unknown-reseller.example"))
    assert response.status_code == 400
    assert response.json()["error"] == "unregistered_domain"
    assert response.json()["fields"][0] == {
        "field": "requester_email", "code": "unregistered_domain", "message": response.json()["message"]}


def test_unknown_customer_account_is_404(stack):
    response = submit(stack, ticket(customer_account="999999999"))
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_customer_account"


NORTHWIND_CUSTOMER = "100200302"  # managed by northwind-partners.example, not by Bluepeak
FAKE_ATTACHMENT = "uploads/" + "0" * 32 + "/made-up.png"


def test_another_partners_customer_is_answered_exactly_like_an_unknown_account(stack):
    """Bluepeak naming Northwind's customer learns nothing: same status and bytes as a made-up number,
    with or without a made-up attachment (checked before any account is read)."""
    for extra in ({}, {"attachments": [FAKE_ATTACHMENT]}):
        foreign, unknown = (submit(stack, ticket(customer_account=number, **extra))
                            for number in (NORTHWIND_CUSTOMER, "999999999"))
        assert foreign.status_code == unknown.status_code == (400 if extra else 404)
        assert foreign.content == unknown.content
        assert "100200302" not in foreign.text and "europe_uk" not in foreign.text
    own_with_fake = submit(stack, ticket(attachments=[FAKE_ATTACHMENT]))
    assert own_with_fake.status_code == 400 and own_with_fake.content == foreign.content
    northwind = submit(stack, ticket(requester_email=f"eva@{EU}", customer_account=NORTHWIND_CUSTOMER))
    assert northwind.status_code == 201, northwind.text


def test_probes_count_against_the_hourly_limit(isolated):
    """100 probes (another partner's customer, an unknown account, a real one with a fake attachment):
    the first ``limit`` are refused as such, the rest rate-limited, and so is the next real ticket."""
    stack = isolated
    limit = CONFIG.limits["tickets_per_partner_per_hour"]
    probes = [ticket(customer_account=NORTHWIND_CUSTOMER), ticket(customer_account="999999999"),
              ticket(attachments=[FAKE_ATTACHMENT])]
    codes = [submit(stack, probes[n % 3]).status_code for n in range(100)]
    assert set(codes[:limit]) <= {400, 404} and set(codes[limit:]) == {429}
    assert submit(stack, ticket()).status_code == 429


def test_a_ticket_that_is_not_written_does_not_move_the_counter(isolated):
    """The counter moves in the ticket's own DynamoDB transaction: a failed write leaves it where it was."""
    from botocore.exceptions import ClientError
    from helpcenter import store
    from submit_ticket import logic
    from submit_ticket.models import TicketRequest
    from submit_ticket.requester import identify
    from tests.support.faults import failing

    request = TicketRequest.model_validate(ticket())
    now = datetime.now(timezone.utc)
    counter = identify(request, store.tickets).hourly_counter(now)
    before = store.counter_value(counter)
    with failing(store.client(), "TransactWriteItems", "InternalServerError") as injected, pytest.raises(ClientError):
        logic.submit(request, None, now)
    assert injected and store.counter_value(counter) == before
    logic.submit(request, None, now)
    assert store.counter_value(counter) == before + 1


@pytest.mark.parametrize(("address", "code"), [
    ("amminiſtrazione@bellavista.example", "compatibility_character"),  # long s: folds to "s"
    ("ana\x00@bluepeak-solutions.example", "control_character"),
    ("ana\u202e@bluepeak-solutions.example", "bidi_character"),
    ("an\u200ba@bluepeak-solutions.example", "invisible_character"),
    ("аna@bluepeak-solutions.example", "mixed_script"),  # Cyrillic а, Latin na
    ("ana..x@bluepeak-solutions.example", "invalid"),
])
def test_addresses_that_pass_for_another_are_refused_with_the_reason(stack, address, code):
    response = submit(stack, ticket(requester_email=address))
    assert response.status_code == 400, response.text
    assert response.json()["fields"][0]["field"] == "requester_email"
    assert response.json()["fields"][0]["code"] == code


def test_addresses_are_stored_in_their_normalised_form(stack):

    body = submit(stack, ticket(requester_email="Ana@BluePeak-Solutions.Example")).json()
    assert stored_ticket(body["ticket_id"])["requester_email"] == f"ana@{INDIA}"


def test_a_reused_idempotency_key_with_another_body_is_refused(stack):
    headers = {"Idempotency-Key": "ticket-reuse-0001"}
    first = submit(stack, ticket(), headers=headers)
    other = submit(stack, ticket(description=DESCRIPTION + " It started after the update."), headers=headers)
    assert first.status_code == 201 and other.status_code == 409
    assert other.json()["error"] == "key_reused"
    assert submit(stack, ticket(), headers=headers).json() == first.json()


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"customer_account": None}, "customer_account", "required"),
        ({"customer_account": "  "}, "customer_account", "required"),
        ({"customer_account": "not an id!"}, "customer_account", "invalid"),
        ({"impact": None}, "impact", "required"),
        ({"reproducible": True, "reproduction_details": None}, "reproduction_details", "required"),
        ({"description": "It is broken, please help us quickly."}, "description", "too_short"),
    ],
)
def test_field_rules_answer_400_with_the_field(stack, changes, field, code):
    response = submit(stack, ticket(**changes))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "validation_error"
    assert {"field": field, "code": code} == {k: body["fields"][0][k] for k in ("field", "code")}


def test_customer_is_optional_for_products_not_sold_per_user(stack):
    response = submit(stack, ticket(customer_account=None, product="data_preparation"))
    assert response.status_code == 201, response.text


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"request_type": "refund"}, "request_type"),
        ({"product": "spaceship"}, "product"),
        ({"impact": "apocalypse"}, "impact"),
        ({"requester_email": "not-an-address"}, "requester_email"),
        ({"reproducible": "maybe"}, "reproducible"),
        ({"attachments": ["../../etc/passwd"]}, "attachments.0"),
        ({"attachments": [f"uploads/{'0' * 32}/x.png"] * 6}, "attachments"),
        ({"description": "x" * 10_001}, "description"),
        ({"admin": True}, "admin"),
    ],
)
def test_bad_fields_of_every_kind(stack, changes, field):
    response = submit(stack, ticket(**changes))
    assert response.status_code == 400, response.text
    fields = [f["field"] for f in response.json()["fields"]]
    assert field in fields


def test_missing_attachment_is_refused(stack):
    response = submit(stack, ticket(attachments=[f"uploads/{'a' * 32}/never-uploaded.png"]))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "attachments"


def test_honeypot_refuses_without_storing(stack):
    sent_before = len(stack.delivered())
    response = submit(stack, ticket(website="http://spam.example"))
    assert response.status_code == 400 and response.json()["error"] == "rejected"
    assert len(stack.delivered()) == sent_before


def test_attachment_presigned_post_then_ticket(stack):
    signed = requests.post(f"{stack.url}/api/tickets/attachments", timeout=10,
                           json={"filename": "Écran d'erreur.png", "content_type": "image/png", "size": 68})
    assert signed.status_code == 201, signed.text
    upload = signed.json()
    assert upload["key"].startswith("uploads/") and upload["key"].endswith("cran_d_erreur.png")
    assert upload["fields"]["Content-Type"] == "image/png"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60
    stored = requests.post(upload["url"], data=upload["fields"], files={"file": ("e.png", png, "image/png")}, timeout=10)
    assert stored.status_code in (200, 201, 204), stored.text
    response = submit(stack, ticket(attachments=[upload["key"]]))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body, error",
    [
        ({"filename": "run.exe", "content_type": "application/x-msdownload", "size": 10}, "unsupported_attachment_type"),
        ({"filename": "big.png", "content_type": "image/png", "size": 50 * 1024 * 1024}, "attachment_too_large"),
    ],
)
def test_attachment_limits(stack, body, error):
    response = requests.post(f"{stack.url}/api/tickets/attachments", json=body, timeout=10)
    assert response.status_code == 400 and response.json()["error"] == error


def test_upload_policy_pins_key_type_and_size(stack):
    """S3 enforces the POST policy (moto does not, so the policy itself is checked)."""
    signed = requests.post(f"{stack.url}/api/tickets/attachments", timeout=10,
                           json={"filename": "a.png", "content_type": "image/png", "size": 10}).json()
    policy = json.loads(base64.b64decode(signed["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", 1, CONFIG.limits["attachments"]["max_bytes"]] in conditions
    assert {"key": signed["key"]} in conditions
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert expires - datetime.now(timezone.utc) <= timedelta(seconds=CONFIG.limits["attachments"]["url_expires_seconds"])


def test_idempotency_key_replays_the_first_ticket(stack):
    headers = {"Idempotency-Key": "ticket-retry-0001"}
    first = submit(stack, ticket(), headers=headers)
    again = submit(stack, ticket(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_how_to_flood_flags_the_partner_manager_once(isolated):
    stack = isolated
    limit = CONFIG.limits["how_to_flood"]["tickets"]
    before = len(stack.delivered())
    for _ in range(limit + 1):
        assert submit(stack, ticket(requester_email=f"li@{US}", customer_account="100200307")).status_code == 201
    flags = [m for m in stack.delivered()[before:] if m["subject"].startswith("Partner flagged")]
    assert len(flags) == 1
    assert "pam-us-east@helpcenter.example" in flags[0]["to"] and "Summit Resellers" in flags[0]["body"]


def test_rate_limit_per_partner(isolated):
    stack = isolated
    limit = CONFIG.limits["tickets_per_partner_per_hour"]
    body = ticket(requester_email="kim@coral-bay-partners.example", customer_account="100200301")
    codes = [submit(stack, body).status_code for _ in range(limit)]
    assert set(codes) == {201}
    refused = submit(stack, body)
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    # other partners are not affected
    assert submit(stack, ticket()).status_code == 201


def test_ticket_is_stored(stack):
    body = submit(stack, ticket()).json()

    stored = stored_ticket(body["ticket_id"])
    assert stored["severity"] == "S1" and stored["partner_domain"] == INDIA and stored["queue"] == "main"
    assert stored["requester_email"] == f"ana@{INDIA}" and "website" not in stored
    assert datetime.fromisoformat(stored["created_at"]) > datetime.fromisoformat(body["accepted_at"]) - timedelta(
        seconds=5)


# --- billing cases: a customer's billing contact files for its own account (paid plans) ------------------

BELLAVISTA = "100200303"  # pro, europe_uk, 4 licences; billing contact amministrazione@bellavista.example
BELLAVISTA_CONTACT = "amministrazione@bellavista.example"
FREE_PLAN = "100200306"  # free plan; billing contact owner@chaophraya-crafts.example
BILLING_DESCRIPTION = (
    "Our last invoice still shows the old company address and VAT number. We changed both in the account "
    "settings last month; please issue a corrected invoice for our accountant before the end of the month."
)


def billing_case(**changes) -> dict:
    body = ticket(requester_email=BELLAVISTA_CONTACT, customer_account=BELLAVISTA, request_type="invoice_change",
                  product="general", impact=None, reproducible=False, reproduction_details=None,
                  description=BILLING_DESCRIPTION, troubleshooting=None)
    body.update(changes)
    return body


@pytest.fixture
def gmail_customer(stack):
    """A business account (80 licences: multi-user for a partner's ticket) whose billing contact uses gmail."""
    from helpcenter import store
    from helpcenter.domain import Account, Plan, Region

    account = Account(number="100200390", name="Pho Hanoi Kitchen", plan=Plan.BUSINESS,
                      region=Region.ASIA_PACIFIC_JAPAN, postal_code_digest="x", licenses=80,
                      billing_contacts=("pho.hanoi.kitchen.billing@gmail.com",))
    store.put_records([account], [])
    return account


def test_billing_contact_of_a_paid_account_opens_a_billing_case(stack):
    sent_before = len(stack.delivered())
    response = submit(stack, billing_case(requester_email="Amministrazione@Bellavista.EXAMPLE"))  # any case
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["severity"], body["multi_user"], body["commitment"]) == ("billing", "S3", False, True)
    assert [r["code"] for r in body["reasons"]] == ["billing_case", "request_type_default"]
    assert "billing case" in body["reasons"][0]["message"]
    assert body["queue"] == "billing" and body["escalation"] == []
    assert body["channels"] == support_channels(Plan.PRO) and body["plan"] == "pro"
    assert body["time_zone"] == "Europe/Paris" and body["targets"]["resolution"] is None  # the account's region
    accepted = datetime.fromisoformat(body["accepted_at"])
    zone = CONFIG.regions[Region.EUROPE_UK].time_zone
    for name, (low, high) in (("acknowledgement", (16, 24)), ("diagnosis", (48, 72))):
        window = body["targets"][name]
        assert business_hours_between(accepted, datetime.fromisoformat(window["earliest"]), zone) == pytest.approx(
            low, abs=1 / 3600)
        assert business_hours_between(accepted, datetime.fromisoformat(window["latest"]), zone) == pytest.approx(
            high, abs=1 / 3600)

    mails = stack.delivered()[sent_before:]
    queue = next(m for m in mails if m["to"] == ["billing-cases@helpcenter.example"])
    confirmation = next(m for m in mails if m["to"] == [BELLAVISTA_CONTACT])  # normalised
    assert "[S3]" in queue["subject"] and f"billing case, account {BELLAVISTA}" in queue["subject"]
    assert f"Billing case: account {BELLAVISTA}, plan Pro, region Europe & UK" in queue["body"]
    # no page language in the request: the account's language (Italian)
    assert confirmation["language"] == "it"
    assert confirmation["subject"].startswith(f"Richiesta sulla fatturazione {body['ticket_id']} accettata")
    assert "Canali di assistenza del tuo piano" in confirmation["body"] and "Chat dal vivo" not in confirmation["body"]
    # who may use each channel, from the rule for the account's plan (Pro: not its members)
    assert "Richiesta sulla fatturazione online (proprietari, amministratori e utenti con il ruolo fatturazione)" in (
        confirmation["body"])
    assert "escalation" not in confirmation["body"].lower() and "livello" not in confirmation["body"]


    stored = stored_ticket(body["ticket_id"])
    assert (stored["kind"], stored["account_number"], stored["plan"], stored["queue"]) == (
        "billing", BELLAVISTA, "pro", "billing")
    assert "partner_domain" not in stored


def test_a_billing_case_from_the_french_form_is_confirmed_in_french(stack):
    sent_before = len(stack.delivered())
    body = submit(stack, billing_case(language="fr")).json()
    (confirmation,) = [m for m in stack.delivered()[sent_before:] if m["to"] == [BELLAVISTA_CONTACT]]
    assert confirmation["language"] == "fr"
    assert confirmation["subject"] == f"Demande sur la facturation {body['ticket_id']} acceptée\u00a0: S3"
    assert "Modification de facture" in confirmation["body"] and "Canaux d'assistance de votre forfait" in confirmation["body"]
    assert f"{stack.url}/fr/billing/getting-help/" in confirmation["body"]


def test_a_billing_case_with_an_impact_follows_the_impact_rules(stack):
    body = submit(stack, billing_case(request_type="billing_question", impact="login_failure")).json()
    assert (body["kind"], body["severity"], body["weekends_count"]) == ("billing", "S1", True)
    assert [r["code"] for r in body["reasons"]] == ["billing_case", "impact_S1", "weekends_count"]


def test_a_billing_case_is_not_a_partner_request_type(stack):
    response = submit(stack, billing_case(request_type="technical_support", impact="how_to"))
    assert response.status_code == 400
    assert {k: response.json()["fields"][0][k] for k in ("field", "code")} == {
        "field": "request_type", "code": "not_for_billing_case"}
    assert "invoice change" in response.json()["fields"][0]["message"]


def test_refusal_does_not_reveal_accounts_or_their_contacts(stack):
    """Another account's number, an unknown number and a deleted account: one and the same refusal."""
    answers = [submit(stack, billing_case(customer_account=number)) for number in ("100200300", "999999999")]
    answers.append(submit(stack, billing_case(customer_account=None)))
    assert {a.status_code for a in answers} == {400}
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert answers[0].json()["error"] == "unregistered_domain"
    assert "billing case" in answers[0].json()["message"]
    deleted = [submit(stack, billing_case(requester_email="finance@old-mill.example", customer_account=number))
               for number in ("100200305", "999999999")]  # 100200305 was erased by the daily run
    assert {a.status_code for a in deleted} == {400}
    assert deleted[0].json() == deleted[1].json()


def test_free_plan_account_is_refused_with_its_self_service_channels(stack):
    response = submit(stack, billing_case(requester_email="owner@chaophraya-crafts.example", customer_account=FREE_PLAN))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "billing_case_not_in_plan"
    assert body["fields"][0]["field"] == "customer_account" and body["fields"][0]["code"] == "free_plan"
    assert "paid plans" in body["message"]
    for channel in ("knowledge base", "video tutorials", "report abuse", "contact sales"):
        assert channel in body["message"]
    assert "chatbot" not in body["message"]  # not configured: never offered


LOTUS_MEMBER = "arjun@lotus-trading.example"  # member of 100200300 (business)
HARBOUR = "100200301"  # pro; admin jess@harbour-bakery.example, member liam@harbour-bakery.example


def test_a_member_of_a_business_account_opens_a_billing_case(stack):
    response = submit(stack, billing_case(requester_email="Arjun@Lotus-Trading.example", customer_account="100200300",
                                          request_type="billing_question"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["queue"], body["severity"]) == ("billing", "billing", "S3")
    assert body["channels"] == support_channels(Plan.BUSINESS)


def test_an_admin_of_a_pro_account_opens_a_billing_case(stack):
    response = submit(stack, billing_case(requester_email="jess@harbour-bakery.example", customer_account=HARBOUR))
    assert response.status_code == 201, response.text
    assert (response.json()["kind"], response.json()["channels"]) == ("billing", support_channels(Plan.PRO))


def test_a_member_of_a_pro_account_gets_the_refusal_of_a_stranger(stack):
    """Same body as an address that is no contact or user, and as an unknown account number."""
    member = submit(stack, billing_case(requester_email="liam@harbour-bakery.example", customer_account=HARBOUR))
    stranger = submit(stack, billing_case(requester_email="nobody@harbour-bakery.example", customer_account=HARBOUR))
    unknown = submit(stack, billing_case(requester_email="liam@harbour-bakery.example", customer_account="999999999"))
    assert member.status_code == stranger.status_code == unknown.status_code == 400
    assert member.json() == stranger.json() == unknown.json()
    assert member.json()["error"] == "unregistered_domain"
    # a member of a business account is no user of another account
    other = submit(stack, billing_case(requester_email=LOTUS_MEMBER, customer_account=HARBOUR))
    assert other.json() == submit(stack, billing_case(requester_email=LOTUS_MEMBER,
                                                      customer_account="999999999")).json()


def test_gmail_billing_contact_of_a_paid_account_is_accepted(stack, gmail_customer):
    response = submit(stack, billing_case(requester_email="Pho.Hanoi.Kitchen.Billing@gmail.com",
                                          customer_account=gmail_customer.number, request_type="billing_question"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["severity"], body["multi_user"]) == ("billing", "S3", False)  # 80 licences: no S1
    assert body["time_zone"] == "Asia/Singapore" and "phone" in body["channels"]


def test_gmail_requester_who_is_not_a_billing_contact_gets_the_free_mail_refusal(stack, gmail_customer):
    answers = [submit(stack, billing_case(requester_email="someone.else@gmail.com", customer_account=number))
               for number in (gmail_customer.number, BELLAVISTA, "999999999")]
    assert {a.status_code for a in answers} == {400}
    body = answers[0].json()
    assert body["error"] == "free_mail_domain" and body["fields"][0]["field"] == "requester_email"
    assert "free e-mail" in body["message"] and "registered" in body["message"]
    assert answers[1].json() == answers[2].json() == body


def test_a_partner_naming_a_customer_account_files_a_partner_ticket(stack):
    body = submit(stack, billing_case(requester_email=f"eva@{EU}")).json()
    assert (body["kind"], body["queue"]) == ("partner", "eu")


def test_billing_case_idempotency_key_replays_the_first_case(stack):
    headers = {"Idempotency-Key": "billing-case-retry-0001"}
    first, again = submit(stack, billing_case(), headers=headers), submit(stack, billing_case(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers.get("Idempotent-Replayed") == "true"


def test_rate_limit_per_account_for_billing_cases(isolated):
    stack = isolated
    limit = CONFIG.limits["billing_cases_per_account_per_hour"]
    codes = [submit(stack, billing_case()).status_code for _ in range(limit)]
    assert set(codes) == {201}
    refused = submit(stack, billing_case())
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert "this account" in refused.json()["message"]
    # partners are counted apart
    assert submit(stack, ticket()).status_code == 201
