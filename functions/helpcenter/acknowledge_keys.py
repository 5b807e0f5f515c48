"""The secret key of the acknowledge links (``helpcenter.rules.escalation``), in the SSM SecureString
named by ``ACKNOWLEDGE_KEY_PARAMETER`` (template parameter ``AcknowledgeKeyParameter``). The ticket
function signs the queue's link with it, the escalation job the links in its notices, the follow-up
function verifies. Several comma-separated keys rotate it (``helpcenter.secure_parameters``)."""

from __future__ import annotations

import os
from datetime import datetime

from helpcenter import secure_parameters
from helpcenter.i18n import DEFAULT
from helpcenter.i18n.links import page_url
from helpcenter.rules.escalation import acknowledge_token

DEFAULT_PARAMETER = "/helpcenter/acknowledge-key"


def parameter_name() -> str:
    return os.environ.get("ACKNOWLEDGE_KEY_PARAMETER", DEFAULT_PARAMETER)


def keys() -> tuple[bytes, ...]:
    return secure_parameters.keys(parameter_name(), "acknowledge key")


def signing_key() -> bytes:
    return keys()[0]


def token(ticket_id: str, issued: datetime) -> str:
    """The acknowledge token of a ticket (what ``POST /tickets/acknowledge`` takes), signed as of ``issued``."""
    return acknowledge_token(signing_key(), ticket_id, issued)


def link(ticket_id: str, issued: datetime) -> str:
    """The acknowledge link of a ticket: the ticket-status page (site's default language, as the queue
    reads it) with the ticket and its token in the fragment, which no server or log ever receives."""
    return f"{page_url(DEFAULT, 'ticket_status')}#ticket={ticket_id}&acknowledge={token(ticket_id, issued)}"
