"""What accepting a ticket needs from outside: the store (``helpcenter.store.tickets`` on DynamoDB)
and the mailer (``helpcenter.mail`` on SES). Orchestration receives both, so its tests run against
in-memory stand-ins (``tests/unit/fakes.py``) that follow the DynamoDB module's contract tests."""

from __future__ import annotations

from typing import Protocol

from helpcenter.domain import Account, Partner
from helpcenter.i18n.emails import Email
from helpcenter.store.tickets import Counter


class TicketStore(Protocol):
    def get_partner(self, domain: str) -> Partner | None: ...

    def get_account(self, number: str) -> Account | None: ...

    def get_ticket(self, ticket_id: str) -> dict | None: ...

    def counter_value(self, counter: Counter) -> int: ...

    def add_to_counter(self, counter: Counter) -> int: ...

    def put_ticket(self, ticket_id: str, ticket: dict, counter: Counter, limit: int) -> bool:
        """False when the ticket exists already; ``TicketLimitReached`` when the counter is at ``limit``."""
        ...


class Mailer(Protocol):
    def send(self, to: list[str], email: Email) -> None: ...
