"""The contract of ``POST /tickets/status`` and ``POST /tickets/acknowledge``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from helpcenter import patterns
from helpcenter.models import ApiModel, Language
from submit_ticket.models import Reason, TicketTargets

TICKET_ID = Field(pattern=patterns.TICKET_ID, description="The ticket id of the confirmation", examples=["T-7KQ2MZ4DXA"])


class TicketStatusRequest(ApiModel):
    ticket_id: str = TICKET_ID
    requester_email: str = Field(max_length=254, pattern=patterns.ADDRESS,
                                 description="The address the ticket was filed from",
                                 examples=["ana@bluepeak-solutions.example"])
    language: Language | None = Field(  # type: ignore[valid-type]
        default=None, description="The reader's language (default: Accept-Language)")


class TicketStatusResponse(ApiModel):
    ticket_id: str = TICKET_ID
    kind: str = Field(examples=["partner"], description="partner or billing")
    request_type: str = Field(examples=["technical_support"])
    severity: str = Field(examples=["S1"])
    commitment: bool
    multi_user: bool
    reasons: list[Reason]
    accepted_at: str = Field(description="ISO 8601 with offset, in the region's time zone")
    acknowledge_by: str | None
    diagnose_by: str | None
    targets: TicketTargets | None
    time_zone: str = Field(examples=["Asia/Kolkata"])
    weekends_count: bool
    queue: str
    acknowledged: bool = Field(description="Whether support has acknowledged the ticket")
    acknowledged_at: str | None = Field(description="When, ISO 8601 with offset")
    escalation_level: int | None = Field(
        ge=1, le=4, description="1 escalation desk, 2 regional lead, 3 central support manager, 4 partner account "
                                "manager; null for tickets that are not escalated (billing cases, no commitment)")


class AcknowledgeRequest(ApiModel):
    ticket_id: str = TICKET_ID
    token: str = Field(min_length=10, max_length=100, pattern=r"^[0-9]{1,12}\.[A-Za-z0-9_-]{43}$",
                       description="The token of the acknowledge link (also given to the webhook and the help-desk "
                                   "connector with the ticket)")
    source: Literal["link", "help_desk"] = Field(
        default="link", description="link: a person opened the acknowledge link; help_desk: the webhook receiver "
                                    "or help-desk connector acknowledges for the agent who took the ticket")


class AcknowledgeResponse(ApiModel):
    ticket_id: str = TICKET_ID
    acknowledged_at: str = Field(description="ISO 8601 with offset (UTC)")
    escalation_level: int | None = Field(description="The level the ticket had reached; escalation stops here")
