"""Nothing accepted is lost: messages written with their facts reach SES and the help desk once,
through outages.

The local stack runs the real deliverer behind the same stream → queue → function path as AWS;
``/_local/ses-outage`` makes SES answer 503 ServiceUnavailable to every send, and
``/_local/helpdesk-outage`` does the same to the local stand-in of Zendesk and of a webhook receiver
(``GET /_local/helpdesk`` shows what it received)."""

from __future__ import annotations

import time

import pytest
import requests

from deliver_messages import logic
from helpcenter import store
from helpcenter.store import outbox
from helpcenter.support import CONFIG
from devstack.delivery import BATCH_SIZE, OUTBOX_PREFIX, PIPE_BATCH_SIZE
from tests.integration.test_submit_ticket import DESCRIPTION, submit, ticket
from tests.support.stored import stored_message, stored_ticket


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


def received(stack) -> dict:
    """What the local help-desk stand-in got, over HTTP (``GET /_local/helpdesk``)."""
    return requests.get(f"{stack.url}/_local/helpdesk", timeout=10).json()


def in_help_desk(stack, ticket_id: str) -> tuple[list[dict], list[dict]]:
    """The stand-in's Zendesk tickets and webhook deliveries of one ticket."""
    state = received(stack)
    return ([t for t in state["tickets"] if t["external_id"] == ticket_id],
            [w for w in state["webhooks"] if (w["payload"] or {}).get("ticket", {}).get("ticket_id") == ticket_id])


def zendesk_fields(zendesk_ticket: dict) -> dict[str, str]:
    """A Zendesk ticket's custom fields by their name in ``support.yml`` (Zendesk knows only their ids)."""
    names = {field_id: name for name, field_id in CONFIG.help_desk.zendesk.custom_fields.items()}
    return {names[field["id"]]: field["value"] for field in zendesk_ticket["custom_fields"]}


def outbox_ids() -> list[str]:
    """The id of every message in the outbox, read from the table."""
    pages = store.client().get_paginator("scan").paginate(
        TableName=store.table_name(), FilterExpression="begins_with(pk, :outbox)",
        ExpressionAttributeValues={":outbox": {"S": OUTBOX_PREFIX}}, ProjectionExpression="pk")
    return [outbox.message_id_of(item["pk"]["S"]) for page in pages for item in page["Items"]]


def test_a_ticket_filed_during_an_ses_outage_reaches_the_queue_the_help_desk_and_the_requester_once_after_it(outage):
    """SES down for a minute, the help desk down for its first half: the ticket is accepted, and after
    recovery it reaches the queue's inbox, Zendesk and the webhook receiver once each, and the
    requester's confirmation arrives once."""
    stack = outage
    state = requests.post(f"{stack.url}/_local/ses-outage?seconds=60", timeout=10).json()
    assert state["outage_seconds_left"] == pytest.approx(60, abs=1)
    requests.post(f"{stack.url}/_local/helpdesk-outage?seconds=30", timeout=10)
    started = time.monotonic()
    response = submit(stack, ticket(impact="outage"))
    assert response.status_code == 201  # accepted while SES and the help desk are down
    body = response.json()
    ticket_id = body["ticket_id"]
    wait_for(lambda: (stored_message(f"{ticket_id}#queue").attempts >= 3), timeout=60)
    assert about(ticket_id, stack.aws.sent_emails()) == []  # three attempts refused, nothing sent
    waiting = requests.get(f"{stack.url}/_local/ses-outage", timeout=10).json()
    assert waiting["waiting"] >= 2 and waiting["dead_letters"] == 0
    # the help desk is back after 30 s: its two copies arrive while SES is still down
    wait_for(lambda: all(stored_message(f"{ticket_id}#{c}").status == "sent" for c in ("zendesk", "webhook")),
             timeout=60)
    help_desk_attempts = {c: stored_message(f"{ticket_id}#{c}").attempts for c in ("zendesk", "webhook")}
    assert about(ticket_id, stack.aws.sent_emails()) == []
    wait_for(lambda: time.monotonic() - started >= 60 or requests.get(
        f"{stack.url}/_local/ses-outage", timeout=10).json()["outage_seconds_left"] == 0, timeout=90)
    outage_seconds = time.monotonic() - started

    recovered = time.monotonic()
    wait_for(lambda: len(about(ticket_id, stack.aws.sent_emails())) >= 2, timeout=60)
    after_recovery = time.monotonic() - recovered
    mails = about(ticket_id, stack.delivered())
    assert sorted(m["to"][0] for m in mails) == ["ana@bluepeak-solutions.example", "partner-support@helpcenter.example"]
    for kind in ("queue", "confirmation"):
        stored = stored_message(f"{ticket_id}#{kind}")
        assert stored.status == "sent" and stored.attempts >= 2 and stored.last_error is None
    tickets, webhooks = in_help_desk(stack, ticket_id)
    assert len(tickets) == 1 and len(webhooks) == 1 and webhooks[0]["verified"]
    (zendesk,) = tickets
    assert zendesk["priority"] == "urgent" and "severity_s1" in zendesk["tags"]
    assert zendesk_fields(zendesk) == {"acknowledge_by": body["acknowledge_by"], "diagnose_by": body["diagnose_by"],
                                       "acknowledge_token": webhooks[0]["payload"]["ticket"]["acknowledge_token"]}
    assert webhooks[0]["payload"]["ticket"]["severity"] == body["severity"] == "S1"
    assert received(stack)["refused"] >= 2  # the help desk did refuse the first attempts
    dead_letters = stack.delivery.dead_letters()
    assert dead_letters == 0
    attempts = {kind: stored_message(f"{ticket_id}#{kind}").attempts for kind in ("queue", "confirmation")}
    print(f"\n  SES down {outage_seconds:.0f} s, help desk down 30 s; attempts: queue e-mail {attempts['queue']}, "
          f"confirmation {attempts['confirmation']}, Zendesk {help_desk_attempts['zendesk']}, webhook "
          f"{help_desk_attempts['webhook']} (retries: each minus 1); help-desk calls refused {received(stack)['refused']}; "
          f"both e-mails sent {after_recovery:.1f} s after SES recovered; delivered: 1 queue e-mail, 1 confirmation, "
          f"1 Zendesk ticket, 1 verified webhook; dead letters {dead_letters}")


def test_the_help_desk_gets_one_signed_ticket_and_acknowledges_it_by_api(fresh_stack):
    """Zendesk (the stand-in) gets one ticket with priority, severity tags, the deadlines and the
    acknowledge token as custom fields; the webhook receiver one delivery whose signature it verified,
    with the same token. The help desk posts the Zendesk field's token to ``POST /tickets/acknowledge``,
    as the Zendesk trigger of the README does: escalation stops, once."""
    stack = fresh_stack
    body = submit(stack, ticket(impact="outage")).json()
    ticket_id = body["ticket_id"]
    stack.delivered()
    (zendesk,), (webhook,) = in_help_desk(stack, ticket_id)
    assert zendesk["priority"] == "urgent" and zendesk["type"] == "incident"
    assert {"severity_s1", f"queue_{body['queue']}", "kind_partner"} <= set(zendesk["tags"])
    fields = zendesk_fields(zendesk)
    assert (fields["acknowledge_by"], fields["diagnose_by"]) == (body["acknowledge_by"], body["diagnose_by"])
    assert zendesk["external_id"] == ticket_id and ticket_id in zendesk["subject"]
    assert webhook["verified"] and webhook["id"] == f"{ticket_id}#webhook"
    token = fields["acknowledge_token"]
    assert token == webhook["payload"]["ticket"]["acknowledge_token"] and token in zendesk["comment"]["body"]
    acknowledge = {"ticket_id": zendesk["external_id"], "token": token, "source": "help_desk"}
    answer = requests.post(f"{stack.url}/api/tickets/acknowledge", json=acknowledge, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json()["escalation_level"] == 1
    assert stored_ticket(ticket_id)["acknowledged_via"] == "help_desk"
    again = requests.post(f"{stack.url}/api/tickets/acknowledge", json=acknowledge, timeout=10)
    assert (again.status_code, again.json()["error"]) == (409, "already_acknowledged")


def test_a_zendesk_ticket_whose_answer_was_lost_is_not_created_twice(outage):
    stack = outage
    stack.helpdesk.fail(0, lose_answers=1)  # Zendesk creates the ticket, the answer never arrives
    ticket_id = submit(stack, ticket()).json()["ticket_id"]
    stack.delivered()
    stored = stored_message(f"{ticket_id}#zendesk")
    assert stored.status == "sent" and stored.attempts == 2
    tickets, webhooks = in_help_desk(stack, ticket_id)
    assert len(tickets) == 1 and len(webhooks) == 1


def test_a_message_is_sent_once_however_often_it_is_handed_over(fresh_stack):
    stack = fresh_stack
    ticket_id = submit(stack, ticket()).json()["ticket_id"]
    stack.delivered()
    queue_url = stack.delivery.queue_url
    for _ in range(3):  # the queue delivers at least once: duplicates must not send again
        stack.delivery.sqs.send_message(QueueUrl=queue_url, MessageBody=f'{{"pk": "OUTBOX#{ticket_id}#queue"}}')
    assert len(about(ticket_id, stack.delivered())) == 2
    for channel in ("zendesk", "webhook"):
        stack.delivery.sqs.send_message(QueueUrl=queue_url, MessageBody=f'{{"pk": "OUTBOX#{ticket_id}#{channel}"}}')
    stack.delivered()
    tickets, webhooks = in_help_desk(stack, ticket_id)
    assert len(tickets) == 1 and len(webhooks) == 1
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
    stored = stored_message(f"{ticket_id}#queue")
    assert stored.status == "pending" and stored.last_error == "ServiceUnavailable"
    assert about(ticket_id, stack.aws.sent_emails()) == []
    assert stored_message(f"{ticket_id}#zendesk").status == "sent"  # its own message: not held up by SES


def test_a_backlog_reaches_the_queue_a_batch_at_a_time_and_every_message_once(outage):
    """Tickets filed while the pipe waits: its next round puts about one batch in the queue (moto's SQS
    walks the whole queue on every receive, so a backlog forwarded at once made draining quadratic),
    and the rounds after it deliver every message, each once."""
    stack = outage
    delivery = stack.delivery
    stack.delivered()
    with delivery.lock:  # the background rounds wait meanwhile
        ticket_ids = [submit(stack, ticket(description=f"{DESCRIPTION} Backlog {n}.")).json()["ticket_id"]
                      for n in range(6)]
        messages = [message_id for message_id in outbox_ids() if message_id.split("#")[0] in ticket_ids]
        assert len(messages) > 2 * BATCH_SIZE
        forwarded = delivery.forward_new_messages()
        assert BATCH_SIZE <= forwarded == delivery.in_flight() < BATCH_SIZE + PIPE_BATCH_SIZE
    delivery.drain(timeout=120)
    assert all(stored_message(message_id).status == "sent" for message_id in messages)
    for ticket_id in ticket_ids:
        assert len(about(ticket_id, stack.aws.sent_emails())) == 2  # the queue's copy and the requester's
        tickets, webhooks = in_help_desk(stack, ticket_id)
        assert len(tickets) == 1 and len(webhooks) == 1
