"""Accounts and the dunning timeline: the reads of the status lookup and the daily dunning job, and
the job's writes (``ACCOUNT#`` partitions and the sparse ``dunning`` index).

Access patterns, each one round trip:
- status lookup: ``Query pk = ACCOUNT#<no>`` returns the account and all its invoices;
- daily dunning: ``Query`` on the sparse index ``dunning`` (only accounts in dunning carry
  ``dunning_pk``), then one ``Query`` per account for its invoices;
- dunning step: one transaction of a conditional ``UpdateItem`` (status + notice recorded) and the
  notice's message in the outbox, so a notice is promised once even when the job runs twice; a paid
  account (no ``dunning_since``) fails the condition.
"""

from __future__ import annotations

from typing import Iterator

from botocore.exceptions import ClientError

from helpcenter.domain import Account, AccountStatus, Invoice
from helpcenter.messages import Message
from helpcenter.store.items import (
    DUNNING_INDEX,
    DUNNING_PARTITION,
    account_from_item,
    account_key,
    invoice_from_item,
    invoice_key,
)
from helpcenter.store.outbox import message_put
from helpcenter.store.table import batch_write, cancellation_reasons, client, condition_failed, query_all, table_name


def account_partition(number: str) -> tuple[dict | None, list[dict]]:
    """The account item and its invoice items, in one strongly consistent Query."""
    items = query_all(
        TableName=table_name(),
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"ACCOUNT#{number}"}},
        ConsistentRead=True,
    )
    account = next((i for i in items if i["sk"] == "#ACCOUNT"), None)
    return account, [i for i in items if i["sk"].startswith("INVOICE#")]


def get_account_with_invoices(number: str) -> tuple[Account | None, list[Invoice]]:
    """The account and all its invoices, in one Query."""
    account, invoices = account_partition(number)
    return (account_from_item(account) if account else None), [invoice_from_item(i) for i in invoices]


def account_numbers_in_dunning() -> Iterator[str]:
    """Every account in the dunning timeline, oldest failure first (sparse, keys-only index)."""
    items = query_all(
        TableName=table_name(),
        IndexName=DUNNING_INDEX,
        KeyConditionExpression="dunning_pk = :pk",
        ExpressionAttributeValues={":pk": {"S": DUNNING_PARTITION}},
    )
    for item in items:
        yield item["pk"].removeprefix("ACCOUNT#")


def record_dunning_step(account: Account, status: AccountStatus, notices: tuple[str, ...], recorded_at: str,
                        message: Message | None = None) -> bool:
    """Move an account to ``status`` and record ``notices`` as sent, with the notice's ``message`` in
    the outbox, in one transaction: once, however often the job runs.

    False when another run already recorded the latest notice, or the account left dunning meanwhile
    (its invoices were paid): the caller then does nothing.
    """
    latest = notices[-1]
    assert account.dunning_since is not None, "only an account in dunning takes a dunning step"
    step = {
        "TableName": table_name(),
        "Key": account_key(account.number),
        "UpdateExpression": "SET #status = :status ADD notices_sent :notices",
        "ConditionExpression": "dunning_since = :since AND NOT contains(notices_sent, :latest)",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":status": {"S": status.value},
            ":notices": {"SS": list(notices)},
            ":since": {"S": account.dunning_since.isoformat()},
            ":latest": {"S": latest},
        },
    }
    try:
        client().transact_write_items(
            TransactItems=[{"Update": step}, *([message_put(message, recorded_at)] if message else [])])
    except ClientError as error:
        if "ConditionalCheckFailed" in cancellation_reasons(error):
            return False
        raise
    return True


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
    batch_write([{"DeleteRequest": {"Key": invoice_key(account.number, i.number)}} for i in invoices])
    client().update_item(
        TableName=table_name(),
        Key=account_key(account.number),
        UpdateExpression="REMOVE dunning_pk, dunning_sk",
    )
