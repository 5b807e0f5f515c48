"""Failed look-ups per account number and window (``helpcenter.rules.lookups``): what the status and
invoice functions count, in partitions of their own so counting needs no write on account items.

| item            | pk                             | sk                         | notes |
| --------------- | ------------------------------ | -------------------------- | ----- |
| look-up counter | ``COUNTER#LOOKUP#<account no>`` | ``<scope>#<window start>`` | ``failures``; TTL ``expires_at`` |

Access patterns: one strongly consistent GetItem before the look-up, one atomic ``UpdateItem ADD``
after a miss. The number is the one asked for, whether or not such an account exists.
"""

from __future__ import annotations

from helpcenter.rules.lookups import LookupWindow
from helpcenter.store.table import client, table_name


def _key(account_number: str, window: LookupWindow) -> dict:
    return {"pk": {"S": f"COUNTER#LOOKUP#{account_number}"}, "sk": {"S": window.key}}


def lookup_failures(account_number: str, window: LookupWindow) -> int:
    item = client().get_item(TableName=table_name(), Key=_key(account_number, window), ConsistentRead=True).get("Item")
    return int(item["failures"]["N"]) if item and "failures" in item else 0


def add_lookup_failure(account_number: str, window: LookupWindow) -> int:
    """Count one miss and return the window's new count (atomic on DynamoDB)."""
    response = client().update_item(
        TableName=table_name(),
        Key=_key(account_number, window),
        UpdateExpression="ADD failures :one SET expires_at = if_not_exists(expires_at, :expires), #type = :type",
        ExpressionAttributeNames={"#type": "type"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(window.expires_at)},
                                   ":type": {"S": "lookup_counter"}},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["failures"]["N"])
