"""Express payment rules: what may be paid, for how much, and what paying changes (pure)."""

from datetime import date, timedelta

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from devstack import template as sam
from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Plan, Region
from helpcenter.money import CURRENCY_EXPONENTS, Money
from helpcenter.rules import dunning, payment

TODAY = date(2026, 11, 22)
NUMBER = "100200303"


def account(**changes) -> Account:
    values = dict(number=NUMBER, name="Trattoria Bellavista", plan=Plan.PRO, region=Region.EUROPE_UK,
                  postal_code_digest="x", status=AccountStatus.SUSPENSION_WARNING,
                  dunning_since=TODAY - timedelta(days=23),
                  notices_sent=frozenset({"first_notice", "second_notice", "third_notice", "suspension_warning"}))
    return Account(**{**values, **changes})


def invoice(number="INV-4001", due_in=-23, minor=5900, currency="EUR", credit=None, status=InvoiceStatus.OPEN,
            account_number=NUMBER) -> Invoice:
    return Invoice(number, account_number, Money(minor, currency), TODAY + timedelta(days=due_in), status,
                   Money(credit, currency) if credit is not None else None)


# --- what may be paid -------------------------------------------------------------------------------


def test_an_open_invoice_of_a_live_account_may_be_paid():
    assert payment.payable_invoice(account(), [invoice()], "INV-4001") == invoice()


def test_an_invoice_not_yet_due_may_be_paid_too():
    assert payment.payable_invoice(account(), [invoice(due_in=+7)], "INV-4001") is not None


@pytest.mark.parametrize("case, acct, invoices", [
    ("unknown account", None, [invoice()]),
    ("unknown invoice", account(), [invoice(number="INV-4002")]),
    ("another account's invoice", account(), [invoice(account_number="100200304")]),
    ("already paid", account(), [invoice(status=InvoiceStatus.PAID)]),
    ("deleted account", account(status=AccountStatus.DELETED), [invoice()]),
    ("nothing left after credit", account(), [invoice(credit=5900)]),
])
def test_every_mismatch_is_the_same_no_match(case, acct, invoices):
    assert payment.payable_invoice(acct, invoices, "INV-4001") is None, case


# --- how much ---------------------------------------------------------------------------------------

currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))


@given(amount=st.integers(1, 10**12), credit=st.integers(0, 10**12), currency=currencies)
def test_only_the_amount_due_after_credit_is_accepted(amount, credit, currency):
    credit = min(credit, amount - 1)
    due = invoice(minor=amount, credit=credit or None, currency=currency)
    exact = Money(amount - credit, currency)
    assert payment.amount_matches(due, exact)
    assert not payment.amount_matches(due, Money(exact.minor + 1, currency))
    assert not payment.amount_matches(due, Money(exact.minor - 1, currency))
    assert payment.amount_matches(due, Money.parse(exact.to_decimal_string(), currency))  # the lookup's string


@given(amount=st.integers(1, 10**9), currency=currencies, other=currencies)
def test_another_currency_never_matches(amount, currency, other):
    due = invoice(minor=amount, currency=currency)
    assert payment.amount_matches(due, Money(amount, other)) is (other == currency)


def test_the_downgrade_credit_is_taken_off():
    due = invoice(minor=2_500_000, currency="VND", credit=400_000)
    assert payment.amount_matches(due, Money.parse("2100000", "VND"))
    assert not payment.amount_matches(due, Money.parse("2500000", "VND"))


# --- what paying changes ----------------------------------------------------------------------------


def test_paying_the_last_overdue_invoice_reactivates_and_leaves_dunning():
    settled = payment.settle(account(), [invoice(), invoice("INV-4002", due_in=+7)], "INV-4001", TODAY)
    assert settled.reactivated
    assert settled.invoice.status is InvoiceStatus.PAID
    assert settled.account.status is AccountStatus.ACTIVE
    assert settled.account.dunning_since is None and settled.account.notices_sent == frozenset()
    assert settled.account_status is AccountStatus.ACTIVE
    assert settled.amount_paid == Money(5900, "EUR")
    # the dunning job has nothing left to do for it
    assert dunning.plan_dunning(settled.account, [settled.invoice, invoice("INV-4002", due_in=+7)], TODAY) is None


def test_another_overdue_invoice_keeps_the_account_in_dunning():
    acct = account(status=AccountStatus.PAST_DUE, dunning_since=TODAY - timedelta(days=2))
    invoices = [invoice("INV-8001", due_in=-32), invoice("INV-8002", due_in=-2)]
    settled = payment.settle(acct, invoices, "INV-8001", TODAY)
    assert not settled.reactivated
    assert settled.account == acct
    assert settled.account_status is AccountStatus.PAST_DUE


def test_paying_an_invoice_not_yet_due_changes_no_status():
    settled = payment.settle(account(), [invoice(), invoice("INV-4002", due_in=+7)], "INV-4002", TODAY)
    assert not settled.reactivated
    assert settled.account_status is AccountStatus.SUSPENSION_WARNING


def test_a_cancelled_account_is_reactivated_until_deleted():
    acct = account(status=AccountStatus.CANCELLED, dunning_since=TODAY - timedelta(days=40))
    settled = payment.settle(acct, [invoice(due_in=-40, minor=2_500_000, currency="VND", credit=400_000)],
                             "INV-4001", TODAY)
    assert settled.reactivated and settled.account_status is AccountStatus.ACTIVE
    assert settled.amount_paid == Money(2_100_000, "VND")
    with pytest.raises(ValueError):
        payment.settle(account(status=AccountStatus.DELETED), [invoice()], "INV-4001", TODAY)


def test_an_active_account_stays_as_it_is():
    acct = account(status=AccountStatus.ACTIVE, dunning_since=None, notices_sent=frozenset())
    settled = payment.settle(acct, [invoice(due_in=+12)], "INV-4001", TODAY)
    assert not settled.reactivated and settled.account == acct


invoice_specs = st.lists(
    st.tuples(st.integers(-60, 30), st.sampled_from([InvoiceStatus.OPEN, InvoiceStatus.PAID])),
    min_size=1, max_size=6,
)


@given(specs=invoice_specs, pick=st.integers(0, 5), in_dunning=st.booleans(), days_in=st.integers(0, 118))
def test_reactivated_exactly_when_nothing_overdue_remains(specs, pick, in_dunning, days_in):
    invoices = [invoice(f"INV-{i}", due_in=due, status=status) for i, (due, status) in enumerate(specs)]
    open_numbers = [i.number for i in invoices if i.status is InvoiceStatus.OPEN]
    if not open_numbers:
        return
    number = open_numbers[pick % len(open_numbers)]
    acct = account(dunning_since=TODAY - timedelta(days=days_in)) if in_dunning else account(
        status=AccountStatus.ACTIVE, dunning_since=None, notices_sent=frozenset())
    settled = payment.settle(acct, invoices, number, TODAY)
    remaining = [settled.invoice if i.number == number else i for i in invoices]
    assert settled.reactivated is (in_dunning and not dunning.has_overdue(remaining, TODAY))
    assert settled.invoice.status is InvoiceStatus.PAID and settled.invoice.number == number
    if not dunning.has_overdue(remaining, TODAY):
        assert settled.account_status is AccountStatus.ACTIVE
    assert (settled.account.dunning_since is None) is (settled.reactivated or not in_dunning)


# --- who holds the invoice --------------------------------------------------------------------------

NOW = 1_800_000_000


@pytest.mark.parametrize("status, claimed_by, expected", [
    ("paid", "key-a", payment.ClaimVerdict.ALREADY_PAID_BY_THIS_KEY),
    ("paid", "key-b", payment.ClaimVerdict.NO_MATCH),
    ("paid", None, payment.ClaimVerdict.NO_MATCH),
    ("open", "key-b", payment.ClaimVerdict.IN_PROGRESS),
    ("open", None, payment.ClaimVerdict.NO_MATCH),
    (None, None, payment.ClaimVerdict.NO_MATCH),  # the invoice is gone
])
def test_claim_verdicts(status, claimed_by, expected):
    assert payment.claim_verdict(status=status, claimed_by=claimed_by, key="key-a") is expected


def test_a_claim_outlives_the_function_that_holds_it():
    function = yaml.load(sam.TEMPLATE.read_text(), Loader=sam._CfnLoader)["Resources"]["PayInvoiceFunction"]  # noqa: S506
    assert payment.CLAIM_LEASE_SECONDS > 2 * function["Properties"]["Timeout"]
    assert payment.claim_expiry(NOW) == NOW + payment.CLAIM_LEASE_SECONDS
