"""Support channels each plan is entitled to."""

from __future__ import annotations

from helpcenter.domain import Plan

EVERY_PLAN = ("knowledge_base", "videos", "chatbot", "report_abuse", "billing_discrepancy", "contact_sales")
PAID = ("live_chat", "billing_case")  # billing case: owners, admins and billing (members: business and up)
PHONE_PLANS = frozenset({Plan.BUSINESS, Plan.EDUCATION, Plan.ENTERPRISE, Plan.API})
# The online billing case is for owners and admins on paid plans and, on these plans, for members too.
MEMBER_BILLING_CASE_PLANS = PHONE_PLANS


def support_channels(plan: Plan) -> list[str]:
    """Free: self-service only; paid: plus live chat and billing case; business and up: plus phone."""
    channels = list(EVERY_PLAN)
    if plan is not Plan.FREE:
        channels += PAID
    if plan in PHONE_PLANS:
        channels.append("phone")
    return channels
