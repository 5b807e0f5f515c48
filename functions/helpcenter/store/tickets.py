"""Tickets, partners and counters: what ``POST /tickets`` reads and writes (``PARTNER#``,
``BILLING#`` and ``TICKET#`` partitions; customer accounts are only read).

Access patterns: partner and customer account by GetItem; one atomic ``UpdateItem ADD`` per counter
(rate limit, how-to flood), whose returned value decides; the ticket by a conditional PutItem, so a
replayed Idempotency-Key never makes a second ticket. Billing-case counters have their own
partition, so the ticket function never needs write access to account items.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from helpcenter.domain import Account, Partner
from helpcenter.store.codec import deserialize, serialize
from helpcenter.store.items import account_from_item, account_key, partner_from_item, partner_key, ticket_key
from helpcenter.store.table import client, condition_failed, table_name


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
