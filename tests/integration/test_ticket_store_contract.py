"""The contract of the ticket store (``submit_ticket.seams.TicketStore``), run against each one: the
DynamoDB module (``helpcenter.store.tickets``, on the local stack's moto) and the in-memory stand-in
the orchestration tests use (``tests.unit.fakes.InMemoryTicketStore``). What the fast tests assume of
the store is what DynamoDB does."""

from __future__ import annotations

import uuid

import pytest

from helpcenter.store import tickets as dynamodb_tickets
from helpcenter.store.items import partner_counter_partition
from helpcenter.store.tickets import Counter, TicketLimitReached
from tests.unit.fakes import InMemoryTicketStore


@pytest.fixture(params=["dynamodb", "memory"])
def tickets(request):
    if request.param == "dynamodb":
        request.getfixturevalue("stack")  # moto with the demo data; the functions' environment
        return dynamodb_tickets
    return InMemoryTicketStore()


def counter() -> Counter:
    return Counter(partner_counter_partition(f"{uuid.uuid4().hex}.example"), "tickets#2026-12-01T09", 1_900_000_000)


def ticket_id() -> str:
    return f"T-{uuid.uuid4().hex[:10].upper()}"


def test_a_ticket_is_written_once_with_its_counter(tickets):
    hourly, first = counter(), ticket_id()
    record = {"ticket_id": first, "severity": "S2", "created_at": "2026-12-01T09:30:15+00:00", "response": "{}"}
    assert tickets.put_ticket(first, record, hourly, 3) is True
    assert tickets.get_ticket(first) == record  # as written, without the table's keys
    assert tickets.counter_value(hourly) == 1
    assert tickets.put_ticket(first, {**record, "severity": "S1"}, hourly, 3) is False  # a replay: nothing moves
    assert tickets.get_ticket(first) == record and tickets.counter_value(hourly) == 1


def test_the_limit_refuses_the_ticket_and_moves_nothing(tickets):
    hourly = counter()
    for _ in range(2):
        assert tickets.put_ticket(ticket_id(), {"severity": "S3"}, hourly, 2)
    refused = ticket_id()
    with pytest.raises(TicketLimitReached):
        tickets.put_ticket(refused, {"severity": "S3"}, hourly, 2)
    assert tickets.get_ticket(refused) is None and tickets.counter_value(hourly) == 2


def test_counters_start_at_zero_and_count_one_by_one(tickets):
    hourly = counter()
    assert tickets.counter_value(hourly) == 0
    assert [tickets.add_to_counter(hourly) for _ in range(3)] == [1, 2, 3]
    assert tickets.counter_value(hourly) == 3


def test_unknown_partners_accounts_and_tickets_read_as_none(tickets):
    assert tickets.get_partner(f"{uuid.uuid4().hex}.example") is None
    assert tickets.get_account("999999999999") is None
    assert tickets.get_ticket(ticket_id()) is None
