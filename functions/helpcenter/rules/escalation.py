"""Escalation of a partner ticket nobody acknowledged, and the signed acknowledge link.

A partner ticket with response targets starts at level 1 (the escalation desk, which the queue is).
While nobody has acknowledged it, the escalation job moves it to the next of the four levels when a
target passes: level 2 (regional lead) at the acknowledgement target, level 3 (central support
manager) at the diagnosis target, level 4 (partner account manager) at the resolution target of a
multi-user S1 ticket. A target "passes" at its latest bound. A job that runs late moves the ticket
straight to the highest level due and notifies that level once; acknowledging stops escalation.
Billing cases and tickets without a commitment have no escalation.

The acknowledge link carries ``<expiry>.<HMAC-SHA256>`` over the ticket id and the expiry, under a
secret key (``helpcenter.acknowledge_keys``): it cannot be made for another ticket, expires, and acts
once (the store's conditional write refuses a second acknowledgement).

Pure: no clock, no AWS; instants are passed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

FIRST_LEVEL = 1
LAST_LEVEL = 4
# (target, the level the ticket reaches when that target passes unacknowledged)
TARGET_LEVELS = (("acknowledgement", 2), ("diagnosis", 3), ("resolution", 4))
LINK_VALID_DAYS = 14  # an acknowledge link outlives every target (the longest, S3 diagnosis, is 3 business days)


@dataclass(frozen=True)
class Step:
    """At ``due`` (UTC), an unacknowledged ticket below ``level`` moves to ``level``."""

    level: int
    due: datetime

    def as_dict(self) -> dict:
        return {"level": self.level, "due": utc_text(self.due)}

    @classmethod
    def from_dict(cls, value: dict) -> Step:
        return cls(int(value["level"]), datetime.fromisoformat(value["due"]))


def utc_text(moment: datetime) -> str:
    """``2026-12-01T09:30:00Z``: sorts as text in time order (the escalation index's sort key)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def steps_for(targets: dict | None, partner_ticket: bool) -> list[Step]:
    """The escalation steps of a ticket from its targets (``{"acknowledgement": {"latest": …}, …}``)."""
    if not partner_ticket or not targets:
        return []
    return [Step(level, datetime.fromisoformat(targets[name]["latest"]))
            for name, level in TARGET_LEVELS if targets.get(name)]


def next_level(steps: list[Step], level: int, acknowledged: bool, now: datetime) -> int | None:
    """The level an unacknowledged ticket at ``level`` moves to as of ``now``, or None (nothing due)."""
    if acknowledged:
        return None
    due = [step.level for step in steps if step.level > level and step.due <= now]
    return max(due) if due else None


def next_due(steps: list[Step], level: int) -> datetime | None:
    """When the next step after ``level`` falls due (None: the ticket has no further step)."""
    ahead = [step.due for step in steps if step.level > level]
    return min(ahead) if ahead else None


# --- the acknowledge link -----------------------------------------------------------------------


def _mac(key: bytes, ticket_id: str, expires: int) -> str:
    digest = hmac.new(key, f"acknowledge|{ticket_id}|{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def acknowledge_token(key: bytes, ticket_id: str, issued: datetime) -> str:
    expires = int((issued + timedelta(days=LINK_VALID_DAYS)).timestamp())
    return f"{expires}.{_mac(key, ticket_id, expires)}"


class TokenRefused(Exception):
    """``code``: ``invalid`` (not made by us for this ticket) or ``expired``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_token(keys: tuple[bytes, ...], ticket_id: str, token: str, now: datetime) -> None:
    """Raise ``TokenRefused`` unless one of ``keys`` made ``token`` for ``ticket_id`` and it has not expired."""
    expires_text, _, mac = token.partition(".")
    if not (expires_text.isascii() and expires_text.isdigit()) or len(expires_text) > 12:
        raise TokenRefused("invalid")
    expires = int(expires_text)
    if not any(hmac.compare_digest(_mac(key, ticket_id, expires), mac) for key in keys):
        raise TokenRefused("invalid")
    if now.timestamp() > expires:
        raise TokenRefused("expired")
