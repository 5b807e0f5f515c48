"""The product's languages and every word it says in them.

* The **registry**: which languages the site is built in, which is the default, and the brand.
  ``mkdocs.yml`` (the i18n plugin's ``languages``, ``extra.brand``) is the one source; ``site.json``
  beside this file is generated from it (``tools/languages.py``) because the Lambda package contains
  only ``functions/``.
  A test and the site build fail while the two disagree.
* The **catalogs**: ``catalogs/<lang>.yml``, one per language, with the same keys in each
  (``helpcenter.i18n.catalog``).
* **Formatting** of dates, amounts and counts with Babel (``helpcenter.i18n.formatting``) and the
  **e-mails**, rendered with Jinja2 (``helpcenter.i18n.emails``).

This module imports nothing heavy: the handlers read the registry at cold start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGISTRY_FILE = HERE / "site.json"


@dataclass(frozen=True)
class Registry:
    languages: tuple[str, ...]  # in the site's order, the default first
    default: str
    brand: str = ""  # the product's name, as in every article and e-mail

    def as_json(self) -> str:
        data = {"default": self.default, "languages": list(self.languages), "brand": self.brand}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def registry_from_mkdocs(config: dict) -> Registry:
    """The built languages of the i18n plugin in a parsed ``mkdocs.yml``, default first."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = [lang for lang in plugin["i18n"].get("languages") or [] if lang.get("build", True)]
            default = next(lang["locale"] for lang in entries if lang.get("default"))
            others = [lang["locale"] for lang in entries if lang["locale"] != default]
            return Registry((default, *others), default, (config.get("extra") or {}).get("brand", ""))
    raise ValueError("mkdocs.yml configures no i18n plugin languages")


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    data = json.loads(path.read_text(encoding="utf-8"))
    languages = tuple(data["languages"])
    if data["default"] not in languages:
        raise ValueError(f"{path}: the default language {data['default']!r} is not in its languages")
    return Registry(languages, data["default"], data.get("brand", ""))


@cache
def registry() -> Registry:
    """The site's languages, as generated from ``mkdocs.yml`` into ``site.json``."""
    return load_registry()


def __getattr__(name: str):
    """``LANGUAGES``, ``DEFAULT`` and ``BRAND``, read on first use (so the generator can run before the file exists)."""
    if name == "LANGUAGES":
        return registry().languages
    if name == "DEFAULT":
        return registry().default
    if name == "BRAND":
        return registry().brand
    raise AttributeError(name)


def supported(language: str | None) -> str | None:
    """``language`` if it is one of the site's languages (case-insensitive, region ignored), else None."""
    if not language:
        return None
    base = language.strip().replace("_", "-").split("-")[0].lower()
    return base if base in registry().languages else None
