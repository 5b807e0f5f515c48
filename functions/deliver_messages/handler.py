"""The deliverer: takes outbox messages from the delivery queue (fed by the table's stream) and
sends each once (``logic.deliver``).

A message that could not be sent stays in the queue and comes back after ``retry_delay`` (its
visibility is extended, exponential backoff); after ``MAX_RECEIVES`` attempts SQS moves it to the
dead-letter queue. Partial batch responses: one failed message does not send the others again.
"""

from __future__ import annotations

import json

import botocore.session
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from deliver_messages import logic
from helpcenter.clock import now
from helpcenter.environment import DeliverMessagesEnvironment
from helpcenter.observability import logger, metrics
from helpcenter.rules.delivery import retry_delay
from helpcenter.store import outbox

ENVIRONMENT = DeliverMessagesEnvironment.load()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
_sqs = None


def sqs():
    global _sqs
    if _sqs is None:
        _sqs = botocore.session.get_session().create_client("sqs")
    return _sqs


def backoff_seconds(receive_count: int) -> int:
    """``retry_delay``, with the base and cap a deployment (or the local stack) may set."""
    base, _, cap = ENVIRONMENT.retry_backoff_seconds.partition(",")
    if base and cap:
        return retry_delay(receive_count, int(base), int(cap))
    return retry_delay(receive_count)


def record_handler(record: SQSRecord) -> str:
    """One queue message: ``{"pk": "OUTBOX#<id>"}`` (the pipe's input template)."""
    message_id = outbox.message_id_of(json.loads(record.body)["pk"])
    try:
        return logic.deliver(message_id, now())
    except logic.NotDelivered:
        sqs().change_message_visibility(QueueUrl=ENVIRONMENT.delivery_queue_url, ReceiptHandle=record.receipt_handle,
                                        VisibilityTimeout=backoff_seconds(int(record.attributes.approximate_receive_count)))
        raise


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return dict(process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context))
