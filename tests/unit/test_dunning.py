"""The dunning timeline, for every day from D−1 to D+130."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Plan, Region
from helpcenter.money import Money
from helpcenter.rules import dunning

D = date(2026, 3, 10)


def account(**changes) -> Account:
    values = dict(number="100200300", name="Acme", plan=Plan.PRO, region=Region.EUROPE_UK,
                  postal_code_digest="x", dunning_since=D)
    return Account(**{**values, **changes})


def overdue(due: date = D, status: InvoiceStatus = InvoiceStatus.OPEN) -> Invoice:
    return Invoice("INV-1", "100200300", Money(1000, "EUR"), due, status)


def expected_status(offset: int) -> AccountStatus:
    if offset < 0:
        return AccountStatus.ACTIVE
    if offset < 21:
        return AccountStatus.PAST_DUE
    if offset < 29:
        return AccountStatus.SUSPENSION_WARNING
    return AccountStatus.CANCELLED  # "deleted" only once the data is actually erased


def expected_notice(offset: int) -> str | None:
    schedule = {0: "first_notice", 2: "second_notice", 4: "third_notice", 21: "suspension_warning",
                29: "cancellation", 119: "deletion"}
    due = [day for day in schedule if day <= offset]
    return schedule[max(due)] if due else None


@pytest.mark.parametrize("offset", range(-1, 131))
def test_status_and_notice_on_every_day(offset):
    today = D + timedelta(days=offset)
    acct, invoices = account(), [overdue()]
    assert dunning.status_on(acct, invoices, today) is expected_status(offset)
    action = dunning.plan_dunning(acct, invoices, today)
    notice = expected_notice(offset)
    assert (action.email if action else None) == notice
    if action:
        assert action.erase_data is (offset >= 119)


@pytest.mark.parametrize("offset", range(-1, 131))
def test_next_step_is_the_first_one_ahead(offset):
    today = D + timedelta(days=offset)
    step = dunning.next_step(D, today)
    ahead = [s for s in dunning.STEPS if D + timedelta(days=s.offset_days) > today]
    assert step == (ahead[0] if ahead else None)


def test_key_dates():
    assert [s.offset_days for s in dunning.STEPS] == [0, 2, 4, 21, 29, 119]
    assert dunning.deletion_date(account()) == date(2026, 7, 7)  # D + 29 + 90


def test_each_notice_is_planned_once():
    invoices = [overdue()]
    sent: set[str] = set()
    for offset in range(-1, 131):
        action = dunning.plan_dunning(account(notices_sent=frozenset(sent)), invoices, D + timedelta(days=offset))
        if action and action.notices:
            assert not sent & set(action.notices)
            sent |= set(action.notices)
    assert sent == {s.event for s in dunning.STEPS}


def test_missed_days_send_only_the_latest_notice_and_record_the_rest():
    action = dunning.plan_dunning(account(), [overdue()], D + timedelta(days=22))
    assert action is not None and action.notices == ("first_notice", "second_notice", "third_notice", "suspension_warning")
    assert action.email == "suspension_warning"


def test_paid_meanwhile_is_left_alone():
    paid = [overdue(status=InvoiceStatus.PAID)]
    assert dunning.plan_dunning(account(), paid, D + timedelta(days=21)) is None
    assert dunning.status_on(account(), paid, D + timedelta(days=21)) is AccountStatus.ACTIVE


def test_invoice_not_yet_due_does_not_count():
    future = [overdue(due=D + timedelta(days=40))]
    assert dunning.plan_dunning(account(), future, D + timedelta(days=5)) is None


def test_interrupted_erasure_is_finished():
    action = dunning.plan_dunning(account(status=AccountStatus.DELETED), [], D + timedelta(days=125))
    assert action is not None and action.erase_data and action.notices == ()


@given(offset=st.integers(min_value=-400, max_value=400), later=st.integers(min_value=0, max_value=400))
def test_status_never_goes_back_while_unpaid(offset, later):
    order = [AccountStatus.ACTIVE, AccountStatus.PAST_DUE, AccountStatus.SUSPENSION_WARNING, AccountStatus.CANCELLED]
    first = dunning.status_on(account(), [overdue()], D + timedelta(days=offset))
    second = dunning.status_on(account(), [overdue()], D + timedelta(days=offset + later))
    assert order.index(second) >= order.index(first)
