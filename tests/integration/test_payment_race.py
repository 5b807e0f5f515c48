"""50 concurrent attempts plus 10 duplicated and reordered webhook deliveries for one invoice make one
charge, one settlement and one confirmation, on `make serve PAYMENT_PROVIDER=stripe` (function
instances in their own processes, the local Stripe stand-in, not Stripe). The scenario is
``benchmarks/payment_race.py``'s, which prints the same counts."""

from __future__ import annotations

from benchmarks.payment_race import ATTEMPTS, DELIVERIES, TARGET, race


def test_fifty_attempts_and_ten_deliveries_make_one_charge_one_settlement_one_confirmation(stripe_stack_url):
    counts = race(stripe_stack_url, "100200304", "INV-5001", ATTEMPTS, DELIVERIES)  # cancelled, with a credit
    print(counts)
    assert {figure: counts[figure] for figure in TARGET} == TARGET
    assert counts["deliveries"] == DELIVERIES and counts["deliveries_answered_2xx"] == DELIVERIES
    answers = counts["answers"]
    # the others: in progress (409), already paid (404, the answer for any number that matches nothing),
    # locked after repeated no-matches (429, the guessing throttle), or a call that timed out on a loaded
    # machine (503, retry later): none of them charged (the counts above)
    assert answers.get(200) == 1 and set(answers) <= {200, 404, 409, 429, 503}, answers
