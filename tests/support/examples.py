"""One valid request per API route (method, path) of the template: what the fault test sends to every
route, and the seed examples of the contract fuzzing. A route added to the template without one here
fails those tests until it gets one."""

from __future__ import annotations

import json
import uuid

TICKET_DESCRIPTION = (
    "Since this morning the customer's sales team cannot open any deal record; every attempt shows an "
    "error page after a long wait, for every user and in every browser we tried today"
)

REQUESTS: dict[tuple[str, str], dict] = {
    ("POST", "/accounts/status"): {"json": {"account_number": "100200303", "postal_code": "20121"}},
    ("POST", "/invoices/lookup"): {"json": {"account_number": "100200303", "invoice_number": "INV-4001"}},
    # tok_success: the sandbox's test token, which the local stack (a declared demo) takes; a stack with the
    # template's default parameters (Stripe) declines it (tests/integration/test_payment_defaults.py)
    ("POST", "/invoices/pay"): {
        "json": {"account_number": "100200303", "invoice_number": "INV-4001", "amount_due": "59.00",
                 "currency": "EUR", "payment_token": "tok_success"},
        "headers": {"Idempotency-Key": "new-uuid"},
    },
    ("POST", "/tickets"): {"json": {
        "requester_email": "ana@bluepeak-solutions.example", "customer_account": "100200300",
        "request_type": "technical_support", "product": "crm", "impact": "outage", "reproducible": True,
        "reproduction_details": "User 4411, 2026-11-20 09:10 UTC, workflow 'Deal follow-up'",
        "description": TICKET_DESCRIPTION, "troubleshooting": "Cleared the cache, tried another browser.",
        "attachments": [],
    }},
    ("POST", "/feedback"): {"json": {"kind": "vote", "lang": "en", "page": "billing/refunds", "helpful": True}},
    ("POST", "/tickets/attachments"): {"json": {"filename": "error.png", "content_type": "image/png",
                                                "size": 20_000}},
    ("POST", "/webhooks/stripe"): {"json": {
        "id": "evt_example", "object": "event", "type": "payment_intent.succeeded", "data": {"object": {
            "id": "pi_example", "object": "payment_intent", "amount": 5900, "currency": "eur", "status": "succeeded",
            "metadata": {"account_number": "100200303", "invoice_number": "INV-4001",
                         "idempotency_key": "example-attempt-0001"}}}},
        "headers": {"Stripe-Signature": "signed"}},
    # no ticket is filed before these: the status answers no_match, the made-up token invalid_link
    ("POST", "/tickets/status"): {"json": {"ticket_id": "T-7KQ2MZ4DXA",
                                           "requester_email": "ana@bluepeak-solutions.example"}},
    ("POST", "/tickets/acknowledge"): {"json": {"ticket_id": "T-7KQ2MZ4DXA",
                                                "token": "1797000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
}

# Routes whose example is answered without the table (signing an upload is local computation), and
# routes whose example is refused before any read (a made-up acknowledge token: 400 invalid_link, or
# 503 when SSM, which holds the key, is down too).
NEEDS_NO_TABLE = {("POST", "/tickets/attachments")}
REFUSED_BEFORE_THE_TABLE = {("POST", "/tickets/acknowledge")}


def stripe_signature(body: dict) -> str:
    """Stripe's signature of ``body`` sent as JSON (as werkzeug's test client and requests write it), made
    now with the local Stripe stand-in's signing secret: the one the local stack and the fault probe
    keep in SSM for the webhook function."""
    from devstack.stripe_standin import WEBHOOK_SECRET, sign

    return sign(json.dumps(body), WEBHOOK_SECRET)


def request_for(method: str, path: str, body: dict | None = None) -> dict:
    """The example request of a route (or ``body`` instead of its example body), with a fresh
    Idempotency-Key where it takes one and a fresh Stripe signature where it is signed."""
    example = REQUESTS[(method, path)]
    body = example["json"] if body is None else body
    fresh = {"new-uuid": lambda: str(uuid.uuid4()), "signed": lambda: stripe_signature(body)}
    headers = {key: fresh[value]() if value in fresh else value for key, value in example.get("headers", {}).items()}
    return {"json": body, "headers": headers}


def example_event(route, body: dict | None = None) -> dict:
    """The API Gateway event of a route's example request (or of ``body``), as the local gateway builds it."""
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from devstack.gateway import proxy_event

    example = request_for(route.method, route.path, body)
    builder = EnvironBuilder(path=route.path, method=route.method, json=example["json"], headers=example["headers"])
    return proxy_event(Request(builder.get_environ()), route, route.path, {})
