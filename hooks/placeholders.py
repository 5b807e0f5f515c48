"""Build-time placeholders, so the brand, the API base URL and the phone lines live in one place.

Writers use ``{{ brand }}``, ``{{ api_base }}`` and ``{{ phone_lines }}`` in Markdown; the language
configs of the i18n plugin may use ``{brand}`` in ``site_name`` and ``site_description``.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

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


def expand(markdown: str, *, brand: str, api_base: str, lang: str) -> str:
    """Replace every placeholder in one page's Markdown."""
    text = markdown.replace("{{ brand }}", brand).replace("{{ api_base }}", api_base)
    if "{{ phone_lines }}" in text:
        text = text.replace("{{ phone_lines }}", render_phone_lines(load_phone_lines(), lang))
    return text


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
