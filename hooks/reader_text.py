"""The site chrome's own words (config/reader_text.yml), in the language being built.

Templates read them as ``hc_text.<key>``. A key without the language being built fails the build:
no page shows another language's words in silence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

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


def on_page_context(context, page, config, nav):
    context["hc_text"] = texts(config["theme"]["language"])
    return context


def on_template_context(context, template_name, config):
    context["hc_text"] = texts(config["theme"]["language"])
    return context
