"""Pydantic models of the HTTP API: the contract forms, integrators and the OpenAPI document share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from helpcenter.money import CURRENCY_EXPONENTS, Money, MoneyError

AccountNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6,16}$"),
    Field(description="The account number printed on invoices (6–16 digits)", examples=["100200300"]),
]
PostalCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=12, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]*$"),
    Field(description="The billing postal code", examples=["700000"]),
]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-01"])]


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=10_000)


class AccountStatusRequest(ApiModel):
    account_number: AccountNumber
    postal_code: PostalCode


class OutstandingInvoice(ApiModel):
    invoice_number: str
    amount_due: str = Field(description="Decimal string in the currency's units", examples=["149.00"])
    currency: str
    due_date: IsoDate
    overdue: bool


class NextEvent(ApiModel):
    event: str
    date: IsoDate


class TimelineStep(ApiModel):
    event: str
    status: str
    date: IsoDate
    reached: bool


class AccountStatusResponse(ApiModel):
    status: str = Field(examples=["suspension_warning"])
    plan: str
    outstanding_invoices: list[OutstandingInvoice]
    next_event: NextEvent | None
    deletion_date: IsoDate | None
    support_channels: list[str]
    timeline: list[TimelineStep]


class ErrorBody(ApiModel):
    error: str
    message: str
    fields: list[dict] | None = None


# --- invoices (express payment) ---------------------------------------------------------------------

InvoiceNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$"),
    Field(description="The invoice number printed on the invoice", examples=["INV-4001"]),
]
CurrencyCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 4217 currency code", examples=["EUR"]),
]
DecimalAmount = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,15}(\.[0-9]{1,4})?$"),
    Field(description="Decimal string in the currency's units, never a JSON number", examples=["59.00"]),
]
PaymentToken = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_]{3,255}$"),
    Field(description="The payment provider's token for the payment method (sandbox: tok_success, …)",
          examples=["tok_success"]),
]
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_.:-]{8,128}$"


class InvoiceLookupRequest(ApiModel):
    account_number: AccountNumber
    invoice_number: InvoiceNumber


class InvoiceLookupResponse(ApiModel):
    invoice_number: str
    amount_due: str = Field(description="Decimal string in the currency's units, after any credit",
                            examples=["59.00"])
    currency: str = Field(examples=["EUR"])
    due_date: IsoDate
    account_name: str = Field(description="The account's name, partly masked", examples=["Tr******* Be*********"])
    payment_provider: str = Field(description="Which provider takes the payment: sandbox (test tokens) or stripe",
                                  examples=["sandbox"])


class PayInvoiceRequest(ApiModel):
    account_number: AccountNumber
    invoice_number: InvoiceNumber
    currency: CurrencyCode  # validated before the amount, whose decimals depend on it
    amount_due: DecimalAmount
    payment_token: PaymentToken

    @field_validator("currency")
    @classmethod
    def _billed_currency(cls, value: str) -> str:
        if value not in CURRENCY_EXPONENTS:
            raise ValueError("not a currency we bill in")
        return value

    @field_validator("amount_due", mode="before")
    @classmethod
    def _amount_is_a_string(cls, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError('write the amount as a decimal string, e.g. "59.00", never as a JSON number')
        return value

    @field_validator("amount_due")
    @classmethod
    def _amount_fits_currency(cls, value: str, info: ValidationInfo) -> str:
        currency = info.data.get("currency")
        if currency:
            try:
                Money.parse(value, currency)
            except MoneyError:
                raise ValueError(f"more decimal places than {currency} has") from None
        return value

    @property
    def amount(self) -> Money:
        return Money.parse(self.amount_due, self.currency)


class PayInvoiceResponse(ApiModel):
    payment_id: str = Field(examples=["sbx_5f0c2d7e9a1b4c3d8e6f7a2b"])
    invoice_number: str
    amount_paid: str = Field(description="Decimal string in the currency's units", examples=["59.00"])
    currency: str
    account_status: str = Field(description="The account's status after the payment", examples=["active"])


# --- tickets -----------------------------------------------------------------------------------------

from helpcenter.support import CONFIG as _SUPPORT  # noqa: E402 - the configured lists the fields accept

AttachmentKey = Annotated[
    str,
    StringConstraints(pattern=r"^uploads/[0-9a-f]{32}/[A-Za-z0-9._-]{1,100}$"),
    Field(description="The key returned by POST /tickets/attachments, after the upload",
          examples=["uploads/3f1c0e6a9b2d4c5e8f7a6b5c4d3e2f1a/screenshot.png"]),
]


def _one_of(kind: str):
    def check(value: str | None) -> str | None:
        if value is not None and value not in getattr(_SUPPORT, kind):
            raise ValueError(f"not one of the configured {kind.replace('_', ' ')}: {', '.join(getattr(_SUPPORT, kind))}")
        return value

    return check


class TicketRequest(ApiModel):
    requester_email: str = Field(
        max_length=254, pattern=r"^[^@\s]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
        description="The partner's address on its registered domain (free-mail domains are refused)",
        examples=["ana@northwind-partners.example"])
    customer_account: str | None = Field(
        default=None, max_length=254,
        description="Account number (6–16 digits), super-admin e-mail or organisation id of the customer; "
                    "required for requests about a customer's account on a product sold per user",
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
                             description="The problem or question; the template asks for 150–200 words")
    troubleshooting: str | None = Field(default=None, max_length=5000, description="Steps already taken")
    attachments: list[AttachmentKey] = Field(default_factory=list, max_length=5)
    website: str | None = Field(default=None, max_length=200,
                                description="Honeypot: leave empty (a form hides it from people)")

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
    ticket_id: str = Field(examples=["T-20261130-7KQ2MZ4D"])
    severity: str = Field(examples=["S1"])
    commitment: bool = Field(description="False for feature requests and product limitations: no deadlines")
    multi_user: bool
    reasons: list[Reason]
    accepted_at: str = Field(description="ISO 8601 with offset, in the region's time zone")
    acknowledge_by: str | None = Field(description="Latest acknowledgement time, ISO 8601 with offset")
    diagnose_by: str | None = Field(description="Latest diagnosis time, ISO 8601 with offset")
    targets: TicketTargets | None
    time_zone: str = Field(examples=["Asia/Kolkata"], description="The region's business-hours time zone")
    weekends_count: bool
    queue: str = Field(examples=["main"])
    channels: list[str]
    escalation: list[EscalationLevel]


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
