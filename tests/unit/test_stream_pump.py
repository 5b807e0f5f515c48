"""The local pipe (stream → queue) forwards a queue batch per round and shares the rounds between the
stream's shards: a long backlog in one shard does not hold another shard's messages back, and a round
asks only for the iterators of the shards it reads (the stream and the queue here are stand-ins)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from devstack.delivery import BATCH_SIZE, PIPE_BATCH_SIZE, LocalDelivery

ARN = "arn:aws:dynamodb:local:000000000000:table/helpcenter/stream/1"
QUEUE_URL = "http://127.0.0.1/000000000000/delivery"


def record(shard: str, n: int, pk: str, event: str = "INSERT") -> dict:
    return {"eventName": event, "dynamodb": {"SequenceNumber": f"{shard}-{n:04d}", "Keys": {"pk": {"S": pk}}}}


class Stream:
    """A table and its stream: ``describe_table``, ``describe_stream``, ``get_shard_iterator`` and
    ``get_records`` as DynamoDB Streams answers them; an iterator is the shard and an offset."""

    def __init__(self, shards: dict[str, list[dict]]):
        self.shards = shards
        self.iterators_asked: list[str] = []

    def describe_table(self, TableName: str) -> dict:
        return {"Table": {"LatestStreamArn": ARN}}

    def describe_stream(self, StreamArn: str) -> dict:
        return {"StreamDescription": {"Shards": [{"ShardId": shard} for shard in self.shards]}}

    def get_shard_iterator(self, StreamArn: str, ShardId: str, ShardIteratorType: str, SequenceNumber: str = "") -> dict:
        self.iterators_asked.append(ShardId)
        sequence = [item["dynamodb"]["SequenceNumber"] for item in self.shards[ShardId]]
        start = sequence.index(SequenceNumber) + 1 if ShardIteratorType == "AFTER_SEQUENCE_NUMBER" else 0
        return {"ShardIterator": f"{ShardId}@{start}"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict:
        shard, start = ShardIterator.split("@")
        records = self.shards[shard][int(start):int(start) + Limit]
        return {"Records": records, "NextShardIterator": f"{shard}@{int(start) + len(records)}"}


class Queue:
    def __init__(self) -> None:
        self.bodies: list[str] = []

    def send_message(self, QueueUrl: str, MessageBody: str) -> dict:
        self.bodies.append(json.loads(MessageBody)["pk"])
        return {}


def pipe(shards: dict[str, list[dict]]) -> LocalDelivery:
    template = SimpleNamespace(
        functions={"DeliverMessagesFunction": {"environment": {"DELIVERY_QUEUE_URL": QUEUE_URL, "TABLE_NAME": "t"}}},
        queues={"DeliveryDeadLetterQueue": {"QueueName": "dead"}})
    delivery = LocalDelivery(template)  # type: ignore[arg-type]
    delivery.dynamodb = delivery.streams = Stream(shards)
    delivery.sqs = Queue()
    return delivery


def outbox(shard: str, count: int) -> list[dict]:
    return [record(shard, n, f"OUTBOX#{shard}-{n}") for n in range(count)]


def test_a_round_forwards_about_one_queue_batch_of_outbox_inserts_and_nothing_else():
    others = [record("a", 900, "ACCOUNT#1"), record("a", 901, "OUTBOX#modified", event="MODIFY")]
    delivery = pipe({"a": others + outbox("a", 2 * BATCH_SIZE)})
    forwarded = delivery.forward_new_messages()
    assert BATCH_SIZE <= forwarded < BATCH_SIZE + PIPE_BATCH_SIZE  # the pipe reads a batch of records at a time
    assert delivery.sqs.bodies == [f"OUTBOX#a-{n}" for n in range(forwarded)]


def test_a_backlog_in_one_shard_does_not_hold_another_shards_messages_back():
    delivery = pipe({"long": outbox("long", 5 * BATCH_SIZE), "short": outbox("short", 2)})
    rounds = [delivery.forward_new_messages() for _ in range(2)]
    assert rounds[0] == BATCH_SIZE
    assert {"OUTBOX#short-0", "OUTBOX#short-1"} <= set(delivery.sqs.bodies), "the second round reads the other shard"


def test_a_full_round_asks_for_no_more_shard_iterators():
    delivery = pipe({"a": outbox("a", PIPE_BATCH_SIZE * 2), "b": outbox("b", 1), "c": outbox("c", 1)})
    delivery.forward_new_messages()
    assert delivery.streams.iterators_asked == ["a"]


def test_every_message_is_forwarded_once_over_the_rounds():
    shards = {"a": outbox("a", 3 * BATCH_SIZE + 4), "b": outbox("b", BATCH_SIZE + 1), "c": outbox("c", 0)}
    delivery = pipe(shards)
    while delivery.forward_new_messages():
        pass
    expected = [item["dynamodb"]["Keys"]["pk"]["S"] for records in shards.values() for item in records]
    assert sorted(delivery.sqs.bodies) == sorted(expected)
