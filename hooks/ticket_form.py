"""The ticket form's lists, rendered at build time from the API's own configuration
(``functions/helpcenter/support.yml``), labelled from the page language's text catalog.

- ``{{ ticket_options:request_types }}``, ``{{ ticket_options:products }}``, ``{{ ticket_options:impacts }}``:
  ``<option>`` elements for a ``<select>``;
- ``{{ ticket_config }}``: a JSON object with the same labels (to show the severity reasons) and the
  limits the form guides with (description words, attachment types and size).
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))

from helpcenter.i18n.sentences import label  # noqa: E402
from helpcenter.support_schema import SUPPORT_FILE, SupportFile, read  # noqa: E402

OPTIONS = re.compile(r"\{\{ ticket_options:(request_types|products|impacts) \}\}")
KINDS = ("request_types", "products", "impacts", "regions")


@cache
def load(path: Path = SUPPORT_FILE) -> SupportFile:
    """The file as the functions read it: validated, so a misspelt key fails the build too."""
    return read(path)


def labels(kind: str, lang: str) -> dict[str, str]:
    return {code: label(lang, kind, code) for code in getattr(load(), kind)}  # a missing label fails the build


def options(kind: str, lang: str) -> str:
    return "\n".join(f'<option value="{escape(code)}">{escape(text)}</option>' for code, text in labels(kind, lang).items())


def form_config(lang: str) -> str:
    document = load()
    limits = document.limits
    data = {
        **{kind: labels(kind, lang) for kind in KINDS},
        "min_words": limits.description_min_words,
        "guide_words": list(limits.description_guide_words),
        "attachments": limits.attachments.model_dump(include={"max_files", "max_bytes", "content_types"}),
    }
    return json.dumps(data, ensure_ascii=False)


def expand(markdown: str, lang: str) -> str:
    if "{{ ticket_" not in markdown:
        return markdown
    markdown = OPTIONS.sub(lambda match: options(match.group(1), lang), markdown)
    return markdown.replace("{{ ticket_config }}", form_config(lang))


def on_page_markdown(markdown, page, config, files):
    return expand(markdown, config["theme"]["language"])
