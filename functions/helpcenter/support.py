"""Partner-support configuration (``support.yml`` beside this file), read once and typed.

The rules take a ``SupportConfig`` argument that defaults to ``CONFIG``, so tests can pass their own;
the ticket form's option lists are rendered from the same file at build time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from helpcenter.domain import PartnerTier, Region

CONFIG_FILE = Path(__file__).resolve().parent / "support.yml"
SEVERITIES = ("S1", "S2", "S3")


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    area: str | None = None


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
    free_mail_domains: frozenset[str]
    free_mail_providers: frozenset[str]
    limits: dict
    labels: dict  # {"request_types"|"products"|"impacts"|"regions": {code: {lang: text}}}

    def user_metered(self, product: str) -> bool:
        return self.products.get(product) is None


def parse(document: dict) -> SupportConfig:
    desk = document["escalation_desk"]
    regions = {}
    for name, spec in document["regions"].items():
        region = Region(name)
        levels = {1: (Contact(desk["name"], desk["email"]),)}
        levels.update({int(level): tuple(Contact(**c) for c in contacts) for level, contacts in spec["escalation"].items()})
        if sorted(levels) != [1, 2, 3, 4]:
            raise ValueError(f"region {name}: escalation levels must be 1 to 4")
        regions[region] = RegionSettings(region, int(spec["threshold"]), ZoneInfo(spec["time_zone"]), levels)
    if set(regions) != set(Region):
        raise ValueError(f"support.yml must configure every region: missing {set(Region) - set(regions)}")
    impacts = {
        code: Impact(code, None if spec["severity"] == "none" else spec["severity"], bool(spec.get("weekends")),
                     bool(spec.get("how_to")))
        for code, spec in document["impacts"].items()
    }
    assert all(i.severity in (*SEVERITIES, None) for i in impacts.values()), "impact severity must be S1–S3 or none"
    if document["billing_queue"] not in document["queues"]:
        raise ValueError(f"billing_queue {document['billing_queue']!r} is not one of the queues")
    return SupportConfig(
        request_types={
            code: RequestType(code, bool(spec.get("customer_required")), bool(spec.get("no_commitment")),
                              bool(spec.get("billing_case")))
            for code, spec in document["request_types"].items()
        },
        products={code: spec.get("metered_by") for code, spec in document["products"].items()},
        impacts=impacts,
        default_impact=document["default_impact"],
        targets={
            severity: Targets(tuple(spec["acknowledgement"]), tuple(spec["diagnosis"]))
            for severity, spec in document["targets"].items()
        },
        multi_user_resolution=tuple(document["multi_user_resolution"]),
        regions=regions,
        queues={
            name: Queue(name, spec["email"], frozenset(spec.get("data_centers", ())))
            for name, spec in document["queues"].items()
        },
        default_queue=document["default_queue"],
        billing_queue=document["billing_queue"],
        channels={PartnerTier(tier): tuple(channels) for tier, channels in document["channels"].items()},
        free_mail_domains=frozenset(d.lower() for d in document["free_mail_domains"]),
        free_mail_providers=frozenset(p.lower() for p in document["free_mail_providers"]),
        limits=document["limits"],
        labels={
            kind: {code: spec["label"] for code, spec in document[kind].items()}
            for kind in ("request_types", "products", "impacts", "regions")
        },
    )


@cache
def load(path: Path = CONFIG_FILE) -> SupportConfig:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


CONFIG = load()
