"""One term per concept: the glossary's wrong variants appear in no article and no catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpcenter.i18n.catalog import CATALOG_DIR
from tests.docs.markdown_pages import DOCS, LANGUAGES

GLOSSARY = yaml.safe_load((CATALOG_DIR.parent / "glossary.yml").read_text(encoding="utf-8"))
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
ANCHOR = re.compile(r"\{#[\w-]+\}")  # anchors are English on every page, by design


def texts(lang: str) -> dict[Path, str]:
    files = [*sorted((DOCS / lang).rglob("*.md")), CATALOG_DIR / f"{lang}.yml"]
    return {path: ANCHOR.sub("", FENCE.sub("", path.read_text(encoding="utf-8"))) for path in files}


def test_the_glossary_covers_every_language():
    assert set(GLOSSARY) == set(LANGUAGES)
    for lang, entry in GLOSSARY.items():
        assert {"ticket", "billing case", "multi-user account", "licence", "billing contact"} <= set(entry["terms"]), lang
        assert entry["register"], lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_wrong_variant_in_articles_or_catalog(lang):
    patterns = [re.compile(pattern, re.I) for pattern in GLOSSARY[lang]["wrong"]]
    found = [f"{path.relative_to(DOCS.parent)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r} ({pattern.pattern})"
             for path, text in texts(lang).items() for pattern in patterns for match in pattern.finditer(text)]
    assert not found, "\n".join(found)


def test_a_wrong_variant_is_caught():
    pattern = re.compile(GLOSSARY["fr"]["wrong"][1], re.I)
    assert pattern.search("vous pouvez faire escalader le ticket")
