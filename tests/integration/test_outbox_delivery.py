"""Nothing accepted is lost: messages written with their facts reach SES once, through an outage.

The local stack runs the real deliverer behind the same stream → queue → function path as AWS, and
``/_local/ses-outage`` makes SES answer 503 ServiceUnavailable to every send."""

from __future__ import annotations

import time

import pytest
import requests

from deliver_messages import logic
from helpcenter.store import outbox
from tests.integration.test_submit_ticket import submit, ticket


def wait_for(condition, timeout: float = 30, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(step)
    return value


@pytest.fixture
def outage(fresh_stack):
    """The stack, with SES back and its data, queues and counters anew afterwards."""
    yield fresh_stack
    fresh_stack.reset()


def about(ticket_id: str, mails: list[dict]) -> list[dict]:
    return [m for m in mails if ticket_id in m["subject"]]


def test_a_ticket_filed_during_an_ses_outage_reaches_the_queue_and_the_requester_once_after_it(outage):
    stack = outage
    state = requests.post(f"{stack.url}/_local/ses-outage?seconds=60", timeout=10).json()
    assert state["outage_seconds_left"] == pytest.approx(60, abs=1)
    started = time.monotonic()
    response = submit(stack, ticket(impact="outage"))
    assert response.status_code == 201  # accepted while SES is down
    ticket_id = response.json()["ticket_id"]
    wait_for(lambda: (outbox.get_message(f"{ticket_id}#queue").attempts >= 3), timeout=60)
    assert about(ticket_id, stack.aws.sent_emails()) == []  # three attempts refused, nothing sent
    waiting = requests.get(f"{stack.url}/_local/ses-outage", timeout=10).json()
    assert waiting["waiting"] >= 2 and waiting["dead_letters"] == 0
    outage_seconds = time.monotonic() - started

    requests.post(f"{stack.url}/_local/ses-outage?seconds=0", timeout=10)
    recovered = time.monotonic()
    wait_for(lambda: len(about(ticket_id, stack.aws.sent_emails())) >= 2, timeout=30)
    after_recovery = time.monotonic() - recovered
    mails = about(ticket_id, stack.delivered())
    assert sorted(m["to"][0] for m in mails) == ["ana@bluepeak-solutions.example", "partner-support@helpcenter.example"]
    for kind in ("queue", "confirmation"):
        stored = outbox.get_message(f"{ticket_id}#{kind}")
        assert stored.status == "sent" and stored.attempts >= 2 and stored.last_error is None
    print(f"\n  SES down {outage_seconds:.1f} s: {outbox.get_message(f'{ticket_id}#queue').attempts} attempts; "
          f"both e-mails sent {after_recovery:.1f} s after recovery, once each")


def test_a_message_is_sent_once_however_often_it_is_handed_over(fresh_stack):
    stack = fresh_stack
    ticket_id = submit(stack, ticket()).json()["ticket_id"]
    stack.delivered()
    queue_url = stack.delivery.queue_url
    for _ in range(3):  # the queue delivers at least once: duplicates must not send again
        stack.delivery.sqs.send_message(QueueUrl=queue_url, MessageBody=f'{{"pk": "OUTBOX#{ticket_id}#queue"}}')
    assert len(about(ticket_id, stack.delivered())) == 2
    from datetime import datetime, timezone

    assert logic.deliver(f"{ticket_id}#queue", datetime.now(timezone.utc)) == "already_sent"


def test_after_every_retry_a_message_waits_in_the_dead_letter_queue(outage, monkeypatch):
    stack = outage
    with stack.in_process("DeliverMessagesFunction"):  # the deliverer in this process, to patch its backoff
        from deliver_messages import handler

        monkeypatch.setattr(handler, "BACKOFF_BASE", 0)  # no wait between attempts: reach the limit fast
        monkeypatch.setattr(handler, "BACKOFF_CAP", 0)
        stack.aws.fail_ses(600)
        ticket_id = submit(stack, ticket()).json()["ticket_id"]
        wait_for(lambda: stack.delivery.dead_letters() >= 2, timeout=120)
    stored = outbox.get_message(f"{ticket_id}#queue")
    assert stored.status == "pending" and stored.last_error == "ServiceUnavailable"
    assert about(ticket_id, stack.aws.sent_emails()) == []
