"""The one module that talks to DynamoDB.

Single-table design (table name from ``TABLE_NAME``):

| item            | pk                  | sk                | notes                                   |
| --------------- | ------------------- | ----------------- | --------------------------------------- |
| account         | ``ACCOUNT#<no>``    | ``#ACCOUNT``      | plan, region, postal-code digest, contacts, dunning state |
| invoice         | ``ACCOUNT#<no>``    | ``INVOICE#<no>``  | amount in minor units + currency, due date, status |
| partner         | ``PARTNER#<domain>``| ``#PARTNER``      | registered e-mail domain, tier, data-center group |
| ticket          | ``TICKET#<id>``     | ``#TICKET``       | |

Access patterns, each one round trip:
- status lookup: ``Query pk = ACCOUNT#<no>`` returns the account and all its invoices;
- invoice lookup: ``BatchGetItem`` of the account item and the one invoice item;
- daily dunning: ``Query`` on the sparse index ``dunning`` (only accounts in dunning carry
  ``dunning_pk``), then one ``Query`` per account for its invoices;
- dunning step: one conditional ``UpdateItem`` (status + notice sent), so a notice is recorded once
  even when the job runs twice; a paid account (no ``dunning_since``) fails the condition.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterator

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Partner, PartnerTier, Plan, Region, Role
from helpcenter.money import Money

DUNNING_INDEX = "dunning"
DUNNING_PARTITION = "DUNNING"

_client = None


def client():
    """The process's one DynamoDB client (it follows ``AWS_ENDPOINT_URL_DYNAMODB`` when set)."""
    global _client
    if _client is None:
        # botocore directly: importing boto3 also loads s3transfer, ~0.2 s of every cold start.
        _client = botocore.session.get_session().create_client(
            "dynamodb", config=Config(retries={"max_attempts": 3, "mode": "standard"})
        )
    return _client


def table_name() -> str:
    return os.environ.get("TABLE_NAME", "helpcenter")


def account_key(number: str) -> dict:
    return {"pk": {"S": f"ACCOUNT#{number}"}, "sk": {"S": "#ACCOUNT"}}


def invoice_key(account_number: str, invoice_number: str) -> dict:
    return {"pk": {"S": f"ACCOUNT#{account_number}"}, "sk": {"S": f"INVOICE#{invoice_number}"}}


def to_attribute(value) -> dict:
    """A Python value as a DynamoDB attribute value (the types our items use)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, Decimal)):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (set, frozenset)):
        return {"SS": sorted(value)}
    if isinstance(value, (list, tuple)):
        return {"L": [to_attribute(v) for v in value]}
    if isinstance(value, dict):
        return {"M": serialize(value)}
    if value is None:
        return {"NULL": True}
    raise TypeError(f"cannot store {type(value).__name__}")


def from_attribute(attribute: dict):
    (kind, value), = attribute.items()
    if kind == "N":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else number
    if kind in ("S", "BOOL"):
        return value
    if kind == "SS":
        return set(value)
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "M":
        return deserialize(value)
    if kind == "NULL":
        return None
    raise TypeError(f"unexpected DynamoDB type {kind}")


def condition_failed(error: ClientError) -> bool:
    """Whether a conditional write was refused because its condition did not hold."""
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


def serialize(item: dict) -> dict:
    return {key: to_attribute(value) for key, value in item.items() if value is not None}


def deserialize(item: dict) -> dict:
    return {key: from_attribute(value) for key, value in item.items()}


# --- mapping between items and domain records ------------------------------------------------------


def account_item(account: Account) -> dict:
    item = {
        **deserialize(account_key(account.number)),
        "type": "account",
        "number": account.number,
        "name": account.name,
        "plan": account.plan.value,
        "region": account.region.value,
        "postal_code_digest": account.postal_code_digest,
        "licenses": account.licenses,
        "billing_contacts": list(account.billing_contacts),
        "users": [{"email": email, "role": role.value} for email, role in account.users],
        "status": account.status.value,
        "dunning_since": account.dunning_since.isoformat() if account.dunning_since else None,
        "notices_sent": set(account.notices_sent) or None,
    }
    if account.dunning_since and account.status is not AccountStatus.DELETED:
        item["dunning_pk"] = DUNNING_PARTITION
        item["dunning_sk"] = f"{account.dunning_since.isoformat()}#{account.number}"
    return item


def account_from_item(item: dict) -> Account:
    return Account(
        number=item["number"],
        name=item.get("name", ""),
        plan=Plan(item["plan"]),
        region=Region(item["region"]),
        postal_code_digest=item["postal_code_digest"],
        licenses=int(item.get("licenses", 1)),
        billing_contacts=tuple(item.get("billing_contacts", ())),
        users=tuple((user["email"], Role(user["role"])) for user in item.get("users", ())),
        status=AccountStatus(item["status"]),
        dunning_since=date.fromisoformat(item["dunning_since"]) if item.get("dunning_since") else None,
        notices_sent=frozenset(item.get("notices_sent", ())),
    )


def invoice_item(invoice: Invoice) -> dict:
    return {
        **deserialize(invoice_key(invoice.account_number, invoice.number)),
        "type": "invoice",
        "number": invoice.number,
        "account_number": invoice.account_number,
        "amount_minor": invoice.amount.minor,
        "currency": invoice.amount.currency,
        "credit_minor": invoice.credit.minor if invoice.credit else None,
        "due_date": invoice.due_date.isoformat(),
        "status": invoice.status.value,
    }


def invoice_from_item(item: dict) -> Invoice:
    currency = item["currency"]
    credit = item.get("credit_minor")
    return Invoice(
        number=item["number"],
        account_number=item["account_number"],
        amount=Money(int(item["amount_minor"]), currency),
        due_date=date.fromisoformat(item["due_date"]),
        status=InvoiceStatus(item["status"]),
        credit=Money(int(credit), currency) if credit is not None else None,
    )


def partner_key(domain: str) -> dict:
    return {"pk": {"S": f"PARTNER#{domain}"}, "sk": {"S": "#PARTNER"}}


def partner_item(partner: Partner) -> dict:
    return {
        **deserialize(partner_key(partner.domain)),
        "type": "partner",
        "domain": partner.domain,
        "name": partner.name,
        "tier": partner.tier.value,
        "data_center": partner.data_center,
        "region": partner.region.value,
    }


def partner_from_item(item: dict) -> Partner:
    return Partner(
        domain=item["domain"],
        name=item["name"],
        tier=PartnerTier(item["tier"]),
        data_center=item["data_center"],
        region=Region(item["region"]),
    )


# --- reads ------------------------------------------------------------------------------------------


def _account_partition(number: str) -> tuple[dict | None, list[dict]]:
    """The account item and its invoice items, in one strongly consistent Query."""
    items = _query_all(
        TableName=table_name(),
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"ACCOUNT#{number}"}},
        ConsistentRead=True,
    )
    account = next((i for i in items if i["sk"] == "#ACCOUNT"), None)
    return account, [i for i in items if i["sk"].startswith("INVOICE#")]


def get_account_with_invoices(number: str) -> tuple[Account | None, list[Invoice]]:
    """The account and all its invoices, in one Query."""
    account, invoices = _account_partition(number)
    return (account_from_item(account) if account else None), [invoice_from_item(i) for i in invoices]


def account_numbers_in_dunning() -> Iterator[str]:
    """Every account in the dunning timeline, oldest failure first (sparse, keys-only index)."""
    pages = client().get_paginator("query").paginate(
        TableName=table_name(),
        IndexName=DUNNING_INDEX,
        KeyConditionExpression="dunning_pk = :pk",
        ExpressionAttributeValues={":pk": {"S": DUNNING_PARTITION}},
    )
    for page in pages:
        for item in page["Items"]:
            yield item["pk"]["S"].removeprefix("ACCOUNT#")


def _query_all(**kwargs) -> list[dict]:
    pages = client().get_paginator("query").paginate(**kwargs)
    return [deserialize(item) for page in pages for item in page["Items"]]


# --- writes -----------------------------------------------------------------------------------------


def put_records(accounts: list[Account], invoices: list[Invoice], partners: list[Partner] = ()) -> None:
    """Bulk load (the import command): batched writes, 25 items a request."""
    items = [account_item(a) for a in accounts] + [invoice_item(i) for i in invoices]
    items += [partner_item(p) for p in partners]
    _batch_write([{"PutRequest": {"Item": serialize(item)}} for item in items])


def _batch_write(requests: list[dict]) -> None:
    """BatchWriteItem in chunks of 25, resubmitting what DynamoDB leaves unprocessed."""
    for start in range(0, len(requests), 25):
        pending = {table_name(): requests[start : start + 25]}
        while pending:
            pending = client().batch_write_item(RequestItems=pending).get("UnprocessedItems") or None


def record_dunning_step(account: Account, status: AccountStatus, notices: tuple[str, ...]) -> bool:
    """Move an account to ``status`` and record ``notices`` as sent, once.

    False when another run already recorded the latest notice, or the account left dunning meanwhile
    (its invoices were paid): the caller then does nothing.
    """
    latest = notices[-1]
    try:
        client().update_item(
            TableName=table_name(),
            Key=account_key(account.number),
            UpdateExpression="SET #status = :status ADD notices_sent :notices",
            ConditionExpression="dunning_since = :since AND NOT contains(notices_sent, :latest)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":status": {"S": status.value},
                ":notices": {"SS": list(notices)},
                ":since": {"S": account.dunning_since.isoformat()},
                ":latest": {"S": latest},
            },
        )
    except ClientError as error:
        if condition_failed(error):
            return False
        raise
    return True


def forget_notice(account: Account, notice: str) -> None:
    """Undo the record of a notice whose e-mail could not be sent, so the next run sends it."""
    client().update_item(
        TableName=table_name(),
        Key=account_key(account.number),
        UpdateExpression="DELETE notices_sent :notice",
        ExpressionAttributeValues={":notice": {"SS": [notice]}},
    )


def erase_account_data(account: Account) -> None:
    """Delete invoices and personal data; keep a tombstone that answers "deleted" to its owner.

    Three steps that can each be repeated: mark deleted (only if still in the same dunning cycle, or
    already marked), delete the invoices, then leave the dunning index. A run cut short between them
    leaves the account in the index with status ``deleted``, and the next run finishes the job.
    """
    try:
        client().update_item(
            TableName=table_name(),
            Key=account_key(account.number),
            UpdateExpression="SET #status = :deleted, #name = :empty REMOVE billing_contacts, #users",
            ConditionExpression="dunning_since = :since OR #status = :deleted",
            ExpressionAttributeNames={"#status": "status", "#name": "name", "#users": "users"},
            ExpressionAttributeValues={
                ":deleted": {"S": AccountStatus.DELETED.value},
                ":empty": {"S": ""},
                ":since": {"S": account.dunning_since.isoformat() if account.dunning_since else ""},
            },
        )
    except ClientError as error:
        if condition_failed(error):
            return  # paid and reactivated meanwhile
        raise
    _, invoices = get_account_with_invoices(account.number)
    _batch_write([{"DeleteRequest": {"Key": invoice_key(account.number, i.number)}} for i in invoices])
    client().update_item(
        TableName=table_name(),
        Key=account_key(account.number),
        UpdateExpression="REMOVE dunning_pk, dunning_sk",
    )


# --- payments ---------------------------------------------------------------------------------------
#
# Express invoice payment adds attributes to two existing items, and one item type:
# - invoice: ``payment_key`` and ``claimed_until`` (epoch seconds) while a payment attempt holds it
#   (an attempt that ends without knowing its charge's outcome leaves them, for the next to resolve),
#   then ``payment_id``, ``paid_at`` and ``amount_paid_minor``; ``payment_key`` stays, so the attempt
#   that paid can be answered again after its idempotency record expired;
# - account: ``payment_seq``, raised by every payment, so two payments of one account cannot both
#   decide on a stale view of its invoices whether it leaves dunning;
# - sandbox charge: ``pk = SANDBOX#<idempotency key>``, ``sk = #CHARGE`` (the local provider's
#   charges: local stack and tests only).
#
# One payment, in round trips: ``Query`` the account and its invoices; conditional ``UpdateItem`` to
# claim the invoice; the charge (provider); ``TransactWriteItems`` of the paid invoice and the account
# (reactivated when no overdue invoice remains, and out of the sparse dunning index). A refused charge
# releases the claim with one more ``UpdateItem``. The invoice lookup is one ``BatchGetItem``.


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
    keys = [account_key(account_number), invoice_key(account_number, invoice_number)]
    request = {table_name(): {"Keys": keys, "ConsistentRead": True}}
    items: list[dict] = []
    while request:
        answer = client().batch_get_item(RequestItems=request)
        items += [deserialize(item) for item in answer["Responses"].get(table_name(), [])]
        request = answer.get("UnprocessedKeys") or None
    account = next((account_from_item(i) for i in items if i["sk"] == "#ACCOUNT"), None)
    invoice = next((invoice_from_item(i) for i in items if i["sk"].startswith("INVOICE#")), None)
    return account, invoice


def get_payment_context(account_number: str) -> PaymentContext:
    """The account, all its invoices and their payment attributes, in one Query."""
    account, invoice_items = _account_partition(account_number)
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
            UpdateExpression="SET payment_key = :key, claimed_until = :until",
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
    try:
        client().update_item(
            TableName=table_name(),
            Key=invoice_key(account_number, invoice_number),
            UpdateExpression="SET payment_key = :previous, claimed_until = :now",
            ConditionExpression="#status = :open AND payment_key = :key",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":previous": {"S": previous.claimed_by},
                ":now": {"N": str(now - 1)},  # run out: the next attempt resolves it at once
                ":key": {"S": key},
                ":open": {"S": InvoiceStatus.OPEN.value},
            },
        )
    except ClientError as error:
        if not condition_failed(error):
            raise


def release_claim(account_number: str, invoice_number: str, key: str) -> None:
    """Give the invoice back after a charge that took nothing (no-op if the claim is not ours)."""
    try:
        client().update_item(
            TableName=table_name(),
            Key=invoice_key(account_number, invoice_number),
            UpdateExpression="REMOVE payment_key, claimed_until",
            ConditionExpression="#status = :open AND payment_key = :key",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":key": {"S": key}, ":open": {"S": InvoiceStatus.OPEN.value}},
        )
    except ClientError as error:
        if not condition_failed(error):
            raise


def record_payment(settlement, key: str, payment_id: str, paid_at: str, seen_seq: int,
                   paid_by: str | None = None) -> None:
    """Write a payment in one transaction: the invoice paid (only if still open and claimed by
    ``key``) and the account (only if no other payment changed it since ``seen_seq`` was read, and
    it is not deleted), reactivated and out of the dunning index when ``settlement.reactivated``.

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
                    "amount_paid_minor = :amount, payment_key = :paid_by REMOVE claimed_until"
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
        ])
    except ClientError as error:
        if error.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
        if not reasons:  # some emulators put the reasons only in the message
            message = error.response["Error"].get("Message", "")
            inside = message[message.find("[") + 1 : message.rfind("]")]
            reasons = [part.strip() for part in inside.split(",")] if inside else []
        claim_lost = bool(reasons) and reasons[0] == "ConditionalCheckFailed"
        account_changed = len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed"
        if not (claim_lost or account_changed):
            raise
        raise PaymentNotRecorded(account_changed=account_changed, claim_lost=claim_lost) from None


def put_sandbox_charge(key: str, charge: dict) -> tuple[dict, bool]:
    """Record the sandbox provider's outcome for ``key`` once, in one conditional ``PutItem``.

    Returns the stored charge and whether this call created it (False: an earlier call with the
    same key did)."""
    item = {"pk": f"SANDBOX#{key}", "sk": "#CHARGE", "type": "sandbox_charge", "idempotency_key": key, **charge}
    try:
        client().put_item(
            TableName=table_name(),
            Item=serialize(item),
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if not condition_failed(error):
            raise
        old = error.response.get("Item")
        if old:
            return deserialize(old), False
        answer = client().get_item(TableName=table_name(), Key=serialize({"pk": item["pk"], "sk": "#CHARGE"}),
                                   ConsistentRead=True)
        return deserialize(answer["Item"]), False
    return item, True


def get_sandbox_charge(key: str) -> dict | None:
    answer = client().get_item(TableName=table_name(), Key=serialize({"pk": f"SANDBOX#{key}", "sk": "#CHARGE"}),
                               ConsistentRead=True)
    return deserialize(answer["Item"]) if "Item" in answer else None


def sandbox_charges() -> list[dict]:
    """Every sandbox charge (local stack and tests only: a Scan)."""
    pages = client().get_paginator("scan").paginate(
        TableName=table_name(),
        FilterExpression="#type = :type",
        ExpressionAttributeNames={"#type": "type"},
        ExpressionAttributeValues={":type": {"S": "sandbox_charge"}},
        ConsistentRead=True,
    )
    return [deserialize(item) for page in pages for item in page["Items"]]


# --- tickets ----------------------------------------------------------------------------------------
# | ticket          | ``TICKET#<id>``      | ``#TICKET``            | the ticket as accepted (severity, reasons, deadlines) |
# | partner counter | ``PARTNER#<domain>`` | ``COUNTER#<name>#<window start>`` | ``count``; TTL ``expires_at`` a day after the window |
# | billing-case counter | ``BILLING#<account no>`` | ``COUNTER#<name>#<window start>`` | the same, for a customer account's billing cases |
# Access patterns: partner and customer account by GetItem; one atomic ``UpdateItem ADD`` per counter
# (rate limit, how-to flood), whose returned value decides; the ticket by a conditional PutItem, so a
# replayed Idempotency-Key never makes a second ticket. Billing-case counters have their own
# partition, so the ticket function never needs write access to account items.


def ticket_key(ticket_id: str) -> dict:
    return {"pk": {"S": f"TICKET#{ticket_id}"}, "sk": {"S": "#TICKET"}}


def get_partner(domain: str) -> Partner | None:
    item = client().get_item(TableName=table_name(), Key=partner_key(domain.lower())).get("Item")
    return partner_from_item(deserialize(item)) if item else None


def get_account(number: str) -> Account | None:
    item = client().get_item(TableName=table_name(), Key=account_key(number)).get("Item")
    return account_from_item(deserialize(item)) if item else None


def count_in_window(domain: str, window_key: str, expires_at: int) -> int:
    """Add one to a partner's counter for a window and return the new count (atomic on DynamoDB)."""
    return _count(f"PARTNER#{domain}", window_key, expires_at)


def count_billing_cases_in_window(account_number: str, window_key: str, expires_at: int) -> int:
    """Add one to a customer account's billing-case counter for a window and return the new count."""
    return _count(f"BILLING#{account_number}", window_key, expires_at)


def _count(partition: str, window_key: str, expires_at: int) -> int:
    response = client().update_item(
        TableName=table_name(),
        Key={"pk": {"S": partition}, "sk": {"S": f"COUNTER#{window_key}"}},
        UpdateExpression="ADD #count :one SET expires_at = if_not_exists(expires_at, :expires), #type = :type",
        ExpressionAttributeNames={"#count": "count", "#type": "type"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(expires_at)}, ":type": {"S": "counter"}},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["count"]["N"])


def put_ticket(ticket_id: str, ticket: dict) -> bool:
    """Store a new ticket; False if one with this id exists already (a replayed request)."""
    try:
        client().put_item(
            TableName=table_name(),
            Item=serialize({**deserialize(ticket_key(ticket_id)), "type": "ticket", **ticket}),
            ConditionExpression="attribute_not_exists(pk)",
        )
    except ClientError as error:
        if condition_failed(error):
            return False
        raise
    return True


def get_ticket(ticket_id: str) -> dict | None:
    item = client().get_item(TableName=table_name(), Key=ticket_key(ticket_id), ConsistentRead=True).get("Item")
    if not item:
        return None
    return {k: v for k, v in deserialize(item).items() if k not in ("pk", "sk", "type")}
