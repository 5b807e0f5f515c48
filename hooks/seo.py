"""Build-time page quality: hreflang, meta descriptions, the fallback notice and Thai dates.

* ``<link rel="alternate" hreflang>`` in ``<head>``: Material writes them relative; search engines and
  Lighthouse want absolute URLs, plus an ``x-default`` (English). They are rewritten here from the
  i18n plugin's per-page alternates and ``site_url``. A page missing in a language is still that
  language's URL (the interface is translated; the English text carries ``lang="en"``).
* Meta description: the page's front matter ``description`` (in the page's language, see WRITING.md);
  a page without one gets the start of its first paragraph instead of the site-wide description.
* Fallback pages (served from English because the translation is missing) get a notice in the
  interface language, from its text catalog (rendered by ``overrides/main.html``).
* Thai dates: babel writes Gregorian years as "ค.ศ. 2026"; Thai readers use the Buddhist era
  ("พ.ศ. 2569", year + 543) in everyday dates, so the last-update date is shown that way.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))

from helpcenter.i18n.catalog import text  # noqa: E402

DESCRIPTION_LIMIT = 160
HREFLANG_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")
GREGORIAN_YEAR = re.compile(r"ค\.ศ\. (\d{4})")


def _i18n(config):
    return config["plugins"].get("i18n")


def build_languages(config) -> tuple[list[str], str]:
    """The built languages in configuration order, and the default one."""
    i18n = _i18n(config)
    if not i18n:
        language = config["theme"]["language"]
        return [language], language
    languages = [lang.locale for lang in i18n.config.languages if lang.build]
    default = next((lang.locale for lang in i18n.config.languages if lang.default), languages[0])
    return languages, default


def content_language(page, config) -> str:
    """The language of the page's text: the interface language unless the page is a fallback."""
    return getattr(page.file, "locale", None) or config["theme"]["language"]


def is_fallback(page, config) -> bool:
    return content_language(page, config) != config["theme"]["language"]


def hreflang_links(page, config) -> str:
    """Absolute ``<link rel="alternate" hreflang>`` tags for every built language, plus x-default."""
    alternates = getattr(page.file, "alternates", None) or {}
    languages, default = build_languages(config)
    site_url = config["site_url"] or ""
    urls = {lang: urljoin(site_url, alternates[lang].url) for lang in languages if lang in alternates}
    if default in urls:
        urls["x-default"] = urls[default]
    return "".join(
        f'      <link rel="alternate" href="{html.escape(url)}" hreflang="{lang}">\n' for lang, url in urls.items()
    )


def description_from(content: str) -> str | None:
    """The first paragraph's text, cut at a word boundary to at most ``DESCRIPTION_LIMIT`` characters."""
    match = FIRST_PARAGRAPH.search(content or "")
    if not match:
        return None
    text = " ".join(html.unescape(TAG.sub("", match.group(1))).split())
    if len(text) <= DESCRIPTION_LIMIT:
        return text or None
    cut = text[: DESCRIPTION_LIMIT - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def buddhist_era(text: str) -> str:
    """'22 พฤศจิกายน ค.ศ. 2026' -> '22 พฤศจิกายน พ.ศ. 2569' (the Thai calendar counts from 543 BCE)."""
    return GREGORIAN_YEAR.sub(lambda m: f"พ.ศ. {int(m.group(1)) + 543}", text)


def on_page_context(context, page, config, nav):
    lang = config["theme"]["language"]
    if not page.meta.get("description"):
        derived = description_from(page.content)
        if derived:
            page.meta["description"] = derived
    if is_fallback(page, config):
        context["hc_fallback_notice"] = text(lang, "pages.fallback_notice")
        context["hc_content_lang"] = content_language(page, config)
    if lang == "th":
        for key, value in list(page.meta.items()):
            if key.startswith(("git_revision_date_localized", "git_creation_date_localized")) and isinstance(
                value, str
            ):
                page.meta[key] = buddhist_era(value)
    return context


@event_priority(-100)  # after every other plugin has written the page
def on_post_page(output, page, config):
    head_end = output.find("</head>")
    if head_end < 0:
        return output
    head, body = output[:head_end], output[head_end:]
    links = hreflang_links(page, config)
    first = HREFLANG_LINK.search(head)
    head = HREFLANG_LINK.sub("", head)
    if first:
        head = head[: first.start()] + links + head[first.start():]
    else:
        head += links
    return head + body


def on_post_build(config):
    """robots.txt at the site root, naming the sitemap (written once, with the default language)."""
    if config["theme"]["language"] != build_languages(config)[1]:
        return
    sitemap = urljoin(config["site_url"] or "/", "sitemap.xml")
    with open(f"{config['site_dir']}/robots.txt", "w", encoding="utf-8") as robots:
        robots.write(f"User-agent: *\nAllow: /\nSitemap: {sitemap}\n")
