"""Support channels each plan is entitled to, and who in the account may use each of them.

Channels that need a third-party service (a chatbot, a live chat, the partner widget) exist only
where the operator configured them (``third_party_channels`` in ``support.yml``): the rules take the
configured ones as an argument and never offer the others.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from helpcenter.domain import Plan

EVERY_PLAN = ("knowledge_base", "videos", "chatbot", "report_abuse", "billing_discrepancy", "contact_sales")
PAID = ("live_chat", "billing_case")  # billing case: owners, admins and billing (members: business and up)
PHONE_PLANS = frozenset({Plan.BUSINESS, Plan.EDUCATION, Plan.ENTERPRISE, Plan.API})
# The online billing case is for owners and admins on paid plans and, on these plans, for members too.
MEMBER_BILLING_CASE_PLANS = PHONE_PLANS
# Channels served by a third-party service: offered only when configured.
THIRD_PARTY_CHANNELS = frozenset({"chatbot", "live_chat", "chat", "partner_widget"})
# Channels for the account's billing people (and its members on MEMBER_BILLING_CASE_PLANS).
BILLING_PEOPLE_CHANNELS = frozenset({"live_chat", "billing_case", "phone"})


class Audience(StrEnum):
    """Who in a customer account may use a channel."""

    EVERYONE = "everyone"
    BILLING_ROLES = "billing_roles"  # owners, admins and billing users
    BILLING_ROLES_AND_MEMBERS = "billing_roles_and_members"


def offered(channels: Collection[str], configured: Collection[str]) -> list[str]:
    """``channels`` without the third-party ones that are not configured."""
    return [c for c in channels if c not in THIRD_PARTY_CHANNELS or c in configured]


def support_channels(plan: Plan, configured: Collection[str] = ()) -> list[str]:
    """Free: self-service only; paid: plus live chat and billing case; business and up: plus phone.
    Third-party channels appear only when they are in ``configured``."""
    channels = list(EVERY_PLAN)
    if plan is not Plan.FREE:
        channels += PAID
    if plan in PHONE_PLANS:
        channels.append("phone")
    return offered(channels, configured)


def channel_audience(plan: Plan, channel: str) -> Audience:
    """Who in an account on ``plan`` may use ``channel`` (one of ``support_channels(plan)``)."""
    if channel not in BILLING_PEOPLE_CHANNELS:
        return Audience.EVERYONE
    return Audience.BILLING_ROLES_AND_MEMBERS if plan in MEMBER_BILLING_CASE_PLANS else Audience.BILLING_ROLES
