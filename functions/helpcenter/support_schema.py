"""The schema of ``support.yml``: every key it may hold, typed, with unknown keys refused.

A misspelt flag (``customer_requried``) fails at load — in the functions' cold
start, in the site build (``hooks/ticket_form.py`` reads the file through ``read``) and in the unit
tests — instead of being silently ignored. The lists' labels are words, so they live in the text
catalogs (``labels.*`` in ``helpcenter/i18n/catalogs/<lang>.yml``), checked against these codes by
``tests/unit/test_catalogs.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PositiveInt, model_validator

from helpcenter import patterns
from helpcenter.domain import PartnerTier, Region
from helpcenter.i18n import registry
from helpcenter.rules.plans import THIRD_PARTY_CHANNELS

SUPPORT_FILE = Path(__file__).resolve().parent / "support.yml"
Severity = Literal["S1", "S2", "S3"]
MeteredBy = Literal["contacts", "rows", "visitors", "usage"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _window(bounds: tuple[int, int]) -> tuple[int, int]:
    if bounds[0] > bounds[1]:
        raise ValueError("the earliest bound is after the latest")
    return bounds


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None
    return name


Window = Annotated[tuple[PositiveInt, PositiveInt], AfterValidator(_window)]


class RequestTypeSpec(Strict):
    customer_required: bool = False
    no_commitment: bool = False
    billing_case: bool = False
    cancelled_account_only: bool = False  # only a cancelled account's owner or billing contact files it

    @model_validator(mode="after")
    def _cancelled_account_only_is_a_billing_case(self):
        if self.cancelled_account_only and not self.billing_case:
            raise ValueError("cancelled_account_only needs billing_case: true (it is a customer's billing case)")
        return self


class ProductSpec(Strict):
    metered_by: MeteredBy | None = None


class ImpactSpec(Strict):
    severity: Severity | Literal["none"]
    weekends: bool = False
    how_to: bool = False


class TargetSpec(Strict):
    acknowledgement: Window
    diagnosis: Window


def _site_language(language: str | None) -> str | None:
    if language is not None and language not in registry().languages:
        raise ValueError(f"language must be one of the site's languages: {', '.join(registry().languages)}")
    return language


class ContactSpec(Strict):
    name: str
    email: str = Field(pattern=patterns.ADDRESS)
    area: str | None = None
    # the language of the notices this contact reads (escalations); unset: the site's default
    language: Annotated[str | None, AfterValidator(_site_language)] = None


class RegionSpec(Strict):
    threshold: PositiveInt
    time_zone: Annotated[str, AfterValidator(_time_zone)]
    escalation: dict[Literal[2, 3, 4], list[ContactSpec]]

    @model_validator(mode="after")
    def _levels(self) -> RegionSpec:
        if sorted(self.escalation) != [2, 3, 4] or not all(self.escalation.values()):
            raise ValueError("escalation needs contacts at levels 2, 3 and 4 (level 1 is the escalation desk)")
        return self


class QueueSpec(Strict):
    email: str = Field(pattern=patterns.ADDRESS)
    data_centers: list[str] = []


class HowToFlood(Strict):
    window_hours: PositiveInt
    tickets: PositiveInt


class AttachmentLimits(Strict):
    max_files: PositiveInt
    max_bytes: PositiveInt
    content_types: list[str] = Field(min_length=1)
    url_expires_seconds: PositiveInt


class Limits(Strict):
    description_min_words: PositiveInt
    description_guide_words: Window
    tickets_per_partner_per_hour: PositiveInt
    billing_cases_per_account_per_hour: PositiveInt
    how_to_flood: HowToFlood
    attachments: AttachmentLimits


class ZendeskSpec(Strict):
    """How a ticket becomes a Zendesk ticket (``helpcenter.helpdesk``)."""

    priorities: dict[Severity, Literal["urgent", "high", "normal", "low"]]
    # Zendesk ticket field ids: the two deadlines, and (optional) the acknowledge token, which a Zendesk
    # trigger passes to POST /tickets/acknowledge as {{ticket.ticket_field_<id>}}
    custom_fields: dict[Literal["acknowledge_by", "diagnose_by", "acknowledge_token"], PositiveInt]
    tags: list[Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]] = []

    @model_validator(mode="after")
    def _every_severity(self) -> ZendeskSpec:
        if missing := {"S1", "S2", "S3"} - set(self.priorities):
            raise ValueError(f"help_desk.zendesk.priorities: missing {', '.join(sorted(missing))}")
        if missing := {"acknowledge_by", "diagnose_by"} - set(self.custom_fields):
            raise ValueError(f"help_desk.zendesk.custom_fields: missing {', '.join(sorted(missing))}")
        if len(set(self.custom_fields.values())) < len(self.custom_fields):
            raise ValueError("help_desk.zendesk.custom_fields: each needs a field of its own (an id is repeated)")
        return self


class HelpDeskSpec(Strict):
    zendesk: ZendeskSpec


def _https(url: str) -> str:
    if not url.startswith("https://") or any(c.isspace() for c in url):
        raise ValueError(f"{url!r} is not an https:// address")
    return url


class ThirdPartyChannelSpec(Strict):
    """Where a channel served by another company opens, one address per site language."""

    url: dict[str, Annotated[str, AfterValidator(_https)]]

    @model_validator(mode="after")
    def _every_language(self) -> ThirdPartyChannelSpec:
        languages = set(registry().languages)
        if set(self.url) != languages:
            raise ValueError(f"url needs exactly one address per site language: {', '.join(sorted(languages))}")
        return self


class SupportFile(Strict):
    """The whole of ``support.yml``."""

    request_types: dict[str, RequestTypeSpec]
    products: dict[str, ProductSpec]
    impacts: dict[str, ImpactSpec]
    default_impact: str
    targets: dict[Severity, TargetSpec]
    multi_user_resolution: Window
    escalation_desk: ContactSpec
    regions: dict[Region, RegionSpec]
    queues: dict[str, QueueSpec]
    default_queue: str
    billing_queue: str
    channels: dict[PartnerTier, list[str]]
    third_party_channels: dict[str, ThirdPartyChannelSpec] = {}
    free_mail_domains: list[str]
    free_mail_providers: list[str]
    limits: Limits
    help_desk: HelpDeskSpec

    @model_validator(mode="after")
    def _references(self) -> SupportFile:
        problems = []
        if self.default_impact not in self.impacts:
            problems.append(f"default_impact {self.default_impact!r} is not one of the impacts")
        for key in ("default_queue", "billing_queue"):
            if getattr(self, key) not in self.queues:
                problems.append(f"{key} {getattr(self, key)!r} is not one of the queues")
        for kind, required in (("regions", set(Region)), ("channels", set(PartnerTier)),
                               ("targets", {"S1", "S2", "S3"})):
            if missing := required - set(getattr(self, kind)):
                problems.append(f"{kind}: missing {', '.join(sorted(str(getattr(m, 'value', m)) for m in missing))}")
        if unknown := set(self.third_party_channels) - THIRD_PARTY_CHANNELS:
            problems.append(f"third_party_channels: {', '.join(sorted(unknown))} not one of "
                            f"{', '.join(sorted(THIRD_PARTY_CHANNELS))}")
        if self.limits.description_min_words > self.limits.description_guide_words[0]:
            problems.append("limits: description_min_words is above the guide's lower bound")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def read(path: Path = SUPPORT_FILE) -> SupportFile:
    """``support.yml`` parsed and validated (``pydantic.ValidationError`` names every problem)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~25 ms less of cold start
    return SupportFile.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))  # noqa: S506
