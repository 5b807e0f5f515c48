"""Every sandbox charge in the table (a Scan: tests only, never a production access pattern)."""

from __future__ import annotations

from helpcenter.store.codec import deserialize
from helpcenter.store.table import client, table_name


def sandbox_charges() -> list[dict]:
    pages = client().get_paginator("scan").paginate(
        TableName=table_name(),
        FilterExpression="#type = :type",
        ExpressionAttributeNames={"#type": "type"},
        ExpressionAttributeValues={":type": {"S": "sandbox_charge"}},
        ConsistentRead=True,
    )
    return [deserialize(item) for page in pages for item in page["Items"]]
