"""Readers' feedback: what ``POST /feedback`` writes and ``make feedback`` reads (``FEEDBACK#``
partitions only).

Items: one counter per article and language (``FEEDBACK#PAGE`` / ``<lang>#<page>``: ``helpful``,
``not_helpful``), one item per comment (``FEEDBACK#COMMENT`` / ``<lang>#<page>#<time>#<id>``), one
counter per failed search (``FEEDBACK#SEARCH`` / ``<lang>#<query>``), and per-minute rate counters
(``FEEDBACK#RATE``, expiring by TTL). A vote and its comment are written in one transaction. The
report reads each partition with one paginated Query. The page and search counters sit in one
partition each: help-center feedback is far below a partition's write rate.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from helpcenter.store.codec import deserialize
from helpcenter.store.table import client, table_name

PAGES, COMMENTS, SEARCHES, RATES = "FEEDBACK#PAGE", "FEEDBACK#COMMENT", "FEEDBACK#SEARCH", "FEEDBACK#RATE"


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def add_to_rate(scope: str, window: str, expires_at: int) -> int:
    """Count one write of ``scope`` in the rate window; the new count (atomic)."""
    response = client().update_item(
        TableName=table_name(), Key=_key(RATES, f"{scope}#{window}"),
        UpdateExpression="ADD #count :one SET expires_at = if_not_exists(expires_at, :expires)",
        ExpressionAttributeNames={"#count": "count"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(expires_at)}},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["count"]["N"])


def record_vote(lang: str, page: str, helpful: bool, comment: str | None, now: datetime) -> None:
    """One vote on ``page`` in ``lang``, and its comment, in one transaction."""
    counter = "helpful" if helpful else "not_helpful"
    items: list[dict] = [{"Update": {
        "TableName": table_name(), "Key": _key(PAGES, f"{lang}#{page}"),
        "UpdateExpression": "ADD #votes :one SET #lang = :lang, #page = :page",
        "ExpressionAttributeNames": {"#votes": counter, "#lang": "lang", "#page": "page"},
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":lang": {"S": lang}, ":page": {"S": page}},
    }}]
    if comment:
        at = now.isoformat(timespec="seconds")
        items.append({"Put": {"TableName": table_name(), "Item": {
            **_key(COMMENTS, f"{lang}#{page}#{at}#{uuid.uuid4().hex[:8]}"),
            "lang": {"S": lang}, "page": {"S": page}, "helpful": {"BOOL": helpful},
            "comment": {"S": comment}, "at": {"S": at},
        }}})
    client().transact_write_items(TransactItems=items)


def count_failed_search(lang: str, query: str, now: datetime) -> None:
    client().update_item(
        TableName=table_name(), Key=_key(SEARCHES, f"{lang}#{query}"),
        UpdateExpression="ADD #count :one SET #lang = :lang, #query = :query, last_seen = :day",
        ExpressionAttributeNames={"#count": "count", "#lang": "lang", "#query": "query"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":lang": {"S": lang}, ":query": {"S": query},
                                   ":day": {"S": now.date().isoformat()}},
    )


def _partition(pk: str) -> list[dict]:
    items, start = [], None
    while True:
        request = {"TableName": table_name(), "KeyConditionExpression": "pk = :pk",
                   "ExpressionAttributeValues": {":pk": {"S": pk}}}
        if start:
            request["ExclusiveStartKey"] = start
        response = client().query(**request)
        items += [deserialize(item) for item in response.get("Items", [])]
        start = response.get("LastEvaluatedKey")
        if not start:
            return items


def feedback_items() -> dict[str, list[dict]]:
    """Every page counter, comment and failed-search counter, for the writers' report."""
    return {"pages": _partition(PAGES), "comments": _partition(COMMENTS), "searches": _partition(SEARCHES)}
