"""The records the rules work on: plain frozen dataclasses, no I/O."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from helpcenter.i18n import DEFAULT as DEFAULT_LANGUAGE
from helpcenter.money import Money


class Plan(StrEnum):
    FREE = "free"
    PRO = "pro"
    BUSINESS = "business"
    EDUCATION = "education"
    ENTERPRISE = "enterprise"
    API = "api"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    PAST_DUE = "past_due"
    SUSPENSION_WARNING = "suspension_warning"
    CANCELLED = "cancelled"
    DELETED = "deleted"


class Region(StrEnum):
    """Sales regions; the multi-user thresholds and business-hours time zones are per region."""

    AUSTRALIA_NZ = "australia_nz"
    ASIA_PACIFIC_JAPAN = "asia_pacific_japan"
    INDIA = "india"
    MIDDLE_EAST_AFRICA = "middle_east_africa"
    EUROPE_UK = "europe_uk"
    US_LATAM = "us_latam"
    CANADA_BRAZIL = "canada_brazil"


class PartnerTier(StrEnum):
    AUTHORIZED = "authorized"
    ADVANCED = "advanced"
    PREMIUM = "premium"


class Role(StrEnum):
    """A user's role in a customer account (billing actions: owner, admin, billing)."""

    OWNER = "owner"
    ADMIN = "admin"
    BILLING = "billing"
    MEMBER = "member"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"


def normalize_postal_code(postal_code: str) -> str:
    return "".join(ch for ch in postal_code.upper() if ch.isalnum())


def postal_code_digest(account_number: str, postal_code: str, key: bytes) -> str:
    """What we store instead of the billing postal code: HMAC-SHA256 under a secret key
    (``helpcenter.postal_codes``), enough to verify it, useless to read it or to try codes without the key."""
    material = f"{account_number}:{normalize_postal_code(postal_code)}".encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Invoice:
    number: str
    account_number: str
    amount: Money
    due_date: date
    status: InvoiceStatus = InvoiceStatus.OPEN
    credit: Money | None = None  # downgrade credit for days without paid service

    @property
    def amount_due(self) -> Money:
        return self.amount - self.credit if self.credit else self.amount

    def is_overdue(self, today: date) -> bool:
        return self.status is InvoiceStatus.OPEN and self.due_date <= today


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    plan: Plan
    region: Region
    postal_code_digest: str
    licenses: int = 1
    billing_contacts: tuple[str, ...] = ()
    users: tuple[tuple[str, Role], ...] = ()  # (e-mail, lower-cased; role): personal data, erased with the account
    status: AccountStatus = AccountStatus.ACTIVE
    dunning_since: date | None = None  # D: the renewal date whose charge failed
    notices_sent: frozenset[str] = field(default_factory=frozenset)
    language: str = DEFAULT_LANGUAGE  # the site language its e-mails are written in

    def postal_code_matches(self, postal_code: str, keys: tuple[bytes, ...]) -> bool:
        """Whether ``postal_code`` is this account's, under any of ``keys`` (the old one during a
        rotation); every key is tried, so the time taken does not depend on which one matched."""
        results = [hmac.compare_digest(self.postal_code_digest, postal_code_digest(self.number, postal_code, key))
                   for key in keys]
        return any(results)

    @property
    def masked_name(self) -> str:
        """``Lotus Trading Co.`` → ``Lo*** Tr***** Co.``: recognisable by its owner, not by others."""
        return " ".join(word[:2] + "*" * max(len(word) - 2, 0) if len(word) > 3 else word for word in self.name.split())


@dataclass(frozen=True)
class Partner:
    """A reseller, known by the e-mail domain it registered."""

    domain: str
    name: str
    tier: PartnerTier
    data_center: str  # us | in | au | jp | sa | ca | eu | uk
    region: Region
    customers: frozenset[str] = frozenset()  # numbers of the customer accounts it manages
    language: str = DEFAULT_LANGUAGE  # the site language its e-mails are written in

    def manages(self, account_number: str) -> bool:
        """Whether the partner may file tickets naming this customer account."""
        return account_number.strip() in self.customers
