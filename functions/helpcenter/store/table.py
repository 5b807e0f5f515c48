"""The DynamoDB client, the table name and the request loops every access pattern shares."""

from __future__ import annotations

import os
import random
import time
from typing import Any, Callable

from botocore.exceptions import ClientError

from helpcenter.clients import lazy_client
from helpcenter.store.codec import deserialize

BATCH_WRITE_LIMIT = 25  # items per BatchWriteItem request (a DynamoDB limit)
UNPROCESSED_RETRIES = 8  # rounds of resubmitting what DynamoDB left unprocessed before giving up
_BACKOFF_BASE_SECONDS = 0.05
_BACKOFF_CAP_SECONDS = 2.0

sleep: Callable[[float], None] = time.sleep  # replaced in tests to observe the backoff


class UnprocessedItemsLeft(Exception):
    """DynamoDB kept refusing part of a batch (throttling) after every retry."""


client = lazy_client("dynamodb")


def table_name() -> str:
    return os.environ.get("TABLE_NAME", "helpcenter")


def condition_failed(error: ClientError) -> bool:
    """Whether a conditional write was refused because its condition did not hold."""
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


def cancellation_reasons(error: ClientError) -> list[str]:
    """The per-item codes of a cancelled ``TransactWriteItems`` (``ConditionalCheckFailed``, ``None``
    …), in the order of its items; re-raises any other error."""
    if error.response["Error"]["Code"] != "TransactionCanceledException":
        raise error
    reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
    if not reasons:  # some emulators put the reasons only in the message
        message = error.response["Error"].get("Message", "")
        inside = message[message.find("[") + 1 : message.rfind("]")]
        reasons = [part.strip() for part in inside.split(",")] if inside else []
    return reasons


def backoff(attempt: int) -> None:
    """Wait before resubmitting unprocessed items: exponential with full jitter, as AWS advises
    for batch operations (botocore retries throttled requests, not the unprocessed part of an
    accepted one)."""
    sleep(random.uniform(0, min(_BACKOFF_CAP_SECONDS, _BACKOFF_BASE_SECONDS * 2**attempt)))


def query_all(**kwargs: Any) -> list[dict]:
    """Every item a Query returns, page after page, as plain values.

    A plain loop over ``LastEvaluatedKey``: the first ``get_paginator`` call costs ~6 ms of cold start."""
    items: list[dict] = []
    while True:
        page = client().query(**kwargs)
        items += [deserialize(item) for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def batch_write(requests: list[dict]) -> None:
    """BatchWriteItem in chunks of 25, resubmitting what DynamoDB leaves unprocessed with backoff.

    Raises ``UnprocessedItemsLeft`` when items are still refused after ``UNPROCESSED_RETRIES`` rounds."""
    for start in range(0, len(requests), BATCH_WRITE_LIMIT):
        pending = {table_name(): requests[start : start + BATCH_WRITE_LIMIT]}
        for attempt in range(UNPROCESSED_RETRIES + 1):
            pending = client().batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
            if attempt < UNPROCESSED_RETRIES:
                backoff(attempt)
        else:
            raise UnprocessedItemsLeft(f"{sum(map(len, pending.values()))} items left unprocessed")


def batch_get(keys: list[dict], consistent: bool = True) -> list[dict]:
    """BatchGetItem of up to 100 keys, resubmitting unprocessed keys with backoff."""
    request: dict = {table_name(): {"Keys": keys, "ConsistentRead": consistent}}
    items: list[dict] = []
    for attempt in range(UNPROCESSED_RETRIES + 1):
        answer = client().batch_get_item(RequestItems=request)
        items += [deserialize(item) for item in answer["Responses"].get(table_name(), [])]
        request = answer.get("UnprocessedKeys") or {}
        if not request:
            return items
        if attempt < UNPROCESSED_RETRIES:
            backoff(attempt)
    raise UnprocessedItemsLeft(f"{len(request[table_name()]['Keys'])} keys left unprocessed")
