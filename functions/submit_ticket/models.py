"""The contract of ``POST /tickets`` and ``POST /tickets/attachments``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from helpcenter.models import ApiModel, Language, TimeZone
from helpcenter import patterns
from helpcenter.support import CONFIG as _SUPPORT  # the configured lists the fields accept

AttachmentKey = Annotated[
    str,
    StringConstraints(pattern=r"^uploads/[0-9a-f]{32}/[A-Za-z0-9._-]{1,100}$"),
    Field(description="The key returned by POST /tickets/attachments, after the upload",
          examples=["uploads/3f1c0e6a9b2d4c5e8f7a6b5c4d3e2f1a/screenshot.png"]),
]
_LIMITS = _SUPPORT.limits
_GUIDE = _LIMITS["description_guide_words"]


def _one_of(kind: str):
    def check(value: str | None) -> str | None:
        if value is not None and value not in getattr(_SUPPORT, kind):
            raise ValueError(f"not one of the configured {kind.replace('_', ' ')}: {', '.join(getattr(_SUPPORT, kind))}")
        return value

    return check


class TicketRequest(ApiModel):
    requester_email: str = Field(
        max_length=254, pattern=patterns.ADDRESS,
        description="A partner's address on its registered domain (free-mail domains are refused), or, for a "
                    "billing case, an address that is a billing contact or user of the account named by number",
        examples=["ana@northwind-partners.example"])
    customer_account: str | None = Field(
        default=None, max_length=254,
        description="Account number (6–16 digits), super-admin e-mail or organisation id of the customer; "
                    "required for requests about a customer's account on a product sold per user, and "
                    "the account number for a billing case",
        examples=["100200300"])
    request_type: str = Field(examples=["technical_support"], description="One of the configured request types")
    product: str = Field(examples=["crm"], description="One of the configured products")
    impact: str | None = Field(
        default=None, examples=["outage"],
        description="What the problem does (configured impacts); required for technical support")
    reproducible: bool = Field(description="Can the problem be reproduced?")
    reproduction_details: str | None = Field(
        default=None, max_length=2000,
        description="User id, date and time, names of the workflow or function; required when reproducible")
    description: str = Field(min_length=1, max_length=10_000,
                             description=f"The problem or question; the template asks for {_GUIDE[0]}–{_GUIDE[1]} "
                                         f"words, and fewer than {_LIMITS['description_min_words']} are refused")
    troubleshooting: str | None = Field(default=None, max_length=5000, description="Steps already taken")
    attachments: list[AttachmentKey] = Field(default_factory=list, max_length=_LIMITS["attachments"]["max_files"])
    website: str | None = Field(default=None, max_length=200,
                                description="Honeypot: leave empty (a form hides it from people)")
    language: Language | None = Field(  # type: ignore[valid-type]
        default=None, description="The language of the page the form was sent from: the confirmation's language "
                                  "(default: the partner's or account's)")
    time_zone: TimeZone = Field(
        default=None, description="The submitter's IANA time zone: the confirmation writes the deadlines in it "
                                  "(default: the region's business-hours zone)")

    _request_type = field_validator("request_type")(_one_of("request_types"))
    _product = field_validator("product")(_one_of("products"))
    _impact = field_validator("impact")(_one_of("impacts"))

    @field_validator("requester_email", "customer_account", "reproduction_details", "troubleshooting", "impact",
                     mode="before")
    @classmethod
    def _blank_is_none(cls, value, info: ValidationInfo):
        if isinstance(value, str):
            value = value.strip()
            if not value and info.field_name != "requester_email":
                return None
        return value


class Reason(ApiModel):
    code: str = Field(examples=["multi_user_account"])
    message: str
    params: dict = Field(default_factory=dict, examples=[{"licenses": 120, "threshold": 100, "region": "india"}])


class TargetWindow(ApiModel):
    earliest: str = Field(description="ISO 8601 with offset", examples=["2026-11-30T01:00:00+05:30"])
    latest: str = Field(description="ISO 8601 with offset", examples=["2026-11-30T03:00:00+05:30"])


class TicketTargets(ApiModel):
    acknowledgement: TargetWindow
    diagnosis: TargetWindow
    resolution: TargetWindow | None = Field(description="Multi-user S1 only: the 24–48 h resolution aim")


class EscalationLevel(ApiModel):
    level: int
    role: str
    contacts: list[dict]


class TicketResponse(ApiModel):
    ticket_id: str = Field(examples=["T-7KQ2MZ4DXA"], pattern=r"^T-[A-Z2-7]{10}$")
    kind: str = Field(default="partner", examples=["partner"],
                      description="partner: a partner's ticket; billing: a customer's billing case (billing "
                                  "queue, the plan's channels, no partner escalation)")
    severity: str = Field(examples=["S1"])
    commitment: bool = Field(description="False for feature requests and product limitations: no deadlines")
    multi_user: bool
    reasons: list[Reason]
    accepted_at: str = Field(description="ISO 8601 with offset, in the region's time zone")
    acknowledge_by: str | None = Field(description="Latest acknowledgement time, ISO 8601 with offset")
    diagnose_by: str | None = Field(description="Latest diagnosis time, ISO 8601 with offset")
    targets: TicketTargets | None
    time_zone: str = Field(examples=["Asia/Kolkata"],
                           description="The business-hours time zone: the partner's region, or the account's "
                                       "region for a billing case")
    weekends_count: bool
    queue: str = Field(examples=["main"], description="main, eu (partners by data-center group) or billing")
    plan: str | None = Field(default=None, examples=["pro"],
                             description="The account's plan for a billing case (its channels' audiences "
                                         "follow from it); null for a partner's ticket")
    channels: list[str] = Field(description="The partner tier's channels, or the plan's for a billing case")
    escalation: list[EscalationLevel] = Field(description="Partner escalation levels; empty for a billing case")


class AttachmentRequest(ApiModel):
    filename: str = Field(min_length=1, max_length=200, examples=["screenshot.png"])
    content_type: str = Field(examples=["image/png"])
    size: int = Field(gt=0, description="Bytes", examples=[48213])


class AttachmentResponse(ApiModel):
    key: str = Field(description="Put it in the ticket's attachments[] after the upload")
    url: str = Field(description="POST the file here as multipart/form-data")
    fields: dict[str, str] = Field(description="Form fields to send before the file, as given")
    max_bytes: int
    expires_in: int = Field(description="Seconds the upload form stays valid")
