"""What a help desk receives: the webhook's signature and body, and the Zendesk ticket of a queue copy."""

from __future__ import annotations

import hashlib
import hmac
import json
from types import SimpleNamespace
from typing import Any

import pytest

from helpcenter import helpdesk
from helpcenter.messages import Channel, Kind, Message
from helpcenter.support import CONFIG

FACTS: dict[str, Any] = {
    "ticket_id": "T-ABCDEFGHIJ", "kind": "partner", "severity": "S1", "commitment": True, "multi_user": True,
    "reasons": [{"code": "no_customer_account", "message": "…", "params": {}}],
    "accepted_at": "2026-12-01T10:00:00+01:00", "acknowledge_by": "2026-12-01T13:00:00+01:00",
    "diagnose_by": "2026-12-01T18:00:00+01:00",
    "targets": {"acknowledgement": {"earliest": "2026-12-01T11:00:00+01:00", "latest": "2026-12-01T13:00:00+01:00"},
                "diagnosis": {"earliest": "2026-12-01T12:00:00+01:00", "latest": "2026-12-01T18:00:00+01:00"},
                "resolution": None},
    "time_zone": "Europe/Rome", "weekends_count": True, "queue": "eu", "channels": ["ticket"], "escalation": [],
    "requester_email": "ana@partner.example", "customer_account": "100200303", "request_type": "technical_support",
    "product": "crm", "impact": "outage", "reproducible": False, "reproduction_details": None,
    "description": "Nothing works " * 20, "troubleshooting": "Restarted.", "attachments": [],
    "partner_domain": "partner.example", "partner_name": "Partner Srl", "partner_tier": "premium",
    "data_center": "eu", "region": "europe_uk", "requester_language": "it", "reader_time_zone": None,
    "acknowledge_url": "https://help.example/it/forms/ticket-status/#ticket=T-ABCDEFGHIJ&acknowledge=1766000000.ab12",
    "acknowledge_token": "1766000000.ab12",
}


def queue_copy(channel: Channel, **facts) -> Message:
    return Message(f"T-ABCDEFGHIJ#{channel.value}", Kind.TICKET_QUEUE, (), {**FACTS, **facts}, channel=channel)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"a": 1}'
    expected = hmac.new(b"secret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert helpdesk.signature(b"secret", 1700000000, body) == f"t=1700000000,v1={expected}"
    assert helpdesk.signature(b"other", 1700000000, body) != helpdesk.signature(b"secret", 1700000000, body)
    assert helpdesk.signature(b"secret", 1700000001, body) != helpdesk.signature(b"secret", 1700000000, body)


@pytest.mark.parametrize("severity", ["S1", "S2", "S3"])
def test_a_zendesk_ticket_has_the_severitys_priority_tags_and_deadline_fields(severity):
    ticket = helpdesk.zendesk_ticket(queue_copy(Channel.ZENDESK, severity=severity))["ticket"]
    settings = CONFIG.help_desk.zendesk
    assert ticket["priority"] == settings.priorities[severity]
    assert f"severity_{severity.lower()}" in ticket["tags"] and "queue_eu" in ticket["tags"]
    assert set(settings.tags) <= set(ticket["tags"])
    field_ids = {str(name): field_id for name, field_id in settings.custom_fields.items()}
    assert ticket["custom_fields"] == [{"id": field_ids[name], "value": FACTS[name]}
                                       for name in ("acknowledge_by", "diagnose_by", "acknowledge_token")]
    assert ticket["external_id"] == "T-ABCDEFGHIJ" and "T-ABCDEFGHIJ" in ticket["subject"]
    assert "T-ABCDEFGHIJ" in ticket["comment"]["body"] and ticket["requester"]["email"] == "ana@partner.example"


def test_a_ticket_without_commitment_has_no_deadline_fields_only_its_acknowledge_token():
    ticket = helpdesk.zendesk_ticket(queue_copy(Channel.ZENDESK, severity="S3", acknowledge_by=None,
                                                diagnose_by=None, targets=None, commitment=False))["ticket"]
    token_field = CONFIG.help_desk.zendesk.custom_fields["acknowledge_token"]
    assert ticket["custom_fields"] == [{"id": token_field, "value": FACTS["acknowledge_token"]}]


def test_without_a_token_field_in_support_yml_the_token_stays_in_the_comments_link_only(monkeypatch):
    settings = CONFIG.help_desk.zendesk
    deadlines_only = {name: field for name, field in settings.custom_fields.items() if name != "acknowledge_token"}
    zendesk = settings.model_copy(update={"custom_fields": deadlines_only})
    monkeypatch.setattr(helpdesk, "CONFIG", SimpleNamespace(help_desk=SimpleNamespace(zendesk=zendesk)))
    ticket = helpdesk.zendesk_ticket(queue_copy(Channel.ZENDESK))["ticket"]
    assert [field["id"] for field in ticket["custom_fields"]] == list(deadlines_only.values())
    assert FACTS["acknowledge_token"] not in str(ticket["custom_fields"])


def test_every_severity_has_a_priority_in_support_yml():
    assert set(CONFIG.help_desk.zendesk.priorities) == {"S1", "S2", "S3"}


def test_the_webhook_posts_the_ticket_signed_with_its_message_id(monkeypatch):
    sent: dict[str, Any] = {}

    class Answer:
        status_code = 204

    def post(url, data, headers, timeout):
        sent.update(url=url, data=data, headers=headers)
        return Answer()

    monkeypatch.setattr(helpdesk.requests, "post", post)
    assert helpdesk.post_webhook("https://hooks.example/t", b"k", queue_copy(Channel.WEBHOOK), now=1700000000) == "webhook:204"
    payload = json.loads(sent["data"])
    assert payload["type"] == "ticket.accepted" and payload["id"] == "T-ABCDEFGHIJ#webhook"
    assert payload["ticket"]["severity"] == "S1" and "reader_time_zone" not in payload["ticket"]
    assert sent["headers"]["Idempotency-Key"] == "T-ABCDEFGHIJ#webhook"
    assert sent["headers"][helpdesk.SIGNATURE_HEADER] == helpdesk.signature(b"k", 1700000000, sent["data"])
    Answer.status_code = 500
    with pytest.raises(helpdesk.NotAccepted):
        helpdesk.post_webhook("https://hooks.example/t", b"k", queue_copy(Channel.WEBHOOK))
