"""The contract of ``POST /accounts/status``."""

from __future__ import annotations

from pydantic import Field

from helpcenter.models import AccountNumber, ApiModel, IsoDate, PostalCode


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
