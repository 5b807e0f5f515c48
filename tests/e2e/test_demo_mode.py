"""A demo site says so; a production site shows nothing of the sandbox.

``built_site`` is built as `make serve` builds it (the sandbox provider, a declared demo:
SANDBOX_DEMO=yes); ``production_site`` as a deploy with the default parameters (the Stripe provider,
no demo). The sandbox's test cards must be absent from every page of a production site, from its
search index and from its API description, not merely hidden."""

from __future__ import annotations

import pytest
import yaml

from hooks.reader_text import READER_TEXT_FILE
from tools.static_site import served
from tools.languages import mkdocs_registry

LANGUAGES = mkdocs_registry().languages
DEMO_TEXT = yaml.safe_load(READER_TEXT_FILE.read_text(encoding="utf-8"))["demo_banner"]
SANDBOX_WORDS = ("tok_success", "tok_declined", "hc-sandbox", 'id="test-cards"')


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"/{lang}"


@pytest.fixture(scope="module")
def production_url(production_site):
    with served(production_site) as url:
        yield url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_demo_site_says_it_is_a_demo_on_every_page_in_its_language(page, site_url, lang):
    for path in ("/", "/forms/pay-invoice/", "/billing/invoices/"):
        page.goto(f"{site_url}{prefix(lang)}{path}")
        banner = page.locator(".md-banner .hc-demo-banner")
        assert banner.is_visible(), path
        assert banner.inner_text() == DEMO_TEXT[lang].strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_demo_pay_page_offers_the_sandbox_test_cards(built_site, lang):
    html = (built_site / prefix(lang).lstrip("/") / "forms" / "pay-invoice" / "index.html").read_text(encoding="utf-8")
    assert all(word in html for word in SANDBOX_WORDS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_production_site_has_no_demo_banner(page, production_url, lang):
    page.goto(f"{production_url}{prefix(lang)}/forms/pay-invoice/")
    assert page.locator("#invoice_number").is_visible()
    assert page.locator(".md-banner, .hc-demo-banner").count() == 0


def test_no_production_page_search_index_or_api_description_holds_the_test_cards(production_site):
    # pages, the search index (every file under search/) and the API description; the site's scripts
    # (assets/) may name the sandbox's parts to hide them
    files = [f for f in production_site.rglob("*") if f.is_file() and "assets" not in f.relative_to(production_site).parts
             and (f.suffix in (".html", ".json") or "search" in f.relative_to(production_site).parts)]
    assert any(f.parent.name == "search" for f in files) and (production_site / "openapi.json").is_file()
    holding = {str(f.relative_to(production_site)): [w for w in SANDBOX_WORDS if w in f.read_text(encoding="utf-8")]
               for f in files}
    assert {name: words for name, words in holding.items() if words} == {}


def test_a_demo_sites_search_index_finds_the_test_cards(built_site):
    """The same check as above, on a demo site, finds the tokens: the index keeps them whole."""
    index = [f for f in (built_site / "search").rglob("*.json")]
    assert any("tok_success" in f.read_text(encoding="utf-8") for f in index)
