"""The temporary limited reactivation: a billing case of its own type (``cancelled_account_only`` in
``support.yml``) that only a cancelled, not yet deleted account's owner or billing contact may open
(``rules.tickets.may_request_reactivation``). It then reaches the billing queue like any case."""

from __future__ import annotations

from helpcenter.domain import Account
from helpcenter.errors import InvalidRequest, field_problem as field
from helpcenter.observability import metrics
from helpcenter.rules import tickets as rules
from helpcenter.support import CONFIG
from submit_ticket.models import TicketRequest

NOT_FOR_PARTNERS = ("A temporary limited reactivation is requested by the customer: the owner or a billing contact "
                    "of the cancelled account, writing from that address.")
NOT_AVAILABLE = ("A temporary limited reactivation is for a cancelled account, requested by its owner or a billing "
                 "contact, so that the card can be updated. Check the account's status first.")


def check(request: TicketRequest, account: Account | None) -> None:
    """Refuse the reactivation type unless ``account`` (the billing case's own account; None for a
    partner) is cancelled and the requester is its owner or a billing contact."""
    if not CONFIG.request_types[request.request_type].cancelled_account_only:
        return
    metrics.add_metric(name="ReactivationRequests", unit="Count", value=1)
    if account is None:
        raise InvalidRequest(fields=[field("request_type", "reactivation_by_customer", NOT_FOR_PARTNERS)])
    if not rules.may_request_reactivation(request.requester_email, account):
        raise InvalidRequest(fields=[field("request_type", "reactivation_not_available", NOT_AVAILABLE)])
