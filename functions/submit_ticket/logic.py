"""Accepting a ticket: who asks (``requester``), whether it may (``checks``), its severity and
deadlines, then store it with its messages (the outbox: the deliverer sends them).

The decisions are the pure rules (``helpcenter.rules.severity``, ``deadlines``, ``tickets``,
``plans``); ``TicketIntake`` puts them in order around the store it is given
(``submit_ticket.seams``): DynamoDB in the function (``default``), an in-memory stand-in in the
orchestration tests. The ticket and its messages (queue copy per channel, confirmation, how-to flood
alert) are one ``put_ticket`` transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import base64
import hashlib
import json
import os
import secrets
from datetime import datetime

from helpcenter.errors import Conflict, InvalidRequest, Refusal, TooManyRequests
from helpcenter.i18n import DEFAULT
from helpcenter.i18n.sentences import reason_sentence
from helpcenter.messages import Channel, Kind, Message
from helpcenter.observability import logger, metrics
from helpcenter.rules import tickets as rules
from helpcenter.rules.deadlines import deadlines
from helpcenter.rules.severity import Classification, classify
from helpcenter.store.tickets import Counter, TicketLimitReached
from helpcenter.support import CONFIG
from submit_ticket import followup
from submit_ticket.checks import check_request
from submit_ticket.models import TicketRequest
from submit_ticket.requester import PartnerRequester, Requester, check_address, identify
from submit_ticket.seams import TicketStore


def request_digest(request: TicketRequest) -> str:
    """What an Idempotency-Key is bound to: the request's fields, canonically serialised."""
    canonical = json.dumps(request.model_dump(mode="json", exclude={"website"}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(stored: dict | None, digest: str) -> dict:
    """The first answer for a reused Idempotency-Key, if the body is the same; else 409 ``key_reused``."""
    if stored is None:  # written by a concurrent request and read back: it cannot be gone
        raise LookupError("the ticket that refused the write is not readable")
    if stored.get("request_digest", digest) != digest:
        metrics.add_metric(name="TicketsKeyReused", unit="Count", value=1)
        raise Conflict("key_reused", "This Idempotency-Key was already used for another ticket. Send a new "
                                     "key for a new ticket, or the same body to get the first answer.")
    return json.loads(stored["response"])


def ticket_id_for(identity: str, idempotency_key: str | None) -> str:
    """``T-`` and 10 base32 characters; the same for a replay of the same Idempotency-Key by the same
    requester (``Requester.identity``)."""
    seed = (hashlib.sha256(f"{identity}|{idempotency_key}".encode()).digest() if idempotency_key
            else secrets.token_bytes(16))
    return "T-" + base64.b32encode(seed).decode()[:10]


def rate_limited(who: Requester, now: datetime) -> TooManyRequests:
    metrics.add_metric(name="TicketsRateLimited", unit="Count", value=1)
    window = rules.counter_window("tickets", 1, now)
    retry = int(3600 - (now - window.start).total_seconds()) + 1
    message = ("Many billing cases were opened for this account this hour. Please try again later."
               if who.billing_case else "Your company has sent many tickets this hour. Please try again later.")
    return TooManyRequests(message=message, retry_after=retry)


def public_body(ticket_id: str, who: Requester, verdict: Classification, now: datetime) -> dict:
    """What the submitter sees: severity with its reasons, deadlines in the region's business hours
    (``time_zone``), queue, channels and escalation levels."""
    zone = CONFIG.regions[who.region].time_zone
    due = deadlines(verdict, now, zone)
    targets = {"acknowledgement": due.acknowledgement.as_dict(), "diagnosis": due.diagnosis.as_dict(),
               "resolution": due.resolution.as_dict() if due.resolution else None} if due else None
    route = who.routing()
    return {
        "ticket_id": ticket_id,
        "kind": route["kind"],
        "severity": verdict.severity,
        "commitment": verdict.commitment,
        "multi_user": verdict.multi_user,
        "reasons": [{"code": r.code, "message": reason_sentence(DEFAULT, r.code, r.params), "params": r.params}
                    for r in verdict.reasons],
        "accepted_at": now.astimezone(zone).isoformat(),
        "acknowledge_by": due.acknowledgement.as_dict()["latest"] if due else None,
        "diagnose_by": due.diagnosis.as_dict()["latest"] if due else None,
        "targets": targets,
        "time_zone": zone.key,
        "weekends_count": verdict.weekends_count,
        "queue": route["queue"],
        "plan": route.get("plan"),
        "channels": route["channels"],
        "escalation": route["escalation"],
    }


class TicketIntake:
    """``submit`` with the store it is given."""

    def __init__(self, tickets: TicketStore, links: Callable[[dict], dict] = lambda body: {}) -> None:
        """``links``: the queue's signed acknowledge link for a ticket body (``followup.links``; none by default)."""
        self.tickets, self.links = tickets, links

    def submit(self, request: TicketRequest, idempotency_key: str | None, now: datetime) -> tuple[dict, bool]:
        """The ticket's public body and whether it is new (False: a replay of the same Idempotency-Key)."""
        now = now.replace(microsecond=0)  # deadlines to the second, like accepted_at
        if request.website:
            metrics.add_metric(name="TicketsHoneypot", unit="Count", value=1)
            raise InvalidRequest("rejected", "This submission looks automated. Reload the page and send the form again.")
        request = check_address(request)
        who = identify(request, self.tickets)
        digest = request_digest(request)
        ticket_id = ticket_id_for(who.identity, idempotency_key)
        if idempotency_key and (stored := self.tickets.get_ticket(ticket_id)):
            return replay(stored, digest), False
        self.check_rate(who, now)
        try:
            kind, account = check_request(who, request, self.tickets)
        except Refusal:
            self.tickets.add_to_counter(who.hourly_counter(now))  # probing costs like filing
            raise

        verdict = classify(request_type=request.request_type, product=request.product, impact=request.impact,
                           account=account, identifier_kind=kind, billing_case=who.billing_case)
        body = public_body(ticket_id, who, verdict, now)
        how_to = CONFIG.impacts[request.impact].how_to if request.impact else False
        flag = self.how_to_flood_flag(who, ticket_id, now) if how_to and isinstance(who, PartnerRequester) else None
        record = {
            **request.model_dump(exclude={"website"}),
            "ticket_id": ticket_id,
            "kind": body["kind"],
            "severity": verdict.severity,
            "rule": verdict.rule,
            "multi_user": verdict.multi_user,
            **who.facts(),
            "queue": body["queue"],
            "how_to_flood": flag is not None,
            "created_at": now.isoformat(timespec="seconds"),
            "request_digest": digest,
            "response": json.dumps(body),
            **followup.tracking(ticket_id, body["targets"], who.billing_case),
        }
        messages = [*self.messages_for(who, request, body), *([flag] if flag else [])]
        try:
            created = self.tickets.put_ticket(ticket_id, record, who.hourly_counter(now), who.hourly_limit, messages)
        except TicketLimitReached:
            raise rate_limited(who, now) from None
        if not created:  # a concurrent request with the same key stored it first
            return replay(self.tickets.get_ticket(ticket_id), digest), False
        metrics.add_metric(name=f"Tickets{verdict.severity}", unit="Count", value=1)
        if who.billing_case:
            metrics.add_metric(name="BillingCases", unit="Count", value=1)
        # no addresses or account numbers in logs: the ticket id leads to them
        logger.info("ticket accepted", extra={"ticket_id": ticket_id, "kind": body["kind"], "severity": verdict.severity,
                                              "rule": verdict.rule, "queue": body["queue"],
                                              "partner": who.partner.domain if who.partner else None})
        return body, True

    def check_rate(self, who: Requester, now: datetime) -> None:
        """Tickets per partner, or billing cases per customer account, in the hour: accepted and refused
        requests alike count (a refusal in ``add_to_counter``, an acceptance in the ticket's transaction)."""
        if self.tickets.counter_value(who.hourly_counter(now)) >= who.hourly_limit:
            raise rate_limited(who, now)

    def how_to_flood_flag(self, who: PartnerRequester, ticket_id: str, now: datetime) -> Message | None:
        """Count a basic how-to ticket; the one that reaches the limit in the window alerts the partner
        managers (the message goes out with the ticket)."""
        partner, flood = who.partner, CONFIG.limits["how_to_flood"]
        window = rules.counter_window("how_to", flood["window_hours"], now)
        count = self.tickets.add_to_counter(Counter(who.counter_partition, window.key, window.expires_at))
        if not rules.is_how_to_flood(count):
            return None
        metrics.add_metric(name="HowToFloodFlags", unit="Count", value=1)
        return Message(f"{ticket_id}#how_to_flood", Kind.HOW_TO_FLOOD, tuple(rules.partner_managers(partner.region)),
                       {"partner_name": partner.name, "domain": partner.domain, "count": count,
                        "hours": flood["window_hours"]}, partner.language)

    def messages_for(self, who: Requester, request: TicketRequest, body: dict) -> list[Message]:
        """The queue's copy on each configured channel (in the site's default language, with the signed
        acknowledge link) and the requester's confirmation (in the language of the page the form was
        sent from, else the partner's or account's; deadlines in the reader's zone; a link to the
        status page), written with the ticket."""
        language = request.language or who.language
        details = {
            **body, **request.model_dump(exclude={"website", "language", "time_zone"}), **who.facts(),
            "requester_language": language, "reader_time_zone": request.time_zone,
        }
        ticket_id = body["ticket_id"]
        queue_copy = {**details, "reader_time_zone": None, **self.links(body)}
        copies = [Message(f"{ticket_id}#queue", Kind.TICKET_QUEUE, (CONFIG.queues[body["queue"]].email,), queue_copy)
                  if channel is Channel.EMAIL else
                  Message(f"{ticket_id}#{channel.value}", Kind.TICKET_QUEUE, (), queue_copy, channel=channel)
                  for channel in ticket_channels()]
        return [*copies,
                Message(f"{ticket_id}#confirmation", Kind.TICKET_CONFIRMATION, (request.requester_email,), details,
                        language)]


def ticket_channels() -> list[Channel]:
    """Where a ticket's queue copy goes (``TICKET_CHANNELS``: template parameter ``TicketChannels``)."""
    return [Channel(name) for name in os.environ.get("TICKET_CHANNELS", Channel.EMAIL.value).split(",")]


def default() -> TicketIntake:
    """The production seam: DynamoDB (``helpcenter.store.tickets``), the outbox in the same transactions."""
    from helpcenter.store import tickets

    return TicketIntake(tickets, followup.links)


def submit(request: TicketRequest, idempotency_key: str | None, now: datetime) -> tuple[dict, bool]:
    """``TicketIntake.submit`` on the production seams."""
    return default().submit(request, idempotency_key, now)
