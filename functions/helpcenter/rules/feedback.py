"""Readers' feedback: a vote on an article (with an optional comment) and searches that found nothing.

No personal data is kept: nothing about the reader (no address, no browser, no account) is stored;
comments and queries are cut to a length and stripped of what could identify someone (e-mail
addresses, and runs of 6 or more digits such as account, card, invoice or phone numbers), replaced by
``[…]``. Writes are limited per article (or per language, for searches) and per minute, so no one
flood moves an article's figures.
"""

from __future__ import annotations

import re
from datetime import datetime

COMMENT_MAX_CHARS = 1000
QUERY_MAX_CHARS = 100
VOTES_PER_PAGE_PER_MINUTE = 30
SEARCHES_PER_LANGUAGE_PER_MINUTE = 120
RATE_WINDOW_SECONDS = 60
REDACTED = "[…]"
PAGE_PATTERN = r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*){0,4}$"  # billing/refunds, index

_EMAIL = re.compile(r"\S*@\S*")  # any word with an @: addresses, handles
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-/]?\d){5,}")  # 6+ digits, also written 12 34 56 or 123-456
_SPACES = re.compile(r"\s+")


def redact(text: str) -> str:
    """``text`` without e-mail addresses and long digit runs, spaces collapsed."""
    text = _EMAIL.sub(REDACTED, text)
    text = _DIGIT_RUN.sub(REDACTED, text)
    return _SPACES.sub(" ", text).strip()


def clean_comment(comment: str | None) -> str | None:
    """The comment as stored: redacted, at most ``COMMENT_MAX_CHARS``; None when nothing is left."""
    if not comment:
        return None
    cleaned = redact(comment)[:COMMENT_MAX_CHARS].strip()
    return cleaned or None


def clean_query(query: str) -> str | None:
    """A search query as counted: lower case, redacted, at most ``QUERY_MAX_CHARS``; None when
    nothing is left or only the redaction mark (a number typed into the box is not counted)."""
    cleaned = redact(query.lower())[:QUERY_MAX_CHARS].strip()
    return cleaned if cleaned and cleaned.replace(REDACTED, "").strip() else None


def rate_window(now: datetime) -> tuple[str, int]:
    """The current rate window's key and the epoch second when its counter may expire."""
    start = int(now.timestamp()) // RATE_WINDOW_SECONDS * RATE_WINDOW_SECONDS
    return str(start), start + 2 * RATE_WINDOW_SECONDS
