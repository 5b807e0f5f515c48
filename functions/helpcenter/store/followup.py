"""A ticket's follow-up: its acknowledgement and escalation (``TICKET#`` items and the sparse
``escalation`` index), what the ticket-status function and the escalation job read and write.

| attribute            | on        | notes |
| -------------------- | --------- | ----- |
| ``escalation_level`` | ticket    | 1 at acceptance (partner tickets with targets), raised by the job |
| ``escalation_steps`` | ticket    | ``[{"level", "due"}]`` from ``helpcenter.rules.escalation.steps_for`` |
| ``escalation_pk/sk`` | ticket    | ``ESCALATION`` / ``<next step due, UTC>#<ticket id>``; only while a step is ahead |
| ``acknowledged_at``  | ticket    | set once, by the acknowledge link or the help-desk connector |

Access patterns: the job queries the index for steps due (``escalation_sk <= now``), reads each
ticket, and raises its level with one conditional update (still unacknowledged, still at the level it
read) in one transaction with the step's notices (the outbox), so a step and its notices happen once,
together, however many runs overlap. Acknowledging is one conditional
``UpdateItem`` (the ticket exists and is not yet acknowledged) that also takes the ticket out of the
index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import ClientError

from helpcenter.messages import Message
from helpcenter.rules.escalation import FIRST_LEVEL, Step, next_due, utc_text
from helpcenter.store.codec import deserialize
from helpcenter.store.items import ticket_key
from helpcenter.store.outbox import message_put
from helpcenter.store.table import cancellation_reasons, client, condition_failed, query_all, table_name

ESCALATION_INDEX = "escalation"
ESCALATION_PARTITION = "ESCALATION"


def _index_key(ticket_id: str, due: datetime) -> str:
    return f"{utc_text(due)}#{ticket_id}"


def tracking_attributes(ticket_id: str, steps: list[Step]) -> dict:
    """What a new ticket stores to be escalated: level 1, its steps, its place in the index (none for
    a ticket without steps)."""
    first = next_due(steps, FIRST_LEVEL)
    if first is None:
        return {}
    return {"escalation_level": FIRST_LEVEL, "escalation_steps": [step.as_dict() for step in steps],
            "escalation_pk": ESCALATION_PARTITION, "escalation_sk": _index_key(ticket_id, first)}


def tickets_due(now: datetime) -> list[str]:
    """Ids of the tickets whose next step is due at ``now`` (oldest first)."""
    items = query_all(
        TableName=table_name(), IndexName=ESCALATION_INDEX,
        KeyConditionExpression="escalation_pk = :partition AND escalation_sk <= :now",
        ExpressionAttributeValues={":partition": {"S": ESCALATION_PARTITION}, ":now": {"S": utc_text(now) + "#~"}},
    )
    return [item["pk"].removeprefix("TICKET#") for item in items]


def record_escalation(ticket_id: str, level: int, to_level: int, following: datetime | None, at: str,
                      messages: Sequence[Message] = ()) -> bool:
    """Raise the ticket from ``level`` to ``to_level``, move it to its next step in the index (out of
    it when none is left) and put the step's notices (``messages``) in the outbox, in one transaction.
    False when another run did it, or someone acknowledged it meanwhile: then nothing is written."""
    values = {":level": {"N": str(level)}, ":to": {"N": str(to_level)}}
    update = "SET escalation_level = :to"
    if following is None:
        update += " REMOVE escalation_pk, escalation_sk"
    else:
        update += ", escalation_sk = :next"
        values[":next"] = {"S": _index_key(ticket_id, following)}
    try:
        client().transact_write_items(TransactItems=[
            {"Update": {
                "TableName": table_name(), "Key": ticket_key(ticket_id), "UpdateExpression": update,
                "ConditionExpression": "escalation_level = :level AND attribute_not_exists(acknowledged_at)",
                "ExpressionAttributeValues": values,
            }},
            *(message_put(message, at) for message in messages),
        ])
    except ClientError as error:
        if "ConditionalCheckFailed" in cancellation_reasons(error):  # re-raises any other error
            return False
        raise
    return True


@dataclass(frozen=True)
class Acknowledgement:
    """``first``: this call acknowledged it; else it was acknowledged before (at ``acknowledged_at``)."""

    first: bool
    acknowledged_at: str
    escalation_level: int | None


def acknowledge(ticket_id: str, at: datetime, via: str) -> Acknowledgement | None:
    """Record the ticket's acknowledgement once (``via``: ``link`` or ``api``); None if no such ticket."""
    try:
        answer = client().update_item(
            TableName=table_name(), Key=ticket_key(ticket_id),
            UpdateExpression="SET acknowledged_at = :at, acknowledged_via = :via REMOVE escalation_pk, escalation_sk",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(acknowledged_at)",
            ExpressionAttributeValues={":at": {"S": at.isoformat(timespec="seconds")}, ":via": {"S": via}},
            ReturnValues="ALL_NEW", ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        item, first = deserialize(answer["Attributes"]), True
    except ClientError as error:
        if not condition_failed(error):
            raise
        if not error.response.get("Item"):
            return None
        item, first = deserialize(error.response["Item"]), False
    level = item.get("escalation_level")
    return Acknowledgement(first, item["acknowledged_at"], int(level) if level is not None else None)
