"""One language registry, read from mkdocs.yml; a sixth language is refused until every piece exists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from helpcenter import i18n
from hooks import i18n_checks
from tools import languages

ROOT = Path(__file__).resolve().parents[2]


def test_the_functions_ship_the_languages_of_mkdocs_yml():
    assert i18n.load_registry() == languages.mkdocs_registry()
    assert i18n.LANGUAGES[0] == i18n.DEFAULT == "en"
    assert i18n.BRAND == languages.mkdocs_config(ROOT)["extra"]["brand"]


def test_every_language_is_complete():
    assert languages.missing_pieces(ROOT) == []


def test_supported_reads_tags_and_refuses_others():
    assert [i18n.supported(tag) for tag in ("fr-CA", "TH", "vi_VN", "es", "", None)] == ["fr", "th", "vi", None, None, None]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The parts of the repository a language lives in, copied."""
    for part in ("mkdocs.yml", "docs", "functions/helpcenter/i18n", "tests/e2e/search_queries.yml"):
        source, target = ROOT / part, tmp_path / part
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return tmp_path


def add_to_mkdocs(project: Path, entry: dict) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    anchor = "  - git-revision-date-localized:"
    indented = "".join(f"        {line}\n" for line in block.splitlines())
    path.write_text(text.replace(anchor, indented + anchor, 1), encoding="utf-8")


def test_a_sixth_language_fails_until_every_piece_exists(project: Path):
    add_to_mkdocs(project, {"locale": "es", "name": "Español", "build": True})
    missing = languages.missing_pieces(project)
    assert any("site.json: out of date" in line for line in missing)
    assert "es: no text catalog functions/helpcenter/i18n/catalogs/es.yml" in missing
    assert "es: no page docs/es/forms/submit-ticket.md" in missing
    assert "es: mkdocs.yml sets no site_name for it" in missing
    assert any(line.startswith("es: mkdocs.yml nav_translations lacks") for line in missing)
    assert "es: tests/e2e/search_queries.yml has no queries for it" in missing

    # every piece, one after the other, as WRITING.md lists them
    registry = i18n.registry_from_mkdocs(languages.mkdocs_config(project))
    languages.registry_file(project).write_text(registry.as_json(), encoding="utf-8")
    shutil.copy(project / "functions/helpcenter/i18n/catalogs/en.yml", project / "functions/helpcenter/i18n/catalogs/es.yml")
    shutil.copytree(project / "docs" / "en", project / "docs" / "es")
    queries = project / "tests/e2e/search_queries.yml"
    queries.write_text(queries.read_text(encoding="utf-8") + "es:\n  - {q: factura, page: billing/invoices}\n",
                       encoding="utf-8")
    assert languages.missing_pieces(project) == [
        "es: mkdocs.yml sets no site_name for it", "es: mkdocs.yml sets no site_description for it",
        "es: mkdocs.yml nav_translations lacks Home, Billing, Partners, Forms"]
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "name: Español\n", "name: Español\n          site_name: Centro de ayuda {brand}\n"
        "          site_description: Ayuda con la facturación\n          nav_translations: {Home: Inicio, Billing: "
        "Facturación, Partners: Socios, Forms: Formularios}\n"), encoding="utf-8")
    assert languages.missing_pieces(project) == []


def test_the_build_refuses_a_language_the_functions_do_not_ship():
    entries = [{"locale": lang, "default": lang == "en", "build": True} for lang in (*i18n.LANGUAGES, "es")]
    problems = i18n_checks.registry_problems(entries, i18n.BRAND)
    assert any("site.json has" in problem for problem in problems)
    assert any("no text catalog functions/helpcenter/i18n/catalogs/es.yml" in problem for problem in problems)


def test_an_unknown_placeholder_fails_the_build():
    class Page:
        class file:
            src_uri = "fr/index.md"

    with pytest.raises(PluginError, match=r"\{\{ brnad \}\}"):
        i18n_checks.on_page_markdown("Bienvenue chez {{ brnad }}.", Page, {}, None)
    shown = "Write `{{ brand }}` where the name goes.\n\n```\n{{ phone_lines }}\n```\n"
    assert i18n_checks.on_page_markdown(shown, Page, {}, None) == shown
