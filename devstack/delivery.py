"""Outbox delivery on the local stack: the two AWS parts between the table and the deliverer.

On AWS, an EventBridge Pipe reads the table's stream and sends each new ``OUTBOX#`` key to the
delivery queue, and Lambda's SQS event source hands the queue's messages to the deliverer function
in batches, deleting those it reports delivered. Here one background thread plays both, against the
local DynamoDB stream and SQS (moto), with the same filter, message body, batch size and
partial-batch contract; the deliverer is the real handler. Its retries, backoff (visibility) and
dead-letter queue (redrive policy) are SQS's own.
"""

from __future__ import annotations

import json
import threading
import time
import uuid

import boto3

from devstack.gateway import LambdaContext

OUTBOX_PREFIX = "OUTBOX#"  # the pipe's filter (infra/template.yaml DeliveryPipe)
BATCH_SIZE = 10  # the event source's BatchSize
POLL_SECONDS = 0.2
DELIVERY_THREAD = "delivery"


class LocalDelivery:
    def __init__(self, endpoint: str, table_name: str, queue_url: str, dead_letter_url: str):
        self.dynamodb = boto3.client("dynamodb", endpoint_url=endpoint)
        self.streams = boto3.client("dynamodbstreams", endpoint_url=endpoint)
        self.sqs = boto3.client("sqs", endpoint_url=endpoint)
        self.table_name, self.queue_url, self.dead_letter_url = table_name, queue_url, dead_letter_url
        self.positions: dict[str, str] = {}  # shard id → sequence number of the last record read
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    # --- the pipe: stream → queue -------------------------------------------------------------------

    def _shard_iterators(self) -> dict[str, str]:
        """A fresh iterator per shard, just after the last record read. (Fresh each round: moto
        replaces a table's shard when it rolls a cancelled transaction back, and an old iterator
        would go on reading the replaced one.)"""
        arn = self.dynamodb.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        iterators = {}
        for shard in self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            position = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.positions[shard_id]}
                        if shard_id in self.positions else {"ShardIteratorType": "TRIM_HORIZON"})
            iterators[shard_id] = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                                                  **position)["ShardIterator"]
        return iterators

    def forward_new_messages(self) -> int:
        """Send the stream's new ``OUTBOX#`` inserts to the queue; returns how many."""
        forwarded = 0
        for shard, iterator in self._shard_iterators().items():
            answer = self.streams.get_records(ShardIterator=iterator)
            for record in answer["Records"]:
                self.positions[shard] = record["dynamodb"]["SequenceNumber"]
                pk = record["dynamodb"]["Keys"]["pk"]["S"]
                if record["eventName"] == "INSERT" and pk.startswith(OUTBOX_PREFIX):
                    self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps({"pk": pk}))
                    forwarded += 1
        return forwarded

    # --- the event source mapping: queue → deliverer --------------------------------------------------

    def deliver_batch(self) -> int:
        """Hand one batch of visible messages to the deliverer; delete the delivered ones."""
        from deliver_messages import handler

        messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=BATCH_SIZE,
                                            AttributeNames=["All"]).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [_sqs_record(message, self.queue_url) for message in messages]}
        context = LambdaContext(function_name="DeliverMessagesFunction", aws_request_id=str(uuid.uuid4()),
                                deadline_ms=int(time.time() * 1000) + 30_000)
        failed = {item["itemIdentifier"] for item in handler.lambda_handler(event, context)["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def pump(self) -> int:
        """One round of both; returns how much moved."""
        with self.lock:
            return self.forward_new_messages() + self.deliver_batch()

    def in_flight(self) -> int:
        """Messages still in the queue (visible, or waiting for their retry)."""
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return sum(int(value) for value in attributes.values())

    def drain(self, timeout: float = 30) -> None:
        """Deliver until the stream and the queue are empty (raises TimeoutError after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while True:
            moved = self.pump()
            if not moved and not self.in_flight():
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.in_flight()} messages still waiting for delivery")
            if not moved:
                time.sleep(POLL_SECONDS)

    def dead_letters(self) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.dead_letter_url,
                                                   AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"])

    # --- background --------------------------------------------------------------------------------------

    def start(self) -> LocalDelivery:
        self.thread = threading.Thread(target=self._run, daemon=True, name=DELIVERY_THREAD)
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                moved = self.pump()
            except Exception:  # noqa: BLE001 - the local AWS is being reset or stopped: try again
                self.positions.clear()
                moved = 0
            if not moved:
                self.stopped.wait(POLL_SECONDS)

    def stop(self) -> None:
        self.stopped.set()
        if self.thread:
            self.thread.join(timeout=5)

    def reset(self) -> None:
        """Forget stream positions (after the local AWS was reset)."""
        with self.lock:
            self.positions.clear()


def _sqs_record(message: dict, queue_url: str) -> dict:
    """An SQS message as Lambda's SQS event source passes it (one record of ``Records``)."""
    name = queue_url.rsplit("/", 1)[-1]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{name}",
        "awsRegion": "us-east-1",
    }
