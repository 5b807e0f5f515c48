"""Every e-mail the product sends, in the recipient's language: one entry point, ``render``.

    render("dunning_notice", "vi", dunning_context(account, invoices, "first_notice", today))
    -> Email(subject, html, text, language, kind)

The words come from the language's catalog (``emails.*``), the layout from Jinja2 templates beside
this module (``templates/<kind>.html`` with autoescape, ``templates/<kind>.txt`` without), the dates,
amounts and counts from Babel (``helpcenter.i18n.formatting``). Contexts are plain JSON values, so a
message can be stored (an outbox) and rendered again identically. Links are absolute: the public
site's address is the one setting ``SITE_URL`` (``https://<SiteDomainName>/`` on AWS), and each
link goes to the recipient's language (``/vi/forms/account-status/``: ``helpcenter.i18n.links``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from helpcenter import i18n
from helpcenter.i18n import catalog, formatting
from helpcenter.i18n.links import page_url
from helpcenter.i18n.sentences import channel_label, label, reason_sentence
from helpcenter.money import Money
from helpcenter.rules import dunning

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Email:
    kind: str
    language: str
    subject: str
    html: str
    text: str


@cache
def _environment(html: bool) -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=html, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(kind: str, language: str | None, context: dict, *, base_url: str | None = None) -> Email:
    """The e-mail ``kind`` in ``language`` (a site language; an unset one is the site's default).

    Kinds: ``dunning_notice``, ``payment_confirmation``, ``ticket_confirmation``, ``ticket_queue``,
    ``how_to_flood``, ``ticket_escalation``; see ``FACTS`` for the context each takes.
    """
    if kind not in FACTS:
        raise KeyError(f"unknown e-mail kind {kind!r}: one of {sorted(FACTS)}")
    lang = i18n.DEFAULT if language is None else i18n.supported(language)
    if lang is None:
        raise ValueError(f"{language!r} is not one of the site's languages {i18n.LANGUAGES}")
    values = {**helpers(lang, base_url), **FACTS[kind](context, lang)}
    html = _environment(True).get_template(f"{kind}.html").render(values)
    return Email(kind, lang, values["subject"], html, _environment(False).get_template(f"{kind}.txt").render(values))


def helpers(lang: str, base_url: str | None) -> dict:
    """What every template may call, bound to the recipient's language."""
    return {
        "lang": lang,
        "brand": i18n.BRAND,
        "t": lambda key, **params: catalog.text(lang, key, **params),
        "items": lambda key: catalog.lookup(lang, key),
        "url": lambda page: page_url(lang, page, base_url),
        "colon": catalog.text(lang, "punctuation.colon"),
    }


def _in_days(lang: str, count: int) -> str:
    return catalog.plural(lang, "emails.common.in_days", count)


def _amount(value: str, currency: str, lang: str) -> str:
    return formatting.money(Money.parse(value, currency), lang)


def _totals(invoices: list[dict], lang: str) -> str:
    """The sum due per currency (``€118.00``; ``€59.00 + $20.00`` for mixed currencies)."""
    totals: dict[str, Money] = {}
    for invoice in invoices:
        amount = Money.parse(invoice["amount_due"], invoice["currency"])
        totals[amount.currency] = totals[amount.currency] + amount if amount.currency in totals else amount
    return " + ".join(formatting.money(total, lang) for total in totals.values())


# --- contexts: what a caller gives, and what the templates get ------------------------------------------

def dunning_context(account, invoices, notice: str, today: date) -> dict:
    """The context of ``dunning_notice`` for ``account`` on ``today`` (its overdue invoices only)."""
    overdue = [invoice for invoice in invoices if invoice.is_overdue(today)]
    return {
        "notice": notice,
        "account_number": account.number,
        "account_name": account.name,
        "dunning_since": account.dunning_since.isoformat(),
        "today": today.isoformat(),
        "invoices": [{"number": i.number, "amount_due": i.amount_due.to_decimal_string(),
                      "currency": i.amount_due.currency, "due_date": i.due_date.isoformat()} for i in overdue],
    }


def _dunning_facts(context: dict, lang: str) -> dict:
    """Dates and counts of the timeline (``helpcenter.rules.dunning``) as the notice states them."""
    failed_on, today = date.fromisoformat(context["dunning_since"]), date.fromisoformat(context["today"])
    step_day = {step.event: dunning.step_date(failed_on, step) for step in dunning.STEPS}
    coming = dunning.next_step(failed_on, today)
    cancellation, deletion = step_day["cancellation"], step_day["deletion"]
    notice = context["notice"]
    days_left = {"suspension_warning": (cancellation - today).days, "cancellation": (deletion - today).days}
    amount = _totals(context["invoices"], lang)
    return {
        **context,
        "section": f"emails.dunning.{notice}",
        "subject": catalog.text(lang, f"emails.dunning.{notice}.subject", account_number=context["account_number"],
                                amount=amount, cancellation_date=formatting.day(cancellation, lang)),
        "amount": amount,
        "invoices": [{**invoice, "amount": _amount(invoice["amount_due"], invoice["currency"], lang),
                      "due": formatting.day(date.fromisoformat(invoice["due_date"]), lang)}
                     for invoice in context["invoices"]],
        "retry_date": formatting.day(step_day[coming.event], lang) if coming else "",
        "retry_in": _in_days(lang, (step_day[coming.event] - today).days) if coming else "",
        "warning_date": formatting.day(step_day["suspension_warning"], lang),
        "cancellation_date": formatting.day(cancellation, lang),
        "deletion_date": formatting.day(deletion, lang),
        "days_left": _in_days(lang, days_left[notice]) if notice in days_left else "",
        "payable": notice != "deletion",
    }


def _payment_facts(context: dict, lang: str) -> dict:
    """``account_number``, ``account_name``, ``invoice_number``, ``amount``, ``currency``, ``payment_id``,
    ``reactivated``, ``open_invoices`` (how many remain open)."""
    amount = _amount(context["amount"], context["currency"], lang)
    subject = catalog.text(lang, "emails.payment_confirmation.subject", invoice_number=context["invoice_number"],
                           amount=amount)
    return {"open_invoices": 0, **context, "amount": amount, "subject": subject}


def _ticket_facts(context: dict, lang: str) -> dict:
    """The ticket's public body (``submit_ticket``) plus ``request_type``, ``product``, ``impact`` and,
    when known, the reader's ``reader_time_zone``; deadlines are written in that zone (else the region's)."""
    region_zone = ZoneInfo(context["time_zone"])
    zone = ZoneInfo(context.get("reader_time_zone") or context["time_zone"])
    accepted = datetime.fromisoformat(context["accepted_at"]) if context.get("accepted_at") else None
    deadlines = []
    for name in ("acknowledgement", "diagnosis", "resolution"):
        window = (context.get("targets") or {}).get(name)
        if window:
            deadlines.append({
                "label": catalog.text(lang, f"ticket_targets.{name}"),
                "earliest": formatting.instant(datetime.fromisoformat(window["earliest"]), lang, zone),
                "latest": formatting.instant(datetime.fromisoformat(window["latest"]), lang, zone),
            })
    billing = context.get("kind") == "billing"
    subject = catalog.text(lang, f"emails.ticket.{'billing' if billing else 'partner'}_subject",
                           ticket_id=context["ticket_id"], severity=context["severity"])
    return {
        **context,
        "billing": billing,
        "subject": subject,
        "severity_label": catalog.text(lang, f"severities.{context['severity']}"),
        "request_type_label": label(lang, "request_types", context["request_type"]),
        "product_label": label(lang, "products", context["product"]),
        "impact_label": label(lang, "impacts", context["impact"]) if context.get("impact") else None,
        "reasons": [reason_sentence(lang, reason["code"], reason.get("params") or {}) for reason in context["reasons"]],
        "deadlines": deadlines,
        "zone": formatting.zone_name(zone, lang, accepted),
        "region_zone": formatting.zone_name(region_zone, lang, accepted),
        "channels": [channel_label(lang, channel, context.get("plan") if billing else None)
                     for channel in context.get("channels") or []],
    }


def _queue_facts(context: dict, lang: str) -> dict:
    """``_ticket_facts`` plus what the queue needs about the requester's side (partner or account)."""
    facts = _ticket_facts(context, lang)
    if facts["billing"]:
        facts["plan_label"] = catalog.text(lang, f"plans.{context['plan']}")
        facts["region_label"] = label(lang, "regions", context["region"])
    facts["attachment_count"] = len(context.get("attachments") or [])
    source = (catalog.text(lang, "emails.ticket_queue.billing_source", account_number=context["account_number"])
              if facts["billing"] else context["partner_name"])
    facts["subject"] = catalog.text(lang, "emails.ticket_queue.subject", severity=context["severity"],
                                    ticket_id=context["ticket_id"], request_type=facts["request_type_label"],
                                    source=source)
    return facts


def _flood_facts(context: dict, lang: str) -> dict:
    """``partner_name``, ``domain``, ``count``, ``hours``."""
    return {**context,
            "subject": catalog.text(lang, "emails.how_to_flood.subject", partner_name=context["partner_name"]),
            "lead": catalog.plural(lang, "emails.how_to_flood.lead", context["count"],
                                   partner_name=context["partner_name"], domain=context["domain"],
                                   hours=context["hours"])}


def _escalation_facts(context: dict, lang: str) -> dict:
    """``_queue_facts`` plus ``escalated_to`` (the level reached), ``escalation_role`` and ``missed_target``
    (acknowledgement, diagnosis or resolution); ``acknowledge_url`` as for the queue."""
    facts = _queue_facts(context, lang)
    window = (context.get("targets") or {}).get(context["missed_target"]) or {}
    zone = ZoneInfo(context["time_zone"])
    facts["missed_label"] = catalog.text(lang, f"ticket_targets.{context['missed_target']}")
    facts["missed_at"] = formatting.instant(datetime.fromisoformat(window["latest"]), lang, zone) if window else ""
    facts["role_label"] = catalog.text(lang, f"escalation_roles.{context['escalation_role']}")
    facts["subject"] = catalog.text(lang, "emails.ticket_escalation.subject", level=context["escalated_to"],
                                    severity=context["severity"], ticket_id=context["ticket_id"])
    return facts


FACTS = {
    "dunning_notice": _dunning_facts,
    "payment_confirmation": _payment_facts,
    "ticket_confirmation": _ticket_facts,
    "ticket_queue": _queue_facts,
    "how_to_flood": _flood_facts,
    "ticket_escalation": _escalation_facts,
}
