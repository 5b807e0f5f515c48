"""What accepting a ticket needs from outside: the store (``helpcenter.store.tickets`` on DynamoDB),
which writes the ticket with its messages (the outbox; the deliverer sends them). Orchestration
receives it, so its tests run against an in-memory stand-in (``tests/unit/fakes.py``) that follows
the DynamoDB module's contract tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from helpcenter.domain import Account, Partner
from helpcenter.messages import Message
from helpcenter.store.tickets import Counter


class TicketStore(Protocol):
    def get_partner(self, domain: str) -> Partner | None: ...

    def get_account(self, number: str) -> Account | None: ...

    def get_ticket(self, ticket_id: str) -> dict | None: ...

    def counter_value(self, counter: Counter) -> int: ...

    def add_to_counter(self, counter: Counter) -> int: ...

    def put_ticket(self, ticket_id: str, ticket: dict, counter: Counter, limit: int,
                   messages: Sequence[Message] = ()) -> bool:
        """The ticket, its counter and its ``messages`` in one step. False when the ticket exists
        already; ``TicketLimitReached`` when the counter is at ``limit``: either way nothing is written."""
        ...
