"""Who files a ticket: a partner, known by the registered domain of its address, or someone who acts
for the billing of the customer account the ticket names by number (a billing case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from helpcenter import store
from helpcenter.domain import Account, Partner, Region
from helpcenter.errors import InvalidRequest, field_problem as field
from helpcenter.observability import metrics
from helpcenter.rules import addresses
from helpcenter.rules import tickets as rules
from helpcenter.rules.plans import support_channels
from helpcenter.support import CONFIG
from submit_ticket.models import TicketRequest
from submit_ticket.seams import TicketStore


class _Counted:
    """The hourly counter of a requester, in the partition its kind counts in."""

    @property
    def counter_partition(self) -> str:
        raise NotImplementedError

    def hourly_counter(self, now: datetime) -> store.Counter:
        window = rules.counter_window("tickets", 1, now)
        return store.Counter(self.counter_partition, window.key, window.expires_at)


@dataclass(frozen=True)
class PartnerRequester(_Counted):
    """A reseller filing for one of its customers (or about its own use of the product)."""

    partner: Partner
    billing_case = False

    @property
    def identity(self) -> str:
        """Seeds the ticket id (the same for a replayed Idempotency-Key) and owns the hourly counter."""
        return self.partner.domain

    @property
    def account(self) -> None:
        return None  # the customer account is read from the ticket, if it names one the partner manages

    @property
    def region(self) -> Region:
        return self.partner.region

    @property
    def language(self) -> str:
        return self.partner.language

    @property
    def counter_partition(self) -> str:
        return store.partner_counter_partition(self.partner.domain)

    @property
    def hourly_limit(self) -> int:
        return CONFIG.limits["tickets_per_partner_per_hour"]

    def routing(self) -> dict:
        """The partner's queue by data-center group, its tier's channels, its region's escalation levels."""
        partner = self.partner
        return {"kind": "partner", "queue": rules.queue_for(partner).name,
                "channels": rules.channels_for(partner.tier), "escalation": rules.escalation_levels(partner.region)}

    def facts(self) -> dict:
        """What the stored ticket and the queue's e-mail say about the requester's side."""
        partner = self.partner
        return {"partner_domain": partner.domain, "partner_name": partner.name, "partner_tier": partner.tier.value,
                "data_center": partner.data_center, "region": partner.region.value}


@dataclass(frozen=True)
class BillingRequester(_Counted):
    """A billing contact or user of the account the ticket names, opening that account's billing case."""

    account: Account
    billing_case = True

    @property
    def identity(self) -> str:
        return f"account:{self.account.number}"

    @property
    def partner(self) -> None:
        return None

    @property
    def region(self) -> Region:
        return self.account.region

    @property
    def language(self) -> str:
        return self.account.language

    @property
    def counter_partition(self) -> str:
        return store.billing_counter_partition(self.account.number)

    @property
    def hourly_limit(self) -> int:
        return CONFIG.limits["billing_cases_per_account_per_hour"]

    def routing(self) -> dict:
        """The billing queue with the plan's support channels (partner escalation levels do not apply)."""
        return {"kind": "billing", "queue": rules.billing_queue().name, "plan": self.account.plan.value,
                "channels": support_channels(self.account.plan, CONFIG.third_party), "escalation": []}

    def facts(self) -> dict:
        account = self.account
        return {"account_number": account.number, "plan": account.plan.value, "region": account.region.value}


Requester = PartnerRequester | BillingRequester

BILLING_CASE_HINT = ("Customers on a paid plan opening a billing case: write from the address that receives the "
                     "account's invoices, and give the account number.")


def identify(request: TicketRequest, tickets: TicketStore) -> Requester:
    """A partner, by the registered domain of the requester's address; else someone who acts for the
    billing of the customer account named by number (``rules.acts_for_billing``: billing contact,
    owner, admin or billing user, member on business and up). Anyone else is refused with the partner
    rule's reason (free-mail or unregistered domain): the same body whether the account number exists
    or not, so the refusal reveals neither which accounts exist nor who their contacts and users are."""
    domain = rules.email_domain(request.requester_email)
    free_mail = rules.is_free_mail(domain)
    partner = None if free_mail else tickets.get_partner(domain)
    if partner is not None:
        return PartnerRequester(partner)
    if request.customer_account and rules.identifier_kind(request.customer_account) == "account_number":
        account = tickets.get_account(request.customer_account)
        if account is not None and rules.acts_for_billing(request.requester_email, account):  # free plan: refused next
            return BillingRequester(account)
    if free_mail:
        metrics.add_metric(name="TicketsRefusedFreeMail", unit="Count", value=1)
        message = (f"{domain} is a free e-mail service. Partners: write from an address on the domain your company "
                   "registered as a partner: a ticket from a free-mail address cannot be linked to your partner "
                   f"account, so it cannot be tracked or given a severity. {BILLING_CASE_HINT}")
        raise InvalidRequest("free_mail_domain", message, [field("requester_email", "free_mail_domain", message)])
    message = (f"{domain} is not a registered partner domain. Partners: write from an address on the domain your "
               f"company registered as a partner, or ask your partner manager to register this one. {BILLING_CASE_HINT}")
    raise InvalidRequest("unregistered_domain", message, [field("requester_email", "unregistered_domain", message)])


def check_address(request: TicketRequest) -> TicketRequest:
    """The requester's address as mail systems check it (``rules.addresses``), in its normalised form."""
    try:
        address = addresses.normalize(request.requester_email)
    except addresses.AddressProblem as problem:
        metrics.add_metric(name="TicketsRefusedAddress", unit="Count", value=1)
        raise InvalidRequest(fields=[field("requester_email", problem.code, problem.message)]) from None
    return request.model_copy(update={"requester_email": address})
