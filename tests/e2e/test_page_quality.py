"""Page quality of the built site: Lighthouse mobile scores, plus cheap checks of every built page.

Lighthouse (slow, about 12 s a page) runs on each language's home page and one article per language:
accessibility, best practices and SEO must be 100, performance at least 95. It serves the site the
way CloudFront does (gzip, see benchmarks/lighthouse.py). `benchmarks/lighthouse.py` runs the same
measurement on every page.

The cheap checks read the HTML of every page of every language: <html lang>, absolute hreflang
alternates for the five languages plus x-default, a meta description in the page's language, a name
on every dialog, no third-party resources, Buddhist-era years on Thai pages; and, on a copy of the
site with two translations removed, the fallback notice and lang="en" on the English text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks import lighthouse as lh
from tests.support.tools import require
from tools.languages import mkdocs_registry

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = mkdocs_registry().languages
# Each language's home page and one article per language (a different section each, a form included).
LIGHTHOUSE_PAGES = [
    "/", "/vi/", "/it/", "/fr/", "/th/",
    "/billing/overdue-invoice/",
    "/vi/billing/invoices/",
    "/it/partners/severity-and-response-times/",
    "/fr/forms/account-status/",
    "/th/billing/phone-lines/",
]
# Translations removed from a copy of the site to check the fallback pages.
MISSING_TRANSLATIONS = ("vi/billing/invoices.md", "th/partners/support-guide.md")


# --- reading built pages -------------------------------------------------------------------------------


class PageFacts(HTMLParser):
    """What the checks need from one page's HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.description: str | None = None
        self.canonical: str | None = None
        self.alternates: dict[str, str] = {}
        self.dialogs: list[dict] = []
        self.resources: list[str] = []
        self.fallback_notice = False
        self.content_langs: list[str] = []
        self._in_notice = False
        self.notice_text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        elif tag == "link":
            rel = (a.get("rel") or "").lower().split()
            if "canonical" in rel:
                self.canonical = a.get("href")
            elif "alternate" in rel and a.get("hreflang"):
                assert a["hreflang"] not in self.alternates, f"two alternates for {a['hreflang']}"
                self.alternates[a["hreflang"]] = a.get("href") or ""
            elif a.get("href"):
                self.resources.append(a["href"])
        elif tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.resources.append(a["src"])
        if a.get("role") == "dialog":
            self.dialogs.append(a)
        if "hc-fallback" in (a.get("class") or "").split():
            self.fallback_notice = True
            self._in_notice = True
        elif self.fallback_notice and tag == "div" and a.get("lang"):
            self.content_langs.append(a["lang"])

    def handle_endtag(self, tag):
        if tag == "div" and self._in_notice:
            self._in_notice = False

    def handle_data(self, data):
        if self._in_notice:
            self.notice_text += data


def read_page(path: Path) -> PageFacts:
    facts = PageFacts()
    facts.feed(path.read_text(encoding="utf-8"))
    return facts


def built_pages(site: Path) -> dict[str, Path]:
    """URL path -> index.html of every page of the built site."""
    return {page: site / page.lstrip("/") / "index.html" for page in lh.discover_pages(site)}


def split_language(page: str) -> tuple[str, str]:
    """'/vi/billing/invoices/' -> ('vi', 'billing/invoices/')."""
    lang = lh.page_language(page)
    rest = page.strip("/")
    if lang != "en":
        rest = rest[len(lang):].lstrip("/")
    return lang, (rest + "/" if rest else "")


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, PageFacts]:
    found = {page: read_page(path) for page, path in built_pages(built_site).items()}
    assert len(found) >= 5 * 2, f"only {len(found)} pages in {built_site}"
    return found


@pytest.fixture(scope="module")
def fallback_site(tmp_path_factory) -> Path:
    """The site built from a copy of the sources with a few translations missing."""
    work = tmp_path_factory.mktemp("fallback")
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, work / name)
    for folder in ("docs", "overrides", "hooks", "config", "functions"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    for relative in MISSING_TRANSLATIONS:
        (work / "docs" / relative).unlink()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "functions"), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(work / "site")],
                   cwd=work, env=env, check=True)
    return work / "site"


# --- cheap checks on every page ------------------------------------------------------------------------


def test_html_lang_is_the_interface_language(pages):
    wrong = {page: facts.html_lang for page, facts in pages.items() if facts.html_lang != lh.page_language(page)}
    assert not wrong


def test_every_language_has_the_same_pages(pages):
    by_language = {lang: {split_language(page)[1] for page in pages if lh.page_language(page) == lang}
                   for lang in LANGUAGES}
    for lang in LANGUAGES[1:]:
        assert by_language[lang] == by_language["en"], lang


def test_hreflang_alternates_are_absolute_and_complete(pages):
    problems = []
    for page, facts in pages.items():
        lang, rest = split_language(page)
        expected = set(LANGUAGES) | {"x-default"}
        if set(facts.alternates) != expected:
            problems.append(f"{page}: hreflang {sorted(facts.alternates)}")
            continue
        for hreflang, href in facts.alternates.items():
            url = urlsplit(href)
            if url.scheme not in ("http", "https") or not url.netloc:
                problems.append(f"{page}: {hreflang} -> {href} is not absolute")
        site = facts.alternates["en"][: -len(rest)] if rest else facts.alternates["en"]
        for other in LANGUAGES:
            want = site + ("" if other == "en" else f"{other}/") + rest
            if facts.alternates[other] != want:
                problems.append(f"{page}: {other} -> {facts.alternates[other]}, expected {want}")
        if facts.alternates["x-default"] != facts.alternates["en"]:
            problems.append(f"{page}: x-default is not the English page")
        if facts.canonical != facts.alternates[lang]:
            problems.append(f"{page}: canonical {facts.canonical} is not its own alternate")
    assert not problems, "\n".join(problems)


def test_meta_description_in_the_page_language(pages):
    problems = []
    for page, facts in pages.items():
        lang, rest = split_language(page)
        if not (facts.description or "").strip():
            problems.append(f"{page}: no meta description")
            continue
        if len(facts.description) > 200:
            problems.append(f"{page}: description of {len(facts.description)} characters")
        if lang == "en":
            continue
        english = pages[f"/{rest}"].description
        if facts.fallback_notice:  # English text: its description is the English one
            if facts.description != english:
                problems.append(f"{page}: fallback page with a description other than the English page's")
        elif facts.description == english:
            problems.append(f"{page}: same description as the English page")
        elif lang == "th" and not re.search(r"[\u0E00-\u0E7F]", facts.description):
            problems.append(f"{page}: Thai page with a description without Thai script")
    assert not problems, "\n".join(problems)


def test_every_dialog_has_an_accessible_name(pages):
    nameless = [page for page, facts in pages.items()
                for dialog in facts.dialogs if not (dialog.get("aria-label") or dialog.get("aria-labelledby"))]
    assert not nameless, f"dialogs without aria-label: {nameless[:5]}"


def test_no_third_party_resources(pages):
    """Fonts, scripts, styles and images come from the site itself (theme.font: false, no CDN)."""
    external = {(page, url) for page, facts in pages.items() for url in facts.resources
                if urlsplit(url).scheme in ("http", "https") or url.startswith("//")}
    assert not external, sorted(external)[:5]


def test_thai_dates_use_the_buddhist_era(built_site):
    thai = [path for page, path in built_pages(built_site).items() if lh.page_language(page) == "th"]
    texts = [path.read_text(encoding="utf-8") for path in thai]
    assert not [path for path, text in zip(thai, texts) if "ค.ศ." in text]
    assert any("พ.ศ. 25" in text for text in texts)


def test_robots_txt_names_the_absolute_sitemap(built_site):
    robots = (built_site / "robots.txt").read_text()
    assert re.search(r"^Sitemap: https?://[^/]+/sitemap\.xml$", robots, re.M)
    assert (built_site / "sitemap.xml").is_file()


def test_no_generator_credit_in_the_footer(built_site):
    """extra.generator: false drops "Made with Material for MkDocs" (its contrast was 4.47:1)."""
    assert "Made with" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_missing_translation_shows_a_notice_and_marks_english_text(fallback_site):
    notices = {"vi": "chưa có bản tiếng Việt", "th": "ยังไม่มีฉบับภาษาไทย"}
    for relative in MISSING_TRANSLATIONS:
        lang, rest = relative.split("/", 1)
        page = f"/{lang}/{rest.removesuffix('.md')}/"
        facts = read_page(fallback_site / page.lstrip("/") / "index.html")
        english = read_page(fallback_site / rest.removesuffix(".md") / "index.html")
        assert facts.html_lang == lang, page  # the interface stays in the reader's language
        assert facts.fallback_notice and notices[lang] in facts.notice_text, page
        assert facts.content_langs[:1] == ["en"], page
        assert facts.description == english.description, page
        assert set(facts.alternates) == set(LANGUAGES) | {"x-default"}, page
    translated = read_page(fallback_site / "vi" / "index.html")
    assert not translated.fallback_notice


def test_description_from_first_paragraph_and_buddhist_era():
    from hooks import seo

    long = "<h1>T</h1><p>" + "word " * 60 + "</p><p>second</p>"
    derived = seo.description_from(long)
    assert derived is not None and derived.endswith("…") and len(derived) <= seo.DESCRIPTION_LIMIT
    assert seo.description_from("<p>Pay <a href='x'>an invoice</a> &amp; more.</p>") == "Pay an invoice & more."
    assert seo.description_from("<h1>No paragraph</h1>") is None
    assert seo.buddhist_era("22 พฤศจิกายน ค.ศ. 2026") == "22 พฤศจิกายน พ.ศ. 2569"


# --- Lighthouse ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lighthouse_results(built_site) -> dict[str, dict]:
    require("node"), require("npm")  # Lighthouse runs on Node.js
    missing = [page for page in LIGHTHOUSE_PAGES if not (built_site / page.lstrip("/") / "index.html").is_file()]
    assert not missing, f"pages to measure are not in the site: {missing}"
    # Served like production (gzip, keep-alive): the conftest's site_url server sends files uncompressed.
    with lh.serve(built_site) as base_url:
        results = lh.measure(base_url, LIGHTHOUSE_PAGES, recheck=1)
    print("\n" + lh.table(results))
    return {result["page"]: result for result in results}


# Performance is a timing (it moves with the machine's load): `make lighthouse` measures it beside its
# bar; the test holds the scores that do not depend on speed.
SCORES_NOT_TIMED = {category: bar for category, bar in lh.BARS.items() if category != "performance"}


@pytest.mark.e2e
@pytest.mark.parametrize("page", LIGHTHOUSE_PAGES)
def test_lighthouse_mobile_scores(lighthouse_results, page):
    result = lighthouse_results[page]
    assert not result["console_errors"], result["console_errors"]
    assert not lh.misses(result, SCORES_NOT_TIMED), lh.misses(result, SCORES_NOT_TIMED)
