"""The site chrome's words (config/reader_text.yml): every key in every language, placeholders kept."""

import re

import pytest

from hooks import reader_text
from tests.docs.markdown_pages import LANGUAGES

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("key", sorted(reader_text.catalog()))
def test_every_key_in_every_language_with_the_same_placeholders(key):
    translations = reader_text.catalog()[key]
    assert set(translations) == set(LANGUAGES)
    english = set(PLACEHOLDER.findall(translations["en"]))
    for lang, text in translations.items():
        assert text.strip(), lang
        assert set(PLACEHOLDER.findall(text)) == english, lang


def test_a_missing_translation_names_its_key(monkeypatch):
    monkeypatch.setattr(reader_text, "catalog", lambda: {"greeting": {"en": "Hello"}})
    with pytest.raises(KeyError, match="greeting has no fr text"):
        reader_text.texts("fr")
