"""Escalation steps and the acknowledge link: rules with ``now`` passed in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given, strategies as st

from helpcenter.rules import escalation
from helpcenter.rules.escalation import Step, TokenRefused, check_token, next_due, next_level, steps_for

ACCEPTED = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
TARGETS = {"acknowledgement": {"earliest": "2026-12-01T09:00:00+00:00", "latest": "2026-12-01T11:00:00+00:00"},
           "diagnosis": {"earliest": "2026-12-01T10:00:00+00:00", "latest": "2026-12-01T16:00:00+00:00"},
           "resolution": None}
KEY, OTHER_KEY = b"k" * 32, b"o" * 32
STEPS = steps_for(TARGETS, partner_ticket=True)
instants = st.datetimes(min_value=datetime(2026, 11, 1), max_value=datetime(2027, 1, 31),
                        timezones=st.just(timezone.utc))


def test_a_partner_tickets_steps_are_level_2_at_acknowledgement_and_3_at_diagnosis():
    assert STEPS == [Step(2, datetime(2026, 12, 1, 11, tzinfo=timezone.utc)),
                     Step(3, datetime(2026, 12, 1, 16, tzinfo=timezone.utc))]
    with_resolution = {**TARGETS, "resolution": {"earliest": "2026-12-02T08:00:00+00:00",
                                                 "latest": "2026-12-03T08:00:00+00:00"}}
    assert [s.level for s in steps_for(with_resolution, partner_ticket=True)] == [2, 3, 4]


def test_billing_cases_and_tickets_without_targets_never_escalate():
    assert steps_for(TARGETS, partner_ticket=False) == []
    assert steps_for(None, partner_ticket=True) == []


def test_nothing_moves_before_the_acknowledgement_target_and_level_2_right_at_it():
    due = STEPS[0].due
    assert next_level(STEPS, 1, False, due - timedelta(seconds=1)) is None
    assert next_level(STEPS, 1, False, due) == 2
    assert next_level(STEPS, 2, False, due) is None  # done once
    assert next_level(STEPS, 2, False, STEPS[1].due) == 3


def test_a_late_run_goes_straight_to_the_highest_level_due():
    assert next_level(STEPS, 1, False, STEPS[1].due + timedelta(hours=1)) == 3


@given(now=instants, level=st.integers(1, 4))
def test_an_acknowledged_ticket_never_escalates(now, level):
    assert next_level(STEPS, level, True, now) is None


@given(first=instants, later=instants)
def test_escalation_only_rises_and_each_step_happens_once(first, later):
    """Whatever instants the job runs at, in order: the level never falls, never passes 4, never goes
    past a step not yet due, and running twice at the same instant does nothing the second time."""
    first, later = sorted((first, later))
    level = 1
    for now in (first, first, later, later):
        moved = next_level(STEPS, level, False, now)
        if moved is not None:
            assert level < moved <= escalation.LAST_LEVEL
            assert all(step.due <= now for step in STEPS if step.level <= moved)
            level = moved
        assert next_level(STEPS, level, False, now) is None
    assert level == max([1, *(s.level for s in STEPS if s.due <= later)])


@given(level=st.integers(1, 4))
def test_the_next_due_instant_is_the_earliest_step_above_the_level(level):
    ahead = [s.due for s in STEPS if s.level > level]
    assert next_due(STEPS, level) == (min(ahead) if ahead else None)


def test_the_index_key_sorts_in_time_order_whatever_the_offset():
    paris = datetime.fromisoformat("2026-12-01T12:30:00+01:00")
    assert escalation.utc_text(paris) == "2026-12-01T11:30:00Z"


def test_a_token_acknowledges_only_its_own_ticket_with_our_key_until_it_expires():
    token = escalation.acknowledge_token(KEY, "T-AAAAAAAAAA", ACCEPTED)
    check_token((OTHER_KEY, KEY), "T-AAAAAAAAAA", token, ACCEPTED + timedelta(days=13))  # a rotated-in key verifies
    for ticket, key, used_at, code in (("T-BBBBBBBBBB", KEY, ACCEPTED, "invalid"),
                                       ("T-AAAAAAAAAA", OTHER_KEY, ACCEPTED, "invalid"),
                                       ("T-AAAAAAAAAA", KEY, ACCEPTED + timedelta(days=15), "expired")):
        with pytest.raises(TokenRefused) as refused:
            check_token((key,), ticket, token, used_at)
        assert refused.value.code == code


@given(tampered=st.text(min_size=1, max_size=80))
@example(tampered="¹")  # a digit to str.isdigit, not to int()
@example(tampered="١٢٣.abc")
def test_a_made_up_or_tampered_token_is_refused(tampered):
    token = escalation.acknowledge_token(KEY, "T-AAAAAAAAAA", ACCEPTED)
    if tampered != token:
        with pytest.raises(TokenRefused):
            check_token((KEY,), "T-AAAAAAAAAA", tampered, ACCEPTED)


def test_the_expiry_cannot_be_extended_without_the_key():
    token = escalation.acknowledge_token(KEY, "T-AAAAAAAAAA", ACCEPTED)
    expires, mac = token.split(".")
    with pytest.raises(TokenRefused):
        check_token((KEY,), "T-AAAAAAAAAA", f"{int(expires) + 86400}.{mac}", ACCEPTED)
