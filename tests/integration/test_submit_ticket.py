"""POST /api/tickets and /api/tickets/attachments over real HTTP on the local stack (moto, demo data)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
import requests

from helpcenter.rules.deadlines import business_hours_between
from helpcenter.support import CONFIG

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
    sent_before = len(stack.aws.sent_emails())
    response = submit(stack, ticket())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["severity"] == "S1" and body["multi_user"] is True and body["commitment"] is True
    assert body["reasons"][0]["code"] == "multi_user_account"
    assert body["reasons"][0]["params"] == {"licenses": 120, "threshold": 100, "region": "india"}
    assert "120 user licences" in body["reasons"][0]["message"] and "India" in body["reasons"][0]["message"]
    assert body["queue"] == "main" and body["time_zone"] == "Asia/Kolkata"
    accepted = datetime.fromisoformat(body["accepted_at"])
    zone = CONFIG.regions["india"].time_zone
    for name, (low, high) in (("acknowledgement", (1, 3)), ("diagnosis", (2, 8)), ("resolution", (24, 48))):
        window = body["targets"][name]
        earliest, latest = datetime.fromisoformat(window["earliest"]), datetime.fromisoformat(window["latest"])
        assert window["latest"].endswith("+05:30") and "." not in window["latest"]  # to the second
        assert business_hours_between(accepted, earliest, zone) == pytest.approx(low, abs=1 / 3600)
        assert business_hours_between(accepted, latest, zone) == pytest.approx(high, abs=1 / 3600)
    assert body["acknowledge_by"] == body["targets"]["acknowledgement"]["latest"]
    assert body["diagnose_by"] == body["targets"]["diagnosis"]["latest"]
    assert body["channels"] == ["ticket", "partner_widget", "critical_issue_dashboard", "chat", "toll_free_phone"]
    assert [level["level"] for level in body["escalation"]] == [1, 2, 3, 4]

    mails = stack.aws.sent_emails()[sent_before:]
    queue = next(m for m in mails if m["to"] == ["partner-support@helpcenter.example"])
    confirmation = next(m for m in mails if m["to"] == [f"ana@{INDIA}"])
    assert body["ticket_id"] in queue["subject"] and "[S1]" in queue["subject"]
    assert body["ticket_id"] in confirmation["body"] and "Severity: S1" in confirmation["body"]
    assert "120 user licences" in confirmation["body"] and body["acknowledge_by"] in confirmation["body"]
    assert "Toll-free phone" in confirmation["body"] and "success manager" not in confirmation["body"]


def test_how_to_from_a_10_licence_account_is_s3(stack):
    response = submit(stack, ticket(requester_email=f"li@{US}", customer_account="100200307"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["severity"], body["multi_user"]) == ("S3", False)
    assert [r["code"] for r in body["reasons"]] == ["below_multi_user_threshold", "impact_S3"]
    assert body["reasons"][0]["params"] == {"licenses": 10, "threshold": 50, "region": "canada_brazil"}
    assert body["targets"]["resolution"] is None and body["time_zone"] == "America/New_York"
    assert body["channels"] == ["ticket", "partner_widget", "critical_issue_dashboard"]


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
    sent_before = len(stack.aws.sent_emails())
    response = submit(stack, ticket(website="http://spam.example"))
    assert response.status_code == 400 and response.json()["error"] == "rejected"
    assert len(stack.aws.sent_emails()) == sent_before


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
    before = len(stack.aws.sent_emails())
    for _ in range(limit + 1):
        assert submit(stack, ticket(requester_email=f"li@{US}", customer_account="100200307")).status_code == 201
    flags = [m for m in stack.aws.sent_emails()[before:] if m["subject"].startswith("Partner flagged")]
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
    from helpcenter import store

    stored = store.get_ticket(body["ticket_id"])
    assert stored["severity"] == "S1" and stored["partner_domain"] == INDIA and stored["queue"] == "main"
    assert stored["requester_email"] == f"ana@{INDIA}" and "website" not in stored
    assert datetime.fromisoformat(stored["created_at"]) > datetime.fromisoformat(body["accepted_at"]) - timedelta(
        seconds=5)
