"""What the tests read back from the table, for records a test has made: a record that is missing
fails the test here, with its key, rather than as an attribute error further on."""

from __future__ import annotations

from helpcenter import store
from helpcenter.domain import Account, Invoice
from helpcenter.store import outbox
from helpcenter.store.outbox import StoredMessage


def stored_message(message_id: str) -> StoredMessage:
    message = outbox.get_message(message_id)
    assert message is not None, f"no outbox message {message_id}"
    return message


def stored_ticket(ticket_id: str) -> dict:
    ticket = store.get_ticket(ticket_id)
    assert ticket is not None, f"no ticket {ticket_id}"
    return ticket


def stored_account(number: str) -> tuple[Account, list[Invoice]]:
    account, invoices = store.get_account_with_invoices(number)
    assert account is not None, f"no account {number}"
    return account, invoices
