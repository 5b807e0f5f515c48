"""Where the sandbox provider keeps its charges: ``pk = SANDBOX#<idempotency key>``, ``sk = #CHARGE``
in the help center's table, so every instance of the function sees them (local stack and tests only;
PayInvoice's policy allows ``GetItem``/``PutItem`` on ``SANDBOX#`` keys for it)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from helpcenter.store.codec import deserialize, serialize
from helpcenter.store.table import client, condition_failed, table_name


def charge_key(idempotency_key: str) -> dict:
    return serialize({"pk": f"SANDBOX#{idempotency_key}", "sk": "#CHARGE"})


def put_charge(idempotency_key: str, charge: dict) -> tuple[dict, bool]:
    """Record the sandbox provider's outcome for a key once, in one conditional ``PutItem``.

    Returns the stored charge and whether this call created it (False: an earlier call with the
    same key did)."""
    item = {**deserialize(charge_key(idempotency_key)), "type": "sandbox_charge",
            "idempotency_key": idempotency_key, **charge}
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
        stored = get_charge(idempotency_key)
        assert stored is not None  # the condition failed because it exists
        return stored, False
    return item, True


def get_charge(idempotency_key: str) -> dict | None:
    answer = client().get_item(TableName=table_name(), Key=charge_key(idempotency_key), ConsistentRead=True)
    return deserialize(answer["Item"]) if "Item" in answer else None


def mark_refunded(idempotency_key: str) -> None:
    """A succeeded sandbox charge, given back (once: a refunded charge stays refunded)."""
    try:
        client().update_item(TableName=table_name(), Key=charge_key(idempotency_key),
                             UpdateExpression="SET #status = :refunded", ConditionExpression="#status = :succeeded",
                             ExpressionAttributeNames={"#status": "status"},
                             ExpressionAttributeValues={":refunded": {"S": "refunded"}, ":succeeded": {"S": "succeeded"}})
    except ClientError as error:
        if not condition_failed(error):
            raise
