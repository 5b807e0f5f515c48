"""The forms' strings, rendered at build time from the page language's text catalog
(``functions/helpcenter/i18n/catalogs/<lang>.yml``), so no form page carries hand-written JSON.

``{{ form_strings:account_status }}`` (or ``pay_invoice``, ``submit_ticket``) becomes the JSON object
the form's script reads from ``<script type="application/json" class="hc-strings">``: the form's own
section ``forms.<name>`` plus the shared sections it shows (statuses, channels, severity reasons …).
The element also carries, in ``data-unavailable``, the sentence the page shows if the strings cannot
be read (the form then stays switched off), and a ``<noscript>`` note. A key missing in the page's
language fails the build.
"""

from __future__ import annotations

import json
import re
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))

from helpcenter.domain import Plan  # noqa: E402
from helpcenter.i18n.catalog import lookup, text  # noqa: E402
from helpcenter.i18n.sentences import channel_label  # noqa: E402
from helpcenter.rules.plans import support_channels  # noqa: E402
from helpcenter.support import CONFIG  # noqa: E402

MARKER = re.compile(r"\{\{ form_strings:(\w+) \}\}")

# Forms that list a customer plan's support channels (with who may use each, and links where configured).
PLAN_CHANNELS = ("account_status", "submit_ticket")


def plan_channels(lang: str) -> dict:
    """Per plan, each channel's label with its audience; and the configured third-party addresses."""
    return {
        "channel_labels": {plan.value: {channel: channel_label(lang, channel, plan.value)
                                        for channel in support_channels(plan, CONFIG.third_party)}
                           for plan in Plan},
        "channel_links": {channel: urls[lang] for channel, urls in CONFIG.third_party.items()},
    }


# The shared catalog sections each form shows, under the name its script reads them by.
SHARED = {
    "account_status": {"statuses": "statuses", "explain": "status_explanations", "events": "dunning_events",
                       "plans": "plans", "channels": "channels", "colon": "punctuation.colon"},
    "pay_invoice": {"statuses": "statuses"},
    "submit_ticket": {"severities": "severities", "targets": "ticket_targets", "queues": "queues",
                      "channels": "channels", "reasons": "reasons", "causes": "causes", "metered_by": "metered_by",
                      "identifiers": "identifiers", "colon": "punctuation.colon"},
}


def form_strings(form: str, lang: str) -> dict:
    if form not in SHARED:
        raise KeyError(f"unknown form {form!r}: one of {sorted(SHARED)}")
    strings = dict(lookup(lang, f"forms.{form}"))
    strings.update({name: lookup(lang, section) for name, section in SHARED[form].items()})
    if form in PLAN_CHANNELS:
        strings.update(plan_channels(lang))
    return strings


def script_json(data: dict) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>`` or ``<!--`` can end it early."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def strings_element(form: str, lang: str) -> str:
    unavailable = escape(text(lang, "forms.unavailable"), quote=True)
    return (f'<script type="application/json" class="hc-strings" data-unavailable="{unavailable}">'
            f"{script_json(form_strings(form, lang))}</script>\n"
            f'<noscript><p class="hc-message hc-message--error">{escape(text(lang, "forms.needs_javascript"))}</p>'
            "</noscript>")


def expand(markdown: str, lang: str) -> str:
    return MARKER.sub(lambda match: strings_element(match.group(1), lang), markdown)


def on_page_markdown(markdown, page, config, files):
    return expand(markdown, config["theme"]["language"])
