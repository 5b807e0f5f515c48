"""Reconciliation, every 10 minutes: payment attempts whose outcome was never recorded.

An attempt claims its invoice before charging and leaves the claim when it cannot finish: the
store failed right after the charge, the client vanished while the provider had not answered, or a
customer left a bank check (3-D Secure) unanswered. Once such a claim has run out, this job asks the
provider what that attempt's key did (``find_charge``, which also cancels a payment still waiting
for the customer, so it can never succeed later):

- it charged → the invoice is settled with that charge (``settlement.settle``: once, with the
  confirmation e-mail; a charge that can pay nothing is refunded);
- it did not → the claim is released, so the invoice can be paid again and dunning goes on;
- the provider cannot tell yet (still processing, unreachable) → left for the next run.

Until then the dunning job leaves that account alone (``rules.payment.attempt_unresolved``).
``{"at": "<ISO 8601 instant>"}`` in the event runs it as of that instant (local runs and tests).
"""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart, payments, settlement, store
from helpcenter.clock import now
from helpcenter.environment import ReconcileEnvironment
from helpcenter.observability import error_facts, job_entry_point, logger, metrics

SETTLEMENTS = settlement.default()  # DynamoDB and SES
ENVIRONMENT = ReconcileEnvironment.load()


def resolve(claim: store.ExpiredClaim, provider, at: datetime) -> str:
    """Settle or release one run-out claim; what happened, for the summary."""
    try:
        charge = provider.find_charge(claim.key)
    except payments.ProviderUnreachable:
        return "undecided"
    if charge is None:
        released = store.release_expired_claim(claim.account_number, claim.invoice_number, claim.key,
                                               int(at.timestamp()))
        return "released" if released else "changed"
    try:
        settled = SETTLEMENTS.settle(claim.account_number, claim.invoice_number, claim.key, charge, now=at,
                                    today=at.date())
    except settlement.ChargeNotSettled:
        provider.refund(charge.payment_id, claim.key)
        metrics.add_metric(name="ChargesRefunded", unit="Count", value=1)
        return "refunded"
    return "settled" if settled.settlement else "already_settled"


def run(at: datetime) -> dict[str, int]:
    summary: dict[str, int] = {}
    provider = payments.provider()
    for claim in store.expired_claims(int(at.timestamp())):
        try:
            outcome = resolve(claim, provider, at)
        except Exception as error:  # noqa: BLE001 - one attempt's fault must not stop the others
            logger.error("attempt not reconciled", extra=error_facts(error))
            outcome = "failed"
        metrics.add_metric(name=f"Reconciled_{outcome}", unit="Count", value=1)
        summary[outcome] = summary.get(outcome, 0) + 1
    return summary


@job_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    at = datetime.fromisoformat(event["at"]) if isinstance(event, dict) and event.get("at") else now()
    summary = run(at)
    logger.info("reconciliation run", extra={"summary": summary})
    return summary


coldstart.finished()  # the last line of init
