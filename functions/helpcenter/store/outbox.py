"""The outbox: messages written with their facts, and the deliverer's bookkeeping (``OUTBOX#``).

| item    | pk                | sk           | notes |
| ------- | ----------------- | ------------ | ----- |
| message | ``OUTBOX#<id>``   | ``#MESSAGE`` | ``kind``, ``channel``, ``to``, ``language``, ``facts`` (JSON); ``status`` pending → sent; ``attempts``, ``claimed_until``, ``last_error``, ``sent_at``, ``provider_ref``; once sent, ``to`` and ``facts`` are removed and TTL ``expires_at`` set |

Writing: ``message_put`` is one element of the fact's own ``TransactWriteItems`` (a ticket, a
payment, a dunning step), conditional on the message not existing, so a message exists exactly when
its fact does. The table's stream carries each new message to the delivery queue.

Delivering, per message (any number of deliverers, any number of times): ``claim`` (conditional
``UpdateItem``: still pending, and nobody else's unexpired lease) → send → ``mark_sent``; a failed
send ``release``s the lease with the error's code. A message marked sent is never claimed again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from botocore.exceptions import ClientError

from helpcenter.messages import Channel, Kind, Message
from helpcenter.store.codec import deserialize, serialize
from helpcenter.store.table import client, condition_failed, table_name



class Claim(StrEnum):
    TAKEN = "taken"  # this deliverer sends it now
    SENT = "sent"  # delivered before: nothing to do
    BUSY = "busy"  # another deliverer's lease runs: try again later
    MISSING = "missing"  # no such message


def message_key(message_id: str) -> dict:
    return {"pk": {"S": f"OUTBOX#{message_id}"}, "sk": {"S": "#MESSAGE"}}


def message_id_of(pk: str) -> str:
    return pk.removeprefix("OUTBOX#")


def message_put(message: Message, created_at: str) -> dict:
    """The outbox item of ``message`` as one ``Put`` of a ``TransactWriteItems``."""
    item = {
        **deserialize(message_key(message.id)),
        "type": "outbox",
        "kind": message.kind.value,
        "channel": message.channel.value,
        "to": list(message.to),
        "language": message.language,
        "facts": json.dumps(message.facts, ensure_ascii=False),  # as written: None, ints and strings kept
        "status": "pending",
        "attempts": 0,
        "created_at": created_at,
    }
    return {"Put": {"TableName": table_name(), "Item": serialize(item), "ConditionExpression": "attribute_not_exists(pk)"}}


@dataclass(frozen=True)
class StoredMessage:
    message: Message
    status: str
    attempts: int
    created_at: str
    sent_at: str | None = None
    last_error: str | None = None


def _stored(item: dict) -> StoredMessage:
    message = Message(id=message_id_of(item["pk"]), kind=Kind(item["kind"]), to=tuple(item.get("to", ())),
                      facts=json.loads(item.get("facts") or "{}"), language=item.get("language"),
                      channel=Channel(item.get("channel", Channel.EMAIL.value)))
    return StoredMessage(message, item["status"], int(item.get("attempts", 0)), item.get("created_at", ""),
                         item.get("sent_at"), item.get("last_error"))


def get_message(message_id: str) -> StoredMessage | None:
    item = client().get_item(TableName=table_name(), Key=message_key(message_id), ConsistentRead=True).get("Item")
    return _stored(deserialize(item)) if item else None


def claim(message_id: str, now: int, lease_seconds: int) -> tuple[Claim, StoredMessage | None]:
    """Take a pending message for ``lease_seconds`` (epoch seconds ``now``), counting the attempt."""
    try:
        answer = client().update_item(
            TableName=table_name(),
            Key=message_key(message_id),
            UpdateExpression="SET claimed_until = :until ADD attempts :one",
            ConditionExpression="#status = :pending AND (attribute_not_exists(claimed_until) OR claimed_until < :now)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":until": {"N": str(now + lease_seconds)}, ":now": {"N": str(now)},
                                       ":one": {"N": "1"}, ":pending": {"S": "pending"}},
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if not condition_failed(error):
            raise
        old = error.response.get("Item")
        if not old:
            return Claim.MISSING, None
        stored = _stored(deserialize(old))
        return (Claim.SENT if stored.status == "sent" else Claim.BUSY), stored
    return Claim.TAKEN, _stored(deserialize(answer["Attributes"]))


def mark_sent(message_id: str, sent_at: str, reference: str | None, expires_at: int) -> None:
    """Record the delivery (``reference``: the provider's id for it) and let the item expire later.
    Its recipients and facts (personal data) go at once: what stays answers "was it sent, when?"."""
    values = {":sent": {"S": "sent"}, ":at": {"S": sent_at}, ":expires": {"N": str(expires_at)}}
    update = "SET #status = :sent, sent_at = :at, expires_at = :expires"
    if reference:
        update += ", provider_ref = :reference"
        values[":reference"] = {"S": reference}
    client().update_item(TableName=table_name(), Key=message_key(message_id),
                         UpdateExpression=update + " REMOVE claimed_until, last_error, #to, facts",
                         ExpressionAttributeNames={"#status": "status", "#to": "to"},
                         ExpressionAttributeValues=values)


def release(message_id: str, error_code: str) -> None:
    """Give a message back after a failed send, so the next attempt can take it at once."""
    try:
        client().update_item(TableName=table_name(), Key=message_key(message_id),
                             UpdateExpression="SET last_error = :error REMOVE claimed_until",
                             ConditionExpression="#status = :pending",
                             ExpressionAttributeNames={"#status": "status"},
                             ExpressionAttributeValues={":error": {"S": error_code[:100]}, ":pending": {"S": "pending"}})
    except ClientError as error:
        if not condition_failed(error):  # sent meanwhile: nothing to give back
            raise
