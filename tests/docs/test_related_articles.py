"""Related articles and phone lines come from configuration: every article has related articles that
exist, and every billing number dials with its hours."""

from __future__ import annotations

import re

import pytest

from hooks import placeholders
from hooks.reader_text import related_articles
from tests.docs.markdown_pages import DOCS, LANGUAGES

ARTICLES = sorted(str(p.relative_to(DOCS / "en").with_suffix("")) for section in ("billing", "partners")
                  for p in (DOCS / "en" / section).glob("*.md"))


def test_every_article_has_related_articles_that_exist():
    config = related_articles()
    assert sorted(config) == ARTICLES
    for article, related in config.items():
        assert len(related) >= 2 and article not in related and len(set(related)) == len(related), article
        assert all(path in ARTICLES for path in related), (article, related)


def test_no_article_keeps_a_hand_written_related_section():
    found = [str(p) for lang in LANGUAGES for p in (DOCS / lang).rglob("*.md") if "{#related}" in p.read_text()]
    assert not found, found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_billing_number_dials_and_says_when_it_answers(lang):
    data = placeholders.load_phone_lines()
    table = placeholders.render_phone_lines(data, lang)
    rows = table.splitlines()[2:]
    assert len(rows) == len(data["lines"])
    for row, line in zip(rows, data["lines"], strict=True):
        extension = line.get("extension", data["extension"])
        for number in line["numbers"]:
            digits = re.sub(r"\D", "", number)
            assert f"(tel:+{digits}{',' + extension if extension else ''})" in row
        assert row.rstrip(" |").endswith(f"({data['labels']['local_time'][lang]})")


def test_opening_hours_are_written_in_the_language():
    hours = {"days": [0, 4], "open": "08:00", "close": "18:00"}
    assert placeholders.opening_hours(hours, "en").startswith("Monday–Friday, 08:00")
    assert placeholders.opening_hours(hours, "fr").startswith("lundi–vendredi")
    assert placeholders.opening_hours({**hours, "days": [5, 5]}, "en").startswith("Saturday, ")
