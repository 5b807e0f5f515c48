"""Pages that fit: every built page of every language, measured in Chromium at phone, tablet and desktop widths.

For each page and width: the document is no wider than the viewport (no sideways scrolling of the
page), and no element other than a scroll container's content reaches past the right edge. Wide
tables may be wider than the screen only inside their own scroll container, which is focusable (a
keyboard can scroll it) and named. On desktop the article (with its forms) stays clear of the table
of contents. The 404 pages are measured too, under a URL that does not exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import lighthouse as lh

ROOT = Path(__file__).resolve().parents[2]

WIDTHS = (320, 390, 768, 1366)
LANGUAGES = ("en", "vi", "it", "fr", "th")

# Elements reaching past the viewport's right edge, outside a scroll container (JS, run in the page).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const offenders = [];
  const scrollers = [...document.querySelectorAll(".hc-table-scroll")];
  for (const node of document.querySelectorAll("body *")) {
    const box = node.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= width + 1) continue;
    if (scrollers.some((scroller) => scroller !== node && scroller.contains(node))) continue;
    const style = getComputedStyle(node);
    if (style.visibility === "hidden" || style.position === "fixed") continue;
    if (node.closest("[hidden], .md-sidebar, .md-search, .md-select__inner, .md-tooltip, .md-dialog")) continue;
    offenders.push(`${node.tagName.toLowerCase()}.${[...node.classList].join(".")} right=${Math.round(box.right)}`);
    if (offenders.length > 4) break;
  }
  return {scroll: document.documentElement.scrollWidth, width, offenders};
}"""

TABLE_SCROLLERS = """() => [...document.querySelectorAll("article table")].map((table) => {
  const scroller = table.closest(".hc-table-scroll");
  return {
    wrapped: !!scroller,
    focusable: !!scroller && scroller.tabIndex === 0,
    named: !!scroller && !!(scroller.getAttribute("aria-label") || "").trim(),
    overflows: !!scroller && scroller.scrollWidth > scroller.clientWidth + 1,
  };
})"""


@pytest.fixture(scope="module")
def all_pages(built_site) -> list[str]:
    pages = lh.discover_pages(built_site)
    assert len(pages) >= 5 * 15
    return pages


def overflow_problems(page, url: str) -> list[str]:
    found = page.evaluate(OVERFLOW)
    problems = []
    if found["scroll"] > found["width"]:
        problems.append(f"{url}: page {found['scroll']} px wide in {found['width']} px")
    problems += [f"{url}: {offender}" for offender in found["offenders"]]
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(browser, site_url, all_pages, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = []
    for path in all_pages:
        page.goto(site_url + path, wait_until="load")
        problems += overflow_problems(page, path)
        for table in page.evaluate(TABLE_SCROLLERS):
            if not (table["wrapped"] and table["focusable"] and table["named"]):
                problems.append(f"{path}: a table outside a focusable, named scroll container: {table}")
    context.close()
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_article_and_forms_stay_clear_of_the_table_of_contents(browser, site_url, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    prefix = "" if lang == "en" else f"/{lang}"
    for form in ("submit-ticket", "account-status", "pay-invoice"):
        page.goto(f"{site_url}{prefix}/forms/{form}/")
        toc = page.locator(".md-sidebar--secondary").bounding_box()
        for selector in ("form.hc-form", "article"):
            for box in [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]:
                if box and toc and box["width"]:
                    assert box["x"] + box["width"] <= toc["x"] + 1, f"{lang} {form}: {selector} runs under the TOC"
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_missing_page_shows_the_404_of_its_language(browser, stack, lang):
    """Served by the local stack as CloudFront would: the language's 404, with search and the way home."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    prefix = "" if lang == "en" else f"/{lang}"
    response = page.goto(f"{stack.url}{prefix}/nope/")
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").first.inner_text().strip() == lh_not_found_title(lang)
    home = page.locator("article a.md-button")
    assert home.get_attribute("href") == f"{prefix}/"
    assert not overflow_problems(page, f"{prefix}/nope/")
    page.fill("#not-found-query", "invoice" if lang == "en" else "a")
    page.click(".hc-not-found-search button")
    assert page.locator(".md-search__input").evaluate("(node) => node === document.activeElement")
    languages = page.locator(".md-select__link")
    assert {languages.nth(i).get_attribute("href") for i in range(languages.count())} == {
        "/" if other == "en" else f"/{other}/" for other in LANGUAGES}
    context.close()


def lh_not_found_title(lang: str) -> str:
    from hooks.reader_text import texts

    return texts(lang)["not_found_title"]


# Thai words split across two lines (Intl.Segmenter's words; a word drawn in two line boxes is split).
SPLIT_THAI_WORDS = """() => {
  const segmenter = new Intl.Segmenter("th", {granularity: "word"});
  const split = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/[\\u0E00-\\u0E7F]/.test(node.data) || node.parentElement.closest("[hidden], script, style, .hc-honeypot")) continue;
    for (const part of segmenter.segment(node.data)) {
      if (!part.isWordLike || part.segment.length < 2) continue;
      const range = document.createRange();
      range.setStart(node, part.index);
      range.setEnd(node, part.index + part.segment.length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) split.push(part.segment);
    }
  }
  return split;
}"""


@pytest.mark.parametrize("width", (320, 390))
def test_thai_lines_break_between_words(browser, site_url, all_pages, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = []
    for path in [p for p in all_pages if lh.page_language(p) == "th"]:
        page.goto(site_url + path, wait_until="load")
        split = page.evaluate(SPLIT_THAI_WORDS)
        if split:
            problems.append(f"{path}: {len(split)} words split, e.g. {split[:5]}")
    context.close()
    assert not problems, "\n".join(problems)


def test_cloudfront_single_error_page_shows_the_language_of_the_url(browser, site_url, built_site):
    """CloudFront answers every missing URL with /404.html (English): it swaps in the URL language's 404."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    english = (built_site / "404.html").read_text(encoding="utf-8")
    page.route("**/fr/nope/", lambda route: route.fulfill(status=404, body=english, content_type="text/html"))
    page.goto(f"{site_url}/fr/nope/")
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert page.locator("h1").first.inner_text().strip() == lh_not_found_title("fr")
    assert page.url.endswith("/fr/nope/")
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_language_switcher_marks_the_language_being_read(browser, site_url, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{site_url}{'' if lang == 'en' else '/' + lang}/billing/refunds/")
    current = page.locator('.md-select__link[aria-current="page"]')
    assert current.count() == 1 and current.get_attribute("hreflang") == lang
    context.close()
