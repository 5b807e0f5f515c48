"""A ticket's queue copy delivered where support people work, beside (or instead of) the queue's
e-mail: a signed webhook, or a ticket in Zendesk through Zendesk's public REST API.

Which channels a ticket's queue copy takes is configuration: ``TICKET_CHANNELS`` of the ticket
function (template parameter ``TicketChannels``, default ``email``). Each channel is one outbox
message of its own (``T-…#queue``, ``T-…#webhook``, ``T-…#zendesk``), so each is delivered once,
with its own retries and, after the last, the dead-letter queue. Endpoints are template parameters
(``WebhookUrl``, ``ZendeskUrl``), secrets SSM SecureStrings (``WebhookSecretParameter``,
``ZendeskCredentialsParameter``), read by the deliverer only.

**Webhook.** ``POST`` of JSON ``{"type": "ticket.accepted", "id": <message id>, "ticket": {…}}`` (the
ticket with its ``acknowledge_token``, for ``POST /tickets/acknowledge`` with ``source: help_desk``) with
``Helpcenter-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`` (the
scheme Stripe uses, so receivers know it) and ``Idempotency-Key: <message id>``. Any 2xx is delivered;
anything else is retried. A receiver recomputes the HMAC over ``"<t>."`` + the raw body, compares it
in constant time, refuses a ``t`` older than five minutes, and keeps the first of deliveries with the
same id.

**Zendesk.** ``POST /api/v2/tickets`` (basic authentication ``<agent e-mail>/token:<API token>``)
with ``priority`` from the severity, ``tags`` for severity, queue and kind, ``custom_fields`` for the
two deadlines and the acknowledge token (field ids in ``support.yml`` ``help_desk.zendesk``; a Zendesk
trigger posts the token to ``POST /tickets/acknowledge``), ``external_id`` = our ticket id,
the queue e-mail's subject and text as subject and first comment. Once only: every attempt first
looks the ticket up by ``external_id`` (a ticket created by an attempt whose answer was lost is
found, not created again), and creates it with ``Idempotency-Key`` = the message id (Zendesk answers
a repeated key with the first ticket).

Hand-written on ``requests``: the official Zendesk clients are not Python, and the community ones
are unmaintained or far larger than two calls.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import requests

from helpcenter.i18n.emails import render
from helpcenter.messages import Message
from helpcenter.observability import trace_requests
from helpcenter.support import CONFIG

trace_requests()

SIGNATURE_HEADER = "Helpcenter-Signature"
TIMEOUT = (2.0, 5.0)  # connect, read: well inside the deliverer's 30 s


class NotAccepted(Exception):
    """The help desk did not take the message (an HTTP error status): it is tried again."""

    def __init__(self, status: int):
        super().__init__(f"answered {status}")
        self.response = {"Error": {"Code": f"HTTP{status}"}}  # read by observability.error_facts


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def ticket_facts(message: Message) -> dict:
    """What a help desk receives about a ticket: the queue copy's facts (no reader time zone)."""
    return {key: value for key, value in message.facts.items() if key != "reader_time_zone"}


def post_webhook(url: str, secret: bytes, message: Message, now: float | None = None) -> str:
    body = json.dumps({"type": "ticket.accepted", "id": message.id, "ticket": ticket_facts(message)},
                      ensure_ascii=False, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": message.id,
               SIGNATURE_HEADER: signature(secret, int(time.time() if now is None else now), body)}
    answer = requests.post(url, data=body, headers=headers, timeout=TIMEOUT)
    if not 200 <= answer.status_code < 300:
        raise NotAccepted(answer.status_code)
    return f"webhook:{answer.status_code}"


def zendesk_ticket(message: Message) -> dict:
    """The ``POST /api/v2/tickets`` body of a ticket's queue copy."""
    facts = ticket_facts(message)
    settings = CONFIG.help_desk.zendesk
    email = render("ticket_queue", None, facts)
    severity = facts["severity"]
    fields = [{"id": field_id, "value": facts[name]} for name, field_id in settings.custom_fields.items()
              if facts.get(name)]
    requester = facts.get("partner_name") or facts.get("account_number") or facts["requester_email"]
    return {"ticket": {
        "external_id": facts["ticket_id"],
        "subject": email.subject,
        "comment": {"body": email.text, "public": False},
        "priority": settings.priorities[severity],
        "type": "incident" if severity == "S1" else "question",
        "tags": [f"severity_{severity.lower()}", f"queue_{facts['queue']}", f"kind_{facts['kind']}", *settings.tags],
        "custom_fields": fields,
        "requester": {"email": facts["requester_email"], "name": requester},
    }}


def create_zendesk_ticket(base_url: str, credentials: str, message: Message) -> str:
    """Our ticket in Zendesk, once; returns Zendesk's ticket id (``zendesk:<id>``)."""
    user, _, token = credentials.partition(":")
    session = requests.Session()
    session.auth = (user, token)  # "<agent e-mail>/token" and the API token
    base = base_url.rstrip("/")
    found = session.get(f"{base}/api/v2/tickets", params={"external_id": message.facts["ticket_id"]},
                        timeout=TIMEOUT)
    if found.status_code != 200:
        raise NotAccepted(found.status_code)
    if tickets := found.json().get("tickets"):
        return f"zendesk:{tickets[0]['id']}"  # created by an attempt whose answer was lost
    created = session.post(f"{base}/api/v2/tickets", json=zendesk_ticket(message),
                           headers={"Idempotency-Key": message.id}, timeout=TIMEOUT)
    if created.status_code not in (200, 201):
        raise NotAccepted(created.status_code)
    return f"zendesk:{created.json()['ticket']['id']}"
