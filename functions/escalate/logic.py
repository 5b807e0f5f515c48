"""One escalation run as of an instant: every ticket whose next step is due moves up a level
(``helpcenter.rules.escalation``) and that level's configured contacts are told, each step once.

Once: ``store.followup.record_escalation`` is conditional on the level the run read and on the ticket
being unacknowledged, so overlapping or repeated runs cannot repeat a step or escalate a ticket
acknowledged meanwhile.
"""

from __future__ import annotations

import json
from datetime import datetime

from helpcenter import acknowledge_keys, mail, store
from helpcenter.domain import Region
from helpcenter.i18n.emails import render
from helpcenter.observability import error_facts, logger, metrics
from helpcenter.rules import escalation
from helpcenter.rules.tickets import escalation_levels
from helpcenter.store import followup

REQUEST_FIELDS = ("requester_email", "customer_account", "request_type", "product", "impact", "reproducible",
                  "reproduction_details", "description", "troubleshooting", "attachments", "partner_name",
                  "partner_domain", "partner_tier", "data_center", "region")


def notice_context(ticket: dict, level: int, now: datetime) -> tuple[list[str], dict]:
    """Who hears of the step (the level's contacts in the ticket's region) and what the notice says."""
    region = Region(ticket["region"])
    reached = next(entry for entry in escalation_levels(region) if entry["level"] == level)
    missed = next(name for name, step_level in escalation.TARGET_LEVELS if step_level == level)
    context = {
        **json.loads(ticket["response"]),
        **{name: ticket.get(name) for name in REQUEST_FIELDS},
        "reader_time_zone": None,
        "escalated_to": level, "escalation_role": reached["role"], "missed_target": missed,
        "acknowledge_url": acknowledge_keys.link(ticket["ticket_id"], now),
    }
    return [contact["email"] for contact in reached["contacts"]], context


def escalate(ticket: dict, now: datetime) -> str:
    """Carry out the ticket's due step; returns what happened, for the run summary."""
    steps = [escalation.Step.from_dict(step) for step in ticket.get("escalation_steps", ())]
    level = int(ticket.get("escalation_level", escalation.FIRST_LEVEL))
    to_level = escalation.next_level(steps, level, "acknowledged_at" in ticket, now)
    if to_level is None:
        return "nothing_due"
    to, context = notice_context(ticket, to_level, now)
    if not followup.record_escalation(ticket["ticket_id"], level, to_level, escalation.next_due(steps, to_level)):
        return "skipped"  # another run did it, or the ticket was acknowledged meanwhile
    metrics.add_metric(name=f"TicketsEscalatedToLevel{to_level}", unit="Count", value=1)
    logger.info("ticket escalated", extra={"ticket_id": ticket["ticket_id"], "from_level": level, "to_level": to_level})
    try:
        mail.send(to, render("ticket_escalation", None, context))
    except Exception as error:  # noqa: BLE001 - the step is recorded; the failure is counted and alarmed
        logger.warning("escalation notice not sent", extra={"ticket_id": ticket["ticket_id"], **error_facts(error)})
        metrics.add_metric(name="EscalationNoticesNotSent", unit="Count", value=1)
        return "notice_failed"
    return "escalated"


def run(now: datetime) -> dict[str, int]:
    summary: dict[str, int] = {}
    for ticket_id in followup.tickets_due(now):
        ticket = store.get_ticket(ticket_id)
        outcome = escalate({"ticket_id": ticket_id, **ticket}, now) if ticket else "nothing_due"
        summary[outcome] = summary.get(outcome, 0) + 1
    return summary
