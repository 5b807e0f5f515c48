"""Tickets, partners and counters: what ``POST /tickets`` reads and writes (``TICKET#`` and
``COUNTER#`` partitions; partners and customer accounts are only read).

Access patterns: partner and customer account by GetItem (an account only when the partner manages
it); the hourly counter read by GetItem before the work, moved by one atomic ``UpdateItem ADD`` for a
refused request, and for an accepted one inside the ticket's own transaction: the ticket's conditional
Put (a replayed Idempotency-Key never makes a second ticket) and the counter's conditional ``ADD`` (the
limit holds under concurrent requests, and a ticket that is not written moves nothing). The how-to
flood counter is one ``UpdateItem ADD`` whose returned value decides. Billing-case counters have their
own partition, so the ticket function never needs write access to account items.
"""

from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass

from botocore.exceptions import ClientError

from helpcenter.domain import Account, Partner
from helpcenter.messages import Message
from helpcenter.store.codec import deserialize, serialize
from helpcenter.store.outbox import message_put
from helpcenter.store.items import account_from_item, account_key, partner_from_item, partner_key, ticket_key
from helpcenter.store.table import cancellation_reasons, client, table_name


def get_partner(domain: str) -> Partner | None:
    item = client().get_item(TableName=table_name(), Key=partner_key(domain.lower())).get("Item")
    return partner_from_item(deserialize(item)) if item else None


def get_account(number: str) -> Account | None:
    item = client().get_item(TableName=table_name(), Key=account_key(number)).get("Item")
    return account_from_item(deserialize(item)) if item else None


@dataclass(frozen=True)
class Counter:
    """One requester's counter for one window: ``partition`` from ``items.partner_counter_partition`` or
    ``items.billing_counter_partition``, ``window_key`` from ``rules.tickets.counter_window``."""

    partition: str
    window_key: str
    expires_at: int

    @property
    def key(self) -> dict:
        return {"pk": {"S": self.partition}, "sk": {"S": f"COUNTER#{self.window_key}"}}


def counter_value(counter: Counter) -> int:
    """How many requests the counter holds (0 before the first)."""
    item = client().get_item(TableName=table_name(), Key=counter.key, ConsistentRead=True).get("Item")
    return int(item["count"]["N"]) if item and "count" in item else 0


def add_to_counter(counter: Counter) -> int:
    """Add one (a refused request, a how-to ticket) and return the new count (atomic on DynamoDB)."""
    response = client().update_item(
        TableName=table_name(),
        Key=counter.key,
        UpdateExpression="ADD #count :one SET expires_at = if_not_exists(expires_at, :expires), #type = :type",
        ExpressionAttributeNames={"#count": "count", "#type": "type"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(counter.expires_at)},
                                   ":type": {"S": "counter"}},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["count"]["N"])


class TicketLimitReached(Exception):
    """The ticket's transaction was refused: its requester's counter reached the limit meanwhile."""


def put_ticket(ticket_id: str, ticket: dict, counter: Counter, limit: int, messages: Sequence[Message] = ()) -> bool:
    """Store a new ticket, add one to its requester's counter and put its messages in the outbox, in
    one transaction.

    False if a ticket with this id exists already (a replayed request; nothing written); raises
    ``TicketLimitReached`` when the counter holds ``limit`` already. Either way nothing moves."""
    try:
        client().transact_write_items(TransactItems=[
            {"Put": {
                "TableName": table_name(),
                "Item": serialize({**deserialize(ticket_key(ticket_id)), "type": "ticket", **ticket}),
                "ConditionExpression": "attribute_not_exists(pk)",
            }},
            {"Update": {
                "TableName": table_name(),
                "Key": counter.key,
                "UpdateExpression": "ADD #count :one SET expires_at = if_not_exists(expires_at, :expires), "
                                    "#type = :type",
                "ConditionExpression": "attribute_not_exists(#count) OR #count < :limit",
                "ExpressionAttributeNames": {"#count": "count", "#type": "type"},
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":expires": {"N": str(counter.expires_at)},
                                              ":type": {"S": "counter"}, ":limit": {"N": str(limit)}},
            }},
            *(message_put(message, ticket["created_at"]) for message in messages),
        ])
    except ClientError as error:
        reasons = cancellation_reasons(error)
        if reasons and reasons[0] == "ConditionalCheckFailed":
            return False
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise TicketLimitReached() from None
        raise
    return True


def get_ticket(ticket_id: str) -> dict | None:
    item = client().get_item(TableName=table_name(), Key=ticket_key(ticket_id), ConsistentRead=True).get("Item")
    if not item:
        return None
    return {k: v for k, v in deserialize(item).items() if k not in ("pk", "sk", "type")}
