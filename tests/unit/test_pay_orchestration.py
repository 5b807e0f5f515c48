"""Paying an invoice, orchestrated with in-memory seams (``tests/unit/fakes.py``): the order of claim,
charge, record (with its confirmation), and what each fault leaves behind. The same flows against DynamoDB
(moto) over HTTP are in ``tests/integration/test_pay_invoice.py``."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Plan, Region
from helpcenter.money import Money
from pay_invoice import logic
from pay_invoice.models import PayInvoiceRequest
from tests.unit.fakes import InMemoryPaymentStore, ScriptedProvider

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
TODAY = NOW.date()


@pytest.fixture
def seams():
    store, provider = InMemoryPaymentStore(), ScriptedProvider()
    store.add(Account("100200300", "Lotus Trading Co.", Plan.PRO, Region.EUROPE_UK, "digest",
                      billing_contacts=("billing@lotus.example",), status=AccountStatus.PAST_DUE,
                      dunning_since=TODAY - timedelta(days=3), notices_sent=frozenset({"first_notice"})),
              Invoice("INV-1", "100200300", Money(5900, "EUR"), date(2026, 11, 20)))
    return store, provider, logic.InvoicePayments(store, provider)


def request(token: str = "tok_ok", amount: str = "59.00") -> PayInvoiceRequest:
    return PayInvoiceRequest(account_number="100200300", invoice_number="INV-1", currency="EUR", amount_due=amount,
                             payment_token=token)


def pay(flow, key: str = "key-00000001", **kwargs):
    return flow.pay(request(**kwargs), key, now=NOW, today=TODAY)


def invoice(store) -> tuple[InvoiceStatus, str | None]:
    stored = store.invoices[("100200300", "INV-1")]
    return stored.invoice.status, stored.payment_key


def test_a_payment_charges_once_records_reactivates_and_confirms(seams):
    store, provider, flow = seams
    receipt = pay(flow)
    assert receipt == {"payment_id": "ch_" + receipt["payment_id"][3:], "invoice_number": "INV-1",
                       "amount_paid": "59.00", "currency": "EUR", "account_status": "active", "next_invoice": None}
    assert invoice(store) == (InvoiceStatus.PAID, "key-00000001")
    assert store.accounts["100200300"].status is AccountStatus.ACTIVE
    assert [(m.id, m.to) for m in store.outbox] == [(f"payment#{receipt['payment_id']}#confirmation",
                                                     ("billing@lotus.example",))]
    assert len(provider.charges) == 1


def test_a_lost_answer_keeps_the_claim_and_the_retry_settles_the_same_charge(seams):
    store, provider, flow = seams
    provider.lose_next_answer = True
    with pytest.raises(logic.PaymentPending):
        pay(flow)
    assert invoice(store) == (InvoiceStatus.OPEN, "key-00000001")
    with pytest.raises(logic.PaymentInProgress):
        pay(flow, key="key-someone-else")
    receipt = pay(flow)
    assert receipt["payment_id"] == provider.charges["key-00000001"].payment_id
    assert len(provider.charges) == 1 and invoice(store)[0] is InvoiceStatus.PAID


def test_a_decline_takes_nothing_and_frees_the_invoice(seams):
    store, provider, flow = seams
    with pytest.raises(logic.Declined) as declined:
        pay(flow, token="declined")
    assert declined.value.reason == "card_declined" and declined.value.fields[0]["code"] == "card_declined"
    assert invoice(store) == (InvoiceStatus.OPEN, None)
    assert pay(flow, key="key-00000002")["account_status"] == "active"


def test_a_provider_fault_frees_the_invoice_and_says_try_again(seams):
    store, _, flow = seams
    with pytest.raises(logic.ProviderDown) as down:
        pay(flow, token="down")
    assert down.value.retry_after and invoice(store) == (InvoiceStatus.OPEN, None)


def test_a_wrong_amount_or_unknown_invoice_charges_nothing(seams):
    _, provider, flow = seams
    with pytest.raises(logic.AmountMismatch):
        pay(flow, amount="58.00")
    with pytest.raises(logic.NoMatch):
        flow.pay(request().model_copy(update={"invoice_number": "INV-404"}), "key-00000003", now=NOW, today=TODAY)
    assert provider.calls == []


def test_a_payment_that_raced_another_is_decided_again_on_a_fresh_read(seams):
    store, provider, flow = seams
    store.fail_records = 1
    assert pay(flow)["account_status"] == "active"
    assert len(provider.charges) == 1


def test_the_confirmation_is_promised_only_with_a_recorded_payment(seams):
    store, _, flow = seams
    store.fail_records = 1  # the first record is refused: it promises nothing
    receipt = pay(flow)
    assert [m.id for m in store.outbox] == [f"payment#{receipt['payment_id']}#confirmation"]
    assert pay(flow) == receipt and len(store.outbox) == 1  # a replay promises nothing more


def test_a_replay_of_the_paying_attempt_answers_its_receipt(seams):
    _, provider, flow = seams
    first = pay(flow)
    assert pay(flow) == first
    assert len(provider.charges) == 1


def test_the_lookup_shows_the_masked_account_and_the_amount_due(seams):
    *_, flow = seams
    found = flow.lookup("100200300", "INV-1")
    assert found["amount_due"] == "59.00" and found["account_name"] != "Lotus Trading Co."
    with pytest.raises(logic.NoMatch):
        flow.lookup("100200300", "INV-404")
