"""Batched DynamoDB requests resubmit what DynamoDB leaves unprocessed, with backoff, and give up
loudly (botocore's Stubber plays DynamoDB's answers; no network)."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from helpcenter.store import table
from helpcenter.store.bulk import put_records
from helpcenter.store.items import account_key

TABLE = "helpcenter-test"


@pytest.fixture
def dynamodb(monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    table.client.cache_clear()  # a client for this region and these keys, stubbed
    waits: list[float] = []
    monkeypatch.setattr(table, "sleep", waits.append)
    try:
        with Stubber(table.client()) as stubber:
            yield stubber, waits
            stubber.assert_no_pending_responses()
    finally:
        table.client.cache_clear()  # later tests get a client of their own environment


def put(n: int) -> dict:
    return {"PutRequest": {"Item": {"pk": {"S": f"ACCOUNT#{n}"}, "sk": {"S": "#ACCOUNT"}}}}


def test_unprocessed_items_are_resubmitted_after_a_growing_wait(dynamodb):
    stubber, waits = dynamodb
    requests = [put(n) for n in range(3)]
    stubber.add_response("batch_write_item", {"UnprocessedItems": {TABLE: requests[1:]}},
                         {"RequestItems": {TABLE: requests}})
    stubber.add_response("batch_write_item", {"UnprocessedItems": {TABLE: requests[2:]}},
                         {"RequestItems": {TABLE: requests[1:]}})
    stubber.add_response("batch_write_item", {"UnprocessedItems": {}}, {"RequestItems": {TABLE: requests[2:]}})
    table.batch_write(requests)
    assert len(waits) == 2
    assert 0 <= waits[0] <= 0.05 and 0 <= waits[1] <= 0.1


def test_batches_are_split_at_25_items(dynamodb):
    stubber, _ = dynamodb
    requests = [put(n) for n in range(30)]
    stubber.add_response("batch_write_item", {}, {"RequestItems": {TABLE: requests[:25]}})
    stubber.add_response("batch_write_item", {}, {"RequestItems": {TABLE: requests[25:]}})
    table.batch_write(requests)


def test_items_still_unprocessed_after_every_retry_raise(dynamodb):
    stubber, waits = dynamodb
    requests = [put(1)]
    for _ in range(table.UNPROCESSED_RETRIES + 1):
        stubber.add_response("batch_write_item", {"UnprocessedItems": {TABLE: requests}})
    with pytest.raises(table.UnprocessedItemsLeft):
        table.batch_write(requests)
    assert len(waits) == table.UNPROCESSED_RETRIES


def test_unprocessed_keys_of_a_batch_get_are_fetched_again(dynamodb):
    stubber, waits = dynamodb
    key = account_key("100200300")
    item = {**key, "number": {"S": "100200300"}}
    stubber.add_response("batch_get_item", {"Responses": {TABLE: []},
                                            "UnprocessedKeys": {TABLE: {"Keys": [key], "ConsistentRead": True}}})
    stubber.add_response("batch_get_item", {"Responses": {TABLE: [item]}})
    assert table.batch_get([key]) == [{"pk": "ACCOUNT#100200300", "sk": "#ACCOUNT", "number": "100200300"}]
    assert len(waits) == 1


def test_bulk_load_writes_nothing_when_given_nothing(dynamodb):
    put_records([], [], [])  # no request at all: the Stubber has no response queued
