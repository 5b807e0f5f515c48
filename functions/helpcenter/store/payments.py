"""Express invoice payment: the reads and conditional writes of ``POST /invoices/lookup`` and
``POST /invoices/pay`` (``ACCOUNT#`` partitions).

Express invoice payment adds attributes to two existing items:
- invoice: ``payment_key`` and ``claimed_until`` (epoch seconds) while a payment attempt holds it
  (an attempt that ends without knowing its charge's outcome leaves them, for the next to resolve,
  or the reconciliation job), with ``claim_pk``, which puts it in the sparse index ``claims``
  (sorted by ``claimed_until``) until the claim is released or the invoice paid;
  then ``payment_id``, ``paid_at`` and ``amount_paid_minor``; ``payment_key`` stays, so the attempt
  that paid can be answered again after its idempotency record expired;
- account: ``payment_seq``, raised by every payment, so two payments of one account cannot both
  decide on a stale view of its invoices whether it leaves dunning;

One payment, in round trips: ``Query`` the account and its invoices; conditional ``UpdateItem`` to
claim the invoice; the charge (provider); ``TransactWriteItems`` of the paid invoice and the account
(reactivated when no overdue invoice remains, and out of the sparse dunning index). A refused charge
releases the claim with one more ``UpdateItem``. The invoice lookup is one ``BatchGetItem``.
"""

from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass

from botocore.exceptions import ClientError

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus
from helpcenter.messages import Message
from helpcenter.store.outbox import message_put
from helpcenter.store.accounts import account_partition
from helpcenter.store.codec import deserialize
from helpcenter.store.items import account_from_item, account_key, invoice_from_item, invoice_key
from helpcenter.store.table import batch_get, cancellation_reasons, client, condition_failed, query_all, table_name

CLAIMS_INDEX = "claims"
CLAIMS_PARTITION = "CLAIM"


@dataclass(frozen=True)
class InvoicePayment:
    """The payment attributes of an invoice item."""

    status: str | None = None  # None: the item does not exist
    claimed_by: str | None = None  # idempotency key of the attempt that claimed or paid it
    claimed_until: int | None = None  # epoch seconds
    payment_id: str | None = None
    paid_at: str | None = None


@dataclass(frozen=True)
class PaymentContext:
    account: Account | None
    invoices: list[Invoice]
    payment_seq: int
    payments: dict[str, InvoicePayment]  # invoice number → its payment attributes


class ClaimRefused(Exception):
    """The invoice could not be claimed; ``current`` is what it held at that moment."""

    def __init__(self, current: InvoicePayment):
        super().__init__("invoice not claimed")
        self.current = current


class PaymentNotRecorded(Exception):
    """The paid-invoice transaction was refused: ``account_changed`` (retry on a fresh read) or the
    claim on the invoice was lost."""

    def __init__(self, account_changed: bool, claim_lost: bool):
        super().__init__("payment not recorded")
        self.account_changed, self.claim_lost = account_changed, claim_lost


def _invoice_payment(item: dict | None) -> InvoicePayment:
    if not item:
        return InvoicePayment()
    until = item.get("claimed_until")
    return InvoicePayment(
        status=item.get("status"),
        claimed_by=item.get("payment_key"),
        claimed_until=int(until) if until is not None else None,
        payment_id=item.get("payment_id"),
        paid_at=item.get("paid_at"),
    )


def get_account_and_invoice(account_number: str, invoice_number: str) -> tuple[Account | None, Invoice | None]:
    """The account and one of its invoices, in one ``BatchGetItem`` (strongly consistent)."""
    items = batch_get([account_key(account_number), invoice_key(account_number, invoice_number)])
    account = next((account_from_item(i) for i in items if i["sk"] == "#ACCOUNT"), None)
    invoice = next((invoice_from_item(i) for i in items if i["sk"].startswith("INVOICE#")), None)
    return account, invoice


def get_payment_context(account_number: str) -> PaymentContext:
    """The account, all its invoices and their payment attributes, in one Query."""
    account, invoice_items = account_partition(account_number)
    return PaymentContext(
        account=account_from_item(account) if account else None,
        invoices=[invoice_from_item(i) for i in invoice_items],
        payment_seq=int(account.get("payment_seq", 0)) if account else 0,
        payments={i["number"]: _invoice_payment(i) for i in invoice_items},
    )


def claim_invoice(account_number: str, invoice_number: str, key: str, until: int, now: int) -> InvoicePayment | None:
    """Claim an open invoice for the payment attempt ``key`` until ``until`` (epoch seconds).

    Succeeds when nobody holds it, the same attempt holds it (a retry), or the holder's lease ran out;
    then returns the attempt it took over from, if another one had left its claim behind (crashed, or
    its charge's outcome is unknown), else None. Raises ``ClaimRefused`` otherwise, with the invoice's
    state as it was. One round trip either way.
    """
    try:
        answer = client().update_item(
            TableName=table_name(),
            Key=invoice_key(account_number, invoice_number),
            UpdateExpression="SET payment_key = :key, claimed_until = :until, claim_pk = :claims",
            ConditionExpression=(
                "#status = :open AND account_number = :account "
                "AND (attribute_not_exists(claimed_until) OR claimed_until < :now OR payment_key = :key)"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":key": {"S": key},
                ":until": {"N": str(until)},
                ":now": {"N": str(now)},
                ":open": {"S": InvoiceStatus.OPEN.value},
                ":account": {"S": account_number},
                ":claims": {"S": CLAIMS_PARTITION},
            },
            ReturnValues="UPDATED_OLD",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if not condition_failed(error):
            raise
        old = error.response.get("Item")
        raise ClaimRefused(_invoice_payment(deserialize(old) if old else None)) from None
    previous = deserialize(answer.get("Attributes") or {})
    if previous.get("payment_key") and previous["payment_key"] != key:
        return InvoicePayment(status=InvoiceStatus.OPEN.value, claimed_by=previous["payment_key"],
                              claimed_until=int(previous.get("claimed_until", 0)))
    return None


def hand_back_claim(account_number: str, invoice_number: str, key: str, previous: InvoicePayment, now: int) -> None:
    """Put an abandoned attempt's expired claim back (its outcome is still unknown), so the next
    attempt resolves it again."""
    _update_own_claim(account_number, invoice_number, key, "SET payment_key = :previous, claimed_until = :now", {
        ":previous": {"S": previous.claimed_by},
        ":now": {"N": str(now - 1)},  # run out: the next attempt resolves it at once
    })


def release_claim(account_number: str, invoice_number: str, key: str) -> None:
    """Give the invoice back after a charge that took nothing (no-op if the claim is not ours)."""
    _update_own_claim(account_number, invoice_number, key, "REMOVE payment_key, claimed_until, claim_pk")


def _update_own_claim(account_number: str, invoice_number: str, key: str, update: str,
                      values: dict | None = None) -> None:
    """One ``UpdateItem`` of an open invoice that attempt ``key`` still claims; nothing otherwise."""
    try:
        client().update_item(
            TableName=table_name(),
            Key=invoice_key(account_number, invoice_number),
            UpdateExpression=update,
            ConditionExpression="#status = :open AND payment_key = :key",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":key": {"S": key}, ":open": {"S": InvoiceStatus.OPEN.value}, **(values or {})},
        )
    except ClientError as error:
        if not condition_failed(error):
            raise


@dataclass(frozen=True)
class ExpiredClaim:
    account_number: str
    invoice_number: str
    key: str  # the attempt that holds it
    claimed_until: int


def expired_claims(now: int) -> list[ExpiredClaim]:
    """Every invoice still held by an attempt whose claim ran out before ``now`` (the sparse index
    ``claims``: one Query, whatever the size of the table)."""
    items = query_all(
        TableName=table_name(),
        IndexName=CLAIMS_INDEX,
        KeyConditionExpression="claim_pk = :claims AND claimed_until < :now",
        ExpressionAttributeValues={":claims": {"S": CLAIMS_PARTITION}, ":now": {"N": str(now)}},
    )
    return [ExpiredClaim(i["pk"].removeprefix("ACCOUNT#"), i["sk"].removeprefix("INVOICE#"), i["payment_key"],
                         int(i["claimed_until"])) for i in items if i.get("payment_key")]


def release_expired_claim(account_number: str, invoice_number: str, key: str, now: int) -> bool:
    """Release a claim that ran out and whose attempt took nothing; False if it changed meanwhile
    (renewed by a retry of that attempt, taken over, paid)."""
    try:
        client().update_item(
            TableName=table_name(),
            Key=invoice_key(account_number, invoice_number),
            UpdateExpression="REMOVE payment_key, claimed_until, claim_pk",
            ConditionExpression="#status = :open AND payment_key = :key AND claimed_until < :now",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":key": {"S": key}, ":open": {"S": InvoiceStatus.OPEN.value},
                                       ":now": {"N": str(now)}},
        )
    except ClientError as error:
        if condition_failed(error):
            return False
        raise
    return True


def record_payment(settlement, key: str, payment_id: str, paid_at: str, seen_seq: int,
                   paid_by: str | None = None, messages: Sequence[Message] = ()) -> None:
    """Write a payment in one transaction: the invoice paid (only if still open and claimed by
    ``key``) and the account (only if no other payment changed it since ``seen_seq`` was read, and
    it is not deleted), reactivated and out of the dunning index when ``settlement.reactivated``,
    and the payment's ``messages`` (its confirmation) in the outbox.

    ``paid_by`` is the attempt whose charge paid it, when not ``key`` (an abandoned attempt's charge
    found by the next one). ``settlement`` is a ``helpcenter.rules.payment.Settlement``. Raises
    ``PaymentNotRecorded``.
    """
    invoice, account = settlement.invoice, settlement.account
    account_update = "SET payment_seq = :next"
    account_values = {":next": {"N": str(seen_seq + 1)}, ":deleted": {"S": AccountStatus.DELETED.value}}
    if settlement.reactivated:
        account_update += ", #status = :active REMOVE dunning_since, notices_sent, dunning_pk, dunning_sk"
        account_values[":active"] = {"S": AccountStatus.ACTIVE.value}
    if seen_seq:
        seq_condition = "payment_seq = :seen"
        account_values[":seen"] = {"N": str(seen_seq)}
    else:
        seq_condition = "attribute_not_exists(payment_seq)"
    try:
        client().transact_write_items(TransactItems=[
            {"Update": {
                "TableName": table_name(),
                "Key": invoice_key(invoice.account_number, invoice.number),
                "UpdateExpression": (
                    "SET #status = :paid, payment_id = :payment_id, paid_at = :paid_at, "
                    "amount_paid_minor = :amount, payment_key = :paid_by REMOVE claimed_until, claim_pk"
                ),
                "ConditionExpression": "#status = :open AND account_number = :account AND payment_key = :key",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {
                    ":paid": {"S": InvoiceStatus.PAID.value},
                    ":open": {"S": InvoiceStatus.OPEN.value},
                    ":payment_id": {"S": payment_id},
                    ":paid_at": {"S": paid_at},
                    ":amount": {"N": str(settlement.amount_paid.minor)},
                    ":account": {"S": account.number},
                    ":key": {"S": key},
                    ":paid_by": {"S": paid_by or key},
                },
            }},
            {"Update": {
                "TableName": table_name(),
                "Key": account_key(account.number),
                "UpdateExpression": account_update,
                "ConditionExpression": f"attribute_exists(pk) AND #status <> :deleted AND {seq_condition}",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": account_values,
            }},
            *(message_put(message, paid_at) for message in messages),
        ])
    except ClientError as error:
        reasons = cancellation_reasons(error)
        claim_lost = bool(reasons) and reasons[0] == "ConditionalCheckFailed"
        account_changed = len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed"
        if not (claim_lost or account_changed):
            raise
        raise PaymentNotRecorded(account_changed=account_changed, claim_lost=claim_lost) from None
