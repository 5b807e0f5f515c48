"""What a new ticket carries for its follow-up: its escalation steps (``helpcenter.rules.escalation``)
and the queue's signed acknowledge link."""

from __future__ import annotations

from datetime import datetime

from helpcenter import acknowledge_keys, store
from helpcenter.rules.escalation import steps_for


def tracking(ticket_id: str, targets: dict | None, billing_case: bool) -> dict:
    """The stored ticket's escalation attributes: partner tickets with targets only."""
    return store.tracking_attributes(ticket_id, steps_for(targets, partner_ticket=not billing_case))


def links(body: dict) -> dict:
    """The queue's acknowledge link for the ticket ``body`` (signed as of its acceptance), and its token
    alone for the help desks (a webhook receiver or connector posts it to ``POST /tickets/acknowledge``)."""
    ticket_id, issued = body["ticket_id"], datetime.fromisoformat(body["accepted_at"])
    return {"acknowledge_url": acknowledge_keys.link(ticket_id, issued),
            "acknowledge_token": acknowledge_keys.token(ticket_id, issued)}
