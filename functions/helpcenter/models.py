"""Pydantic models of the HTTP API: the contract forms, integrators and the OpenAPI document share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
