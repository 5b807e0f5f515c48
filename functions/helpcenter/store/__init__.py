"""The one package that talks to DynamoDB (single table, name from ``TABLE_NAME``).

Its modules follow the functions' IAM policies in ``infra/template.yaml``:

- ``accounts``: account and dunning reads and the dunning job's writes (AccountStatus, Dunning);
- ``payments``: express invoice payment (PayInvoice);
- ``tickets``: partners, counters and tickets (SubmitTicket);
- ``bulk``: the import command's batched load;
- ``items``, ``codec``, ``table``: keys and item mapping, attribute values, the client and request loops.

The sandbox payment provider keeps its own charges beside it, in ``helpcenter.payments.sandbox``.
The names below are re-exported so callers can write ``store.get_account_with_invoices(...)``.
"""

from helpcenter.store.accounts import (
    account_numbers_in_dunning,
    erase_account_data,
    get_account_with_invoices,
    record_dunning_step,
)
from helpcenter.store.bulk import put_records
from helpcenter.store.codec import deserialize, serialize
from helpcenter.store.items import (
    account_key,
    billing_counter_partition,
    invoice_key,
    partner_counter_partition,
    partner_key,
    ticket_key,
)
from helpcenter.store.followup import tracking_attributes
from helpcenter.store.lookups import add_lookup_failure, lookup_failures
from helpcenter.store.payments import (
    ClaimRefused,
    ExpiredClaim,
    InvoicePayment,
    PaymentContext,
    PaymentNotRecorded,
    claim_invoice,
    expired_claims,
    get_account_and_invoice,
    get_payment_context,
    hand_back_claim,
    record_payment,
    release_claim,
    release_expired_claim,
)
from helpcenter.store.table import UnprocessedItemsLeft, client, condition_failed, table_name
from helpcenter.store.tickets import (
    Counter,
    TicketLimitReached,
    add_to_counter,
    counter_value,
    get_account,
    get_partner,
    get_ticket,
    put_ticket,
)

__all__ = [
    "add_lookup_failure", "lookup_failures",
    "ClaimRefused", "Counter", "ExpiredClaim", "InvoicePayment", "TicketLimitReached", "add_to_counter", "counter_value", "PaymentContext", "PaymentNotRecorded", "UnprocessedItemsLeft",
    "account_key", "account_numbers_in_dunning", "claim_invoice", "client", "condition_failed",
    "billing_counter_partition", "deserialize", "erase_account_data", "expired_claims",
    "get_account", "get_account_and_invoice", "get_account_with_invoices", "get_partner", "get_payment_context",
    "get_ticket", "hand_back_claim", "invoice_key", "partner_counter_partition", "partner_key", "put_records",
    "put_ticket", "record_dunning_step", "record_payment", "release_claim", "release_expired_claim", "serialize",
    "table_name", "ticket_key",
    "tracking_attributes",
]
