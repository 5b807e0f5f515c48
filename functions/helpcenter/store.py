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
from datetime import date
from typing import Iterator

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from helpcenter.domain import Account, AccountStatus, Invoice, InvoiceStatus, Partner, PartnerTier, Plan, Region
from helpcenter.money import Money

DUNNING_INDEX = "dunning"
DUNNING_PARTITION = "DUNNING"

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_client = None


def client():
    """The process's one DynamoDB client (it follows ``AWS_ENDPOINT_URL_DYNAMODB`` when set)."""
    global _client
    if _client is None:
        _client = boto3.client("dynamodb", config=Config(retries={"max_attempts": 3, "mode": "standard"}))
    return _client


def table_name() -> str:
    return os.environ.get("TABLE_NAME", "helpcenter")


def account_key(number: str) -> dict:
    return {"pk": {"S": f"ACCOUNT#{number}"}, "sk": {"S": "#ACCOUNT"}}


def invoice_key(account_number: str, invoice_number: str) -> dict:
    return {"pk": {"S": f"ACCOUNT#{account_number}"}, "sk": {"S": f"INVOICE#{invoice_number}"}}


def serialize(item: dict) -> dict:
    return {key: _serializer.serialize(value) for key, value in item.items() if value is not None}


def deserialize(item: dict) -> dict:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


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


def get_account_with_invoices(number: str) -> tuple[Account | None, list[Invoice]]:
    """The account and all its invoices, in one Query."""
    items = _query_all(
        TableName=table_name(),
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"ACCOUNT#{number}"}},
        ConsistentRead=True,
    )
    account = next((account_from_item(i) for i in items if i["sk"] == "#ACCOUNT"), None)
    invoices = [invoice_from_item(i) for i in items if i["sk"].startswith("INVOICE#")]
    return account, invoices


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
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
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
            UpdateExpression="SET #status = :deleted, #name = :empty REMOVE billing_contacts",
            ConditionExpression="dunning_since = :since OR #status = :deleted",
            ExpressionAttributeNames={"#status": "status", "#name": "name"},
            ExpressionAttributeValues={
                ":deleted": {"S": AccountStatus.DELETED.value},
                ":empty": {"S": ""},
                ":since": {"S": account.dunning_since.isoformat() if account.dunning_since else ""},
            },
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return  # paid and reactivated meanwhile
        raise
    _, invoices = get_account_with_invoices(account.number)
    _batch_write([{"DeleteRequest": {"Key": invoice_key(account.number, i.number)}} for i in invoices])
    client().update_item(
        TableName=table_name(),
        Key=account_key(account.number),
        UpdateExpression="REMOVE dunning_pk, dunning_sk",
    )
