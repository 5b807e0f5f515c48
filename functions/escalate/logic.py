"""One escalation run as of an instant: every ticket whose next step is due moves up a level
(``helpcenter.rules.escalation``) and that level's configured contacts are told, each in its own
language, each step once.

Once: ``store.followup.record_escalation`` is conditional on the level the run read and on the ticket
being unacknowledged, and writes the step's notices into the outbox in the same transaction, so
overlapping or repeated runs cannot repeat a step or escalate a ticket acknowledged meanwhile, and a
recorded step always has its notices (the deliverer sends them, retrying).
"""

from __future__ import annotations

import json
from datetime import datetime

from helpcenter import acknowledge_keys, store
from helpcenter.domain import Region
from helpcenter.messages import Kind, Message
from helpcenter.observability import logger, metrics
from helpcenter.rules import escalation
from helpcenter.rules.tickets import LEVEL_ROLES
from helpcenter.support import CONFIG
from helpcenter.store import followup

REQUEST_FIELDS = ("requester_email", "customer_account", "request_type", "product", "impact", "reproducible",
                  "reproduction_details", "description", "troubleshooting", "attachments", "partner_name",
                  "partner_domain", "partner_tier", "data_center", "region")


def notices(ticket: dict, level: int, now: datetime) -> list[Message]:
    """The step's notices: one per language among the level's contacts in the ticket's region (each
    contact reads it in its configured language), saying what the ticket is and which target it missed."""
    contacts = CONFIG.regions[Region(ticket["region"])].escalation[level]
    missed = next(name for name, step_level in escalation.TARGET_LEVELS if step_level == level)
    facts = {
        **json.loads(ticket["response"]),
        **{name: ticket.get(name) for name in REQUEST_FIELDS},
        "reader_time_zone": None,
        "escalated_to": level, "escalation_role": LEVEL_ROLES[level], "missed_target": missed,
        "acknowledge_url": acknowledge_keys.link(ticket["ticket_id"], now),
    }
    by_language: dict[str | None, list[str]] = {}
    for contact in contacts:
        by_language.setdefault(contact.language, []).append(contact.email)
    return [Message(f"{ticket['ticket_id']}#escalation#{level}#{language or 'default'}", Kind.TICKET_ESCALATION,
                    tuple(to), facts, language)
            for language, to in by_language.items()]


def escalate(ticket: dict, now: datetime) -> str:
    """Carry out the ticket's due step with its notices; returns what happened, for the run summary."""
    steps = [escalation.Step.from_dict(step) for step in ticket.get("escalation_steps", ())]
    level = int(ticket.get("escalation_level", escalation.FIRST_LEVEL))
    to_level = escalation.next_level(steps, level, "acknowledged_at" in ticket, now)
    if to_level is None:
        return "nothing_due"
    if not followup.record_escalation(ticket["ticket_id"], level, to_level, escalation.next_due(steps, to_level),
                                      now.isoformat(timespec="seconds"), notices(ticket, to_level, now)):
        return "skipped"  # another run did it, or the ticket was acknowledged meanwhile
    metrics.add_metric(name=f"TicketsEscalatedToLevel{to_level}", unit="Count", value=1)
    logger.info("ticket escalated", extra={"ticket_id": ticket["ticket_id"], "from_level": level, "to_level": to_level})
    return "escalated"


def run(now: datetime) -> dict[str, int]:
    summary: dict[str, int] = {}
    for ticket_id in followup.tickets_due(now):
        ticket = store.get_ticket(ticket_id)
        outcome = escalate({"ticket_id": ticket_id, **ticket}, now) if ticket else "nothing_due"
        summary[outcome] = summary.get(outcome, 0) + 1
    return summary
