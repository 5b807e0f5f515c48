"""The public site's addresses that e-mails and signed links point to, in the reader's language.

A module of its own, without Jinja2 and Babel: the functions that only sign a link (ticket intake,
ticket status) never load the e-mail renderer (``helpcenter.i18n.emails``)."""

from __future__ import annotations

import os

from helpcenter import i18n

PAGES = {"status": "forms/account-status/", "pay": "forms/pay-invoice/", "help": "billing/getting-help/",
         "escalation": "partners/tiers-and-escalation/", "ticket": "forms/submit-ticket/",
         "ticket_status": "forms/ticket-status/"}


def site_url(value: str | None = None) -> str:
    """The public site's absolute address, ending in ``/`` (``SITE_URL``)."""
    url = value or os.environ.get("SITE_URL", "")
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"SITE_URL must be the site's absolute address (https://…), not {url!r}")
    return url if url.endswith("/") else url + "/"


def page_url(lang: str, page: str, base: str | None = None) -> str:
    """``https://help.example.com/vi/forms/account-status/``; the default language has no prefix."""
    prefix = "" if lang == i18n.DEFAULT else f"{lang}/"
    return f"{site_url(base)}{prefix}{PAGES.get(page, page)}"
