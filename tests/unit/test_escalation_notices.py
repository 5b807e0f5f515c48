"""An escalation step's notices: one per language among the level's contacts, each contact reading it
in its configured language (``support.yml``), rendered as the deliverer renders it; a translation
missing in a contact's language fails, never falls back."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from escalate import logic
from helpcenter import i18n
from helpcenter.domain import Region
from helpcenter.i18n import catalog
from helpcenter.i18n.emails import render
from helpcenter.messages import Kind
from helpcenter.support import CONFIG
from tests.unit.test_emails import TICKET

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def stored_ticket(region: Region) -> dict:
    """A ticket as the store keeps it: its public answer as JSON, its request and requester fields."""
    return {**TICKET, "region": region.value, "response": json.dumps(TICKET)}


@pytest.fixture(autouse=True)
def unsigned_links(monkeypatch):
    monkeypatch.setattr(logic.acknowledge_keys, "link", lambda ticket_id, issued: f"https://ack.example/{ticket_id}")


@pytest.mark.parametrize("region", list(Region))
@pytest.mark.parametrize("level", [2, 3, 4])
def test_every_contact_gets_the_notice_once_in_its_language(region, level):
    notices = logic.notices(stored_ticket(region), level, NOW)
    contacts = CONFIG.regions[region].escalation[level]
    assert sorted(to for notice in notices for to in notice.to) == sorted(c.email for c in contacts)
    assert len({notice.id for notice in notices}) == len(notices)  # one outbox item per language
    for notice in notices:
        assert notice.kind is Kind.TICKET_ESCALATION and notice.facts["escalated_to"] == level
        expected = {c.language or i18n.DEFAULT for c in contacts if c.email in notice.to}
        email = render(notice.kind.value, notice.language, notice.facts)
        assert {email.language} == expected and "https://ack.example/T-ABCDEFGHIJ" in email.text


def test_a_contact_reads_french_where_configured():
    notices = logic.notices(stored_ticket(Region.EUROPE_UK), 4, NOW)
    french = next(n for n in notices if "pam-france@helpcenter.example" in n.to)
    assert french.language == "fr" and render(french.kind.value, "fr", french.facts).subject.startswith("[S1] Remonté")


def test_a_translation_missing_in_a_contacts_language_fails(monkeypatch):
    notice = next(n for n in logic.notices(stored_ticket(Region.EUROPE_UK), 4, NOW) if n.language == "fr")
    french = copy.deepcopy(catalog.catalog("fr"))
    del french["emails"]["ticket_escalation"]["subject"]
    original = catalog.catalog
    monkeypatch.setattr(catalog, "catalog", lambda lang: french if lang == "fr" else original(lang))
    with pytest.raises(catalog.MissingText):
        render(notice.kind.value, notice.language, notice.facts)
