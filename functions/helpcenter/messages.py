"""The messages we promise to send, as facts: what kind, to whom, in which language, about what.

A ``Message`` is written to the outbox in the same DynamoDB transaction as the fact it reports (a
ticket, a payment, a dunning step), and delivered later, once, by the deliverer function
(``functions/deliver_messages``). What a message *says* is decided when it is delivered, by
``helpcenter.mail.render(kind, facts, language)``: the fact and its wording meet only there.

Ids are derived from the fact (``T-ABC#queue``, ``pay_123#confirmation``), so writing the same fact
twice cannot promise a second message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TICKET_QUEUE = "ticket_queue"  # the support queue's copy of a ticket or billing case
    TICKET_CONFIRMATION = "ticket_confirmation"  # to the requester
    HOW_TO_FLOOD = "how_to_flood"  # to the partner's managers
    PAYMENT_CONFIRMATION = "payment_confirmation"  # to every billing contact
    DUNNING_NOTICE = "dunning_notice"  # to every billing contact


class Channel(StrEnum):
    EMAIL = "email"


@dataclass(frozen=True)
class Message:
    id: str
    kind: Kind
    to: tuple[str, ...]
    facts: dict = field(default_factory=dict)  # plain JSON values (strings, ints, lists, dicts, bools)
    language: str = "en"
    channel: Channel = Channel.EMAIL


def ticket_messages(ticket_id: str, queue_email: str, requester_email: str, details: dict,
                    language: str = "en") -> list[Message]:
    """A ticket's two messages: the queue's copy and the requester's confirmation."""
    return [
        Message(f"{ticket_id}#queue", Kind.TICKET_QUEUE, (queue_email,), details),
        Message(f"{ticket_id}#confirmation", Kind.TICKET_CONFIRMATION, (requester_email,), details, language),
    ]
