"""One valid request per API route (method, path) of the template: what the fault test sends to every
route, and the seed examples of the contract fuzzing. A route added to the template without one here
fails those tests until it gets one."""

from __future__ import annotations

import uuid

TICKET_DESCRIPTION = (
    "Since this morning the customer's sales team cannot open any deal record; every attempt shows an "
    "error page after a long wait, for every user and in every browser we tried today"
)

REQUESTS: dict[tuple[str, str], dict] = {
    ("POST", "/accounts/status"): {"json": {"account_number": "100200303", "postal_code": "20121"}},
    ("POST", "/invoices/lookup"): {"json": {"account_number": "100200303", "invoice_number": "INV-4001"}},
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
}

# Routes that answer without the table (signing an upload is local computation).
NEEDS_NO_TABLE = {("POST", "/tickets/attachments")}


def request_for(method: str, path: str) -> dict:
    """The example request of a route, with a fresh Idempotency-Key where it takes one."""
    example = REQUESTS[(method, path)]
    headers = {key: (str(uuid.uuid4()) if value == "new-uuid" else value)
               for key, value in example.get("headers", {}).items()}
    return {"json": example["json"], "headers": headers}
