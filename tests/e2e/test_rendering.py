"""One article per language rendered in Chromium: real glyphs (no tofu) for Thai and Vietnamese.

Chromium falls back per character through fontconfig, so a character shows as a box only when no
installed font has it: every distinct character of the rendered page must be covered by some font.
Chromium also reports, through the DevTools protocol, which platform fonts drew the article; for
Thai one of them must be a Thai font. A screenshot of each page is kept in the test's temporary
folder for a person to look at.
"""

import subprocess

import pytest

from tools.languages import mkdocs_registry

ARTICLE = "billing/suspension/"
REGISTRY = mkdocs_registry()
LANGS = {lang: "" if lang == REGISTRY.default else f"/{lang}" for lang in REGISTRY.languages}


def fonts_covering(lang: str) -> set[str]:
    listing = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True).stdout
    return {family.strip() for line in listing.splitlines() for family in line.split(",")}


def platform_fonts(page, selector: str) -> dict[str, int]:
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    fonts: dict[str, int] = {}
    for node_id in session.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]:
            fonts[font["familyName"]] = fonts.get(font["familyName"], 0) + font["glyphCount"]
    return fonts


@pytest.mark.parametrize("lang", LANGS)
def test_article_renders_with_real_glyphs(page, stack, lang, tmp_path):
    page.goto(f"{stack.url}{LANGS[lang]}/{ARTICLE}")
    assert page.evaluate("document.documentElement.lang") == lang
    page.screenshot(path=tmp_path / f"{lang}.png", full_page=False)
    assert page.locator("article table").count() >= 1
    characters = set(page.evaluate("document.body.innerText")) - set("\n\t ")
    uncovered = [c for c in sorted(characters) if ord(c) > 127 and not covered(c)]
    assert not uncovered, f"no installed font draws {uncovered}"
    used = platform_fonts(page, "article h1, article p, article td")
    assert used and sum(used.values()) > 200
    if lang == "th":
        assert set(used) & fonts_covering("th"), f"Thai text drawn without a Thai font: {used}"


def covered(character: str) -> bool:
    listing = subprocess.run(["fc-list", f":charset={ord(character):x}", "family"], capture_output=True, text=True)
    return bool(listing.stdout.strip())
