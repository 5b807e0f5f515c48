"""Ticket intake rules besides severity: requester domains, customer identifiers, description length,
routing by data-center group, escalation contacts, channels by tier, rate and how-to flood windows,
and who may open a customer's billing case.

Billing cases: a requester whose domain is not a registered partner's may still file when the ticket
names a customer account by number and the requester may act for that account's billing: one of its
billing contacts, a user with the owner, admin or billing role, or, on the business, education,
enterprise and API plans, a user with the member role. Billing cases come with paid plans (the plan's
support channels include ``billing_case``), take a configured subset of the request types, and go to
the billing queue. A deleted account has no billing contacts and no users.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

from helpcenter import patterns
from helpcenter.domain import Account, AccountStatus, Partner, PartnerTier, Plan, Region, Role
from helpcenter.rules.addresses import same_address
from helpcenter.rules.plans import MEMBER_BILLING_CASE_PLANS, offered, support_channels
from helpcenter.support import CONFIG, Contact, Queue, SupportConfig

ACCOUNT_NUMBER = re.compile(patterns.ACCOUNT_NUMBER)
EMAIL = re.compile(patterns.ADDRESS)
ORGANISATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$")
# Scripts written without spaces between words: a run of them counts one word per 3 base characters
# (vowel signs and tone marks, Unicode category Mn, not counted), about a Thai word's length.
_UNSPACED = ("THAI", "LAO", "KHMER", "MYANMAR", "CJK", "HIRAGANA", "KATAKANA")


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def is_free_mail(domain: str, config: SupportConfig = CONFIG) -> bool:
    """gmail.com, yahoo.co.uk, hotmail.fr …: the exact list, or a known provider under any country suffix."""
    domain = domain.lower()
    if domain in config.free_mail_domains:
        return True
    labels = domain.split(".")
    return len(labels) <= 3 and labels[0] in config.free_mail_providers


def identifier_kind(value: str) -> str | None:
    """How a customer is identified: ``account_number`` (6–16 digits), ``email`` or ``organisation_id``."""
    value = value.strip()
    if ACCOUNT_NUMBER.match(value):
        return "account_number"
    if EMAIL.match(value):
        return "email"
    if ORGANISATION_ID.match(value):
        return "organisation_id"
    return None


def _unspaced(char: str) -> bool:
    name = unicodedata.name(char, "")
    return any(name.startswith(script) for script in _UNSPACED)


def word_count(text: str) -> int:
    """Words in a description, in any of our languages.

    Space-separated tokens count one each; Thai (or another script written without spaces) counts one
    word per 3 base characters. An estimate, used only to refuse what is too short to work on.
    """
    count = 0
    for token in text.split():
        if not any(ch.isalnum() for ch in token):
            continue
        unspaced = sum(1 for ch in token if _unspaced(ch) and unicodedata.category(ch) != "Mn")
        count += max(1, math.ceil(unspaced / 3)) if unspaced else 1
    return count


def customer_required(request_type: str, product: str, config: SupportConfig = CONFIG) -> bool:
    """A customer identifier is required where a multi-user S1 can depend on it: a request about one
    customer's account (technical support, extensions, upgrade, invoice change) for a product sold
    per user."""
    return config.request_types[request_type].customer_required and config.user_metered(product)


def queue_for(partner: Partner, config: SupportConfig = CONFIG) -> Queue:
    """Main queue for the US, India, Australia, Japan, Saudi Arabia and Canada groups; EU queue for EU, UK."""
    for queue in config.queues.values():
        if partner.data_center in queue.data_centers:
            return queue
    return config.queues[config.default_queue]


def is_billing_contact(email: str, account: Account | None) -> bool:
    """The address is one of the account's billing contacts (``addresses.same_address``); never for an
    unknown or deleted account."""
    if account is None or account.status is AccountStatus.DELETED:
        return False
    return any(same_address(email, contact) for contact in account.billing_contacts)


BILLING_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.BILLING})


def user_role(email: str, account: Account | None) -> Role | None:
    """The role of the account's user with this address (``addresses.same_address``); None for an
    unknown or deleted account or an address that is not one of its users."""
    if account is None or account.status is AccountStatus.DELETED:
        return None
    return next((role for user, role in account.users if same_address(email, user)), None)


def acts_for_billing(email: str, account: Account | None) -> bool:
    """Whom the account's billing case is for, whatever the plan: a billing contact, an owner, admin or
    billing user, or a member where the plan gives members billing cases (business and up)."""
    if is_billing_contact(email, account):
        return True
    role = user_role(email, account)
    if account is None or role is None:
        return False
    return role in BILLING_ROLES or (role is Role.MEMBER and account.plan in MEMBER_BILLING_CASE_PLANS)


def may_request_reactivation(email: str, account: Account) -> bool:
    """A temporary limited reactivation is for a cancelled (not yet deleted) account, asked by its
    owner or one of its billing contacts: the people who can update its card."""
    if account.status is not AccountStatus.CANCELLED:
        return False
    return is_billing_contact(email, account) or user_role(email, account) is Role.OWNER


def billing_case_included(plan: Plan) -> bool:
    """Billing cases come with paid plans (pro and up); the free plan's help is self-service."""
    return "billing_case" in support_channels(plan)


def billing_case_types(config: SupportConfig = CONFIG) -> list[str]:
    """The request types a billing case can have (invoice change, payment extension, upgrade, …)."""
    return [code for code, kind in config.request_types.items() if kind.billing_case]


def billing_queue(config: SupportConfig = CONFIG) -> Queue:
    return config.queues[config.billing_queue]


LEVEL_ROLES = {1: "escalation_desk", 2: "regional_lead", 3: "central_support_manager", 4: "partner_account_manager"}


def escalation_levels(region: Region, config: SupportConfig = CONFIG) -> list[dict]:
    """Levels 1–4 of the region: escalation desk, regional lead, central manager, partner account manager."""
    return [
        {"level": level, "role": LEVEL_ROLES[level], "contacts": [_contact(c) for c in contacts]}
        for level, contacts in sorted(config.regions[region].escalation.items())
    ]


def _contact(contact: Contact) -> dict:
    return {"name": contact.name, "email": contact.email, "area": contact.area}


def channels_for(tier: PartnerTier, config: SupportConfig = CONFIG) -> list[str]:
    """Every tier: ticket, widget, critical-issue dashboard; Advanced adds chat and toll-free phone;
    Premium adds a call with the partner success manager. Third-party ones only when configured."""
    return offered(config.channels[tier], config.third_party)


def partner_managers(region: Region, config: SupportConfig = CONFIG) -> list[str]:
    """Who hears about a partner that sends many how-to tickets: level 4 of its region."""
    return [c.email for c in config.regions[region].escalation[4]]


@dataclass(frozen=True)
class CounterWindow:
    """A fixed window in UTC for one of a partner's counters, and when its item may expire."""

    name: str
    start: datetime
    expires_at: int  # epoch seconds, for the table's TTL

    @property
    def key(self) -> str:
        return f"{self.name}#{self.start.strftime('%Y-%m-%dT%H')}"


def counter_window(name: str, hours: int, now: datetime) -> CounterWindow:
    """The fixed ``hours``-long window that contains ``now``, counted from the Unix epoch (so windows of
    1, 2, 3, 4, 6, 8, 12 or 24 hours start at UTC midnight)."""
    size = hours * 3600
    start_ts = int(now.timestamp()) // size * size
    start = datetime.fromtimestamp(start_ts, timezone.utc)
    return CounterWindow(name, start, start_ts + size + 86400)


def is_how_to_flood(count: int, config: SupportConfig = CONFIG) -> bool:
    """The one ticket that reaches the limit in its window flags the partner (later ones do not repeat it)."""
    return count == config.limits["how_to_flood"]["tickets"]
