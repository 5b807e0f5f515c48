"""Build-time placeholders, so the brand, the API base URL, the phone lines, the names of statuses
and the support channels live in one place.

Writers use in Markdown:

* ``{{ brand }}``, ``{{ api_base }}`` and ``{{ phone_lines }}``;
* ``{{ status:past_due }}``: a status's reader-facing name from the page language's catalog (the one
  the status page and the e-mails show), never the API code;
* ``{{ contact_options }}``: the table of support channels by plan and who may use each, from the
  rules (``helpcenter.rules.plans``) and the catalog;
* ``{{ third_party:chatbot }}`` (or ``live_chat``, ``chat``, ``partner_widget``): a link that opens the
  channel where ``support.yml`` configures it, else what the reader does instead
  (``config/reader_text.yml``).

The language configs of the i18n plugin may use ``{brand}`` in ``site_name`` and ``site_description``.
"""

from __future__ import annotations

import re
import sys
from itertools import groupby
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))

from helpcenter.domain import Plan  # noqa: E402
from helpcenter.i18n.catalog import text as catalog_text  # noqa: E402
from helpcenter.i18n.formatting import listing  # noqa: E402
from helpcenter.rules.plans import THIRD_PARTY_CHANNELS, Audience, channel_audience, support_channels  # noqa: E402
from helpcenter.support import CONFIG  # noqa: E402
from hooks.reader_text import texts  # noqa: E402

STATUS = re.compile(r"\{\{ status:(\w+) \}\}")
THIRD_PARTY = re.compile(r"\{\{ third_party:(\w+) \}\}")

PHONE_LINES_FILE = Path(__file__).resolve().parent.parent / "config" / "phone_lines.yml"


def load_phone_lines(path: Path = PHONE_LINES_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def render_phone_lines(data: dict, lang: str) -> str:
    """A Markdown table of the billing lines, labelled in ``lang``."""
    labels = {key: texts[lang] for key, texts in data["labels"].items()}
    rows = [f"| {labels['country']} | {labels['number']} | {labels['extension']} |", "| --- | --- | --- |"]
    for line in data["lines"]:
        country = line["country"][lang]
        if line.get("english_only"):
            country += f" ({labels['english_only']})"
        numbers = f" {labels['or']} ".join(f"`{number}`" for number in line["numbers"])
        extension = line.get("extension", data["extension"])
        rows.append(f"| {country} | {numbers} | {extension if extension else labels['none']} |")
    return "\n".join(rows)


def listed(names: list[str], lang: str) -> str:
    """Names as a list of the language, the later ones starting in lower case unless they are acronyms."""
    later = [n if n[1:2].isupper() else n[:1].lower() + n[1:] for n in names[1:]]
    return listing([names[0], *later], lang)


def render_contact_options(lang: str, third_party=None) -> str:
    """A Markdown table: one row per support channel, one column per group of plans that offer the
    same channels to the same people, each cell saying who in the account may use it."""
    configured = CONFIG.third_party if third_party is None else third_party
    words = texts(lang)

    def offer(plan: Plan) -> tuple:
        return tuple((c, channel_audience(plan, c)) for c in support_channels(plan, configured))

    groups = [(dict(key), list(plans)) for key, plans in groupby(Plan, key=offer)]
    channels = list(dict.fromkeys(c for offers, _ in groups for c in offers))
    header = [words["contact_options_channel"]] + [
        listing([catalog_text(lang, f"plans.{p.value}") for p in plans], lang) for _, plans in groups]
    cells_of: dict[tuple[str, ...], list[str]] = {}  # channels that the same people may use on the same plans share a row
    for channel in channels:
        cells = []
        for offers, _ in groups:
            audience = offers.get(channel)
            if audience is None:
                cells.append("—")
            elif audience is Audience.EVERYONE:
                cells.append(words["contact_options_everyone"])
            else:
                phrase = catalog_text(lang, f"channel_audiences.{audience.value}")
                cells.append(phrase[:1].upper() + phrase[1:])
        cells_of.setdefault(tuple(cells), []).append(catalog_text(lang, f"channels.{channel}"))
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    rows += [f"| {listed(names, lang)} | {' | '.join(cells)} |" for cells, names in cells_of.items()]
    return "\n".join(rows)


def render_third_party(channel: str, lang: str, third_party=None) -> str:
    """The link that opens a configured third-party channel, or what to do without it."""
    if channel not in THIRD_PARTY_CHANNELS:
        raise KeyError(f"{{{{ third_party:{channel} }}}}: not one of {', '.join(sorted(THIRD_PARTY_CHANNELS))}")
    configured = CONFIG.third_party if third_party is None else third_party
    words = texts(lang)
    if channel in configured:
        return f'[{words[f"third_party_{channel}_open"]}]({configured[channel][lang]}){{ .md-button }}'
    return words[f"third_party_{channel}_missing"]


def expand(markdown: str, *, brand: str, api_base: str, lang: str) -> str:
    """Replace every placeholder in one page's Markdown."""
    page = markdown.replace("{{ brand }}", brand).replace("{{ api_base }}", api_base)
    if "{{ phone_lines }}" in page:
        page = page.replace("{{ phone_lines }}", render_phone_lines(load_phone_lines(), lang))
    if "{{ contact_options }}" in page:
        page = page.replace("{{ contact_options }}", render_contact_options(lang))
    page = STATUS.sub(lambda m: catalog_text(lang, f"statuses.{m.group(1)}"), page)
    return THIRD_PARTY.sub(lambda m: render_third_party(m.group(1), lang), page)


@event_priority(100)  # before the i18n plugin copies the language configs
def on_config(config):
    brand = config["extra"]["brand"]
    config["site_name"] = config["site_name"].format(brand=brand)
    config["site_description"] = config["site_description"].format(brand=brand)
    i18n = config["plugins"].get("i18n")
    for language in i18n.config.languages if i18n else []:
        for option in ("site_name", "site_description"):
            if language[option]:
                language[option] = language[option].format(brand=brand)
    return config


def on_page_markdown(markdown, page, config, files):
    lang = config["theme"]["language"]
    return expand(markdown, brand=config["extra"]["brand"], api_base=config["extra"]["api_base"], lang=lang)
