"""The site chrome's own words (config/reader_text.yml), in the language being built.

Templates read them as ``hc_text.<key>``. A key without the language being built fails the build:
no page shows another language's words in silence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from mkdocs.utils import get_relative_url

READER_TEXT_FILE = Path(__file__).resolve().parent.parent / "config" / "reader_text.yml"


@cache
def catalog() -> dict[str, dict[str, str]]:
    return yaml.safe_load(READER_TEXT_FILE.read_text(encoding="utf-8"))


def texts(lang: str) -> dict[str, str]:
    """Every key's text in ``lang``; KeyError names the first key without it."""
    found = {}
    for key, translations in catalog().items():
        if lang not in translations:
            raise KeyError(f"{READER_TEXT_FILE.name}: {key} has no {lang} text")
        found[key] = translations[lang]
    return found


# "Still need help?": per article section, the forms and pages that answer next (text key, page).
NEXT_STEPS = {
    "billing": [("still_help_status", "forms/account-status/"), ("still_help_case", "forms/submit-ticket/#billing-cases"),
                ("still_help_phone", "billing/phone-lines/")],
    "partners": [("still_help_ticket", "forms/submit-ticket/"),
                 ("still_help_escalation", "partners/tiers-and-escalation/#escalation-levels")],
}


def article_end(page, lang: str, languages: list[str], default: str) -> dict | None:
    """What the end of an article needs (overrides/partials/article-end.html), None for other pages."""
    source = page.file.src_uri.removesuffix(".md")
    first, _, rest = source.partition("/")
    if first in languages:  # docs/<lang>/billing/refunds.md
        source = rest
    topic = source.split("/", 1)[0]
    if topic not in NEXT_STEPS:
        return None
    prefix = "" if lang == default else f"{lang}/"
    links = [{"text": key, "url": get_relative_url(prefix + target, page.url)} for key, target in NEXT_STEPS[topic]]
    return {"page": source, "topic": topic, "links": links}


def on_page_context(context, page, config, nav):
    from hooks.seo import build_languages

    lang = config["theme"]["language"]
    context["hc_text"] = texts(lang)
    context["hc_article"] = article_end(page, lang, *build_languages(config))
    return context


def on_template_context(context, template_name, config):
    context["hc_text"] = texts(config["theme"]["language"])
    return context
