"""The contract of ``POST /invoices/lookup`` and ``POST /invoices/pay``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from helpcenter.models import AccountNumber, ApiModel, IsoDate
from helpcenter.money import CURRENCY_EXPONENTS, Money, MoneyError

InvoiceNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$"),
    Field(description="The invoice number printed on the invoice (any letter case)", examples=["INV-4001"]),
]
CurrencyCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$"),
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
    Field(description="The payment method: the PaymentMethod id Stripe.js made of the card (pm_…); a demo "
                      "site's sandbox takes its test tokens instead",
          examples=["pm_card_visa"]),
]


class InvoiceLookupRequest(ApiModel):
    account_number: AccountNumber
    invoice_number: InvoiceNumber


class InvoiceLookupResponse(ApiModel):
    invoice_number: str
    amount: str = Field(description="The invoice's amount, before any credit", examples=["59.00"])
    credit: str | None = Field(default=None, description="Downgrade credit deducted from the amount (days "
                               "without paid service), or null", examples=["10.00"])
    amount_due: str = Field(description="Decimal string in the currency's units, after any credit",
                            examples=["59.00"])
    currency: str = Field(examples=["EUR"])
    due_date: IsoDate
    account_name: str = Field(description="The account's name, partly masked", examples=["Tr******* Be*********"])
    payment_provider: str = Field(description="Which provider takes the payment: sandbox (test tokens) or stripe",
                                  examples=["stripe"])
    stripe_publishable_key: str | None = Field(default=None, description="Stripe's publishable key for Stripe.js "
                                               "(stripe only)", examples=["pk_live_51H…"])


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


class NextInvoice(ApiModel):
    invoice_number: str
    amount_due: str
    currency: str
    due_date: IsoDate


class PayActionResponse(ApiModel):
    status: str = Field(description="requires_action: the customer's bank asks for a check first",
                        examples=["requires_action"])
    payment_id: str = Field(examples=["pi_3Pq…"])
    client_secret: str = Field(description="For Stripe.js handleNextAction in the page", examples=["pi_3Pq…_secret_…"])


class PayInvoiceResponse(ApiModel):
    payment_id: str = Field(examples=["sbx_5f0c2d7e9a1b4c3d8e6f7a2b"])
    invoice_number: str
    amount_paid: str = Field(description="Decimal string in the currency's units", examples=["59.00"])
    currency: str
    account_status: str = Field(description="The account's status after the payment", examples=["active"])
    next_invoice: NextInvoice | None = Field(default=None, description="The account's next overdue invoice, "
                                             "to pay next, or null")
