"""The language registry: regenerate ``functions/helpcenter/i18n/site.json`` from ``mkdocs.yml``
and list every piece a language still lacks.

    .venv/bin/python tools/languages.py            # write site.json, print what is missing
    .venv/bin/python tools/languages.py --check    # exit 1 if site.json is stale or a piece is missing

Adding a language (see WRITING.md) is done when this prints nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))

from helpcenter.i18n import Registry, registry_from_mkdocs  # noqa: E402


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even where it uses tags like ``!ENV`` or ``!!python/name`` (read as None)."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config(root: Path = ROOT) -> dict:
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}


def mkdocs_registry(root: Path = ROOT) -> Registry:
    """The one source of the language list: the i18n plugin in ``mkdocs.yml``."""
    return registry_from_mkdocs(mkdocs_config(root))


def registry_file(root: Path) -> Path:
    return root / "functions" / "helpcenter" / "i18n" / "site.json"


def _i18n_languages(config: dict) -> list[dict]:
    plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    return plugin["i18n"]["languages"]


def missing_pieces(root: Path = ROOT) -> list[str]:
    """Everything a configured language still needs, one line each (empty: every language is complete)."""
    config = mkdocs_config(root)
    registry = registry_from_mkdocs(config)
    problems = []
    generated = registry_file(root)
    if not generated.exists() or generated.read_text(encoding="utf-8") != registry.as_json():
        problems.append(f"{generated.relative_to(root)}: out of date with mkdocs.yml (run tools/languages.py)")
    english_pages = sorted(p.relative_to(root / "docs" / registry.default)
                           for p in (root / "docs" / registry.default).rglob("*.md"))
    nav_sections = [next(iter(item)) for item in config.get("nav") or [] if isinstance(item, dict)]
    queries = yaml.safe_load((root / "tests" / "e2e" / "search_queries.yml").read_text(encoding="utf-8")) or {}
    for entry in _i18n_languages(config):
        lang = entry["locale"]
        if not (root / "functions" / "helpcenter" / "i18n" / "catalogs" / f"{lang}.yml").exists():
            problems.append(f"{lang}: no text catalog functions/helpcenter/i18n/catalogs/{lang}.yml")
        for page in english_pages:
            if not (root / "docs" / lang / page).exists():
                problems.append(f"{lang}: no page docs/{lang}/{page}")
        if lang == registry.default:
            continue
        for option in ("site_name", "site_description"):
            if not entry.get(option):
                problems.append(f"{lang}: mkdocs.yml sets no {option} for it")
        untranslated = [s for s in nav_sections if s not in (entry.get("nav_translations") or {})]
        if untranslated:
            problems.append(f"{lang}: mkdocs.yml nav_translations lacks {', '.join(untranslated)}")
        if not queries.get(lang):
            problems.append(f"{lang}: tests/e2e/search_queries.yml has no queries for it")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is missing")
    args = parser.parse_args(argv)
    if not args.check:
        registry_file(ROOT).write_text(mkdocs_registry().as_json(), encoding="utf-8")
    problems = missing_pieces()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
