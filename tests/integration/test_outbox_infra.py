"""What the SAM template promises for the outbox: only the deliverer sends, the stream feeds the
queue, retries end in a dead-letter queue that raises an alarm, and the local stack plays the same."""

from __future__ import annotations

import json

from deliver_messages.logic import LEASE_SECONDS
from devstack import delivery, template as sam
from helpcenter.rules.delivery import MAX_RECEIVES, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS
from tests.integration.template_parts import policy_statements, resources


def actions_of(function: str) -> set[str]:
    properties = resources()[function]["Properties"]
    return {action for policy in properties.get("Policies", []) if isinstance(policy, dict) and "Statement" in policy
            for s in policy_statements(policy["Statement"]) for action in s["Action"]}


def test_only_the_deliverer_sends_email():
    functions = [name for name, r in resources().items() if r["Type"] == "AWS::Serverless::Function"]
    senders = [name for name in functions if any(action.startswith("ses:") for action in actions_of(name))]
    assert senders == ["DeliverMessagesFunction"]
    assert actions_of("DeliverMessagesFunction") == {"dynamodb:GetItem", "dynamodb:UpdateItem",
                                                     "sqs:ChangeMessageVisibility", "ses:SendEmail",
                                                     "ssm:GetParameter"}  # the help desks' secrets
    for statement in resources()["DeliverMessagesFunction"]["Properties"]["Policies"][0]["Statement"]:
        if statement["Action"][0].startswith("dynamodb:"):
            assert statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["OUTBOX#*"]


def test_writers_put_messages_only_under_the_outbox_prefix():
    for function in ("SubmitTicketFunction", "PayInvoiceFunction", "StripeWebhookFunction", "ReconcileFunction",
                     "DunningFunction", "EscalationFunction"):
        statements = resources()[function]["Properties"]["Policies"][0]["Statement"]
        puts = [s for s in policy_statements(statements) if "dynamodb:PutItem" in s["Action"]
                and "OUTBOX#*" in s.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys", [])]
        assert puts, function


def test_the_stream_feeds_the_queue_through_the_pipe_with_the_local_filter():
    table = resources()["HelpCenterTable"]["Properties"]
    assert table["StreamSpecification"]["StreamViewType"] == "KEYS_ONLY"  # no message content in the stream
    pipe = resources()["DeliveryPipe"]["Properties"]
    pattern = json.loads(pipe["SourceParameters"]["FilterCriteria"]["Filters"][0]["Pattern"])
    assert pattern == {"eventName": ["INSERT"], "dynamodb": {"Keys": {"pk": {"S": [{"prefix": delivery.OUTBOX_PREFIX}]}}}}
    assert pipe["Target"] == {"Fn::GetAtt": ["DeliveryQueue", "Arn"]}
    assert pipe["SourceParameters"]["DynamoDBStreamParameters"]["BatchSize"] == delivery.PIPE_BATCH_SIZE
    assert pipe["SourceParameters"]["DynamoDBStreamParameters"]["DeadLetterConfig"]["Arn"] == {
        "Fn::GetAtt": ["DeliveryDeadLetterQueue", "Arn"]}
    assert json.loads(pipe["TargetParameters"]["InputTemplate"].replace("<$.dynamodb.Keys.pk.S>", "x")) == {"pk": "x"}


def test_retries_end_in_the_dead_letter_queue_which_raises_an_alarm():
    queue = resources()["DeliveryQueue"]["Properties"]
    function = resources()["DeliverMessagesFunction"]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == MAX_RECEIVES
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["DeliveryDeadLetterQueue", "Arn"]}
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]  # AWS's advice for SQS event sources
    assert function["Timeout"] < LEASE_SECONDS < queue["VisibilityTimeout"]
    event = function["Events"]["Queue"]["Properties"]
    assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"] and event["BatchSize"] == delivery.BATCH_SIZE
    dead, delay = (resources()[name]["Properties"] for name in ("DeliveryDeadLetterAlarm", "DeliveryDelayAlarm"))
    assert dead["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["DeliveryDeadLetterQueue", "QueueName"]}
    assert dead["Threshold"] == 0 and dead["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert delay["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["DeliveryQueue", "QueueName"]}
    assert delay["MetricName"] == "ApproximateAgeOfOldestMessage" and delay["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_the_local_stack_creates_the_same_queues():
    queues = sam.load(queue_url_base="http://local/123456789012").queues
    assert list(queues).index("DeliveryDeadLetterQueue") < list(queues).index("DeliveryQueue")
    redrive = json.loads(queues["DeliveryQueue"]["Attributes"]["RedrivePolicy"])
    assert redrive["maxReceiveCount"] == str(MAX_RECEIVES) and redrive["deadLetterTargetArn"].endswith(
        ":DeliveryDeadLetterQueue")
    environment = sam.load(queue_url_base="http://local/123456789012").functions["DeliverMessagesFunction"]["environment"]
    assert environment["DELIVERY_QUEUE_URL"] == "http://local/123456789012/DeliveryQueue"


def test_the_retry_backoff_is_the_rules_and_the_local_stack_only_shortens_it():
    parameter = sam.read()["Parameters"]["DeliveryRetryBackoff"]
    assert parameter["Default"] == f"{RETRY_BASE_SECONDS},{RETRY_CAP_SECONDS}"
    environment = resources()["DeliverMessagesFunction"]["Properties"]["Environment"]["Variables"]
    assert environment["RETRY_BACKOFF_SECONDS"] == {"Ref": "DeliveryRetryBackoff"}
    local = sam.load(parameters=delivery.LOCAL_PARAMETERS).functions["DeliverMessagesFunction"]["environment"]
    base, cap = map(int, local["RETRY_BACKOFF_SECONDS"].split(","))
    assert base < RETRY_BASE_SECONDS and cap < RETRY_CAP_SECONDS
