"""Every page in every language, the same structure as English, and the seeds' facts in each."""

from __future__ import annotations

import re

import pytest
import yaml

from helpcenter.i18n import catalog
from hooks.placeholders import expand, load_phone_lines
from tests.docs.markdown_pages import DOCS, LANGUAGES, ROOT, read, relative_pages

ENGLISH_PAGES = sorted(relative_pages("en"))
TRANSLATIONS = [lang for lang in LANGUAGES if lang != "en"]
FACT_FILES = sorted((ROOT / "tests" / "content" / "facts").glob("*.yml"))
# Names, people, addresses and numbers of the source material's vendors: never shown as ours.
FOREIGN_MARKS = re.compile(
    r"zoom|zendesk|zopim|zoho|bolt\b|@zendesk|support\.zoom|\+1\.888|\.com\b|dashboard\.zopim|financeops",
    re.IGNORECASE,
)


def test_there_are_articles():
    assert len(ENGLISH_PAGES) >= 14


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_page_exists_in_every_language(lang):
    assert relative_pages(lang) == set(ENGLISH_PAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_front_matter(lang, page):
    front = read(DOCS / lang / page).front_matter
    assert front.get("title"), "title missing"
    assert 40 <= len(front.get("description", "")) <= 160, "description missing or longer than 160 chars"
    if lang != "en":
        assert front["description"] != read(DOCS / "en" / page).front_matter["description"]


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_structure_matches_english(lang, page):
    english, translated = read(DOCS / "en" / page), read(DOCS / lang / page)
    assert translated.headings == english.headings, "headings (levels and {#anchors}) drift from English"
    assert translated.table_rows == english.table_rows, "tables or table rows drift from English"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_subheadings_carry_explicit_anchors(lang, page):
    missing = [level for level, anchor in read(DOCS / lang / page).headings if level in (2, 3) and not anchor]
    assert not missing


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_no_source_vendor_shows_as_ours(lang, page):
    text = (DOCS / lang / page).read_text(encoding="utf-8")
    assert not FOREIGN_MARKS.findall(text)


def test_every_article_has_a_facts_file():
    covered = {yaml.safe_load(path.read_text())["page"] for path in FACT_FILES}
    articles = {p for p in ENGLISH_PAGES if p.startswith(("billing/", "partners/"))}
    assert articles <= covered


def facts_cases():
    for path in FACT_FILES:
        spec = yaml.safe_load(path.read_text())
        for lang in LANGUAGES:
            yield pytest.param(spec, lang, id=f"{path.stem}-{lang}")


@pytest.mark.parametrize("spec, lang", list(facts_cases()))
def test_seed_facts_are_stated_in_every_language(spec, lang):
    markdown = (DOCS / lang / spec["page"]).read_text(encoding="utf-8")
    text = expand(markdown, brand="Brand", api_base="/api", lang=lang)
    # a fact is written the same way everywhere, or {default: …, <lang>: …} where a language writes it its own way
    # {status: past_due}: the status's name in the page language's catalog (what the status page shows)
    facts = [catalog.text(lang, f"statuses.{fact['status']}") if isinstance(fact, dict) and "status" in fact
             else fact.get(lang, fact["default"]) if isinstance(fact, dict) else fact for fact in spec["facts"]]
    missing = [fact for fact in facts if not re.search(rf"(?<![\w.]){re.escape(str(fact))}(?![\w])", text)]
    assert not missing, f"seed {spec['seed']} facts missing: {missing}"


def test_phone_lines_cover_the_seed_countries():
    data = load_phone_lines()
    countries = [line["country"]["en"] for line in data["lines"]]
    assert countries == ["United States", "Australia", "France", "Hong Kong", "India", "Japan", "Malaysia",
                         "New Zealand", "Singapore", "United Kingdom"]
    assert data["extension"] == "3"
    without_extension = [line["country"]["en"] for line in data["lines"] if line.get("extension", "3") is None]
    assert without_extension == ["Hong Kong"]
    assert [line["country"]["en"] for line in data["lines"] if line.get("english_only")] == ["Japan"]
    for line in data["lines"]:
        assert set(line["country"]) == set(LANGUAGES)
