"""The two numbers as people type them: an invoice number in any letter case, an account number with
spaces or dashes; what is left must still be a number of the printed shape."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pay_invoice.models import InvoiceLookupRequest, PayInvoiceRequest


@pytest.mark.parametrize("invoice, account", [
    ("inv-4001", "100 200 303"), (" Inv-4001 ", "100-200-303"), ("INV-4001", "100200303"),
])
def test_numbers_are_read_as_printed(invoice, account):
    lookup = InvoiceLookupRequest(invoice_number=invoice, account_number=account)
    assert (lookup.invoice_number, lookup.account_number) == ("INV-4001", "100200303")
    pay = PayInvoiceRequest(invoice_number=invoice, account_number=account, amount_due="59.00", currency="eur",
                            payment_token="pm_card_visa")
    assert (pay.invoice_number, pay.account_number, pay.currency) == ("INV-4001", "100200303", "EUR")


@pytest.mark.parametrize("invoice, account", [
    ("inv_4001", "100200303"), ("-INV", "100200303"), ("INV-4001", "100 200 30x"), ("INV-4001", "12 34"),
])
def test_other_shapes_are_refused(invoice, account):
    with pytest.raises(ValidationError):
        InvoiceLookupRequest(invoice_number=invoice, account_number=account)
