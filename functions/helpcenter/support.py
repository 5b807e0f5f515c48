"""Partner-support configuration (``support.yml`` beside this file), read once, validated against
its schema (``helpcenter.support_schema``) and turned into the records the rules work on.

The rules take a ``SupportConfig`` argument that defaults to ``CONFIG``, so tests can pass their own;
the ticket form's option lists are rendered from the same file at build time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from helpcenter.domain import PartnerTier, Region
from helpcenter.support_schema import SUPPORT_FILE as CONFIG_FILE, HelpDeskSpec, SupportFile, read

SEVERITIES = ("S1", "S2", "S3")


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    area: str | None = None
    language: str | None = None  # of the notices it reads; None: the site's default


@dataclass(frozen=True)
class RegionSettings:
    region: Region
    threshold: int  # user licences from which an account is multi-user
    time_zone: ZoneInfo
    escalation: dict[int, tuple[Contact, ...]]  # level (1–4) → contacts


@dataclass(frozen=True)
class Impact:
    code: str
    severity: str | None  # S1/S2/S3, or None: no response-time commitment
    weekends: bool  # outages, systems down, login problems: weekend hours count
    how_to: bool


@dataclass(frozen=True)
class RequestType:
    code: str
    customer_required: bool
    no_commitment: bool
    billing_case: bool = False  # a customer's billing contact may file it as a billing case
    cancelled_account_only: bool = False  # a cancelled account's owner or billing contact only


@dataclass(frozen=True)
class Queue:
    name: str
    email: str
    data_centers: frozenset[str]


@dataclass(frozen=True)
class Targets:
    acknowledgement: tuple[int, int]  # business hours, earliest and latest
    diagnosis: tuple[int, int]


@dataclass(frozen=True)
class SupportConfig:
    request_types: dict[str, RequestType]
    products: dict[str, str | None]  # product → what it is metered by when not users, else None
    impacts: dict[str, Impact]
    default_impact: str
    targets: dict[str, Targets]
    multi_user_resolution: tuple[int, int]
    regions: dict[Region, RegionSettings]
    queues: dict[str, Queue]
    default_queue: str
    billing_queue: str  # customers' billing cases
    channels: dict[PartnerTier, tuple[str, ...]]
    third_party: dict[str, dict[str, str]]  # configured third-party channel → language → address
    free_mail_domains: frozenset[str]
    free_mail_providers: frozenset[str]
    limits: dict  # ``support_schema.Limits`` as a dict, every key present
    help_desk: HelpDeskSpec  # how tickets look in the help desk (``helpcenter.helpdesk``)

    def user_metered(self, product: str) -> bool:
        return self.products.get(product) is None


def parse(document: SupportFile | dict) -> SupportConfig:
    """The runtime configuration from the validated file (level 1 of escalation is the desk everywhere)."""
    file = document if isinstance(document, SupportFile) else SupportFile.model_validate(document)
    desk = Contact(file.escalation_desk.name, file.escalation_desk.email, language=file.escalation_desk.language)
    regions = {
        region: RegionSettings(region, spec.threshold, ZoneInfo(spec.time_zone), {
            1: (desk,),
            **{level: tuple(Contact(c.name, c.email, c.area, c.language) for c in contacts)
               for level, contacts in sorted(spec.escalation.items())},
        })
        for region, spec in file.regions.items()
    }
    return SupportConfig(
        request_types={
            code: RequestType(code, spec.customer_required, spec.no_commitment, spec.billing_case,
                              spec.cancelled_account_only)
            for code, spec in file.request_types.items()
        },
        products={code: spec.metered_by for code, spec in file.products.items()},
        impacts={
            code: Impact(code, None if spec.severity == "none" else spec.severity, spec.weekends, spec.how_to)
            for code, spec in file.impacts.items()
        },
        default_impact=file.default_impact,
        targets={severity: Targets(spec.acknowledgement, spec.diagnosis) for severity, spec in file.targets.items()},
        multi_user_resolution=file.multi_user_resolution,
        regions=regions,
        queues={name: Queue(name, spec.email, frozenset(spec.data_centers)) for name, spec in file.queues.items()},
        default_queue=file.default_queue,
        billing_queue=file.billing_queue,
        channels={tier: tuple(channels) for tier, channels in file.channels.items()},
        third_party={channel: dict(spec.url) for channel, spec in file.third_party_channels.items()},
        free_mail_domains=frozenset(d.lower() for d in file.free_mail_domains),
        free_mail_providers=frozenset(p.lower() for p in file.free_mail_providers),
        limits=file.limits.model_dump(),
        help_desk=file.help_desk,
    )


@cache
def load(path: Path = CONFIG_FILE) -> SupportConfig:
    return parse(read(path))


CONFIG = load()
