"""Everything that can refuse a ticket once its requester is known: the plan (billing cases), the
field rules the schema cannot express, the attachments, and the customer account a partner names."""

from __future__ import annotations

from helpcenter.domain import Account, Partner
from helpcenter.errors import InvalidRequest, NotFound, field_problem as field
from helpcenter.i18n import DEFAULT
from helpcenter.i18n.catalog import text
from helpcenter.i18n.sentences import label
from helpcenter.observability import metrics
from helpcenter.rules import tickets as rules
from helpcenter.rules.plans import support_channels
from helpcenter.support import CONFIG
from submit_ticket import attachments, reactivation
from submit_ticket.models import TicketRequest
from submit_ticket.requester import BillingRequester, Requester
from submit_ticket.seams import TicketStore


def listing(items: list[str], last: str) -> str:
    """``a, b and c`` (``last`` is "and" or "or")."""
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else "".join(items)


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


def customer_account(partner: Partner, request: TicketRequest, kind: str | None, tickets: TicketStore
                     ) -> Account | None:
    """The partner's customer named by number. A number the partner does not manage is answered like
    a number that does not exist, and is never read: same body, same status, same work."""
    if kind != "account_number" or not request.customer_account:
        return None
    number = request.customer_account.strip()
    account = tickets.get_account(number) if partner.manages(number) else None
    if account is None:
        metrics.add_metric(name="TicketsUnknownCustomer", unit="Count", value=1)
        raise NotFound("unknown_customer_account",
                       "None of your customer accounts has this number. Check the number on the customer's "
                       "invoices.",
                       [field("customer_account", "unknown", "None of your customer accounts has this number.")])
    return account


def check_request(who: Requester, request: TicketRequest, tickets: TicketStore) -> tuple[str | None, Account | None]:
    """The checks in order, the account read last: the plan (billing cases), the field rules, the
    attachments, then (partners) the customer named by number. Returns how the customer is
    identified and its account."""
    if isinstance(who, BillingRequester):
        check_billing_plan(who.account)
    kind = check_fields(request, who.billing_case)
    reactivation.check(request, who.account if isinstance(who, BillingRequester) else None)
    if absent := attachments.missing(request.attachments):
        raise InvalidRequest(fields=[field("attachments", "missing", f"{len(absent)} attachment(s) were not uploaded.")])
    if isinstance(who, BillingRequester):
        return kind, who.account
    return kind, customer_account(who.partner, request, kind, tickets)
