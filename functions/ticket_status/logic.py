"""A ticket's status for its requester, and its acknowledgement by support.

Status: the ticket id and the requester's address must both match; any mismatch is the one
``no_match``, with the same work done (the ticket is read and an address compared either way), and
counts against the ticket id like a wrong postal code against an account number
(``helpcenter.lookup_guard``, scope ``ticket``).

Acknowledgement: the link's token is checked before anything is read (``rules.escalation``), so a
made-up token learns nothing; the store's conditional write makes it act once.
"""

from __future__ import annotations

import hmac
import json
from datetime import datetime

from helpcenter import acknowledge_keys, errors, lookup_guard, store
from helpcenter.i18n.sentences import reason_sentence
from helpcenter.observability import logger, metrics
from helpcenter.rules import addresses
from helpcenter.rules.escalation import TokenRefused, check_token
from helpcenter.store import followup
from ticket_status.models import AcknowledgeRequest, TicketStatusRequest

NO_MATCH_MESSAGE = "No ticket matches this ticket id and e-mail address."
NOBODY = "\x00"  # what an unknown ticket's address is compared with: no normalised address equals it


def comparable(address: str) -> str:
    """The address in the normalised form tickets store it in; an address mail systems would refuse
    matches nothing (and is answered like a wrong one)."""
    try:
        return addresses.normalize(address)
    except addresses.AddressProblem:
        return NOBODY + address


def status(request: TicketStatusRequest, now: datetime, language: str) -> dict:
    return lookup_guard.guarded("ticket", request.ticket_id, now, lambda: look_up(request, language))


def look_up(request: TicketStatusRequest, language: str) -> dict:
    ticket = store.get_ticket(request.ticket_id)
    stored_address = ticket["requester_email"] if ticket else NOBODY
    if not hmac.compare_digest(comparable(request.requester_email).encode(), stored_address.encode()) or not ticket:
        metrics.add_metric(name="TicketStatusNoMatch", unit="Count", value=1)
        raise errors.NotFound("no_match", NO_MATCH_MESSAGE)
    return report(ticket, language)


def report(ticket: dict, language: str) -> dict:
    """What the requester sees: the ticket as accepted, whether support acknowledged it, its level."""
    accepted = json.loads(ticket["response"])
    level = ticket.get("escalation_level")
    return {
        **{key: accepted[key] for key in ("ticket_id", "kind", "severity", "commitment", "multi_user", "accepted_at",
                                          "acknowledge_by", "diagnose_by", "targets", "time_zone", "weekends_count",
                                          "queue")},
        "request_type": ticket["request_type"],
        "reasons": [{**reason, "message": reason_sentence(language, reason["code"], reason["params"])}
                    for reason in accepted["reasons"]],
        "acknowledged": "acknowledged_at" in ticket,
        "acknowledged_at": ticket.get("acknowledged_at"),
        "escalation_level": int(level) if level is not None else None,
    }


def acknowledge(request: AcknowledgeRequest, now: datetime) -> dict:
    try:
        check_token(acknowledge_keys.keys(), request.ticket_id, request.token, now)
    except TokenRefused as refused:
        metrics.add_metric(name="AcknowledgeLinksRefused", unit="Count", value=1)
        if refused.code == "expired":
            raise errors.InvalidRequest("link_expired", "This acknowledge link has expired. Acknowledge the ticket "
                                                        "in the help desk or the queue.") from None
        raise errors.InvalidRequest("invalid_link", "This acknowledge link is not valid. Open the link from the "
                                                    "ticket's e-mail as it was sent.") from None
    done = followup.acknowledge(request.ticket_id, now.replace(microsecond=0), request.source)
    if done is None:  # a valid link to a ticket that is gone
        raise errors.NotFound("no_match", "No ticket matches this acknowledge link.")
    if not done.first:
        metrics.add_metric(name="AcknowledgeLinksReused", unit="Count", value=1)
        raise errors.Conflict("already_acknowledged", "This ticket was already acknowledged: escalation has stopped.")
    metrics.add_metric(name="TicketsAcknowledged", unit="Count", value=1)
    logger.info("ticket acknowledged", extra={"ticket_id": request.ticket_id, "source": request.source,
                                              "escalation_level": done.escalation_level})
    return {"ticket_id": request.ticket_id, "acknowledged_at": done.acknowledged_at,
            "escalation_level": done.escalation_level}
