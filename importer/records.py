"""The import file format, validated whole with line-precise errors (pure: no I/O besides parsing text).

```yaml
accounts:
  - number: "100200300"          # 6–16 digits, unique
    name: Lotus Trading Co.
    plan: business                # free | pro | business | education | enterprise | api
    region: asia_pacific_japan    # see helpcenter.domain.Region
    postal_code: "700000"         # stored only as a digest
    licenses: 120
    billing_contacts: [billing@lotus.example]
    users: [{email: asha@lotus.example, role: owner}, {email: ravi@lotus.example, role: member}]
                                  # optional; role: owner | admin | billing | member
    dunning_since: -21d           # optional: day D whose renewal charge failed
    language: vi                  # optional: its e-mails' language (a site language; default: the site's)
    invoices:
      - number: INV-2026-0042     # unique per account
        amount: "149.00"          # decimal string, never a float
        currency: USD
        due_date: -21d            # ISO date or relative to the load day: -21d, +3d, 0d
        status: open              # open | paid
        credit: "12.50"           # optional downgrade credit
partners:
  - domain: northwind-partners.example
    name: Northwind Partners
    tier: premium                 # authorized | advanced | premium
    data_center: eu               # us | in | au | jp | sa | ca | eu | uk
    region: europe_uk
    customers: ["100200302"]      # account numbers of the customers it files tickets for
    language: fr                  # optional, as for accounts
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from helpcenter import patterns
from helpcenter.domain import (
    Account,
    AccountStatus,
    Invoice,
    InvoiceStatus,
    Partner,
    PartnerTier,
    Plan,
    Region,
    Role,
    postal_code_digest,
)
from helpcenter import i18n
from helpcenter.money import Money, MoneyError
from helpcenter.rules import dunning

RELATIVE_DATE = re.compile(r"^([+-]?\d{1,4})d$")


class RecordsRefused(ValueError):
    """The file is refused whole; ``problems`` lists ``line N: path: message`` strings."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def resolve_date(value: object, today: date) -> date:
    """``2026-11-01`` or a day offset from the load day (``-21d``, ``+3d``, ``0d``)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = RELATIVE_DATE.match(text)
    if match:
        return today + timedelta(days=int(match.group(1)))
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is neither an ISO date (2026-11-01) nor a relative one (-21d)") from error


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("due_date", "dunning_since", mode="before", check_fields=False)
    @classmethod
    def _dates(cls, value, info: ValidationInfo):
        return None if value is None else resolve_date(value, (info.context or {})["today"])


class InvoiceRecord(Record):
    number: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$")]
    amount: str
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    due_date: date
    status: InvoiceStatus = InvoiceStatus.OPEN
    credit: str | None = None

    @field_validator("amount", "credit", mode="before")
    @classmethod
    def _no_floats(cls, value):
        if isinstance(value, float):
            raise ValueError("write amounts as quoted decimal strings, e.g. \"149.00\"")
        return None if value is None else str(value)

    def to_invoice(self, account_number: str) -> Invoice:
        amount = Money.parse(self.amount, self.currency)
        credit = Money.parse(self.credit, self.currency) if self.credit else None
        if credit and not (0 <= credit.minor <= amount.minor):
            raise MoneyError("credit must be between 0 and the invoice amount")
        if amount.minor <= 0:
            raise MoneyError("amount must be positive")
        return Invoice(self.number, account_number, amount, self.due_date, self.status, credit)


EMAIL = patterns.ADDRESS


def site_language(value: str) -> str:
    """One of the site's languages (mkdocs.yml), as its e-mails will be written in."""
    if value not in i18n.LANGUAGES:
        raise ValueError(f"language must be one of the site's languages: {', '.join(i18n.LANGUAGES)}")
    return value


SiteLanguage = Annotated[str, AfterValidator(site_language)]


class UserRecord(Record):
    email: Annotated[str, Field(pattern=EMAIL)]
    role: Role


class AccountRecord(Record):
    number: Annotated[str, Field(pattern=patterns.ACCOUNT_NUMBER)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    plan: Plan
    region: Region
    postal_code: Annotated[str, Field(min_length=2, max_length=12)]
    licenses: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    billing_contacts: list[Annotated[str, Field(pattern=EMAIL)]] = []
    users: list[UserRecord] = []
    dunning_since: date | None = None
    deleted: bool = False
    invoices: list[InvoiceRecord] = []
    language: SiteLanguage = i18n.DEFAULT


class PartnerRecord(Record):
    domain: Annotated[str, Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    tier: PartnerTier
    data_center: Literal["us", "in", "au", "jp", "sa", "ca", "eu", "uk"]
    region: Region
    customers: list[Annotated[str, Field(pattern=patterns.ACCOUNT_NUMBER)]] = []
    language: SiteLanguage = i18n.DEFAULT


class DataFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accounts: list[AccountRecord] = []
    partners: list[PartnerRecord] = []


@dataclass(frozen=True)
class Loaded:
    accounts: list[Account]
    invoices: list[Invoice]
    partners: list[Partner]


def _line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map every path in the document (``("accounts", 3, "plan")``) to its 1-based line."""
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            index[path + (key.value,)] = key.start_mark.line + 1
            _line_index(value, path + (key.value,), index)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _line_index(item, path + (position,), index)
    return index


def _line_of(lines: dict[tuple, int], path: tuple) -> int:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def parse(text: str, today: date, source: str = "<data>", postal_key: bytes | None = None) -> Loaded:
    """Validate a whole file; raise ``RecordsRefused`` listing every problem with its line.

    ``postal_key`` signs the postal-code digests (``helpcenter.postal_codes``); without it (validation
    only) accounts carry no digest and cannot be written."""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise RecordsRefused([f"{source}:{line}: not valid YAML/JSON: {getattr(error, 'problem', error)}"]) from None
    if data is None:
        data = {}
    lines = _line_index(node) if node is not None else {}
    try:
        parsed = DataFile.model_validate(data, context={"today": today})
    except ValidationError as error:
        raise RecordsRefused(
            [
                f"{source}:{_line_of(lines, tuple(problem['loc']))}: "
                f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                for problem in error.errors()
            ]
        ) from None
    return _to_domain(parsed, today, lines, source, postal_key)


def _to_domain(parsed: DataFile, today: date, lines: dict, source: str, postal_key: bytes | None) -> Loaded:
    problems, accounts, invoices, seen = [], [], [], set()
    for a_index, record in enumerate(parsed.accounts):
        where = ("accounts", a_index)
        if record.number in seen:
            problems.append(f"{source}:{_line_of(lines, where + ('number',))}: duplicate account {record.number}")
        seen.add(record.number)
        account_invoices, numbers = [], set()
        for i_index, invoice_record in enumerate(record.invoices):
            at = where + ("invoices", i_index)
            if invoice_record.number in numbers:
                problems.append(f"{source}:{_line_of(lines, at + ('number',))}: duplicate invoice {invoice_record.number}")
            numbers.add(invoice_record.number)
            try:
                account_invoices.append(invoice_record.to_invoice(record.number))
            except MoneyError as error:
                problems.append(f"{source}:{_line_of(lines, at + ('amount',))}: {'.'.join(map(str, at))}: {error}")
        account = Account(
            number=record.number,
            name=record.name,
            plan=record.plan,
            region=record.region,
            postal_code_digest=postal_code_digest(record.number, record.postal_code, postal_key) if postal_key else "",
            licenses=record.licenses,
            billing_contacts=tuple(record.billing_contacts),
            users=tuple((user.email.strip().lower(), user.role) for user in record.users),
            dunning_since=record.dunning_since,
            status=AccountStatus.DELETED if record.deleted else AccountStatus.ACTIVE,
            language=record.language,
        )
        status = dunning.status_on(account, account_invoices, today)
        accounts.append(replace(account, status=status))
        invoices += account_invoices
    managed_by: dict[str, str] = {}
    for p_index, partner in enumerate(parsed.partners):
        for c_index, number in enumerate(partner.customers):
            if number in managed_by:
                line = _line_of(lines, ("partners", p_index, "customers", c_index))
                problems.append(f"{source}:{line}: partners.{p_index}.customers.{c_index}: account {number} is "
                                f"already managed by {managed_by[number]}")
            managed_by.setdefault(number, partner.domain)
    if problems:
        raise RecordsRefused(problems)
    partners = [Partner(**{**partner.model_dump(), "customers": frozenset(partner.customers)})
                for partner in parsed.partners]
    return Loaded(accounts=accounts, invoices=invoices, partners=partners)
