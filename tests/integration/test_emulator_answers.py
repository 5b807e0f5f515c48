"""The local stack's emulator answers DynamoDB requests byte for byte as moto as shipped does.

The emulator replaces how moto serialises DynamoDB's answers (``devstack/dynamodb_json.py``) and
narrows a query on the table's key to its partition (``devstack/emulator.py``). Two emulators run
side by side — ours and one with ``plain_moto`` — and take the same requests in the same order:
reads, writes with every kind of ``ReturnValues``, conditions that fail, transactions that are
cancelled, batches, pages, indexes, every attribute type and malformed requests. Status, body bytes
and headers must be equal (but the request id and date, which differ between any two answers).
"""

from __future__ import annotations

import http.client
import json
import os
from urllib.parse import urlsplit

import pytest

from devstack.aws import LocalAws

TABLE = "answers"
VOLATILE_HEADERS = {"x-amzn-requestid", "date"}
SCOPE = "Credential=local/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"

S, N = (lambda value: {"S": value}), (lambda value: {"N": str(value)})
KEY = {"pk": S("ACCOUNT#1"), "sk": S("ACCOUNT")}
EVERY_TYPE = {**KEY, "s": S("é ✓ \"quoted\""), "n": N("12.50"), "b": {"B": "AAEC"}, "bool": {"BOOL": False},
              "null": {"NULL": True}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["AQ=="]},
              "list": {"L": [S("x"), N(1), {"M": {"deep": {"L": []}}}]}, "map": {"M": {"k": S("v"), "e": {"M": {}}}},
              "gsi_pk": S("DUE")}


def table_definition() -> dict:
    return {"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gsi_pk")],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "due", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                        "KeySchema": [{"AttributeName": "gsi_pk", "KeyType": "HASH"},
                                                      {"AttributeName": "sk", "KeyType": "RANGE"}]}]}


def invoice(n: int, **extra) -> dict:
    return {"pk": S("ACCOUNT#1"), "sk": S(f"INVOICE#{n:03}"), "amount": N(n * 10), "gsi_pk": S("DUE"), **extra}


def query(**extra) -> dict:
    return {"TableName": TABLE, "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": S("ACCOUNT#1"), **extra.pop("values", {})}, **extra}


def update(**extra) -> dict:
    return {"TableName": TABLE, "Key": KEY, "UpdateExpression": "ADD visits :one SET #t = if_not_exists(#t, :t)",
            "ExpressionAttributeNames": {"#t": "type"}, "ExpressionAttributeValues": {":one": N(1), ":t": S("account")},
            **extra}


# (operation, request body) in order; each answer compared between the two emulators
REQUESTS: list[tuple[str, dict | str]] = [
    ("PutItem", {"TableName": TABLE, "Item": EVERY_TYPE}),
    ("PutItem", {"TableName": TABLE, "Item": {**EVERY_TYPE, "n": N(13)}, "ReturnValues": "ALL_OLD",
                 "ReturnConsumedCapacity": "TOTAL"}),
    ("PutItem", {"TableName": TABLE, "Item": KEY, "ConditionExpression": "attribute_not_exists(pk)",
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
    ("PutItem", {"TableName": TABLE, "Item": KEY, "ConditionExpression": "attribute_not_exists(pk)"}),
    *[("PutItem", {"TableName": TABLE, "Item": invoice(n, **({"status": S("paid")} if n % 3 == 0 else {}))})
      for n in (5, 1, 4, 2, 3, 6, 7)],
    ("PutItem", {"TableName": TABLE, "Item": {"pk": S("ACCOUNT#2"), "sk": S("ACCOUNT"), "gsi_pk": S("DUE")}}),
    ("GetItem", {"TableName": TABLE, "Key": KEY}),
    ("GetItem", {"TableName": TABLE, "Key": KEY, "ConsistentRead": True, "ReturnConsumedCapacity": "INDEXES"}),
    ("GetItem", {"TableName": TABLE, "Key": KEY, "ProjectionExpression": "#l[2], map.k, ns",
                 "ExpressionAttributeNames": {"#l": "list"}}),
    ("GetItem", {"TableName": TABLE, "Key": {"pk": S("nobody"), "sk": S("ACCOUNT")}}),
    ("GetItem", {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1")}}),
    ("GetItem", {"TableName": "no-such-table", "Key": KEY}),
    ("Query", query()),
    ("Query", query(Limit=3)),
    ("Query", query(Limit=3, ExclusiveStartKey={"pk": S("ACCOUNT#1"), "sk": S("INVOICE#003")})),
    ("Query", query(ScanIndexForward=False, Limit=4, ReturnConsumedCapacity="TOTAL")),
    ("Query", query(KeyConditionExpression="pk = :pk AND begins_with(sk, :inv)",
                    FilterExpression="attribute_not_exists(#s) AND amount > :ten",
                    ExpressionAttributeNames={"#s": "status"}, values={":inv": S("INVOICE#"), ":ten": N(10)})),
    ("Query", query(Select="COUNT")),
    ("Query", query(KeyConditionExpression="pk = :pk AND sk BETWEEN :a AND :b",
                    values={":a": S("INVOICE#002"), ":b": S("INVOICE#005")}, ProjectionExpression="sk, amount")),
    ("Query", {"TableName": TABLE, "IndexName": "due", "KeyConditionExpression": "gsi_pk = :due",
               "ExpressionAttributeValues": {":due": S("DUE")}, "Limit": 5}),
    ("Query", query(values={":pk": S("nobody")})),
    ("Query", query(KeyConditionExpression="pk = :missing")),
    ("Query", query(KeyConditionExpression="sk = :pk")),
    ("Scan", {"TableName": TABLE, "Limit": 4}),
    ("Scan", {"TableName": TABLE, "FilterExpression": "amount >= :n", "ExpressionAttributeValues": {":n": N(40)}}),
    ("UpdateItem", update()),
    ("UpdateItem", update(ReturnValues="UPDATED_NEW")),
    ("UpdateItem", update(ReturnValues="ALL_NEW")),
    ("UpdateItem", update(ReturnValues="UPDATED_OLD")),
    ("UpdateItem", update(ReturnValues="ALL_OLD", ConditionExpression="visits < :one",
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")),
    ("UpdateItem", update(UpdateExpression="SET nope = :undefined")),
    ("UpdateItem", update(UpdateExpression="REMOVE map.k, ss SET list[0] = :t", ReturnValues="ALL_NEW")),
    ("DeleteItem", {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#007")},
                    "ReturnValues": "ALL_OLD"}),
    ("DeleteItem", {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#007")},
                    "ConditionExpression": "attribute_exists(pk)"}),
    ("BatchWriteItem", {"RequestItems": {TABLE: [{"PutRequest": {"Item": invoice(n)}} for n in range(10, 14)]
                                         + [{"DeleteRequest": {"Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#006")}}}]},
                        "ReturnConsumedCapacity": "TOTAL"}),
    ("BatchGetItem", {"RequestItems": {TABLE: {"Keys": [KEY, {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#010")},
                                                         {"pk": S("nobody"), "sk": S("x")}],
                                               "ConsistentRead": True, "ProjectionExpression": "pk, sk, amount"}}}),
    ("TransactWriteItems", {"TransactItems": [
        {"Update": {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#001")},
                    "UpdateExpression": "SET #s = :paid", "ConditionExpression": "attribute_not_exists(#s)",
                    "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":paid": S("paid")}}},
        {"Put": {"TableName": TABLE, "Item": {"pk": S("ACCOUNT#1"), "sk": S("PAYMENT#1")},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"ConditionCheck": {"TableName": TABLE, "Key": KEY, "ConditionExpression": "attribute_exists(pk)"}}]}),
    ("TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": TABLE, "Item": {"pk": S("ACCOUNT#1"), "sk": S("PAYMENT#1")},
                 "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        {"Delete": {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#002")}}}]}),
    # cancelled after an update in place, a delete and a new item were written: all three put back
    ("TransactWriteItems", {"TransactItems": [
        {"Update": {"TableName": TABLE, "Key": KEY, "UpdateExpression": "SET visits = visits + :one, map.k = :t",
                    "ExpressionAttributeValues": {":one": N(1), ":t": S("changed")}}},
        {"Delete": {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#003")}}},
        {"Put": {"TableName": TABLE, "Item": {"pk": S("ACCOUNT#9"), "sk": S("NEW")}}},
        {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": S("nobody"), "sk": S("x")},
                            "ConditionExpression": "attribute_exists(pk)"}}]}),
    ("GetItem", {"TableName": TABLE, "Key": KEY}),
    ("Query", query(values={":pk": S("ACCOUNT#9")})),
    ("TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": TABLE, "Item": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#004")}}},
        {"Delete": {"TableName": TABLE, "Key": {"pk": S("ACCOUNT#1"), "sk": S("INVOICE#004")}}}]}),
    ("TransactGetItems", {"TransactItems": [{"Get": {"TableName": TABLE, "Key": KEY}},
                                            {"Get": {"TableName": TABLE, "Key": {"pk": S("nobody"), "sk": S("x")}}}]}),
    ("Query", query()),
    ("ListTables", {}),
    ("DescribeTimeToLive", {"TableName": TABLE}),
    ("UpdateTimeToLive", {"TableName": TABLE, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}}),
    ("PutItem", "{not json"),
    ("PutItem", {"TableName": TABLE}),
    ("NoSuchOperation", {}),
]


class Emulator:
    def __init__(self, plain_moto: bool):
        self.aws = LocalAws(plain_moto=plain_moto).start()
        parts = urlsplit(self.aws.endpoint)
        self.connection = http.client.HTTPConnection(parts.netloc, timeout=60)

    def answer(self, operation: str, body: dict | str) -> tuple[int, dict[str, str], bytes]:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.connection.request("POST", "/", body=data, headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{operation}",
            "Authorization": f"AWS4-HMAC-SHA256 {SCOPE}"})
        response = self.connection.getresponse()
        headers = {key.lower(): value for key, value in response.getheaders() if key.lower() not in VOLATILE_HEADERS}
        return response.status, headers, response.read()

    def stop(self) -> None:
        self.connection.close()
        self.aws.stop()


@pytest.fixture(scope="module")
def emulators():
    ours, moto = Emulator(plain_moto=False), Emulator(plain_moto=True)
    try:
        for emulator in (ours, moto):
            status, _, body = emulator.answer("CreateTable", table_definition())
            assert status == 200, body
        yield ours, moto
    finally:
        ours.stop()
        moto.stop()


def test_every_answer_is_moto_s_byte_for_byte(emulators):
    ours, moto = emulators
    answers = []
    for operation, body in REQUESTS:
        expected = moto.answer(operation, body)
        assert ours.answer(operation, body) == expected, (operation, body)
        answers.append((operation, *expected))
    # the comparison saw answers and errors, every attribute type, and a page that goes on
    assert {status for _, status, _, _ in answers} >= {200, 400}
    item = next(json.loads(body)["Item"] for operation, _, _, body in answers if operation == "GetItem")
    assert {next(iter(value)) for value in item.values()} == {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"}
    assert any("LastEvaluatedKey" in json.loads(body) for operation, _, _, body in answers if operation == "Query")


def test_a_cancelled_transaction_leaves_no_stream_record():
    """DynamoDB's stream shows what was written: a cancelled transaction adds nothing to it."""
    import boto3

    aws = LocalAws().start()
    try:
        options = {"endpoint_url": aws.endpoint, "region_name": "us-east-1",
                   "aws_access_key_id": "local", "aws_secret_access_key": "local"}
        dynamodb, streams = boto3.client("dynamodb", **options), boto3.client("dynamodbstreams", **options)
        arn = dynamodb.create_table(**table_definition(), StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]["LatestStreamArn"]
        dynamodb.put_item(TableName=TABLE, Item=KEY)
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
            dynamodb.transact_write_items(TransactItems=[
                {"Put": {"TableName": TABLE, "Item": invoice(1)}},
                {"Put": {"TableName": TABLE, "Item": KEY, "ConditionExpression": "attribute_not_exists(pk)"}}])
        dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": TABLE, "Item": invoice(2)}}])
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator)["Records"]
        assert [record["dynamodb"]["Keys"]["sk"]["S"] for record in records] == ["ACCOUNT", "INVOICE#002"]
        assert dynamodb.get_item(TableName=TABLE, Key={"pk": S("ACCOUNT#1"), "sk": S("INVOICE#001")}).get("Item") is None
    finally:
        aws.stop()


def test_an_emulator_of_its_own_leaves_this_process_s_aws_settings_alone():
    """Only the stack points this process's clients at its AWS: an emulator started and stopped on the
    side must not leave the session's later tests talking to a closed port."""
    before = dict(os.environ)
    LocalAws().start().stop()
    assert dict(os.environ) == before


def test_a_transaction_runs_once_per_client_request_token():
    """As DynamoDB: the same token and parameters answer as the first time without running again (a
    retry after a lost answer); the same token with other parameters is refused; a new token runs."""
    import boto3

    aws = LocalAws().start()
    try:
        dynamodb = boto3.client("dynamodb", endpoint_url=aws.endpoint, region_name="us-east-1",
                                aws_access_key_id="local", aws_secret_access_key="local")
        dynamodb.create_table(**table_definition())
        first = [{"Put": {"TableName": TABLE, "Item": invoice(1), "ConditionExpression": "attribute_not_exists(pk)"}}]
        dynamodb.transact_write_items(TransactItems=first, ClientRequestToken="retried")
        dynamodb.transact_write_items(TransactItems=first, ClientRequestToken="retried")  # not a conflict
        with pytest.raises(dynamodb.exceptions.IdempotentParameterMismatchException):
            dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": TABLE, "Item": invoice(2)}}],
                                          ClientRequestToken="retried")
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):  # another call: it runs
            dynamodb.transact_write_items(TransactItems=first, ClientRequestToken="another")
        assert dynamodb.scan(TableName=TABLE)["Count"] == 1
    finally:
        aws.stop()
