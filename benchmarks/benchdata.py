"""Data and sample requests the benchmarks share: many accounts with an open invoice (so every payment
is a real one) and many partners (so no partner reaches its hourly ticket limit)."""

from __future__ import annotations

import json
from pathlib import Path

ACCOUNTS = 600
PARTNERS = 400
FIRST_ACCOUNT = 700_000_000
WORDS = ("the export of the monthly invoice report stops at the second page and the totals are wrong "
         "for every account in the region since the last update of the billing module").split()


def write(path: Path) -> Path:
    """A data file in the import format (README, "Data import") with the benchmark's records."""
    lines = ["accounts:"]
    for n in range(ACCOUNTS):
        lines += [f'  - {{number: "{FIRST_ACCOUNT + n}", name: Bench Account {n}, plan: pro, region: europe_uk,',
                  f'     postal_code: "{10000 + n}", licenses: 5, billing_contacts: [billing{n}@bench-account.example],',
                  '     invoices: [{number: INV-1, amount: "49.00", currency: EUR, due_date: +10d}]}']
    lines.append("partners:")
    lines += [f"  - {{domain: bench-{n}.example, name: Bench Partner {n}, tier: authorized, data_center: us, "
              f'region: us_latam, customers: ["{customer(n)}"]}}' for n in range(PARTNERS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def customer(n: int) -> str:
    """Partner n's one customer account (among the accounts the payment samples leave unpaid)."""
    return account(ACCOUNTS - 1 - n % 150)


def account(n: int) -> str:
    return str(FIRST_ACCOUNT + n % ACCOUNTS)


def status(n: int) -> dict:
    return {"account_number": account(n), "postal_code": str(10000 + n % ACCOUNTS)}


def lookup(n: int) -> dict:
    return {"account_number": account(n), "invoice_number": "INV-1"}


def pay(n: int) -> dict:
    return {"account_number": account(n), "invoice_number": "INV-1", "amount_due": "49.00", "currency": "EUR",
            "payment_token": "tok_success"}


def ticket(n: int) -> dict:
    return {
        "requester_email": f"agent{n % 7}@bench-{n % PARTNERS}.example", "customer_account": customer(n % PARTNERS),
        "request_type": "technical_support", "product": "crm", "impact": "incorrect_results",
        "reproducible": False, "description": " ".join(WORDS * 4),
        "troubleshooting": "Cleared the cache and tried another browser.", "attachments": [],
    }


def attachment(n: int) -> dict:
    return {"filename": f"screenshot-{n}.png", "content_type": "image/png", "size": 48_213}


# route → (body for the n-th request, extra headers); a route missing here has no sample yet
SAMPLES = {
    ("POST", "/accounts/status"): (status, {}),
    ("POST", "/invoices/lookup"): (lookup, {}),
    ("POST", "/invoices/pay"): (pay, {"Idempotency-Key": "bench-{n}-{salt}"}),
    ("POST", "/tickets"): (ticket, {}),
    ("POST", "/tickets/attachments"): (attachment, {}),
}


def request(method: str, path: str, n: int, salt: str = "") -> tuple[bytes, dict] | None:
    """The n-th sample request of a route: (JSON body, headers), or None without a sample."""
    if (method, path) not in SAMPLES:
        return None
    body, headers = SAMPLES[method, path]
    return (json.dumps(body(n)).encode(),
            {"Content-Type": "application/json", **{k: v.format(n=n, salt=salt) for k, v in headers.items()}})
