"""The dunning timeline: what happens on which day after a renewal charge fails (day D).

``STEPS`` is the one statement of it: each step's day after D, its event (the notice sent that day)
and the account's status from then on. Code looks steps up by event (``step_of``), never by position.
The suspension date a customer is warned about is the cancellation day; data is kept for
``RETENTION_DAYS`` after it, then deleted. Pages, e-mails and the README state these days; the
docs tests check every day count they write against this module.
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


CANCELLATION_DAY = 29
RETENTION_DAYS = 90  # data kept after cancellation, while a reactivation is still possible
STEPS: tuple[Step, ...] = (
    Step(0, "first_notice", AccountStatus.PAST_DUE),
    Step(2, "second_notice", AccountStatus.PAST_DUE),
    Step(4, "third_notice", AccountStatus.PAST_DUE),
    Step(21, "suspension_warning", AccountStatus.SUSPENSION_WARNING),
    Step(CANCELLATION_DAY, "cancellation", AccountStatus.CANCELLED),
    Step(CANCELLATION_DAY + RETENTION_DAYS, "deletion", AccountStatus.DELETED),
)
_BY_EVENT = {step.event: step for step in STEPS}


def step_of(event: str) -> Step:
    """The step of ``event`` (``KeyError`` for an event the timeline does not have)."""
    return _BY_EVENT[event]


def days_between(earlier: str, later: str) -> int:
    """Days from one event's step to another's: e.g. the warning's "cancelled in N days"."""
    return step_of(later).offset_days - step_of(earlier).offset_days


DELETION = step_of("deletion")


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
