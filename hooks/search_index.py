"""Build-time search index: one small JSON file per language, Thai segmented into words.

The browser side (``overrides/assets/javascripts/search.js``) loads ``search/<lang>.json`` of the page's
language only, folds accents and ranks. This hook does what the browser cannot do cheaply:

* one index per language, so a search from ``/vi/`` never returns English or French pages (English
  pages served under ``/vi/`` as fallback for a missing translation are in the Vietnamese index);
* Thai has no spaces between words: every Thai run is cut into words with pythainlp at build time and
  the words are joined with ZERO WIDTH SPACE, invisible in excerpts but a word boundary for the
  browser's tokenizer, so a word in the middle of a sentence is found and highlighted;
* each page is cut into sections at its headings, so a result can point at the right anchor.

Nothing here depends on Material: it reads the HTML that Markdown produced and writes a file.

Chosen by measurement (issue 3, 62 queries in tests/e2e/search_queries.yml, `benchmarks/search.py`):
stock Material search found 43/62 in the top 3, showed other languages' pages for 25 queries and
weighs 339 KB gzipped per page (677 KB Thai word-cutter); Pagefind 1.5.2 found 50/62 (Thai 6/14, even
with pre-segmented text; its accent folding also strips Thai vowel marks) and adds 123–137 KB gzipped
on the first search; this index and search.js find 62/62 with 95–103 KB for a page with search ready.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.plugins import event_priority

ZWSP = "\u200b"
THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
SPACES = re.compile(r"[ \t\r\n\u00a0]+")
SECTION_TAGS = {"h1", "h2", "h3"}
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "thead", "tbody", "dl", "dt", "dd",
    "blockquote", "pre", "br", "details", "summary", "h4", "h5", "h6", "section", "figure", "figcaption",
}
SKIP_CLASSES = {"headerlink"}  # the permalink "¶" after each heading
INDEX_DIR = "search"

# Pages collected per language (lang -> url -> record) until on_post_build writes them. Not cleared
# in on_config: the i18n plugin calls build() again for each language, which runs on_config again.
_collected: dict[str, dict[str, dict]] = {}


@lru_cache(maxsize=1)
def _thai_tokenizer():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def segment_thai(text: str) -> str:
    """Insert ZERO WIDTH SPACE between the Thai words of ``text``; other characters are kept as they are."""

    def cut(match: re.Match) -> str:
        words = _thai_tokenizer()(match.group(0), engine="newmm", keep_whitespace=False)
        return ZWSP.join(word for word in words if word)

    return THAI_RUN.sub(cut, text)


def clean(text: str) -> str:
    return SPACES.sub(" ", text).strip()


class _SectionParser(HTMLParser):
    """Cuts article HTML into (anchor, heading, text) sections at h1–h3."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [["", "", ""]]
        self._heading: str | None = None
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = bool(SKIP_CLASSES & set((attributes.get("class") or "").split()))
        if tag not in ("br", "img", "hr", "input"):
            self._stack.append((tag, skip))
        if skip:
            self._skip_depth += 1
        if tag in SECTION_TAGS:
            self.sections.append([attributes.get("id") or "", "", ""])
            self._heading = tag
        elif tag in BLOCK_TAGS:
            self._append(" ")

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, skip = self._stack.pop()
            if skip:
                self._skip_depth -= 1
            if open_tag == tag:
                break
        if tag == self._heading:
            self._heading = None
        elif tag in BLOCK_TAGS:
            self._append(" ")

    def handle_data(self, data):
        if not self._skip_depth:
            self._append(data)

    def _append(self, data: str):
        self.sections[-1][1 if self._heading else 2] += data


def sections_from_html(html: str) -> list[tuple[str, str, str]]:
    """The sections of one page's content HTML: ``(anchor, heading, text)``, text with single spaces.

    The text before the first heading is a section with an empty anchor and heading. Sections
    with neither heading nor text are dropped.
    """
    parser = _SectionParser()
    parser.feed(html)
    parser.close()
    sections = [(anchor, clean(heading), clean(text)) for anchor, heading, text in parser.sections]
    return [section for section in sections if section[1] or section[2]]


def page_record(url: str, title: str, html: str, *, thai: bool) -> dict:
    """One page's entry in the index: its URL, title and sections (Thai segmented if ``thai``)."""
    prepare = segment_thai if thai else (lambda text: text)
    sections = []
    for index, (anchor, heading, text) in enumerate(sections_from_html(html)):
        if index == 0 and heading and heading == clean(title):
            heading = ""  # the page's own h1 repeats the title
        sections.append([anchor, prepare(heading), prepare(text)])
    return {"u": url, "t": prepare(clean(title)), "s": sections}


def build_index(lang: str, pages: list[dict]) -> dict:
    return {"lang": lang, "pages": sorted(pages, key=lambda page: page["u"])}


@event_priority(-50)  # after the placeholders hook and Markdown: index what the reader sees
def on_page_content(html, page, config, files):
    lang = config["theme"]["language"]
    title = page.meta.get("title") or page.title or ""
    _collected.setdefault(lang, {})[page.url] = page_record(page.url, title, html, thai=lang == "th")
    return html


@event_priority(-200)  # after the i18n plugin, which builds the other languages in its own on_post_build
def on_post_build(config):
    # Material's search plugin stays enabled only so its header renders our partial; the index it
    # writes is never fetched (no form named "search" on our pages), so it is not shipped.
    (Path(config["site_dir"]) / INDEX_DIR / "search_index.json").unlink(missing_ok=True)
    # The i18n plugin builds the other languages inside the default language's on_post_build, so
    # write every language collected so far rather than trusting config's language at this point.
    for lang, pages in list(_collected.items()):
        target = Path(config["site_dir"]) / INDEX_DIR / f"{lang}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        index = build_index(lang, list(pages.values()))
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        del _collected[lang]
