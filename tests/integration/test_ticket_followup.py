"""A ticket's follow-up over real HTTP on the local stack: the status page's API, the acknowledge
link of the queue's e-mail, and the escalation job run as of chosen instants (``/_local/escalate``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import requests

from helpcenter.rules.tickets import escalation_levels
from helpcenter.domain import Region
from tests.integration.test_submit_ticket import INDIA, submit, ticket

REQUESTER = f"ana@{INDIA}"


@pytest.fixture
def isolated(fresh_stack):
    """Demo data anew, and again afterwards: these tests file tickets and use up look-up counters."""
    yield fresh_stack
    fresh_stack.reset()


def file_s1(stack) -> dict:
    answer = submit(stack, ticket(impact="outage"))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["severity"] == "S1"
    return body


def status(stack, ticket_id: str, email: str = REQUESTER, language: str = "en") -> requests.Response:
    return requests.post(f"{stack.url}/api/tickets/status", json={"ticket_id": ticket_id, "requester_email": email},
                         headers={"Accept-Language": language}, timeout=10)


def escalate(stack, at: datetime) -> dict:
    answer = requests.post(f"{stack.url}/_local/escalate?at={quote(at.isoformat())}", timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def mails_to(stack, addresses: list[str]) -> list[dict]:
    """The e-mails to any of ``addresses``, once the deliverer has sent every promised message."""
    return [m for m in stack.delivered() if set(addresses) & set(m["to"])]


def acknowledge_token(stack, ticket_id: str) -> str:
    """The token of the acknowledge link in the queue's e-mail of the ticket."""
    link = re.compile(rf"#ticket={ticket_id}&acknowledge=([0-9]+\.[A-Za-z0-9_-]+)")
    queue_mail = next(m for m in stack.delivered() if m["subject"].startswith("[S1] " + ticket_id))
    found = link.search(queue_mail["body"])
    assert found, queue_mail["body"]
    return found.group(1)


def acknowledge(stack, ticket_id: str, token: str) -> requests.Response:
    return requests.post(f"{stack.url}/api/tickets/acknowledge", json={"ticket_id": ticket_id, "token": token},
                         timeout=10)


LEVEL_2 = [c["email"] for c in escalation_levels(Region.INDIA)[1]["contacts"]]
LEVEL_3 = [c["email"] for c in escalation_levels(Region.INDIA)[2]["contacts"]]


def test_an_s1_ticket_escalates_to_level_2_after_its_acknowledgement_deadline_and_not_before(isolated):
    body = file_s1(isolated)
    ticket_id, acknowledge_by = body["ticket_id"], datetime.fromisoformat(body["acknowledge_by"])
    assert status(isolated, ticket_id).json()["escalation_level"] == 1

    assert escalate(isolated, acknowledge_by - timedelta(seconds=1)) == {}
    assert status(isolated, ticket_id).json()["escalation_level"] == 1
    assert mails_to(isolated, LEVEL_2) == []

    assert escalate(isolated, acknowledge_by + timedelta(seconds=1)) == {"escalated": 1}
    seen = status(isolated, ticket_id).json()
    assert (seen["escalation_level"], seen["acknowledged"]) == (2, False)
    (notice,) = mails_to(isolated, LEVEL_2)
    assert set(notice["to"]) == set(LEVEL_2) and ticket_id in notice["subject"] and "level 2" in notice["subject"]
    assert f"#ticket={ticket_id}&acknowledge=" in notice["body"]

    assert escalate(isolated, acknowledge_by + timedelta(minutes=5)) == {}  # the step happened once
    assert len(mails_to(isolated, LEVEL_2)) == 1


def test_acknowledging_stops_escalation_and_the_link_acts_once(isolated):
    body = file_s1(isolated)
    ticket_id = body["ticket_id"]
    escalate(isolated, datetime.fromisoformat(body["acknowledge_by"]) + timedelta(seconds=1))
    token = acknowledge_token(isolated, ticket_id)

    answer = acknowledge(isolated, ticket_id, token)
    assert answer.status_code == 200, answer.text
    assert answer.json()["escalation_level"] == 2
    again = acknowledge(isolated, ticket_id, token)
    assert (again.status_code, again.json()["error"]) == (409, "already_acknowledged")

    assert escalate(isolated, datetime.fromisoformat(body["diagnose_by"]) + timedelta(hours=1)) == {}
    seen = status(isolated, ticket_id).json()
    assert (seen["escalation_level"], seen["acknowledged"]) == (2, True) and seen["acknowledged_at"]
    assert mails_to(isolated, LEVEL_3) == []


def test_an_unacknowledged_ticket_reaches_level_3_at_its_diagnosis_target(isolated):
    body = file_s1(isolated)
    diagnose_by = datetime.fromisoformat(body["diagnose_by"])
    escalate(isolated, datetime.fromisoformat(body["acknowledge_by"]) + timedelta(seconds=1))
    assert escalate(isolated, diagnose_by + timedelta(seconds=1)) == {"escalated": 1}
    assert status(isolated, body["ticket_id"]).json()["escalation_level"] == 3
    assert len(mails_to(isolated, LEVEL_3)) == 1


def test_a_link_made_for_another_ticket_or_altered_is_refused(isolated):
    first, second = file_s1(isolated), file_s1(isolated)
    token = acknowledge_token(isolated, first["ticket_id"])
    for ticket_id, used in ((second["ticket_id"], token), (first["ticket_id"], token[:-1] + ("A" if token[-1] != "A" else "B"))):
        answer = acknowledge(isolated, ticket_id, used)
        assert (answer.status_code, answer.json()["error"]) == (400, "invalid_link")
    assert status(isolated, second["ticket_id"]).json()["acknowledged"] is False


def test_the_status_answers_a_wrong_id_and_a_wrong_address_byte_for_byte_alike(isolated):
    body = file_s1(isolated)
    seen = status(isolated, body["ticket_id"], REQUESTER.upper())  # addresses compare normalised
    assert seen.status_code == 200
    assert [r["code"] for r in seen.json()["reasons"]] == [r["code"] for r in body["reasons"]]
    assert seen.json()["acknowledge_by"] == body["acknowledge_by"]
    wrong_address = status(isolated, body["ticket_id"], f"someone@{INDIA}")
    wrong_id = status(isolated, "T-AAAAAAAAAA")
    assert wrong_address.status_code == wrong_id.status_code == 404
    assert wrong_address.content == wrong_id.content
    assert wrong_address.json()["error"] == "no_match"


def test_the_status_answers_in_the_readers_language(isolated):
    body = file_s1(isolated)
    french = status(isolated, body["ticket_id"], language="fr")
    assert french.headers["Content-Language"] == "fr"
    assert french.json()["reasons"][0]["message"] != body["reasons"][0]["message"]
    miss = status(isolated, "T-AAAAAAAAAA", language="fr")
    assert miss.json()["message"].startswith("Aucun ticket")


def test_guessing_a_tickets_address_is_cut_off_and_the_right_one_refused_while_locked(isolated):
    body = file_s1(isolated)
    answers = [status(isolated, body["ticket_id"], f"guess{n}@{INDIA}").status_code for n in range(8)]
    assert answers[:5] == [404] * 5 and set(answers[5:]) == {429}
    locked = status(isolated, body["ticket_id"])
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert locked.content == status(isolated, body["ticket_id"], "x@y.example").content


def test_billing_cases_are_not_escalated(isolated):
    answer = submit(isolated, ticket(requester_email="amministrazione@bellavista.example", customer_account="100200303",
                                     request_type="billing_question", impact=None))
    assert answer.status_code == 201, answer.text
    seen = status(isolated, answer.json()["ticket_id"], "amministrazione@bellavista.example").json()
    assert seen["kind"] == "billing" and seen["escalation_level"] is None
    assert escalate(isolated, datetime.fromisoformat(answer.json()["accepted_at"]) + timedelta(days=30)) == {}
