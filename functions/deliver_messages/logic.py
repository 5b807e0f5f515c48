"""Deliver one outbox message, once: claim it, send it on its channel, record it sent.

A message marked sent is never sent again, however often the queue hands it over. The one window
left is a deliverer that stops between the provider's acceptance and ``mark_sent`` (a crash, a
timeout): its lease runs out and the next attempt sends again. SES offers no idempotency key, so
that window cannot be closed for e-mail; it is as short as one ``UpdateItem``. The help-desk channels
close it on their side: a webhook carries the message id as ``Idempotency-Key``, and the Zendesk
connector finds a ticket it created before (``helpcenter.helpdesk``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Callable

from helpcenter import helpdesk, mail
from helpcenter.environment import DeliverMessagesEnvironment
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


@cache
def environment() -> DeliverMessagesEnvironment:
    return DeliverMessagesEnvironment.load()


@cache
def _secrets():
    from aws_lambda_powertools.utilities.parameters import SSMProvider

    from helpcenter.timeouts import aws_config

    return SSMProvider(boto_config=aws_config())


def secret(name: str) -> str:
    """An SSM SecureString of the deliverer, cached five minutes (a rotated secret is used soon)."""
    value = _secrets().get(name, decrypt=True, max_age=300)
    if not isinstance(value, str) or not value:
        raise ValueError(f"the SSM parameter {name} must hold a string")
    return value


class NotConfigured(Exception):
    """A message for a channel whose address this deployment does not set (template parameters)."""


def send_webhook(message: Message) -> str:
    if not environment().webhook_url:
        raise NotConfigured("WebhookUrl is not set")
    return helpdesk.post_webhook(environment().webhook_url, secret(environment().webhook_secret_parameter).encode(),
                                 message)


def send_zendesk(message: Message) -> str:
    if not environment().zendesk_url:
        raise NotConfigured("ZendeskUrl is not set")
    return helpdesk.create_zendesk_ticket(environment().zendesk_url,
                                          secret(environment().zendesk_credentials_parameter), message)


SENDERS: dict[Channel, Callable[[Message], str | None]] = {
    Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook, Channel.ZENDESK: send_zendesk}


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
