"""One invoice, many messengers: 50 concurrent payment attempts plus 10 duplicated and reordered
webhook deliveries of its ``payment_intent.succeeded``, against ``make serve PAYMENT_PROVIDER=stripe``
(the local stack in its own process, the Stripe provider, the local Stripe stand-in: not Stripe).
Prints how many charges Stripe took, how many settlements the table recorded and how many
confirmations were e-mailed, beside the target: 1 / 1 / 1. Asserts nothing
(``tests/integration/test_payment_race.py`` asserts the same counts).

    .venv/bin/python benchmarks/payment_race.py [--attempts 50] [--deliveries 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.stack import start_subprocess  # noqa: E402

ATTEMPTS, DELIVERIES = 50, 10
TARGET = {"charges": 1, "settlements": 1, "confirmations": 1}
ACCOUNT = """accounts:
  - number: "{number}"
    name: Race Paying Co
    plan: pro
    region: europe_uk
    postal_code: "10115"
    billing_contacts: [billing-{number}@race-paying.example]
    dunning_since: -30d
    invoices:
      - {{number: INV-RACE, amount: "59.00", currency: EUR, due_date: -30d}}
"""


def payments_of(url: str, account_number: str) -> dict:
    return requests.get(f"{url}/_local/stripe", params={"account_number": account_number}, timeout=10).json()


def race(url: str, account_number: str, invoice_number: str, attempts: int = ATTEMPTS,
         deliveries: int = DELIVERIES) -> dict:
    """``attempts`` clients pay the invoice at once (each its own attempt, its own key, a card that
    succeeds) while the stand-in delivers every event ``deliveries`` times, held and newest first.
    The counts once the deliveries are done, and the answers' status codes."""
    found = requests.post(f"{url}/api/invoices/lookup", timeout=10,
                          json={"account_number": account_number, "invoice_number": invoice_number}).json()
    body = {"account_number": account_number, "invoice_number": invoice_number, "amount_due": found["amount_due"],
            "currency": found["currency"], "payment_token": "pm_card_visa"}
    before = payments_of(url, account_number)
    requests.post(f"{url}/_local/stripe", json={"duplicates": deliveries, "reorder": True, "hold_seconds": 0.5},
                  timeout=10)
    answers: list[int] = []
    start = threading.Barrier(attempts)

    def attempt() -> None:
        start.wait()
        answer = requests.post(f"{url}/api/invoices/pay", json=body, timeout=120,
                               headers={"Idempotency-Key": str(uuid.uuid4())})
        answers.append(answer.status_code)

    began = time.perf_counter()
    try:
        threads = [threading.Thread(target=attempt) for _ in range(attempts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after = payments_of(url, account_number)
        deadline = time.monotonic() + 60
        while (after["deliveries"] < deliveries or after["held"]) and time.monotonic() < deadline:
            time.sleep(0.1)
            after = payments_of(url, account_number)
    finally:
        requests.post(f"{url}/_local/stripe", json={"duplicates": 1, "reorder": False}, timeout=10)
    return {"charges": after["charges"] - before["charges"],
            "settlements": after["payment_seq"] - before["payment_seq"],
            "confirmations": after["confirmations"] - before["confirmations"],
            "deliveries": after["deliveries"] - before["deliveries"],
            "deliveries_answered_2xx": after["deliveries_answered_2xx"] - before["deliveries_answered_2xx"],
            "answers": dict(sorted(Counter(answers).items())), "seconds": time.perf_counter() - began}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=ATTEMPTS)
    parser.add_argument("--deliveries", type=int, default=DELIVERIES)
    args = parser.parse_args()
    number = "9" + str(uuid.uuid4().int)[:9]
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "race.yaml"
        data.write_text(ACCOUNT.format(number=number), encoding="utf-8")
        site = Path(scratch) / "site"  # the API alone: no page is served
        site.mkdir()
        process, url = start_subprocess(site, str(data), env={**os.environ, "PAYMENT_PROVIDER": "stripe"})
        try:
            counts = race(url, number, "INV-RACE", args.attempts, args.deliveries)
        finally:
            process.terminate()
            process.wait(30)
    print(f"\nOne invoice: {args.attempts} concurrent attempts + {args.deliveries} duplicated, reordered deliveries "
          f"of payment_intent.succeeded ({counts['seconds']:.1f} s, {os.cpu_count()} cores)")
    print(f"  {'figure':<14} {'measured':>8} {'target':>7}")
    for figure, target in TARGET.items():
        mark = "ok" if counts[figure] == target else "MISSED"
        print(f"  {figure:<14} {counts[figure]:>8} {target:>7}  {mark}")
    print(f"  webhook deliveries {counts['deliveries']} ({counts['deliveries_answered_2xx']} answered 2xx); "
          f"attempts answered {counts['answers']}")


if __name__ == "__main__":
    main()
