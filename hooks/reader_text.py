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
RELATED_FILE = READER_TEXT_FILE.parent / "related_articles.yml"


@cache
def catalog() -> dict[str, dict[str, str]]:
    return yaml.safe_load(READER_TEXT_FILE.read_text(encoding="utf-8"))


@cache
def related_articles() -> dict[str, list[str]]:
    """Article path (``billing/refunds``) → the articles shown under "Related articles"."""
    return yaml.safe_load(RELATED_FILE.read_text(encoding="utf-8"))


def source_path(page, languages: list[str]) -> str:
    """``billing/refunds`` for ``docs/<lang>/billing/refunds.md`` in any language."""
    source = page.file.src_uri.removesuffix(".md")
    first, _, rest = source.partition("/")
    return rest if first in languages else source


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


def article_end(page, lang: str, languages: list[str], default: str, pages: list | None = None) -> dict | None:
    """What the end of an article needs (overrides/partials/article-end.html), None for other pages.
    ``pages``: the language's pages, whose titles the related articles show."""
    source = source_path(page, languages)
    topic = source.split("/", 1)[0]
    if topic not in NEXT_STEPS:
        return None
    prefix = "" if lang == default else f"{lang}/"
    links = [{"text": key, "url": get_relative_url(prefix + target, page.url)} for key, target in NEXT_STEPS[topic]]
    by_path = {source_path(other, languages): other for other in pages or []}
    related = [{"title": by_path[path].title, "url": get_relative_url(by_path[path].url, page.url)}
               for path in related_articles().get(source, []) if path in by_path]
    return {"page": source, "topic": topic, "links": links, "related": related}


def language_suggestions(page, lang: str) -> dict:
    """For each other language of this page: its link and, in its own words, the offer to switch
    (assets/javascripts/language-suggestion.js shows it once to a browser that prefers that language)."""
    offers = {}
    for other, alternate in (getattr(page.file, "alternates", None) or {}).items():
        if other != lang:
            words = texts(other)
            offers[other] = {"url": get_relative_url(alternate.url, page.url), "text": words["language_suggestion_text"],
                             "switch": words["language_suggestion_switch"],
                             "dismiss": words["language_suggestion_dismiss"],
                             "label": words["language_suggestion_label"]}
    return offers


def on_page_context(context, page, config, nav):
    from hooks.seo import build_languages

    lang = config["theme"]["language"]
    context["hc_text"] = texts(lang)
    context["hc_article"] = article_end(page, lang, *build_languages(config), pages=nav.pages)
    context["hc_language_offers"] = language_suggestions(page, lang)
    return context


def on_template_context(context, template_name, config):
    lang = config["theme"]["language"]
    context["hc_text"] = texts(lang)
    context["hc_language_offers"] = {}  # the 404 page: its language links lead home
    return context
