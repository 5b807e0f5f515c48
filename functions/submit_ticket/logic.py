"""Accepting a ticket: check who asks and what, tag the severity, set the deadlines, store, notify.

The decisions are the pure rules (``helpcenter.rules.severity``, ``deadlines``, ``tickets``); this
module puts them in order around the store, S3 and SES.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import datetime

from helpcenter import mail, store
from helpcenter.api import ApiError, logger, metrics
from helpcenter.domain import Account, Partner
from submit_ticket.models import TicketRequest
from helpcenter.rules import tickets as rules
from helpcenter.rules.deadlines import deadlines
from helpcenter.rules.severity import classify
from helpcenter.support import CONFIG
from submit_ticket import attachments

VALIDATION_MESSAGE = "Some fields are missing or invalid."


def field(name: str, code: str, message: str) -> dict:
    return {"field": name, "code": code, "message": message}


def requester_partner(email: str) -> Partner:
    """The partner behind the requester's address: free-mail and unregistered domains are refused."""
    domain = rules.email_domain(email)
    if rules.is_free_mail(domain):
        metrics.add_metric(name="TicketsRefusedFreeMail", unit="Count", value=1)
        message = (f"{domain} is a free e-mail service. Write from an address on the domain your company "
                   "registered as a partner: a ticket from a free-mail address cannot be linked to your partner "
                   "account, so it cannot be tracked or given a severity.")
        raise ApiError(400, "free_mail_domain", message, [field("requester_email", "free_mail_domain", message)])
    partner = store.get_partner(domain)
    if partner is None:
        message = (f"{domain} is not a registered partner domain. Write from an address on the domain your company "
                   "registered as a partner, or ask your partner manager to register this one.")
        raise ApiError(400, "unregistered_domain", message, [field("requester_email", "unregistered_domain", message)])
    return partner


def check_fields(request: TicketRequest) -> str | None:
    """Field rules the schema cannot express; returns how the customer is identified."""
    problems = []
    if request.request_type == "technical_support" and request.impact is None:
        problems.append(field("impact", "required", "Say what the problem does to the customer."))
    if request.reproducible and not request.reproduction_details:
        problems.append(field("reproduction_details", "required",
                              "Give the user id, date and time, and the names of the workflow or function."))
    minimum = CONFIG.limits["description_min_words"]
    if rules.word_count(request.description) < minimum:
        problems.append(field("description", "too_short",
                              f"Describe the problem in at least {minimum} words (the template asks for 150–200)."))
    kind = rules.identifier_kind(request.customer_account) if request.customer_account else None
    if request.customer_account and kind is None:
        problems.append(field("customer_account", "invalid",
                              "Give the account number, the super-admin e-mail address or the organisation id."))
    elif kind is None and rules.customer_required(request.request_type, request.product):
        problems.append(field("customer_account", "required",
                              "Identify the customer account: its user licences decide whether the ticket is S1."))
    if problems:
        raise ApiError(400, "validation_error", VALIDATION_MESSAGE, problems)
    return kind


def customer_account(request: TicketRequest, kind: str | None) -> Account | None:
    if kind != "account_number":
        return None
    account = store.get_account(request.customer_account)
    if account is None:
        metrics.add_metric(name="TicketsUnknownCustomer", unit="Count", value=1)
        raise ApiError(404, "unknown_customer_account",
                       "No customer account has this number. Check the number on the customer's invoices.",
                       [field("customer_account", "unknown", "No customer account has this number.")])
    return account


def ticket_id_for(partner: Partner, idempotency_key: str | None) -> str:
    """``T-`` and 10 base32 characters; the same for a replay of the same Idempotency-Key."""
    seed = (hashlib.sha256(f"{partner.domain}|{idempotency_key}".encode()).digest() if idempotency_key
            else secrets.token_bytes(16))
    return "T-" + base64.b32encode(seed).decode()[:10]


def check_rate(partner: Partner, now: datetime) -> None:
    window = rules.counter_window("tickets", 1, now)
    count = store.count_in_window(partner.domain, window.key, window.expires_at)
    if count > CONFIG.limits["tickets_per_partner_per_hour"]:
        metrics.add_metric(name="TicketsRateLimited", unit="Count", value=1)
        retry = int(3600 - (now - window.start).total_seconds()) + 1
        raise ApiError(429, "rate_limited", "Your company has sent many tickets this hour. Please try again later.",
                       headers={"Retry-After": str(retry)})


def flag_how_to_flood(partner: Partner, now: datetime) -> bool:
    """Count a basic how-to ticket; the one that reaches the limit in the window alerts the partner manager."""
    flood = CONFIG.limits["how_to_flood"]
    window = rules.counter_window("how_to", flood["window_hours"], now)
    count = store.count_in_window(partner.domain, window.key, window.expires_at)
    if not rules.is_how_to_flood(count):
        return False
    metrics.add_metric(name="HowToFloodFlags", unit="Count", value=1)
    send(rules.partner_managers(partner.region), f"Partner flagged: many how-to tickets from {partner.name}",
         mail.how_to_flood_text(partner.name, partner.domain, count, flood["window_hours"]))
    return True


def send(to: list[str], subject: str, text: str) -> None:
    """E-mail is best effort: the ticket is stored and the submitter sees everything on screen."""
    try:
        mail.send(to, subject, text)
    except Exception:  # noqa: BLE001 - an SES outage must not lose an accepted ticket
        logger.exception("ticket e-mail not sent")
        metrics.add_metric(name="TicketMailFailures", unit="Count", value=1)


def submit(request: TicketRequest, idempotency_key: str | None, now: datetime) -> tuple[dict, bool]:
    """The ticket's public body and whether it is new (False: a replay of the same Idempotency-Key)."""
    now = now.replace(microsecond=0)  # deadlines to the second, like accepted_at
    if request.website:
        metrics.add_metric(name="TicketsHoneypot", unit="Count", value=1)
        raise ApiError(400, "rejected", "This submission looks automated. Reload the page and send the form again.")
    partner = requester_partner(request.requester_email)
    kind = check_fields(request)
    ticket_id = ticket_id_for(partner, idempotency_key)
    if idempotency_key and (stored := store.get_ticket(ticket_id)):
        return json.loads(stored["response"]), False
    account = customer_account(request, kind)
    if absent := attachments.missing(request.attachments):
        raise ApiError(400, "validation_error", VALIDATION_MESSAGE,
                       [field("attachments", "missing", f"{len(absent)} attachment(s) were not uploaded.")])
    check_rate(partner, now)

    verdict = classify(request_type=request.request_type, product=request.product, impact=request.impact,
                       account=account, identifier_kind=kind)
    zone = CONFIG.regions[partner.region].time_zone
    due = deadlines(verdict, now, zone)
    targets = None
    if due:
        targets = {"acknowledgement": due.acknowledgement.as_dict(), "diagnosis": due.diagnosis.as_dict(),
                   "resolution": due.resolution.as_dict() if due.resolution else None}
    body = {
        "ticket_id": ticket_id,
        "severity": verdict.severity,
        "commitment": verdict.commitment,
        "multi_user": verdict.multi_user,
        "reasons": [{"code": r.code, "message": r.message(), "params": r.params} for r in verdict.reasons],
        "accepted_at": now.astimezone(zone).isoformat(),
        "acknowledge_by": targets["acknowledgement"]["latest"] if targets else None,
        "diagnose_by": targets["diagnosis"]["latest"] if targets else None,
        "targets": targets,
        "time_zone": zone.key,
        "weekends_count": verdict.weekends_count,
        "queue": rules.queue_for(partner).name,
        "channels": rules.channels_for(partner.tier),
        "escalation": rules.escalation_levels(partner.region),
    }
    how_to = CONFIG.impacts[request.impact].how_to if request.impact else False
    flagged = flag_how_to_flood(partner, now) if how_to else False
    record = {
        **request.model_dump(exclude={"website"}),
        "ticket_id": ticket_id,
        "severity": verdict.severity,
        "rule": verdict.rule,
        "multi_user": verdict.multi_user,
        "partner_domain": partner.domain,
        "partner_name": partner.name,
        "partner_tier": partner.tier.value,
        "data_center": partner.data_center,
        "region": partner.region.value,
        "queue": body["queue"],
        "how_to_flood": flagged,
        "created_at": now.isoformat(timespec="seconds"),
        "response": json.dumps(body),
    }
    if not store.put_ticket(ticket_id, record):  # a concurrent replay stored it first
        return json.loads(store.get_ticket(ticket_id)["response"]), False
    metrics.add_metric(name=f"Tickets{verdict.severity}", unit="Count", value=1)
    logger.info("ticket accepted", extra={"ticket_id": ticket_id, "severity": verdict.severity, "rule": verdict.rule,
                                          "queue": body["queue"], "partner": partner.domain})
    notify(partner, request, body)
    return body, True


def notify(partner: Partner, request: TicketRequest, body: dict) -> None:
    labels = CONFIG.labels
    details = {
        **body, **request.model_dump(exclude={"website"}),
        "request_type_label": labels["request_types"][request.request_type]["en"],
        "product_label": labels["products"][request.product]["en"],
        "impact_label": labels["impacts"][request.impact]["en"] if request.impact else None,
        "partner_name": partner.name, "partner_domain": partner.domain, "partner_tier": partner.tier.value,
        "data_center": partner.data_center,
    }
    queue = CONFIG.queues[body["queue"]]
    send([queue.email], f"[{body['severity']}] {body['ticket_id']} {details['request_type_label']} — {partner.name}",
         mail.ticket_queue_text(details))
    send([request.requester_email], f"Ticket {body['ticket_id']} accepted: severity {body['severity']}",
         mail.ticket_confirmation_text(details))
