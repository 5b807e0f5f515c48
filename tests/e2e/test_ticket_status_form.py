"""The ticket-status page in Chromium against the local stack: every state in every language with zero
axe violations on a phone, and support's acknowledge link from the queue's e-mail."""

from __future__ import annotations

import pytest

from helpcenter.i18n import LANGUAGES
from helpcenter.i18n.catalog import text
from tests.e2e.test_accessibility import FOCUSED, check_state, empty_then_errors, prefix, submit
from tests.integration.test_submit_ticket import INDIA, submit as file_ticket, ticket
from tests.integration.test_ticket_followup import acknowledge_token

REQUESTER = f"ana@{INDIA}"


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 320, "height": 700})
    return page


def new_ticket(stack) -> dict:
    answer = file_ticket(stack, ticket(impact="outage"))
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ticket_status_form_states(phone, stack, lang):
    page = phone
    body = new_ticket(stack)
    problems, focused = empty_then_errors(page, f"{stack.url}{prefix(lang)}/forms/ticket-status/",
                                          "#ticket_id[aria-invalid=true]")
    assert focused["id"] == "ticket_id", focused
    assert focused["describedby"].split() == ["ticket_id-help", "ticket_id-error"], focused
    page.fill("#ticket_id", body["ticket_id"])
    page.fill("#requester_email", f"someone.else@{INDIA}")
    submit(page)
    page.wait_for_selector("form[data-hc-form] .hc-message--error")
    assert text(lang, "forms.ticket_status.errors.no_match") in page.inner_text("form[data-hc-form] .hc-message")
    problems += check_state(page, "no match")
    page.fill("#requester_email", REQUESTER)
    submit(page)
    page.wait_for_selector("#hc-ticket-output h2")
    assert page.evaluate(FOCUSED)["id"] == "hc-ticket-title"
    result = page.inner_text("#hc-ticket-output")
    assert body["ticket_id"] in result and text(lang, "forms.ticket_status.not_acknowledged") in result
    assert page.locator("#hc-ticket-output .hc-deadlines tbody tr").count() == 3  # multi-user: resolution too
    assert body["time_zone"] in page.inner_text("#hc-ticket-output .hc-ticket__zone")  # the region's zone
    assert text(lang, "forms.ticket_status.weekends_note") in result  # an outage: weekend hours count
    problems += check_state(page, "result")
    assert not problems, "\n".join(problems)


def test_the_confirmation_link_fills_in_the_ticket_id(page, stack):
    body = new_ticket(stack)
    page.goto(f"{stack.url}/fr/forms/ticket-status/#ticket={body['ticket_id']}")
    page.wait_for_function("document.querySelector('#ticket_id').value !== ''")
    assert page.input_value("#ticket_id") == body["ticket_id"]
    assert page.locator("#hc-acknowledge .hc-acknowledge").count() == 0  # no token: no button for support


def test_support_acknowledges_from_the_queues_link_once(phone, fresh_stack):
    page, stack = phone, fresh_stack
    body = new_ticket(stack)
    token = acknowledge_token(stack, body["ticket_id"])
    page.goto(f"{stack.url}/forms/ticket-status/#ticket={body['ticket_id']}&acknowledge={token}")
    button = page.locator("#hc-acknowledge button")
    button.wait_for()
    problems = check_state(page, "acknowledge offered")
    button.click()
    page.wait_for_selector("#hc-acknowledge .hc-message--success")
    assert body["ticket_id"] in page.inner_text("#hc-acknowledge .hc-message")
    problems += check_state(page, "acknowledged")
    page.fill("#requester_email", REQUESTER)
    submit(page)
    page.wait_for_selector("#hc-ticket-output .hc-ticket__acknowledged")
    assert "Support acknowledged this ticket on" in page.inner_text("#hc-ticket-output")
    page.reload()
    page.locator("#hc-acknowledge button").click()
    page.wait_for_selector("#hc-acknowledge .hc-message--error")
    assert text("en", "forms.ticket_status.errors.already_acknowledged") in page.inner_text("#hc-acknowledge")
    problems += check_state(page, "used twice")
    assert not problems, "\n".join(problems)
