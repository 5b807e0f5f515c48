"""Data and sample requests the benchmarks share: many accounts with an open invoice (so every payment
is a real one) and many partners (so no partner reaches its hourly ticket limit). Requests are the
example request of each route (``tests/support/examples.py``) with the n-th benchmark record in it;
the ticket-status and acknowledge samples name tickets filed before the measurement (``FiledTickets``)."""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.examples import REQUESTS, request_for  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "functions"))
from helpcenter.rules.escalation import acknowledge_token  # noqa: E402

PAYING_ACCOUNTS = 450  # accounts 0..449 are paid by the payment samples
UNPAID_ACCOUNTS = 150  # accounts 450..599 stay open: the status, lookup and ticket samples name them
SETTLED_ACCOUNTS = 150  # accounts 600..749 are paid before the measurement; the webhook samples name them
ACCOUNTS = PAYING_ACCOUNTS + UNPAID_ACCOUNTS + SETTLED_ACCOUNTS
PARTNERS = UNPAID_ACCOUNTS  # one per unpaid account: an account has at most one partner
FIRST_ACCOUNT = 700_000_000


def write(path: Path) -> Path:
    """A data file in the import format (README, "Data import") with the benchmark's records."""
    lines = ["accounts:"]
    for n in range(ACCOUNTS):
        lines += [f'  - {{number: "{account(n)}", name: Bench Account {n}, plan: pro, region: europe_uk,',
                  f'     postal_code: "{postal_code(n)}", licenses: 5, billing_contacts: [billing{n}@bench-account.example],',
                  '     invoices: [{number: INV-1, amount: "49.00", currency: EUR, due_date: +10d}]}']
    lines.append("partners:")
    lines += [f"  - {{domain: bench-{n}.example, name: Bench Partner {n}, tier: authorized, data_center: us, "
              f'region: us_latam, customers: ["{customer(n)}"]}}' for n in range(PARTNERS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def account(n: int) -> str:
    return str(FIRST_ACCOUNT + n % ACCOUNTS)


def postal_code(n: int) -> str:
    return str(10000 + n % ACCOUNTS)


def unpaid(n: int) -> int:
    """The n-th of the accounts no payment sample pays."""
    return PAYING_ACCOUNTS + n % UNPAID_ACCOUNTS


def settled(n: int) -> int:
    """The n-th of the accounts paid before the measurement (``PAID_BEFOREHAND``)."""
    return PAYING_ACCOUNTS + UNPAID_ACCOUNTS + n % SETTLED_ACCOUNTS


def settling_key(n: int) -> str:
    return f"bench-webhook-{settled(n)}"


def customer(n: int) -> str:
    """Partner n's one customer account."""
    return account(unpaid(n))


# route → the fields of its example request that the n-th sample changes
VARIANTS: dict[tuple[str, str], Callable[[int], dict]] = {
    ("POST", "/accounts/status"): lambda n: {"account_number": account(unpaid(n)),
                                             "postal_code": postal_code(unpaid(n))},
    ("POST", "/invoices/lookup"): lambda n: {"account_number": account(unpaid(n)), "invoice_number": "INV-1"},
    ("POST", "/invoices/pay"): lambda n: {"account_number": account(n % PAYING_ACCOUNTS), "invoice_number": "INV-1",
                                          "amount_due": "49.00", "currency": "EUR"},
    ("POST", "/tickets"): lambda n: {"requester_email": requester(n), "customer_account": customer(partner(n))},
    ("POST", "/feedback"): lambda n: {"page": f"bench/article-{n}"},  # votes are limited per page and minute
    # Stripe's event for a payment the pay request recorded already (the usual order): already_settled
    ("POST", "/webhooks/stripe"): lambda n: {"id": f"evt_bench_{settled(n)}", "data": {"object": {
        "id": f"pi_bench_{settled(n)}", "object": "payment_intent", "amount": 4900, "currency": "eur",
        "status": "succeeded", "metadata": {"account_number": account(settled(n)), "invoice_number": "INV-1",
                                            "idempotency_key": settling_key(n)}}}},
}


def paid_beforehand(n: int) -> tuple[bytes, dict]:
    """The pay request that pays the n-th settled account before the measurement."""
    body = {**REQUESTS["POST", "/invoices/pay"]["json"], **VARIANTS["POST", "/invoices/pay"](0),
            "account_number": account(settled(n))}
    return json.dumps(body).encode(), {"Content-Type": "application/json", "Idempotency-Key": settling_key(n)}


def partner(n: int) -> int:
    """The partner of the n-th ticket sample, spread evenly whatever numbers the samples have (the load
    clients number theirs from far-apart starts, which ``n % PARTNERS`` sent to the same few partners
    until their hourly limit answered 429)."""
    return zlib.crc32(str(n).encode()) % PARTNERS


def requester(n: int) -> str:
    return f"agent{n % 7}@bench-{partner(n)}.example"


@dataclass
class FiledTickets:
    """Tickets filed before a measurement, and the stack's acknowledge key: the n-th status sample looks
    up one of them, the n-th acknowledge sample acknowledges the n-th (each link acts once)."""

    acknowledge_key: bytes
    tickets: list[tuple[str, str]] = field(default_factory=list)  # (ticket id, requester e-mail)

    def variants(self) -> dict:
        def status(n: int) -> dict:
            ticket_id, email = self.tickets[n % len(self.tickets)]
            return {"ticket_id": ticket_id, "requester_email": email}

        def acknowledge(n: int) -> dict:
            ticket_id = self.tickets[n % len(self.tickets)][0]
            return {"ticket_id": ticket_id,
                    "token": acknowledge_token(self.acknowledge_key, ticket_id, datetime.now(timezone.utc))}

        return {("POST", "/tickets/status"): status, ("POST", "/tickets/acknowledge"): acknowledge}


def request(method: str, path: str, n: int, filed: FiledTickets | None = None) -> tuple[bytes, dict] | None:
    """The n-th sample request of a route: (JSON body, headers), or None for a route without an example."""
    if (method, path) not in REQUESTS:
        return None
    variants = {**VARIANTS, **(filed.variants() if filed and filed.tickets else {})}
    body = {**REQUESTS[method, path]["json"], **variants.get((method, path), lambda _: {})(n)}
    example = request_for(method, path, body)  # its Idempotency-Key and Stripe signature made for this body
    return json.dumps(example["json"]).encode(), {"Content-Type": "application/json", **example["headers"]}
