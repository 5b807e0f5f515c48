"""Daily dunning run: advance every overdue account along its timeline, once a day at most.

Exactly-once per notice comes from the conditional write in ``store.record_dunning_step``, which puts
the notice's e-mail in the outbox in the same transaction (the deliverer sends it, retrying); the whole
run is also a Powertools idempotent function keyed on the day, so a duplicate or retried schedule
event on the same day returns the first run's summary instead of working again.
"""

from __future__ import annotations

from datetime import date

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart
from helpcenter import store
from helpcenter.clock import today
from helpcenter.observability import job_entry_point, logger, metrics
from helpcenter.domain import Account, Invoice
from helpcenter.environment import DunningEnvironment
from helpcenter.i18n.emails import dunning_context
from helpcenter.messages import Kind, Message
from helpcenter.rules import payment
from helpcenter.rules.dunning import DunningAction, plan_dunning

ENVIRONMENT = DunningEnvironment.load()
store.client()  # the client at init, not on the first request (10-40 ms each)

persistence = DynamoDBPersistenceLayer(
    table_name=ENVIRONMENT.idempotency_table,
    key_attr="id",
    boto3_client=store.client(),
)
day_run = IdempotencyConfig(expires_after_seconds=26 * 3600)


def notice_message(account: Account, invoices: list[Invoice], notice: str, day: date) -> Message | None:
    """The e-mail of one notice to every billing contact (none for an account without contacts)."""
    if not account.billing_contacts:
        return None
    assert account.dunning_since is not None  # an account in dunning has its start day
    return Message(f"dunning#{account.number}#{account.dunning_since.isoformat()}#{notice}", Kind.DUNNING_NOTICE,
                   tuple(account.billing_contacts), dunning_context(account, invoices, notice, day), account.language)


def apply(account: Account, invoices: list[Invoice], action: DunningAction, day: date) -> str:
    """Carry out one account's action; returns what happened, for the run summary. The notice's
    e-mail is written to the outbox with the step, and delivered (with retries) by the deliverer."""
    if action.notices:
        notice = action.notices[-1]  # the one e-mailed (``DunningAction.email``)
        message = notice_message(account, invoices, notice, day)
        if not store.record_dunning_step(account, action.status, action.notices, day.isoformat(), message):
            return "skipped"  # another run did it, or the invoices were paid meanwhile
        metrics.add_metric(name=f"Notice_{notice}", unit="Count", value=1)
    if action.erase_data:
        store.erase_account_data(account)
        metrics.add_metric(name="AccountsErased", unit="Count", value=1)
        return "erased"
    return "notified"


def run(day: date) -> dict[str, int]:
    summary: dict[str, int] = {}
    for number in store.account_numbers_in_dunning():
        context = store.get_payment_context(number)
        account, invoices = context.account, context.invoices
        if any(payment.attempt_unresolved(p.status, p.claimed_by) for p in context.payments.values()):
            # a payment attempt may have paid: reconciliation settles or releases it first
            summary["payment_unresolved"] = summary.get("payment_unresolved", 0) + 1
            continue
        action = plan_dunning(account, invoices, day) if account else None
        outcome = apply(account, invoices, action, day) if account and action else "nothing_due"
        summary[outcome] = summary.get(outcome, 0) + 1
    return summary


@idempotent_function(data_keyword_argument="day", config=day_run, persistence_store=persistence,
                     key_prefix="dunning")  # the prefix its IAM policy allows on the idempotency table
def run_once_for(day: str) -> dict[str, int]:
    return run(date.fromisoformat(day))


@job_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    day_run.register_lambda_context(context)
    summary = run_once_for(day=today().isoformat())
    metrics.add_metric(name="DunningRuns", unit="Count", value=1)  # DunningNotRunAlarm counts these
    logger.info("dunning run", extra={"summary": summary})
    return summary


coldstart.finished()  # the last line of init
