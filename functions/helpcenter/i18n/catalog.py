"""One text catalog per language: ``catalogs/<lang>.yml``, with the same keys in every language.

Keys are dotted paths (``forms.account_status.checking``, ``statuses.past_due``). Placeholders are
``{name}`` (Python ``str.format`` syntax, also read by the form scripts). A message that depends on a
count is a mapping of CLDR plural categories (``one``, ``other`` …) chosen with Babel's plural rules.
There is no fallback: a key missing in a language raises ``MissingText``, and
``tests/unit/test_catalogs.py`` checks that every key and placeholder exists in every language.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from helpcenter.i18n import HERE, registry

CATALOG_DIR = HERE / "catalogs"
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Leaf = str | list[str] | dict[str, str]  # a message, a list of messages, or a plural mapping (category → message)


class MissingText(KeyError):
    """A key the catalog of a language does not have (never silently replaced by another language)."""


def catalog_path(lang: str, directory: Path = CATALOG_DIR) -> Path:
    return directory / f"{lang}.yml"


@cache
def catalog(lang: str) -> dict:
    if lang not in registry().languages:
        raise MissingText(f"{lang!r} is not one of the site's languages {registry().languages}")
    path = catalog_path(lang)
    if not path.exists():
        raise MissingText(f"no catalog for {lang!r}: {path}")
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


def lookup(lang: str, key: str | tuple[str, ...]):
    """The value at a dotted ``key``, or at a path of keys (for keys that hold dots themselves): a
    string, a list, a plural mapping or a whole section."""
    node = catalog(lang)
    for part in key.split(".") if isinstance(key, str) else key:
        if not isinstance(node, dict) or part not in node:
            raise MissingText(f"{lang}: no text {key!r} in {catalog_path(lang).name}")
        node = node[part]
    return node


def is_plural(value) -> bool:
    return isinstance(value, dict) and "other" in value and set(value) <= PLURAL_CATEGORIES


def text(lang: str, key: str, **params) -> str:
    """The message at ``key`` in ``lang`` with its placeholders filled (every one must be given)."""
    value = lookup(lang, key)
    if not isinstance(value, str):
        raise MissingText(f"{lang}: {key!r} is not a single message")
    return value.format(**params) if params or placeholders(value) else value


def plural(lang: str, key: str, count: int, **params) -> str:
    """The form of a counted message for ``count`` under the language's CLDR plural rule."""
    from babel import Locale  # a build- and e-mail-time need: keeps Babel out of the handlers' cold start

    forms = lookup(lang, key)
    if not is_plural(forms):
        raise MissingText(f"{lang}: {key!r} is not a plural message")
    category = Locale.parse(lang).plural_form(count)
    return forms.get(category, forms["other"]).format(count=count, **params)


def placeholders(message: str) -> set[str]:
    """``{name}`` fields of a message (``{{`` escapes are not fields)."""
    return {field for _, field, _, _ in string.Formatter().parse(message) if field is not None}


def flatten(tree: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Leaf]:
    """Key path → leaf (a message, a list of messages, or a plural mapping). Paths are tuples because
    some keys hold dots themselves (``field_codes``: ``requester_email.free_mail_domain``)."""
    if isinstance(tree, dict) and not is_plural(tree):
        leaves: dict[tuple[str, ...], Leaf] = {}
        for key, value in tree.items():
            leaves.update(flatten(value, (*path, str(key))))
        return leaves
    return {path: tree}


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _messages(leaf: Leaf) -> list[str]:
    if isinstance(leaf, str):
        return [leaf]
    if isinstance(leaf, list):
        return [item for item in leaf if isinstance(item, str)]
    return [form for form in leaf.values() if isinstance(form, str)]


@cache
def plural_categories(lang: str) -> frozenset[str]:
    """The CLDR plural categories the counts we write (0–999: days, invoices, words) reach in ``lang``
    (French "many" starts at a million, so it is not required)."""
    from babel import Locale

    rule = Locale.parse(lang).plural_form
    return frozenset(rule(number) for number in range(1000)) | {"other"}


def completeness_problems(catalogs: dict[str, dict], default: str) -> list[str]:
    """Every way the catalogs disagree with the default language's: missing or extra keys, a list of
    another length, a placeholder missing or added, an empty message, a plural category missing."""
    reference = flatten(catalogs[default])
    problems = []
    for lang, tree in catalogs.items():
        leaves = flatten(tree)
        problems += [f"{lang}: missing {dotted(path)}" for path in reference if path not in leaves]
        problems += [f"{lang}: {dotted(path)} is not in the {default} catalog" for path in leaves if path not in reference]
        needed = plural_categories(lang)
        for path, leaf in leaves.items():
            if path not in reference:
                continue
            key, source = dotted(path), reference[path]
            if type(leaf) is not type(source) and not (is_plural(leaf) and is_plural(source)):
                problems.append(f"{lang}: {key} is a {type(leaf).__name__}, not a {type(source).__name__}")
                continue
            if isinstance(leaf, list) and len(leaf) != len(source):
                problems.append(f"{lang}: {key} has {len(leaf)} items, {default} has {len(source)}")
            if is_plural(leaf) and not needed <= set(leaf):
                problems.append(f"{lang}: {key} lacks the plural forms {sorted(needed - set(leaf))}")
            if any(not message.strip() for message in _messages(leaf)):
                problems.append(f"{lang}: {key} is empty")
            expected = set[str]().union(*map(placeholders, _messages(source)))
            found = set[str]().union(*map(placeholders, _messages(leaf)))
            if expected != found:
                problems.append(f"{lang}: {key} has placeholders {sorted(found)}, {default} has {sorted(expected)}")
    return problems


def load_all(directory: Path = CATALOG_DIR, languages: tuple[str, ...] | None = None) -> dict[str, dict]:
    """Every language's catalog from ``directory`` (a missing file raises ``MissingText``)."""
    result = {}
    for lang in languages or registry().languages:
        path = catalog_path(lang, directory)
        if not path.exists():
            raise MissingText(f"no catalog for {lang!r}: {path}")
        result[lang] = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    return result
