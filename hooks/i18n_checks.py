"""Build-time checks that keep every page and form in its language:

* the language registry (and brand) the functions ship (``functions/helpcenter/i18n/site.json``) must equal
  the i18n plugin's languages in ``mkdocs.yml``, and every language must have a text catalog;
* after every other hook has expanded its placeholders, a ``{{ … }}`` left in a page's Markdown is a
  typo (``{{ brnad }}``) or a placeholder no hook knows: the build fails instead of shipping it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))

from helpcenter.i18n import load_registry, registry_from_mkdocs  # noqa: E402
from helpcenter.i18n.catalog import CATALOG_DIR, catalog_path  # noqa: E402

MARKER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]+`")


def registry_problems(plugins: list[dict], brand: str) -> list[str]:
    """What is wrong between mkdocs.yml's languages and the functions' registry and catalogs."""
    configured = registry_from_mkdocs({"plugins": [{"i18n": {"languages": plugins}}], "extra": {"brand": brand}})
    problems = []
    shipped = load_registry()
    if shipped != configured:
        problems.append(f"functions/helpcenter/i18n/site.json has {shipped} but mkdocs.yml has {configured}: "
                        "run .venv/bin/python tools/languages.py")
    problems += [f"no text catalog {catalog_path(lang, CATALOG_DIR).relative_to(ROOT)} for {lang}"
                 for lang in configured.languages if not catalog_path(lang).exists()]
    return problems


@event_priority(90)
def on_config(config):
    i18n = config["plugins"].get("i18n")
    if i18n:
        entries = [{"locale": lang.locale, "default": lang.default, "build": lang.build}
                   for lang in i18n.config.languages]
        problems = registry_problems(entries, config["extra"]["brand"])
        if problems:
            raise PluginError("; ".join(problems))
    return config


def unknown_markers(markdown: str) -> list[str]:
    """``{{ … }}`` and ``{% … %}`` left outside code (code shows them literally, on purpose)."""
    prose = INLINE_CODE.sub("", FENCE.sub("", markdown))
    return MARKER.findall(prose)


@event_priority(-100)  # after every hook that expands placeholders
def on_page_markdown(markdown, page, config, files):
    left = unknown_markers(markdown)
    if left:
        raise PluginError(f"{page.file.src_uri}: unknown placeholder(s) {', '.join(sorted(set(left)))}")
    return markdown
