"""Deliver one outbox message, once: claim it, send it on its channel, record it sent.

A message marked sent is never sent again, however often the queue hands it over. The one window
left is a deliverer that stops between the provider's acceptance and ``mark_sent`` (a crash, a
timeout): its lease runs out and the next attempt sends again. SES offers no idempotency key, so
that window cannot be closed for e-mail; it is as short as one ``UpdateItem``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from helpcenter import mail
from helpcenter.i18n.emails import render
from helpcenter.observability import error_facts, logger, metrics
from helpcenter.messages import Channel, Message
from helpcenter.rules.delivery import SENT_MESSAGE_DAYS
from helpcenter.store import outbox

LEASE_SECONDS = 60  # longer than the function's timeout: a live deliverer never loses its claim


class NotDelivered(Exception):
    """The message is still pending (the send failed, or another deliverer holds it): try later."""


def send_email(message: Message) -> str | None:
    """The message rendered in its recipients' language (``helpcenter.i18n.emails``), through SES."""
    return mail.send(list(message.to), render(message.kind.value, message.language, message.facts))


SENDERS: dict[Channel, Callable[[Message], str | None]] = {Channel.EMAIL: send_email}


def deliver(message_id: str, now: datetime, senders: dict = SENDERS) -> str:
    """``sent``, ``already_sent`` or ``missing``; raises ``NotDelivered`` to be tried again."""
    claim, stored = outbox.claim(message_id, int(now.timestamp()), LEASE_SECONDS)
    if claim is outbox.Claim.SENT:
        metrics.add_metric(name="MessagesAlreadySent", unit="Count", value=1)
        return "already_sent"
    if claim is outbox.Claim.MISSING:
        logger.warning("no such outbox message")
        return "missing"
    if claim is outbox.Claim.BUSY:
        raise NotDelivered("claimed by another deliverer")
    assert stored is not None  # a claimed message comes with its stored form
    message = stored.message
    try:
        reference = senders[message.channel](message)
    except Exception as error:  # noqa: BLE001 - any failure to send: the message stays pending, retried
        facts = error_facts(error)
        outbox.release(message_id, facts.get("error_code") or facts["error"])
        metrics.add_metric(name="MessageSendFailures", unit="Count", value=1)
        logger.warning("message not sent", extra={"kind": message.kind.value, "attempt": stored.attempts, **facts})
        raise NotDelivered(facts["error"]) from None
    expires = now + timedelta(days=SENT_MESSAGE_DAYS)
    outbox.mark_sent(message_id, now.isoformat(timespec="seconds"), reference, int(expires.timestamp()))
    metrics.add_metric(name="MessagesSent", unit="Count", value=1)
    logger.info("message sent", extra={"kind": message.kind.value, "attempt": stored.attempts})
    return "sent"
