"""The deliverer: takes outbox messages from the delivery queue (fed by the table's stream) and
sends each once (``logic.deliver``).

A message that could not be sent stays in the queue and comes back after ``retry_delay`` (its
visibility is extended, exponential backoff); after ``MAX_RECEIVES`` attempts SQS moves it to the
dead-letter queue. Partial batch responses: one failed message does not send the others again.
"""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from deliver_messages import logic
from helpcenter import coldstart, mail, store
from helpcenter.clients import lazy_client
from helpcenter.clock import now
from helpcenter.environment import DeliverMessagesEnvironment
from helpcenter.observability import job_entry_point
from helpcenter.rules.delivery import retry_delay
from helpcenter.store import outbox

ENVIRONMENT = DeliverMessagesEnvironment.load()
BACKOFF_BASE, BACKOFF_CAP = (int(part) for part in ENVIRONMENT.retry_backoff_seconds.split(","))
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
sqs = lazy_client("sqs")
store.client(), mail.client(), sqs()  # clients at init, not on the first request (10-40 ms each)


def record_handler(record: SQSRecord) -> str:
    """One queue message: ``{"pk": "OUTBOX#<id>"}`` (the pipe's input template)."""
    message_id = outbox.message_id_of(json.loads(record.body)["pk"])
    try:
        return logic.deliver(message_id, now())
    except logic.NotDelivered:
        receives = int(record.attributes.approximate_receive_count)
        sqs().change_message_visibility(QueueUrl=ENVIRONMENT.delivery_queue_url, ReceiptHandle=record.receipt_handle,
                                        VisibilityTimeout=retry_delay(receives, BACKOFF_BASE, BACKOFF_CAP))
        raise


@job_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return dict(process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context))


coldstart.finished()  # the last line of init
