"""Build-time search index: per language, small pieces that the browser fetches as queries need them.

The browser side (``overrides/assets/javascripts/search.js``) reads ``search/<lang>.json`` of the page's
language, then fetches only the pieces its query needs (``build_pieces`` describes them): for each term
the piece of words starting with the term's first letters, then the pages worth showing. This hook
does what the browser cannot do cheaply:

* one index per language, so a search from ``/vi/`` never returns English or French pages (English
  pages served under ``/vi/`` as fallback for a missing translation are in the Vietnamese index);
* Thai has no spaces between words: every Thai run is cut into words with pythainlp at build time and
  the words are joined with ZERO WIDTH SPACE, invisible in excerpts but a word boundary for the
  browser's tokenizer, so a word in the middle of a sentence is found and highlighted;
* French, Italian and English words carry their Snowball stem, so "remboursement" finds "rembourser"
  without a stemmer in the browser;
* each page is cut into sections at its headings, so a result can point at the right anchor.

Nothing here depends on Material: it reads the HTML that Markdown produced and writes files.

Chosen by measurement (62 queries in tests/e2e/search_queries.yml, `benchmarks/search.py`): stock
Material search found 43/62 in the top 3, showed other languages' pages for 25 queries and weighs
339 KB gzipped per page (677 KB Thai word-cutter); Pagefind 1.5.2 found 50/62 (Thai 6/14, even with
pre-segmented text; its accent folding also strips Thai vowel marks); this index and search.js
find them all. One file per language grew with the site (Thai 28 KB -> 343 KB gzipped at 200 extra
articles per language); the pieces keep a first query's download about flat.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import string
import unicodedata
from collections import defaultdict
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import regex
import snowballstemmer
from mkdocs.plugins import event_priority

ZWSP = "\u200b"
# PyThaiNLP's newmm word cutter in its Rust build (nlpo3, same dictionary): the same words as the
# Python "newmm" on every Thai run of docs/th (checked by tests/unit/test_search_index.py), about 3.5x
# faster, and its start 0.12 s instead of 0.58 s.
THAI_ENGINE = "nlpo3"
THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
SPACES = re.compile(r"[ \t\r\n\u00a0]+")
SECTION_TAGS = {"h1", "h2", "h3"}
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "thead", "tbody", "dl", "dt", "dd",
    "blockquote", "pre", "br", "details", "summary", "h4", "h5", "h6", "section", "figure", "figcaption",
}
SKIP_CLASSES = {"headerlink"}  # the permalink "¶" after each heading
# A form's labels, hints and option lists (the ticket form's are most of its page): the page is found
# by its own prose and headings, and its piece of every query's download stays small.
SKIP_TAGS = {"form", "script", "style", "template"}
INDEX_DIR = "search"
SHARD_FILE_LETTERS = frozenset(string.ascii_lowercase + string.digits)
# Field weights of a word in a page, for choosing which pages to fetch (search.js ranks those exactly).
TITLE_WEIGHT, HEADING_WEIGHT, MAX_PAGE_WEIGHT = 4, 2, 99
MAX_PAGES_PER_WORD = 64
ONE_FILE_PAGES = 20

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
        words = _thai_tokenizer()(match.group(0), engine=THAI_ENGINE, keep_whitespace=False)
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
        skip = tag in SKIP_TAGS or bool(SKIP_CLASSES & set((attributes.get("class") or "").split()))
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


# Snowball stemmers (the maintained ones, from the Snowball project) for the languages that inflect
# words with suffixes. Vietnamese does not inflect and Thai has no suffix morphology: no stemmer.
STEMMERS = {"en": "english", "fr": "french", "it": "italian"}
WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")  # the same class as WORD in search.js
MARKS = regex.compile(r"[\u0300-\u036f]")


def words(text: str) -> list[str]:
    """The words of ``text`` as search.js tokenizes them: runs of letters, digits and marks, lower case."""
    return [word.lower() for word in WORD.findall(text)]


def fold(word: str) -> str:
    """Lower case, accents and tone marks removed, đ → d: the form search.js matches on (its fold())."""
    folded = MARKS.sub("", unicodedata.normalize("NFD", word.lower()))
    return folded.replace("đ", "d").replace("œ", "oe").replace("æ", "ae")


def shard_key(folded: str) -> str:
    """The piece of the index a word lives in: its first two letters (folded; Thai ones too).

    Every word that an exact, plural, stem or prefix match of a query term can reach starts with the
    same letters as the term, so one piece per query term is enough."""
    return folded[:2]


def shard_file(key: str) -> str:
    """A file name for ``key`` that any static host serves: ASCII letters and digits kept, others as hex."""
    return "".join(c if c in SHARD_FILE_LETTERS else f"-{ord(c):x}-" for c in key) + ".json"


def best_pages(weights: dict[int, int]) -> list[tuple[int, int]]:
    """The pages listed for a word, in page order: all of them, or for a word on more than
    MAX_PAGES_PER_WORD pages the ones where it weighs most (title, headings, most mentions).

    A common word ("invoice", "hóa", "ที่") would otherwise fill its piece with a list of every page;
    the browser only uses the list to choose which pages to fetch and rank exactly, and a page where a
    common word matters is one where it weighs most. Its section count (for IDF) stays exact."""
    if len(weights) > MAX_PAGES_PER_WORD:
        kept = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_PAGES_PER_WORD]
        weights = dict(kept)
    return sorted(weights.items())


def pages_per_file(count: int) -> int:
    """Pages per ``p/`` file: one, or all of them for a language of at most ONE_FILE_PAGES pages.

    A query fetches up to 10 pages; when that is most of a small language, one file of all its pages
    weighs less (it compresses as one) and takes one request."""
    return max(1, count) if count <= ONE_FILE_PAGES else 1


def build_pieces(lang: str, pages: list[dict]) -> dict[str, Any]:
    """The index of one language as files, path (relative to its folder) -> JSON value.

    * ``index.json``: the counts ranking needs (sections, mean section length) and the list of pieces;
    * ``t/<key>.json``: for each word starting with ``key``, its section count (for IDF), its Snowball
      stem (folded) and the pages holding it (``best_pages``), each with a small field weight for
      choosing the pages to fetch;
    * ``p/<n>.json``: a list of pages (``pages_per_file``; URL, title, sections), fetched only for the
      pages a query may show, to rank them exactly and cut excerpts;
    * ``words.json``: the Thai words, so the browser can cut a Thai run typed without spaces.
    """
    pages = sorted(pages, key=lambda page: page["u"])
    stemmer = snowballstemmer.stemmer(STEMMERS[lang]) if lang in STEMMERS else None
    section_count = 0
    text_length = 0
    sections_with: dict[str, int] = defaultdict(int)
    page_weights: dict[str, dict[int, int]] = defaultdict(dict)
    for number, page in enumerate(pages):
        title = words(page["t"])
        counts: dict[str, int] = defaultdict(int)
        for word in title:
            counts[word] += TITLE_WEIGHT
        for _anchor, heading, text in page["s"]:
            heading_words, text_words = words(heading), words(text)
            section_count += 1
            text_length += len(text_words)
            for word in set(title) | set(heading_words) | set(text_words):
                sections_with[word] += 1
            for word in heading_words:
                counts[word] += HEADING_WEIGHT
            for word in text_words:
                counts[word] += 1
        for word, weight in counts.items():
            page_weights[word][number] = min(weight, MAX_PAGE_WEIGHT)

    shards: dict[str, list] = defaultdict(list)
    for word in sorted(page_weights):
        postings: list[int] = []
        previous = 0
        for number, weight in best_pages(page_weights[word]):
            postings += [number - previous, weight]  # page numbers as gaps: smaller files
            previous = number
        entry = [word, sections_with[word], postings]
        if stemmer:
            entry.append(fold(stemmer.stemWord(word)))
        shards[shard_key(fold(word))].append(entry)

    per_file = pages_per_file(len(pages))
    files: dict[str, Any] = {
        f"p/{start // per_file}.json": pages[start:start + per_file] for start in range(0, len(pages), per_file)
    }
    files.update({f"t/{shard_file(key)}": entries for key, entries in shards.items()})
    thai = sorted(word for word in page_weights if THAI_RUN.match(word))
    if thai:
        files["words.json"] = thai
    files["index.json"] = {
        "lang": lang,
        "sections": section_count,
        "mean_length": text_length / max(1, section_count),
        "pages": len(pages),
        "pages_per_file": per_file,
        "keys": sorted(shards),
        "thai_words": bool(thai),
    }
    return files


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_index(site_dir: Path, lang: str, pages: list[dict]) -> Path:
    """Write the pieces of ``lang`` under ``search/<lang>-<hash>/`` and the entry ``search/<lang>.json``.

    The folder name carries a hash of the content, so a browser holding a cached entry of one build
    never combines it with pieces of another build (page numbers would not match)."""
    files = build_pieces(lang, pages)
    entry = files.pop("index.json")
    assert isinstance(entry, dict)  # build_pieces' entry is the index object
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + _dump(files[path]).encode())
    folder = f"{lang}-{digest.hexdigest()[:10]}"
    entry["base"] = folder + "/"
    root = site_dir / INDEX_DIR
    for stale in root.glob(f"{lang}-*"):
        if stale.is_dir() and stale.name != folder:
            shutil.rmtree(stale)
    for path, value in files.items():
        target = root / folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_dump(value), encoding="utf-8")
    target = root / f"{lang}.json"
    target.write_text(_dump(entry), encoding="utf-8")
    return target


@event_priority(-50)  # after the placeholders hook and Markdown: index what the reader sees
def on_page_content(html, page, config, files):
    lang = config["theme"]["language"]
    title = page.meta.get("title") or page.title or ""
    _collected.setdefault(lang, {})[page.url] = page_record(page.url, title, html, thai=lang == "th")
    # Material's search plugin (kept for its header button) would parse every page again for an index
    # that is never shipped; its documented per-page switch skips that.
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return html


@event_priority(-200)  # after the i18n plugin, which builds the other languages in its own on_post_build
def on_post_build(config):
    # Material's search plugin stays enabled only so its header renders our partial; the index it
    # writes is never fetched (no form named "search" on our pages), so it is not shipped.
    (Path(config["site_dir"]) / INDEX_DIR / "search_index.json").unlink(missing_ok=True)
    # The i18n plugin builds the other languages inside the default language's on_post_build, so
    # write every language collected so far rather than trusting config's language at this point.
    for lang, pages in list(_collected.items()):
        write_index(Path(config["site_dir"]), lang, list(pages.values()))
        del _collected[lang]
