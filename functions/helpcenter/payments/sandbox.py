"""The sandbox payment provider: no money moves, but it behaves like a real one.

It serves the local stack and the tests. Like a real provider it is idempotent by key, and its
charges are kept in the DynamoDB table (``SANDBOX#<key>`` items, ``sandbox_store``), so every instance of the function
sees them and a test can count them.

Test tokens (``payment_token``):

| token                    | outcome                                                            |
| ------------------------ | ------------------------------------------------------------------ |
| ``tok_success``          | charged                                                            |
| ``tok_declined``         | declined: ``card_declined``                                        |
| ``tok_insufficient_funds`` | declined: ``insufficient_funds``                                 |
| ``tok_provider_error``   | the provider fails before charging (nothing taken, try again)      |
| ``tok_slow``             | charged after ``SANDBOX_SLOW_SECONDS`` (default 3) seconds         |
| ``tok_timeout``          | charged, but the answer is lost: the same key again finds the charge |

Any other token is declined as ``invalid_payment_method``.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timezone

from helpcenter.money import Money
from helpcenter.payments import (
    Charge,
    ChargeRequest,
    PaymentDeclined,
    ProviderFailed,
    ProviderKeyReused,
    ProviderUnreachable,
    sandbox_store,
)

TEST_TOKENS = {
    "tok_success": "succeeded",
    "tok_declined": "card_declined",
    "tok_insufficient_funds": "insufficient_funds",
    "tok_provider_error": "provider_error",
    "tok_slow": "succeeded",
    "tok_timeout": "succeeded",
}


class SandboxProvider:
    name = "sandbox"

    def charge(self, request: ChargeRequest) -> Charge:
        outcome = TEST_TOKENS.get(request.payment_token, "invalid_payment_method")
        if outcome == "provider_error":
            raise ProviderFailed("sandbox: provider error before charging")
        if request.payment_token == "tok_slow":
            time.sleep(float(os.environ.get("SANDBOX_SLOW_SECONDS", "3")))
        stored, created = sandbox_store.put_charge(request.idempotency_key, {
            "charge_id": f"sbx_{uuid.uuid4().hex[:24]}",
            "status": outcome,
            "amount_minor": request.amount.minor,
            "currency": request.amount.currency,
            "payment_token": request.payment_token,
            "description": request.description,
            "metadata": dict(request.metadata) or None,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        })
        if (int(stored["amount_minor"]), stored["currency"], stored["payment_token"]) != (
            request.amount.minor, request.amount.currency, request.payment_token,
        ):
            raise ProviderKeyReused("sandbox: idempotency key used with other parameters")
        if stored["status"] != "succeeded":
            raise PaymentDeclined(stored["status"])
        if request.payment_token == "tok_timeout" and created:
            raise ProviderUnreachable("sandbox: charged, but the answer was lost")
        return Charge(payment_id=stored["charge_id"], amount=Money(int(stored["amount_minor"]), stored["currency"]))

    def refund(self, payment_id: str, idempotency_key: str) -> None:
        sandbox_store.mark_refunded(idempotency_key)

    def find_charge(self, idempotency_key: str) -> Charge | None:
        stored = sandbox_store.get_charge(idempotency_key)
        if not stored or stored["status"] != "succeeded":
            return None
        return Charge(payment_id=stored["charge_id"], amount=Money(int(stored["amount_minor"]), stored["currency"]))
