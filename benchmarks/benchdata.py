"""Data and sample requests the benchmarks share: many accounts with an open invoice (so every payment
is a real one) and many partners (so no partner reaches its hourly ticket limit). Requests are the
example request of each route (``tests/support/examples.py``) with the n-th benchmark record in it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.examples import REQUESTS, request_for  # noqa: E402

ACCOUNTS = 600
PARTNERS = 150  # one per unpaid account: an account has at most one partner
PAYING_ACCOUNTS = 450  # accounts 0..449 are paid by the payment samples; the rest stay open
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
    return PAYING_ACCOUNTS + n % (ACCOUNTS - PAYING_ACCOUNTS)


def customer(n: int) -> str:
    """Partner n's one customer account."""
    return account(unpaid(n))


# route → the fields of its example request that the n-th sample changes
VARIANTS = {
    ("POST", "/accounts/status"): lambda n: {"account_number": account(unpaid(n)),
                                             "postal_code": postal_code(unpaid(n))},
    ("POST", "/invoices/lookup"): lambda n: {"account_number": account(unpaid(n)), "invoice_number": "INV-1"},
    ("POST", "/invoices/pay"): lambda n: {"account_number": account(n % PAYING_ACCOUNTS), "invoice_number": "INV-1",
                                          "amount_due": "49.00", "currency": "EUR"},
    ("POST", "/tickets"): lambda n: {"requester_email": f"agent{n % 7}@bench-{n % PARTNERS}.example",
                                     "customer_account": customer(n % PARTNERS)},
}


def request(method: str, path: str, n: int) -> tuple[bytes, dict] | None:
    """The n-th sample request of a route: (JSON body, headers), or None for a route without an example."""
    if (method, path) not in REQUESTS:
        return None
    example = request_for(method, path)
    body = {**example["json"], **VARIANTS.get((method, path), lambda _: {})(n)}
    return json.dumps(body).encode(), {"Content-Type": "application/json", **example["headers"]}
