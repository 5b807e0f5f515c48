"""In-memory stand-ins for the orchestration's seams: the payment store (with its outbox), a payment
provider and the ticket store (with its outbox). The stores keep the conditional-write rules of
``helpcenter.store.payments`` and ``helpcenter.store.tickets`` (whose moto tests are the contract these
fakes follow: ``tests/integration/test_ticket_store_contract.py`` runs the same tests on both ticket
stores), so orchestration tests run in milliseconds."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field

from helpcenter import payments
from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Partner
from helpcenter.messages import Message
from helpcenter.payments import Charge, ChargeRequest
from helpcenter.store.payments import ClaimRefused, InvoicePayment, PaymentContext, PaymentNotRecorded
from helpcenter.store.tickets import Counter, TicketLimitReached


@dataclass
class StoredInvoice:
    invoice: Invoice
    payment_key: str | None = None
    claimed_until: int | None = None
    payment_id: str | None = None
    paid_at: str | None = None

    def payment(self) -> InvoicePayment:
        return InvoicePayment(self.invoice.status.value, self.payment_key, self.claimed_until, self.payment_id,
                              self.paid_at)


@dataclass
class InMemoryPaymentStore:
    accounts: dict[str, Account] = field(default_factory=dict)
    invoices: dict[tuple[str, str], StoredInvoice] = field(default_factory=dict)
    payment_seq: dict[str, int] = field(default_factory=dict)
    fail_records: int = 0  # the next N record_payment calls are refused as if another payment came first
    outbox: list[Message] = field(default_factory=list)  # messages written with a recorded payment

    def add(self, account: Account, *invoices: Invoice) -> None:
        self.accounts[account.number] = account
        for invoice in invoices:
            self.invoices[(invoice.account_number, invoice.number)] = StoredInvoice(invoice)

    def get_account_and_invoice(self, account_number, invoice_number):
        stored = self.invoices.get((account_number, invoice_number))
        return self.accounts.get(account_number), stored.invoice if stored else None

    def get_payment_context(self, account_number):
        mine = [s for (number, _), s in self.invoices.items() if number == account_number]
        return PaymentContext(self.accounts.get(account_number), [s.invoice for s in mine],
                              self.payment_seq.get(account_number, 0), {s.invoice.number: s.payment() for s in mine})

    def claim_invoice(self, account_number, invoice_number, key, until, now):
        stored = self.invoices.get((account_number, invoice_number))
        if not stored or stored.invoice.status is not InvoiceStatus.OPEN or not (
                stored.claimed_until is None or stored.claimed_until < now or stored.payment_key == key):
            raise ClaimRefused(stored.payment() if stored else InvoicePayment())
        previous = stored.payment_key
        stored.payment_key, stored.claimed_until = key, until
        if previous and previous != key:
            return InvoicePayment(InvoiceStatus.OPEN.value, previous, stored.claimed_until)
        return None

    def hand_back_claim(self, account_number, invoice_number, key, previous, now):
        stored = self.invoices[(account_number, invoice_number)]
        if stored.invoice.status is InvoiceStatus.OPEN and stored.payment_key == key:
            stored.payment_key, stored.claimed_until = previous.claimed_by, now - 1

    def release_claim(self, account_number, invoice_number, key):
        stored = self.invoices[(account_number, invoice_number)]
        if stored.invoice.status is InvoiceStatus.OPEN and stored.payment_key == key:
            stored.payment_key = stored.claimed_until = None

    def record_payment(self, settlement, key, payment_id, paid_at, seen_seq, paid_by=None, messages=()):
        number = settlement.account.number
        stored = self.invoices[(number, settlement.invoice.number)]
        claim_lost = stored.invoice.status is not InvoiceStatus.OPEN or stored.payment_key != key
        account = self.accounts.get(number)
        account_changed = (self.fail_records > 0 or account is None or account.status is AccountStatus.DELETED
                           or self.payment_seq.get(number, 0) != seen_seq)
        if claim_lost or account_changed:
            self.fail_records = max(self.fail_records - 1, 0)
            self.payment_seq[number] = self.payment_seq.get(number, 0) + (1 if account_changed else 0)
            raise PaymentNotRecorded(account_changed=account_changed, claim_lost=claim_lost)
        stored.invoice = dataclasses.replace(stored.invoice, status=InvoiceStatus.PAID)
        stored.payment_id, stored.paid_at, stored.payment_key, stored.claimed_until = payment_id, paid_at, paid_by or key, None
        self.payment_seq[number] = seen_seq + 1
        self.outbox += messages
        assert account is not None  # a missing account is a changed one: refused above
        if settlement.reactivated:
            self.accounts[number] = dataclasses.replace(account, status=AccountStatus.ACTIVE, dunning_since=None,
                                                        notices_sent=frozenset())


class ScriptedProvider:
    """A provider whose outcome per token is scripted; idempotent by key like a real one."""

    name = "scripted"
    _ids = itertools.count(1)

    def __init__(self) -> None:
        self.charges: dict[str, Charge] = {}  # key → the charge that took money
        self.calls: list[ChargeRequest] = []
        self.refunds: dict[str, str] = {}  # key → the payment given back
        self.lose_next_answer = False

    def charge(self, request: ChargeRequest) -> Charge:
        self.calls.append(request)
        if request.idempotency_key in self.charges:
            return self.charges[request.idempotency_key]
        if request.payment_token == "declined":
            raise payments.PaymentDeclined("card_declined")
        if request.payment_token == "down":
            raise payments.ProviderFailed("scripted: down")
        charge = Charge(f"ch_{next(self._ids)}", request.amount)
        self.charges[request.idempotency_key] = charge
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise payments.ProviderUnreachable("scripted: answer lost")
        return charge

    def find_charge(self, idempotency_key: str) -> Charge | None:
        return self.charges.get(idempotency_key)

    def refund(self, payment_id: str, idempotency_key: str) -> None:
        self.refunds.setdefault(idempotency_key, payment_id)


@dataclass
class InMemoryTicketStore:
    """Partners and accounts to read; tickets and counters written as ``helpcenter.store.tickets``
    writes them (the ticket, its counter and its messages in one step, or nothing). ``accounts_read`` lists every
    account number looked up, so a test can tell an account that was never read."""

    partners: dict[str, Partner] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    tickets: dict[str, dict] = field(default_factory=dict)
    counters: dict[tuple[str, str], int] = field(default_factory=dict)
    accounts_read: list[str] = field(default_factory=list)
    outbox: list[Message] = field(default_factory=list)  # messages written with a stored ticket
    broken_writes: int = 0  # the next N ticket writes fail as a DynamoDB outage would
    written_first: dict | None = None  # written by a concurrent request just before the next ticket write

    def add(self, *records: Partner | Account) -> None:
        for record in records:
            if isinstance(record, Partner):
                self.partners[record.domain] = record
            else:
                self.accounts[record.number] = record

    def get_partner(self, domain: str) -> Partner | None:
        return self.partners.get(domain.lower())

    def get_account(self, number: str) -> Account | None:
        self.accounts_read.append(number)
        return self.accounts.get(number)

    def get_ticket(self, ticket_id: str) -> dict | None:
        return dict(self.tickets[ticket_id]) if ticket_id in self.tickets else None

    def counter_value(self, counter: Counter) -> int:
        return self.counters.get((counter.partition, counter.window_key), 0)

    def add_to_counter(self, counter: Counter) -> int:
        key = (counter.partition, counter.window_key)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def put_ticket(self, ticket_id: str, ticket: dict, counter: Counter, limit: int, messages=()) -> bool:
        if self.written_first is not None:
            self.tickets[ticket_id], self.written_first = self.written_first, None
        if self.broken_writes:
            self.broken_writes -= 1
            raise ConnectionError("ticket store unreachable")
        if ticket_id in self.tickets:
            return False
        if self.counter_value(counter) >= limit:
            raise TicketLimitReached()
        self.tickets[ticket_id] = dict(ticket)
        self.add_to_counter(counter)
        self.outbox += messages
        return True
