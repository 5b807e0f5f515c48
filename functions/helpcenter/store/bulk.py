"""Bulk load of accounts, invoices and partners: the import command's one write."""

from __future__ import annotations

from typing import Iterable

from helpcenter.domain import Account, Invoice, Partner
from helpcenter.store.codec import serialize
from helpcenter.store.items import account_item, invoice_item, partner_item
from helpcenter.store.table import batch_write


def put_records(accounts: Iterable[Account], invoices: Iterable[Invoice], partners: Iterable[Partner] = ()) -> None:
    """Write every record, 25 items a request, resubmitting unprocessed items with backoff."""
    items = [account_item(a) for a in accounts] + [invoice_item(i) for i in invoices]
    items += [partner_item(p) for p in partners]
    batch_write([{"PutRequest": {"Item": serialize(item)}} for item in items])
