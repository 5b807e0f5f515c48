"""The answer to "why is my account restricted, and what happens next?"."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus
from helpcenter.rules import dunning
from helpcenter.rules.plans import support_channels


def timeline(account: Account, today: date) -> list[dict]:
    """Every dunning step with its date and whether it has happened, for the status page's timeline."""
    if account.dunning_since is None:
        return []
    return [
        {
            "event": step.event,
            "status": step.status.value,
            "date": dunning.step_date(account.dunning_since, step).isoformat(),
            "reached": dunning.step_date(account.dunning_since, step) <= today,
        }
        for step in dunning.STEPS
    ]


def status_report(account: Account, invoices: list[Invoice], today: date,
                  configured: Collection[str] = ()) -> dict:
    """The body of ``POST /accounts/status`` for a verified account (``configured``: the third-party
    channels that exist, see ``plans.support_channels``)."""
    status = dunning.status_on(account, invoices, today)
    in_dunning = status is not AccountStatus.ACTIVE
    upcoming = None
    since = account.dunning_since
    if in_dunning and since is not None and status is not AccountStatus.DELETED:
        upcoming = dunning.next_step(since, today) or dunning.DELETION  # deletion overdue
    shows_deletion = status in (AccountStatus.CANCELLED, AccountStatus.DELETED, AccountStatus.SUSPENSION_WARNING)
    deletion = dunning.deletion_date(account) if shows_deletion else None
    return {
        "status": status.value,
        "plan": account.plan.value,
        "outstanding_invoices": [
            {
                "invoice_number": invoice.number,
                "amount_due": invoice.amount_due.to_decimal_string(),
                "currency": invoice.amount.currency,
                "due_date": invoice.due_date.isoformat(),
                "overdue": invoice.is_overdue(today),
            }
            for invoice in sorted(invoices, key=lambda i: (i.due_date, i.number))
            if invoice.status is InvoiceStatus.OPEN
        ],
        "next_event": (
            {"event": upcoming.event, "date": dunning.step_date(since, upcoming).isoformat()}
            if upcoming and since
            else None
        ),
        "deletion_date": deletion.isoformat() if deletion else None,
        "support_channels": [] if status is AccountStatus.DELETED else support_channels(account.plan, configured),
        "timeline": timeline(account, today) if in_dunning else [],
    }
