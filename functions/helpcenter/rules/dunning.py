"""The dunning timeline: what happens on which day after a renewal charge fails (day D).

| day   | notice               | status after          |
| D     | first_notice         | past_due              |
| D+2   | second_notice        | past_due              |
| D+4   | third_notice         | past_due (owner/admin banner)  |
| D+21  | suspension_warning   | suspension_warning (banner for all agents) |
| D+29  | cancellation         | cancelled             |
| D+119 | deletion             | deleted (data erased) |

"Suspension date" in the source is taken to be the cancellation date, so deletion is 90 days after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from helpcenter.domain import Account, AccountStatus, Invoice


@dataclass(frozen=True)
class Step:
    offset_days: int
    event: str
    status: AccountStatus


STEPS: tuple[Step, ...] = (
    Step(0, "first_notice", AccountStatus.PAST_DUE),
    Step(2, "second_notice", AccountStatus.PAST_DUE),
    Step(4, "third_notice", AccountStatus.PAST_DUE),
    Step(21, "suspension_warning", AccountStatus.SUSPENSION_WARNING),
    Step(29, "cancellation", AccountStatus.CANCELLED),
    Step(29 + 90, "deletion", AccountStatus.DELETED),
)
CANCELLATION = STEPS[4]
DELETION = STEPS[5]


def step_date(failed_on: date, step: Step) -> date:
    return failed_on + timedelta(days=step.offset_days)


def current_step(failed_on: date, today: date) -> Step | None:
    """The latest step that is due on ``today``; None before D."""
    due = [step for step in STEPS if step_date(failed_on, step) <= today]
    return due[-1] if due else None


def next_step(failed_on: date, today: date) -> Step | None:
    """The first step still ahead of ``today``; None once data is deleted."""
    return next((step for step in STEPS if step_date(failed_on, step) > today), None)


def has_overdue(invoices: list[Invoice], today: date) -> bool:
    return any(invoice.is_overdue(today) for invoice in invoices)


def status_on(account: Account, invoices: list[Invoice], today: date) -> AccountStatus:
    """The account's status on ``today``: deleted stays deleted; with nothing overdue it is active."""
    if account.status is AccountStatus.DELETED:
        return AccountStatus.DELETED
    if account.dunning_since is None or not has_overdue(invoices, today):
        return AccountStatus.ACTIVE
    step = current_step(account.dunning_since, today)
    if step is None:
        return AccountStatus.ACTIVE
    # "deleted" is a fact, not a date: until the daily job has erased the data the account is cancelled.
    return AccountStatus.CANCELLED if step is DELETION else step.status


def deletion_date(account: Account) -> date | None:
    return step_date(account.dunning_since, DELETION) if account.dunning_since else None


@dataclass(frozen=True)
class DunningAction:
    """What the daily job must do for one account today."""

    status: AccountStatus
    notices: tuple[str, ...]  # to record as done; the last one is e-mailed, older ones were missed days
    erase_data: bool

    @property
    def email(self) -> str | None:
        return self.notices[-1] if self.notices else None


def plan_dunning(account: Account, invoices: list[Invoice], today: date) -> DunningAction | None:
    """The day's action for an account in the dunning index, or None when there is nothing to do.

    Nothing is done for an account that is not in dunning, whose overdue invoices were paid meanwhile,
    or whose due notice was already sent. When the job missed days, only the latest due notice is
    e-mailed (the skipped ones are recorded): a customer must not get three stale e-mails at once.
    An erasure that was interrupted (status already ``deleted``) is finished.
    """
    if account.status is AccountStatus.DELETED:
        return DunningAction(AccountStatus.DELETED, (), erase_data=True)
    if account.dunning_since is None or not has_overdue(invoices, today):
        return None
    step = current_step(account.dunning_since, today)
    if step is None or step.event in account.notices_sent:
        return None
    notices = tuple(
        s.event for s in STEPS if s.offset_days <= step.offset_days and s.event not in account.notices_sent
    )
    return DunningAction(status_on(account, invoices, today), notices, erase_data=step is DELETION)
