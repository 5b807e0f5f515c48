"""Accepting a ticket: check who asks and what, tag the severity, set the deadlines, store it with its
messages (the outbox: the deliverer sends them).

Two kinds of requester: a partner, known by its registered e-mail domain, and a customer's billing
contact or user opening a billing case for its own account (paid plans; see
``helpcenter.rules.tickets``).
The decisions are the pure rules (``helpcenter.rules.severity``, ``deadlines``, ``tickets``,
``plans``); this module puts them in order around the store and S3.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime

from helpcenter import store
from helpcenter.errors import Conflict, InvalidRequest, NotFound, Refusal, TooManyRequests, field_problem as field
from helpcenter.observability import logger, metrics
from helpcenter.domain import Account, Partner
from helpcenter.i18n import DEFAULT
from helpcenter.i18n.catalog import text
from helpcenter.i18n.sentences import label, reason_sentence
from helpcenter.messages import Channel, Kind, Message
from submit_ticket.models import TicketRequest
from helpcenter.rules import addresses
from helpcenter.rules import tickets as rules
from helpcenter.rules.deadlines import deadlines
from helpcenter.rules.plans import support_channels
from helpcenter.rules.severity import classify
from helpcenter.support import CONFIG
from submit_ticket import attachments


def listing(items: list[str], last: str) -> str:
    """``a, b and c`` (``last`` is "and" or "or")."""
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else "".join(items)


@dataclass(frozen=True)
class Requester:
    """Who files: a partner, known by its registered domain, or, for a customer's billing case, a
    billing contact or user of the account the ticket names (``account``)."""

    partner: Partner | None = None
    account: Account | None = None

    @property
    def billing_case(self) -> bool:
        return self.partner is None

    @property
    def identity(self) -> str:
        """Seeds the ticket id (the same for a replayed Idempotency-Key) and owns the hourly counter."""
        return self.partner.domain if self.partner else f"account:{self.account.number}"

    def hourly_counter(self, now: datetime) -> store.Counter:
        window = rules.counter_window("tickets", 1, now)
        partition = (store.billing_counter_partition(self.account.number) if self.billing_case
                     else store.partner_counter_partition(self.partner.domain))
        return store.Counter(partition, window.key, window.expires_at)

    @property
    def hourly_limit(self) -> int:
        return CONFIG.limits["billing_cases_per_account_per_hour" if self.billing_case
                             else "tickets_per_partner_per_hour"]


BILLING_CASE_HINT = ("Customers on a paid plan opening a billing case: write from the address that receives the "
                     "account's invoices, and give the account number.")


def requester(request: TicketRequest) -> Requester:
    """A partner, by the registered domain of the requester's address; else someone who acts for the
    billing of the customer account named by number (``rules.acts_for_billing``: billing contact,
    owner, admin or billing user, member on business and up). Anyone else is refused with the partner
    rule's reason (free-mail or unregistered domain): the same body whether the account number exists
    or not, so the refusal reveals neither which accounts exist nor who their contacts and users are."""
    domain = rules.email_domain(request.requester_email)
    free_mail = rules.is_free_mail(domain)
    partner = None if free_mail else store.get_partner(domain)
    if partner is not None:
        return Requester(partner=partner)
    if request.customer_account and rules.identifier_kind(request.customer_account) == "account_number":
        account = store.get_account(request.customer_account)
        if rules.acts_for_billing(request.requester_email, account):  # a free plan is refused next
            return Requester(account=account)
    if free_mail:
        metrics.add_metric(name="TicketsRefusedFreeMail", unit="Count", value=1)
        message = (f"{domain} is a free e-mail service. Partners: write from an address on the domain your company "
                   "registered as a partner: a ticket from a free-mail address cannot be linked to your partner "
                   f"account, so it cannot be tracked or given a severity. {BILLING_CASE_HINT}")
        raise InvalidRequest("free_mail_domain", message, [field("requester_email", "free_mail_domain", message)])
    message = (f"{domain} is not a registered partner domain. Partners: write from an address on the domain your "
               f"company registered as a partner, or ask your partner manager to register this one. {BILLING_CASE_HINT}")
    raise InvalidRequest("unregistered_domain", message, [field("requester_email", "unregistered_domain", message)])


def check_billing_plan(account: Account) -> None:
    """Billing cases come with paid plans: the free plan is refused with the channels it does include."""
    if rules.billing_case_included(account.plan):
        return
    metrics.add_metric(name="BillingCasesRefusedFreePlan", unit="Count", value=1)
    offered = support_channels(account.plan, CONFIG.third_party)
    channels = listing([text(DEFAULT, f"channels.{c}").lower() for c in offered], "and")
    message = f"Billing cases come with paid plans (Pro and up). The free plan's help is self-service: {channels}."
    raise InvalidRequest("billing_case_not_in_plan", message, [field("customer_account", "free_plan", message)])


def check_fields(request: TicketRequest, billing_case: bool = False) -> str | None:
    """Field rules the schema cannot express; returns how the customer is identified."""
    problems = []
    if billing_case and not CONFIG.request_types[request.request_type].billing_case:
        types = listing([label(DEFAULT, "request_types", t).lower() for t in rules.billing_case_types()], "or")
        problems.append(field("request_type", "not_for_billing_case", f"A billing case is a {types}."))
    if request.request_type == "technical_support" and request.impact is None:
        problems.append(field("impact", "required", "Say what the problem does to the customer."))
    if request.reproducible and not request.reproduction_details:
        problems.append(field("reproduction_details", "required",
                              "Give the user id, date and time, and the names of the workflow or function."))
    minimum, (low, high) = CONFIG.limits["description_min_words"], CONFIG.limits["description_guide_words"]
    if rules.word_count(request.description) < minimum:
        problems.append(field("description", "too_short",
                              f"Describe the problem in at least {minimum} words (the template asks for {low}–{high})."))
    kind = rules.identifier_kind(request.customer_account) if request.customer_account else None
    if request.customer_account and kind is None:
        problems.append(field("customer_account", "invalid",
                              "Give the account number, the super-admin e-mail address or the organisation id."))
    elif kind is None and rules.customer_required(request.request_type, request.product):
        problems.append(field("customer_account", "required",
                              "Identify the customer account: its user licences decide whether the ticket is S1."))
    if problems:
        raise InvalidRequest(fields=problems)
    return kind


def customer_account(partner: Partner, request: TicketRequest, kind: str | None) -> Account | None:
    """The partner's customer named by number. A number the partner does not manage is answered like
    a number that does not exist, and is never read: same body, same status, same work."""
    if kind != "account_number":
        return None
    number = request.customer_account.strip()
    account = store.get_account(number) if partner.manages(number) else None
    if account is None:
        metrics.add_metric(name="TicketsUnknownCustomer", unit="Count", value=1)
        raise NotFound("unknown_customer_account",
                       "None of your customer accounts has this number. Check the number on the customer's "
                       "invoices.",
                       [field("customer_account", "unknown", "None of your customer accounts has this number.")])
    return account


def request_digest(request: TicketRequest) -> str:
    """What an Idempotency-Key is bound to: the request's fields, canonically serialised."""
    canonical = json.dumps(request.model_dump(mode="json", exclude={"website"}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(stored: dict, digest: str) -> dict:
    """The first answer for a reused Idempotency-Key, if the body is the same; else 409 ``key_reused``."""
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


def check_rate(who: Requester, now: datetime) -> None:
    """Tickets per partner, or billing cases per customer account, in the hour: accepted and refused
    requests alike count (a refusal in ``counted``, an acceptance in the ticket's own transaction)."""
    if store.counter_value(who.hourly_counter(now)) >= who.hourly_limit:
        raise rate_limited(who, now)


def how_to_flood_flag(partner: Partner, ticket_id: str, now: datetime) -> Message | None:
    """Count a basic how-to ticket; the one that reaches the limit in the window alerts the partner
    managers (the message goes out with the ticket)."""
    flood = CONFIG.limits["how_to_flood"]
    window = rules.counter_window("how_to", flood["window_hours"], now)
    count = store.add_to_counter(store.Counter(store.partner_counter_partition(partner.domain), window.key,
                                               window.expires_at))
    if not rules.is_how_to_flood(count):
        return None
    metrics.add_metric(name="HowToFloodFlags", unit="Count", value=1)
    return Message(f"{ticket_id}#how_to_flood", Kind.HOW_TO_FLOOD, tuple(rules.partner_managers(partner.region)),
                   {"partner_name": partner.name, "domain": partner.domain, "count": count,
                    "hours": flood["window_hours"]}, partner.language)


def routing(who: Requester) -> dict:
    """Where the ticket goes and what the confirmation offers: a partner's queue by data-center group,
    its tier's channels and its region's escalation levels; a billing case to the billing queue with
    the plan's support channels (partner escalation levels do not apply to it)."""
    if who.billing_case:
        return {"kind": "billing", "queue": rules.billing_queue().name, "plan": who.account.plan.value,
                "channels": support_channels(who.account.plan, CONFIG.third_party), "escalation": []}
    partner = who.partner
    return {"kind": "partner", "queue": rules.queue_for(partner).name, "channels": rules.channels_for(partner.tier),
            "escalation": rules.escalation_levels(partner.region)}


def requester_facts(who: Requester) -> dict:
    """What the stored ticket and the queue's e-mail say about the requester's side."""
    if who.billing_case:
        account = who.account
        return {"account_number": account.number, "plan": account.plan.value, "region": account.region.value}
    partner = who.partner
    return {"partner_domain": partner.domain, "partner_name": partner.name, "partner_tier": partner.tier.value,
            "data_center": partner.data_center, "region": partner.region.value}


def check_address(request: TicketRequest) -> TicketRequest:
    """The requester's address as mail systems check it (``rules.addresses``), in its normalised form."""
    try:
        address = addresses.normalize(request.requester_email)
    except addresses.AddressProblem as problem:
        metrics.add_metric(name="TicketsRefusedAddress", unit="Count", value=1)
        raise InvalidRequest(fields=[field("requester_email", problem.code, problem.message)]) from None
    return request.model_copy(update={"requester_email": address})


def check_request(who: Requester, request: TicketRequest) -> tuple[str | None, Account | None]:
    """Everything that can refuse a ticket once its requester is known, the account read last: the
    field rules, the attachments, then (partners) the customer named by number. Returns how the
    customer is identified and its account."""
    if who.billing_case:
        check_billing_plan(who.account)
    kind = check_fields(request, who.billing_case)
    if absent := attachments.missing(request.attachments):
        raise InvalidRequest(fields=[field("attachments", "missing", f"{len(absent)} attachment(s) were not uploaded.")])
    return kind, who.account or customer_account(who.partner, request, kind)


def submit(request: TicketRequest, idempotency_key: str | None, now: datetime) -> tuple[dict, bool]:
    """The ticket's public body and whether it is new (False: a replay of the same Idempotency-Key)."""
    now = now.replace(microsecond=0)  # deadlines to the second, like accepted_at
    if request.website:
        metrics.add_metric(name="TicketsHoneypot", unit="Count", value=1)
        raise InvalidRequest("rejected", "This submission looks automated. Reload the page and send the form again.")
    request = check_address(request)
    who = requester(request)
    digest = request_digest(request)
    ticket_id = ticket_id_for(who.identity, idempotency_key)
    if idempotency_key and (stored := store.get_ticket(ticket_id)):
        return replay(stored, digest), False
    check_rate(who, now)
    try:
        kind, account = check_request(who, request)
    except Refusal:
        store.add_to_counter(who.hourly_counter(now))  # probing costs like filing
        raise

    verdict = classify(request_type=request.request_type, product=request.product, impact=request.impact,
                       account=account, identifier_kind=kind, billing_case=who.billing_case)
    region = who.account.region if who.billing_case else who.partner.region  # business hours: the region's zone
    zone = CONFIG.regions[region].time_zone
    due = deadlines(verdict, now, zone)
    targets = None
    if due:
        targets = {"acknowledgement": due.acknowledgement.as_dict(), "diagnosis": due.diagnosis.as_dict(),
                   "resolution": due.resolution.as_dict() if due.resolution else None}
    route = routing(who)
    body = {
        "ticket_id": ticket_id,
        "kind": route["kind"],
        "severity": verdict.severity,
        "commitment": verdict.commitment,
        "multi_user": verdict.multi_user,
        "reasons": [{"code": r.code, "message": reason_sentence(DEFAULT, r.code, r.params), "params": r.params}
                    for r in verdict.reasons],
        "accepted_at": now.astimezone(zone).isoformat(),
        "acknowledge_by": targets["acknowledgement"]["latest"] if targets else None,
        "diagnose_by": targets["diagnosis"]["latest"] if targets else None,
        "targets": targets,
        "time_zone": zone.key,
        "weekends_count": verdict.weekends_count,
        "queue": route["queue"],
        "plan": route.get("plan"),
        "channels": route["channels"],
        "escalation": route["escalation"],
    }
    how_to = CONFIG.impacts[request.impact].how_to if request.impact else False
    flag = how_to_flood_flag(who.partner, ticket_id, now) if how_to and not who.billing_case else None
    record = {
        **request.model_dump(exclude={"website"}),
        "ticket_id": ticket_id,
        "kind": route["kind"],
        "severity": verdict.severity,
        "rule": verdict.rule,
        "multi_user": verdict.multi_user,
        **requester_facts(who),
        "queue": body["queue"],
        "how_to_flood": flag is not None,
        "created_at": now.isoformat(timespec="seconds"),
        "request_digest": digest,
        "response": json.dumps(body),
    }
    try:
        created = store.put_ticket(ticket_id, record, who.hourly_counter(now), who.hourly_limit,
                                   [*messages_for(who, request, body), *([flag] if flag else [])])
    except store.TicketLimitReached:
        raise rate_limited(who, now) from None
    if not created:  # a concurrent request with the same key stored it first
        return replay(store.get_ticket(ticket_id), digest), False
    metrics.add_metric(name=f"Tickets{verdict.severity}", unit="Count", value=1)
    if who.billing_case:
        metrics.add_metric(name="BillingCases", unit="Count", value=1)
    # no addresses or account numbers in logs: the ticket id leads to them
    logger.info("ticket accepted", extra={"ticket_id": ticket_id, "kind": route["kind"], "severity": verdict.severity,
                                          "rule": verdict.rule, "queue": body["queue"],
                                          "partner": who.partner.domain if who.partner else None})
    return body, True


def messages_for(who: Requester, request: TicketRequest, body: dict) -> list[Message]:
    """The queue's copy (in the site's default language) and the requester's confirmation (in the
    language of the page the form was sent from, else the partner's or account's; deadlines in the
    reader's zone), written with the ticket."""
    language = request.language or (who.partner or who.account).language
    details = {
        **body, **request.model_dump(exclude={"website", "language", "time_zone"}), **requester_facts(who),
        "requester_language": language, "reader_time_zone": request.time_zone,
    }
    ticket_id = body["ticket_id"]
    queue_copy = {**details, "reader_time_zone": None}
    copies = [Message(f"{ticket_id}#queue", Kind.TICKET_QUEUE, (CONFIG.queues[body["queue"]].email,), queue_copy)
              if channel is Channel.EMAIL else Message(f"{ticket_id}#{channel.value}", Kind.TICKET_QUEUE, (),
                                                        queue_copy, channel=channel)
              for channel in ticket_channels()]
    return [*copies,
            Message(f"{ticket_id}#confirmation", Kind.TICKET_CONFIRMATION, (request.requester_email,), details, language)]


def ticket_channels() -> list[Channel]:
    """Where a ticket's queue copy goes (``TICKET_CHANNELS``: template parameter ``TicketChannels``)."""
    return [Channel(name) for name in os.environ.get("TICKET_CHANNELS", Channel.EMAIL.value).split(",")]
