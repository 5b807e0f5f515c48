"""Outbox delivery on the local stack: the two AWS parts between the table and the deliverer.

On AWS, an EventBridge Pipe reads the table's stream and sends each new ``OUTBOX#`` key to the
delivery queue, and Lambda's SQS event source hands the queue's messages to the deliverer function
in batches, deleting those it reports delivered. Here a local service's background thread plays both, against
the local DynamoDB stream and SQS (moto), with the same filter, message body, batch size and
partial-batch contract; the deliverer is the template's function, invoked on its own instances
through ``stack.invoke``. Its retries, backoff (visibility) and dead-letter queue (redrive policy)
are SQS's own. ``POST /_local/ses-outage?seconds=N`` makes the local SES refuse to send meanwhile.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import boto3
from werkzeug.wrappers import Request, Response

from devstack.services import LocalService
from devstack.template import Template

if TYPE_CHECKING:
    from devstack.stack import LocalStack

OUTBOX_PREFIX = "OUTBOX#"  # the pipe's filter (infra/template.yaml DeliveryPipe)
BATCH_SIZE = 10  # the event source's BatchSize
PIPE_BATCH_SIZE = 10  # the pipe's BatchSize: stream records read per call
POLL_SECONDS = 0.2
IDLE_POLL_SECONDS = 1.0
DELIVERER = "DeliverMessagesFunction"
# Local retries of undelivered messages: 2 s doubling to 15 s (AWS: 30 s to 15 min), so that an SES
# outage of a minute or two is survived (ten attempts span ~100 s) and recovery shows within seconds.
# The template's own parameter, with the local stack's value.
LOCAL_PARAMETERS = {"DeliveryRetryBackoff": "2,15"}


class LocalDelivery(LocalService):
    def __init__(self, template: Template):
        self.queue_url = template.functions[DELIVERER]["environment"]["DELIVERY_QUEUE_URL"]
        self.dead_letter_url = self.queue_url.rsplit("/", 1)[0] + "/" + (
            template.queues["DeliveryDeadLetterQueue"]["QueueName"])
        self.table_name = template.functions[DELIVERER]["environment"]["TABLE_NAME"]
        self._stack: LocalStack | None = None
        self.positions: dict[str, str] = {}  # shard id → sequence number of the last record read
        self.first_shard = 0  # where the next round starts reading, in the stream's list of shards
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    # --- the local service ------------------------------------------------------------------------------

    def endpoints(self):
        return {"/_local/ses-outage": self.ses_outage_endpoint}

    @property
    def stack(self) -> LocalStack:
        assert self._stack is not None, "the stack starts its services first"
        return self._stack

    def start(self, stack: LocalStack) -> None:
        self._stack = stack
        endpoint = stack.aws.endpoint
        self.dynamodb = boto3.client("dynamodb", endpoint_url=endpoint)
        self.streams = boto3.client("dynamodbstreams", endpoint_url=endpoint)
        self.sqs = boto3.client("sqs", endpoint_url=endpoint)

    def ready(self, stack: LocalStack) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True, name="delivery")
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread:
            self.thread.join(timeout=5)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No delivery while the local AWS is reset and its tables and queues made anew; stream
        positions are forgotten (the table's stream is a new one)."""
        with self.lock:
            yield
            self.positions.clear()

    def ses_outage_endpoint(self, request: Request) -> Response:
        """``POST /_local/ses-outage?seconds=60`` makes SES refuse to send for that long (``seconds=0``
        ends it); ``GET`` tells how long is left and how many messages wait or are dead."""
        aws = self.stack.aws
        if request.method == "POST":
            try:
                seconds = float(request.args.get("seconds", "60"))
            except ValueError:
                return Response(json.dumps({"error": "validation_error", "message": "seconds must be a number"}),
                                400, content_type="application/json")
            aws.fail_ses(min(max(seconds, 0), 3600))
        elif request.method != "GET":
            return Response("GET or POST ?seconds=<n>", 405)
        state = {"outage_seconds_left": round(aws.ses_outage_left, 1),
                 "waiting": self.in_flight(), "dead_letters": self.dead_letters()}
        return Response(json.dumps(state), content_type="application/json")

    # --- the pipe: stream → queue -------------------------------------------------------------------

    def _stream_shards(self) -> tuple[str, list[str]]:
        """The table's stream and its shards, looked up each round: moto replaces a table's shard when
        it rolls a cancelled transaction back, and an old iterator would go on reading the replaced one."""
        arn = self.dynamodb.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        return arn, [shard["ShardId"] for shard in shards]

    def _iterator_after_last_read(self, arn: str, shard_id: str) -> str:
        position = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.positions[shard_id]}
                    if shard_id in self.positions else {"ShardIteratorType": "TRIM_HORIZON"})
        return self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, **position)["ShardIterator"]

    def forward_new_messages(self) -> int:
        """Send the stream's new ``OUTBOX#`` inserts to the queue, a pipe batch of records at a time,
        until a queue batch waits or the stream is read to its end; returns how many were sent.

        Stopping there keeps the queue short while a backlog drains: moto's SQS looks at every message
        of the queue on each receive (visibility, retention, the approximate counts), so forwarding a
        backlog of 240 messages at once made each of the 24 receives that followed walk all of them
        (measured: about half the emulator's CPU while a backlog of tickets was delivered). Each round
        starts at the shard after the last one it read, so a long shard does not hold the others back."""
        arn, shards = self._stream_shards()
        first, forwarded = self.first_shard, 0
        for turn in range(len(shards)):
            if forwarded >= BATCH_SIZE:
                break
            index = (first + turn) % len(shards)
            forwarded += self._forward_from(shards[index], self._iterator_after_last_read(arn, shards[index]),
                                            BATCH_SIZE - forwarded)
            self.first_shard = (index + 1) % len(shards)
        return forwarded

    def _forward_from(self, shard: str, iterator: str | None, wanted: int) -> int:
        """Forward one shard's new inserts, a pipe batch at a time, until ``wanted`` are sent or the
        shard is read to its end."""
        forwarded = 0
        while iterator and forwarded < wanted:
            answer = self.streams.get_records(ShardIterator=iterator, Limit=PIPE_BATCH_SIZE)
            for record in answer["Records"]:
                self.positions[shard] = record["dynamodb"]["SequenceNumber"]
                pk = record["dynamodb"]["Keys"]["pk"]["S"]
                if record["eventName"] == "INSERT" and pk.startswith(OUTBOX_PREFIX):
                    self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps({"pk": pk}))
                    forwarded += 1
            if len(answer["Records"]) < PIPE_BATCH_SIZE:
                break  # the shard is read to its end
            iterator = answer.get("NextShardIterator")
        return forwarded

    # --- the event source mapping: queue → deliverer --------------------------------------------------

    def deliver_batch(self) -> int:
        """Hand one batch of visible messages to the deliverer; delete the delivered ones."""
        messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=BATCH_SIZE,
                                            AttributeNames=["All"]).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [sqs_record(message, self.queue_url) for message in messages]}
        failed = {item["itemIdentifier"] for item in self.stack.invoke(DELIVERER, event)["batchItemFailures"]}
        delivered = [{"Id": str(n), "ReceiptHandle": message["ReceiptHandle"]}
                     for n, message in enumerate(messages) if message["MessageId"] not in failed]
        if delivered:  # one call for the batch, as Lambda's event source deletes them
            answer = self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=delivered)
            if answer.get("Failed"):
                raise RuntimeError(f"SQS kept delivered messages: {answer['Failed']}")
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

    def _run(self) -> None:
        """Poll every 0.2 s while messages move, backing off to 1 s when idle: each round is 5+ calls
        to the local AWS, which serves one request at a time, so an idle stack leaves it to the functions."""
        wait = POLL_SECONDS
        while not self.stopped.is_set():
            try:
                moved = self.pump()
            except Exception:  # noqa: BLE001 - the local AWS is stopping, or a deliverer instance failed: try again
                self.positions.clear()
                moved = 0
            wait = POLL_SECONDS if moved else min(wait * 2, IDLE_POLL_SECONDS)
            if not moved:
                self.stopped.wait(wait)


def sqs_record(message: dict, queue_url: str) -> dict:
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
