"""Support channels each plan is entitled to."""

from __future__ import annotations

from helpcenter.domain import Plan

EVERY_PLAN = ("knowledge_base", "videos", "chatbot", "report_abuse", "billing_discrepancy", "contact_sales")
PAID = ("live_chat", "billing_case")  # billing case: owners and admins
PHONE_PLANS = frozenset({Plan.BUSINESS, Plan.EDUCATION, Plan.ENTERPRISE, Plan.API})


def support_channels(plan: Plan) -> list[str]:
    """Free: self-service only; paid: plus live chat and billing case; business and up: plus phone."""
    channels = list(EVERY_PLAN)
    if plan is not Plan.FREE:
        channels += PAID
    if plan in PHONE_PLANS:
        channels.append("phone")
    return channels
