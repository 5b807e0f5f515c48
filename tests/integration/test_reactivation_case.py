"""The temporary limited reactivation over real HTTP on the local stack: a billing case of its own type
for a cancelled account's owner or billing contact, reaching the billing queue like any case."""

from __future__ import annotations

import pytest

from helpcenter.support import CONFIG
from tests.integration.test_submit_ticket import EU, submit, ticket

CANCELLED = "100200304"  # demo: cancelled at D+29, data kept until D+119 (data/demo.yaml)


def reactivation(**changes) -> dict:
    return ticket(**{"customer_account": CANCELLED, "request_type": "temporary_reactivation", "product": "general",
                     "impact": None, "reproducible": False, "reproduction_details": None, **changes})


@pytest.mark.parametrize("requester", ["ketoan@saigon-green.example", "giamdoc@saigon-green.example"])
def test_a_cancelled_accounts_billing_contact_or_owner_gets_a_billing_case(fresh_stack, requester):
    answer = submit(fresh_stack, reactivation(requester_email=requester))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["kind"], body["queue"], body["escalation"]) == ("billing", "billing", [])
    queue_mail = [m for m in fresh_stack.delivered() if body["ticket_id"] in m["subject"]
                  and CONFIG.queues["billing"].email in m["to"]]
    assert len(queue_mail) == 1 and "Temporary limited reactivation" in queue_mail[0]["body"]


@pytest.mark.parametrize("changes, code", [
    ({"requester_email": "vanhanh@saigon-green.example"}, "reactivation_not_available"),  # an admin
    ({"requester_email": "amministrazione@bellavista.example", "customer_account": "100200303"},
     "reactivation_not_available"),  # not cancelled (cancellation warning)
    ({"requester_email": f"ana@{EU}"}, "reactivation_by_customer"),  # its partner
])
def test_anyone_else_is_told_who_can_ask_and_nothing_is_filed(stack, changes, code):
    before = len(stack.delivered())
    answer = submit(stack, reactivation(**changes), headers={"Accept-Language": "vi"})
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert [(f["field"], f["code"]) for f in body["fields"]] == [("request_type", code)]
    assert body["fields"][0]["message"] and "reactivation" not in body["fields"][0]["message"]  # in Vietnamese
    assert len(stack.delivered()) == before
