"""The messages we promise to send, as facts: what kind, to whom, in which language, about what.

Enqueueing a message is writing it to the outbox in the same DynamoDB transaction as the fact it
reports (a ticket, a payment, a dunning step): put ``helpcenter.store.outbox.message_put(message,
created_at)`` among that transaction's items. The deliverer function (``functions/deliver_messages``)
then sends it once, with retries, backoff and a dead-letter queue. Nothing else is needed:

    message = Message(f"{ticket_id}#escalation#2", Kind.TICKET_ESCALATION, ("desk@example.com",),
                      {"ticket_id": ticket_id, "level": 2}, "fr")
    client().transact_write_items(TransactItems=[fact_update, message_put(message, now_iso)])

What a message *says* is decided when it is delivered, from ``kind``, ``facts`` and ``language``:
e-mails by ``helpcenter.i18n.emails.render(kind, language, facts)`` (so ``facts`` is that kind's
e-mail context, plain JSON values), the help-desk channels from the same facts. A new kind needs its
e-mail templates and, for the queue's copy, nothing more.

Ids are derived from the fact (``T-ABC#queue``, ``payment#pay_123#confirmation``), and the outbox
write is conditional on the id being new, so writing the same fact twice cannot promise a second
message.
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
    TICKET_ESCALATION = "ticket_escalation"  # to the contacts of the level a ticket reached


class Channel(StrEnum):
    """How a message travels: e-mail through SES (every kind), or, for a ticket's queue copy, to the
    help desk (``helpcenter.helpdesk``)."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    ZENDESK = "zendesk"


@dataclass(frozen=True)
class Message:
    id: str
    kind: Kind
    to: tuple[str, ...]
    facts: dict = field(default_factory=dict)  # plain JSON values (strings, ints, lists, dicts, bools, None)
    language: str | None = None  # a site language; None: the site's default
    channel: Channel = Channel.EMAIL
