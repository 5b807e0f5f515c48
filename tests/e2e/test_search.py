"""Search in five languages, typed into the search box of the built site in Chromium.

The queries and the article each must find are in ``search_queries.yml`` (also used by
``benchmarks/search.py`` for the before/after hit rates).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
import urllib.parse
from pathlib import Path

import pytest
import yaml

from benchmarks.search import LANGS, gzipped_size, lang_prefix
from tests.e2e.axe import violations
from tools.static_site import served

ROOT = Path(__file__).resolve().parents[2]
QUERIES = yaml.safe_load((Path(__file__).with_name("search_queries.yml")).read_text(encoding="utf-8"))
CASES = [(lang, item["q"], item["page"]) for lang, items in QUERIES.items() for item in items]
# Gzipped bytes of a page with a query typed as one burst of keys and answered: it catches a whole index
# or a bundled word list (Material's Thai wordcut is 158 KB alone). A burst fetches page files once, when
# it ends (BURST_MS in search.js); a query typed slowly fetches the pages of each pause on its way, which
# benchmarks/search.py measures (typed at one key per 100 ms).
PAGE_BUDGET = 120 * 1024


pytestmark = pytest.mark.e2e


def in_language(path: str, lang: str) -> bool:
    if lang == "en":
        return path.split("/")[1] not in LANGS
    return path.startswith(f"/{lang}/")


def type_query(page, query: str, delay: int = 15) -> None:
    box = page.locator(".md-search__input")
    toggle = page.locator("label.md-header__button[for=__search]").first
    (toggle if toggle.is_visible() else box).click()  # phones: the box hides behind a button
    box.fill("")
    box.press_sequentially(query, delay=delay)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result').getAttribute('data-query') === q", arg=query
    )


def result_pages(page) -> list[str]:
    """Paths of the result pages, in order (a page's section links follow its own link)."""
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > li > a:first-child", "links => links.map(a => new URL(a.href).pathname)"
    )
    return list(dict.fromkeys(hrefs))


def search(page, site_url: str, lang: str, query: str, path: str = "") -> list[str]:
    page.goto(site_url + lang_prefix(lang) + path)
    type_query(page, query)
    return result_pages(page)


def test_query_set_covers_every_language_and_the_hard_cases():
    def accent_free(text):
        return text.isascii()

    for lang in LANGS:
        assert len(QUERIES[lang]) >= 8, lang
        multi_word = sum(" " in item["q"] for item in QUERIES[lang])
        assert multi_word >= (1 if lang == "th" else 3), f"{lang}: multi-word queries"
    for lang in ("vi", "fr", "it"):
        assert sum(accent_free(item["q"]) for item in QUERIES[lang]) >= 4, f"{lang}: accent-free queries"
    assert any("hoá" in item["q"] for item in QUERIES["vi"]), "vi: alternative tone-mark placement"
    # Thai phrases typed as one run (several words, no space) and words from inside sentences.
    assert sum(" " not in item["q"] and len(item["q"]) > 6 for item in QUERIES["th"]) >= 8


@pytest.mark.parametrize(("lang", "query", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_expected_article_is_in_the_top_3(page, site_url, lang, query, expected):
    found = search(page, site_url, lang, query)
    assert f"{lang_prefix(lang)}{expected}/" in found[:3], found
    assert found and all(in_language(path, lang) for path in found), found


@pytest.mark.parametrize(
    ("lang", "variants"),
    [
        ("vi", ["hóa đơn quá hạn", "hoa don qua han", "hoá đơn quá hạn", "HOA DON QUA HAN"]),
        ("vi", ["kích hoạt lại", "kich hoat lai"]),
        ("fr", ["réactiver", "reactiver"]),
        ("fr", ["échéance", "echeance"]),
        ("it", ["priorità", "priorita"]),
    ],
)
def test_with_and_without_accents_the_same_pages_are_found(page, site_url, lang, variants):
    results = [search(page, site_url, lang, variant) for variant in variants]
    assert results[0], variants[0]
    for variant, found in zip(variants[1:], results[1:]):
        # Same answer first and the same top 3; the order below the first may differ a little,
        # since an accent-free word also matches its other accented forms.
        assert found[0] == results[0][0], variant
        assert set(found[:3]) == set(results[0][:3]), variant


def test_accent_free_query_ranks_the_exact_word_first(page, site_url):
    # "hoa" is "hóa" (invoice) without accents, and only a prefix of "hoạt" (kích hoạt: activate).
    search(page, site_url, "vi", "hoa")
    first_marks = page.locator(".md-search-result__list > li").first.locator("mark").all_inner_texts()
    assert first_marks
    assert all(unicodedata.normalize("NFD", mark).lower()[0:1] == "h" for mark in first_marks)
    folded = {"".join(c for c in unicodedata.normalize("NFD", m.lower()) if not unicodedata.combining(c))
              for m in first_marks}
    assert folded == {"hoa"}, first_marks


def test_thai_word_from_the_middle_of_a_sentence_is_found_and_highlighted(page, site_url):
    source = (ROOT / "docs" / "th" / "billing" / "overdue-invoice.md").read_text(encoding="utf-8")
    assert "ใบแจ้งหนี้ที่เกินกำหนด" in source  # "เกินกำหนด" follows other words with no space
    found = search(page, site_url, "th", "เกินกำหนด")
    assert "/th/billing/overdue-invoice/" in found[:3]
    marks = page.locator(".md-search-result__list mark").all_inner_texts()
    assert "เกินกำหนด" in [mark.replace("\u200b", "") for mark in marks]


def test_keyboard_opens_search_and_enter_follows_the_first_result(page, site_url):
    page.goto(site_url + "/fr/")
    page.keyboard.press("s")
    page.keyboard.type("reactiver")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result').getAttribute('data-query') === 'reactiver'"
    )
    first = result_pages(page)[0]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first}")
    assert first == "/fr/billing/suspension/"


@pytest.mark.parametrize(("lang", "query"), [("th", "ใบแจ้งหนี้"), ("en", "invoice")])
def test_the_whole_list_follows_the_first_results_and_passes_axe(page, site_url, lang, query):
    # The first results are shown at once and the others over the next frames, the list aria-busy
    # until then; the search runs in a Web Worker.
    search(page, site_url, lang, query)
    page.wait_for_function("() => !document.querySelector('.md-search-result__list').hasAttribute('aria-busy')")
    shown = len(result_pages(page))
    assert shown > 3, shown  # more than the first frame's three
    assert str(shown) in page.locator(".md-search-result__meta").inner_text()
    assert [worker.url for worker in page.workers] == [site_url + "/assets/javascripts/search.js"]
    assert not violations(page)


def test_search_box_has_an_accessible_name(page, site_url):
    for lang in LANGS:
        page.goto(site_url + lang_prefix(lang))
        dialog = page.locator(".md-search[role=dialog]")
        assert dialog.get_attribute("aria-label")
        assert page.locator(".md-search__input").get_attribute("aria-label")


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_pages_language_index_loads_and_the_page_stays_light(page, site_url, built_site, lang):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urllib.parse.urlparse(request.url).path))
    page.goto(site_url + lang_prefix(lang) + "billing/invoices/", wait_until="networkidle")
    type_query(page, QUERIES[lang][0]["q"], delay=0)  # keys back to back: one burst
    page.wait_for_load_state("networkidle")
    assert not [path for path in fetched if "wordcut" in path or "/workers/" in path or "lunr" in path]
    # The entry of the page's language, then only pieces of that language (terms, pages, Thai words).
    searched = [path for path in fetched if path.startswith("/search/")]
    assert searched[0] == f"/search/{lang}.json" and len(searched) > 1
    assert all(path.startswith(f"/search/{lang}-") for path in searched[1:]), searched

    total = 0
    for path in dict.fromkeys(fetched):
        file = built_site / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        total += gzipped_size(file) if file.is_file() else 0
    assert total < PAGE_BUDGET, f"{total / 1024:.0f} KB gzipped"


@pytest.fixture(scope="module")
def site_missing_a_thai_page(tmp_path_factory):
    """The site built from a copy of the project in which one Thai translation is missing."""
    work = tmp_path_factory.mktemp("fallback")
    project = work / "project"
    skipped = shutil.ignore_patterns(".venv", ".git", "site", ".local", "node_modules")
    shutil.copytree(ROOT, project, ignore=skipped)
    (project / "docs" / "th" / "billing" / "phone-lines.md").unlink()
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@localhost", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], check=True)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(work / "site")],
                   cwd=project, check=True)
    return work / "site"


def test_english_page_shown_for_a_missing_translation_is_found_from_that_language(
    site_missing_a_thai_page, browser
):
    context = browser.new_context()
    try:
        with served(site_missing_a_thai_page) as url:
            found = search(context.new_page(), url, "th", "phone lines")
        assert found[0] == "/th/billing/phone-lines/", found
        assert all(in_language(path, "th") for path in found)
    finally:
        context.close()
