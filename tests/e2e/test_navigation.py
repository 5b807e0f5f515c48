"""Finding one's way in Chromium: the browser language suggested once, breadcrumbs, related articles
on every article, phone numbers that dial with their opening hours, and the privacy notice of the
forms that take an address or a postal code, in every language."""

from __future__ import annotations

import pytest
import yaml

from benchmarks import lighthouse as lh
from hooks.reader_text import READER_TEXT_FILE, RELATED_FILE
from tests.e2e.axe import violations
from tests.e2e.test_layout import overflow_problems

LANGUAGES = ("en", "vi", "it", "fr", "th")
WORDS = yaml.safe_load(READER_TEXT_FILE.read_text(encoding="utf-8"))
RELATED = yaml.safe_load(RELATED_FILE.read_text(encoding="utf-8"))


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"/{lang}"


def context_in(browser, locale: str, width: int = 1280):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    return context, context.new_page()


@pytest.mark.parametrize("browser_lang, page_lang", [("fr", "en"), ("th", "vi"), ("en", "it")])
def test_the_browser_language_is_suggested_once_in_its_own_words(browser, site_url, browser_lang, page_lang):
    context, page = context_in(browser, browser_lang)
    page.goto(f"{site_url}{prefix(page_lang)}/billing/refunds/")
    offer = page.locator(f'aside.hc-language-suggestion[lang="{browser_lang}"]')
    offer.wait_for()
    assert WORDS["language_suggestion_text"][browser_lang] in offer.inner_text()
    assert offer.get_attribute("aria-label") == WORDS["language_suggestion_label"][browser_lang]
    problems = violations(page) + overflow_problems(page, page.url)
    page.set_viewport_size({"width": 320, "height": 800})
    problems += overflow_problems(page, page.url)
    assert not problems, problems
    offer.get_by_role("link", name=WORDS["language_suggestion_switch"][browser_lang]).click()
    page.wait_for_url(f"**{prefix(browser_lang)}/billing/refunds/")
    assert page.evaluate("document.documentElement.lang") == browser_lang
    page.goto(f"{site_url}{prefix(page_lang)}/billing/invoices/")  # remembered: not offered again
    page.wait_for_load_state("load")
    assert page.locator(".hc-language-suggestion").count() == 0
    context.close()


def test_a_dismissed_suggestion_stays_dismissed_and_the_own_language_gets_none(browser, site_url):
    context, page = context_in(browser, "it-IT")
    page.goto(f"{site_url}/it/billing/refunds/")
    page.wait_for_load_state("load")
    assert page.locator(".hc-language-suggestion").count() == 0  # already in the browser's language
    page.goto(f"{site_url}/fr/billing/refunds/")
    offer = page.locator('aside.hc-language-suggestion[lang="it"]')
    offer.get_by_role("button", name=WORDS["language_suggestion_dismiss"]["it"]).click()
    assert offer.count() == 0
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator(".hc-language-suggestion").count() == 0
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_article_has_breadcrumbs_and_related_articles_in_its_language(browser, site_url, built_site, lang):
    context, page = context_in(browser, lang)
    articles = [p for p in lh.discover_pages(built_site)
                if lh.page_language(p) == lang and p.strip("/").split("/")[-2:-1] and
                p.strip("/").split("/")[-2] in ("billing", "partners")]
    assert len(articles) == len(RELATED)
    problems = []
    for path in articles:
        page.goto(site_url + path, wait_until="load")
        crumbs = page.locator("nav.md-path .md-path__link")
        if crumbs.count() < 2:
            problems.append(f"{path}: no breadcrumbs")
        related = page.locator("nav.hc-related")
        if related.locator("h2").inner_text() != WORDS["related_title"][lang]:
            problems.append(f"{path}: no related articles titled in {lang}")
        source = "/".join(path.strip("/").split("/")[-2:])
        links = related.locator("a")
        if links.count() != len(RELATED[source]):
            problems.append(f"{path}: {links.count()} related links, {len(RELATED[source])} configured")
        for index in range(links.count()):
            href = links.nth(index).evaluate("a => a.href")
            if not href.startswith(f"{site_url}{prefix(lang)}/") or not links.nth(index).inner_text().strip():
                problems.append(f"{path}: related link {href} leaves the language or has no title")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_numbers_dial_and_show_their_opening_hours(browser, site_url, lang):
    context, page = context_in(browser, lang)
    page.goto(f"{site_url}{prefix(lang)}/billing/phone-lines/")
    links = page.locator('a[href^="tel:+"]')
    assert links.count() >= 10
    first = links.first
    assert first.get_attribute("href").removeprefix("tel:").replace(",", "").isdigit() is False  # "+…"
    assert first.get_attribute("href")[5:].replace(",", "").isdigit()
    header = page.locator("table").first.locator("th").all_inner_texts()
    assert len(header) == 4 and header[-1].strip()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("form, key", [("submit-ticket", "privacy_submit_ticket"), ("account-status", "privacy_account_status")])
def test_forms_that_take_an_address_say_what_is_done_with_it(browser, site_url, lang, form, key):
    context, page = context_in(browser, lang)
    page.goto(f"{site_url}{prefix(lang)}/forms/{form}/")
    notice = page.locator("form.hc-form .hc-privacy")
    assert notice.inner_text() == WORDS[key][lang]
    context.close()
