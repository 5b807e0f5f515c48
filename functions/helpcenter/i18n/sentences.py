"""Sentences built from codes: labels of configured lists and the reasons that tagged a severity.

The rules return stable codes with parameters (``helpcenter.rules.severity.Reason``); the API, the
e-mails and the ticket form word them from the reader's catalog, so a code never changes with the
language and a sentence never appears in only one language.
"""

from __future__ import annotations

from helpcenter.domain import Plan
from helpcenter.i18n import catalog
from helpcenter.rules.plans import Audience, channel_audience

LABEL_KINDS = ("request_types", "products", "impacts", "regions")
# Reason parameters that are codes, and where their words are.
_WORDED = {"region": "labels.regions", "product": "labels.products", "impact": "labels.impacts",
           "request_type": "labels.request_types", "cause": "causes", "metered_by": "metered_by",
           "identifier": "identifiers"}


def label(lang: str, kind: str, code: str) -> str:
    """The label of a request type, product, impact or region (``support.yml``'s codes)."""
    if kind not in LABEL_KINDS:
        raise KeyError(f"no labels for {kind!r}")
    return catalog.text(lang, f"labels.{kind}.{code}")


def reason_sentence(lang: str, code: str, params: dict) -> str:
    """``multi_user_account`` + ``{licenses: 120, region: "india", threshold: 100}`` as a sentence."""
    values = {name: catalog.text(lang, f"{_WORDED[name]}.{value}") if name in _WORDED else value
              for name, value in params.items()}
    return catalog.text(lang, f"reasons.{code}", **values)


def channel_label(lang: str, channel: str, plan: str | None = None) -> str:
    """A support channel's name and, for a customer's plan, who in the account may use it
    (``helpcenter.rules.plans.channel_audience``): "Live chat (owners, admins and billing users)"."""
    name = catalog.text(lang, f"channels.{channel}")
    audience = channel_audience(Plan(plan), channel) if plan else Audience.EVERYONE
    if audience is Audience.EVERYONE:
        return name
    return catalog.text(lang, "channel_with_audience", channel=name,
                        audience=catalog.text(lang, f"channel_audiences.{audience.value}"))
