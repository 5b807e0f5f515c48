"""tools/translation_status.py on a throw-away git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools import translation_status
from tools.translation_status import PageStatus, page_statuses, render

MKDOCS_YML = """
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
        - locale: en
          default: true
        - locale: vi
        - locale: th
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""


@pytest.fixture
def repo(tmp_path: Path):
    def git(*args):
        identity = ["-c", "user.name=t", "-c", "user.email=t@localhost"]
        subprocess.run(["git", *identity, "-C", str(tmp_path), *args], check=True, capture_output=True)

    def write(path, text="text"):
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")

    def commit(message):
        git("add", "-A")
        git("commit", "-q", "-m", message)

    git("init", "-q")
    write("mkdocs.yml", MKDOCS_YML)
    for page in ("index.md", "billing/invoices.md", "billing/cards.md"):
        write(f"docs/en/{page}")
        write(f"docs/vi/{page}")
    write("docs/th/index.md")
    commit("first version in English, Vietnamese, part of Thai")
    return SimpleNamespace(root=tmp_path, write=write, commit=commit)


def states(repo, lang):
    return {status.page: status.state for status in page_statuses(repo.root, [lang])}


def test_languages_come_from_the_i18n_plugin(repo):
    assert translation_status.configured_languages(repo.root) == ("en", ["vi", "th"])


def test_missing_translations_are_listed(repo):
    assert states(repo, "th") == {
        "billing/cards.md": "missing", "billing/invoices.md": "missing", "index.md": "ok"
    }


def test_english_changed_after_the_translation_makes_it_stale(repo):
    repo.write("docs/en/billing/invoices.md", "new English text")
    repo.commit("English update")
    assert states(repo, "vi") == {"billing/cards.md": "ok", "billing/invoices.md": "stale", "index.md": "ok"}
    detail = next(s.detail for s in page_statuses(repo.root, ["vi"]) if s.page == "billing/invoices.md")
    assert "1 commit(s)" in detail


def test_translation_updated_after_the_english_is_up_to_date_again(repo):
    repo.write("docs/en/billing/invoices.md", "new English text")
    repo.commit("English update")
    repo.write("docs/vi/billing/invoices.md", "bản dịch mới")
    repo.commit("Vietnamese catches up")
    assert states(repo, "vi")["billing/invoices.md"] == "ok"


def test_uncommitted_english_edit_marks_translations_stale_until_they_are_edited_too(repo):
    repo.write("docs/en/index.md", "edited, not committed")
    assert states(repo, "vi")["index.md"] == "stale"
    repo.write("docs/vi/index.md", "cũng đang sửa")
    assert states(repo, "vi")["index.md"] == "ok"


def test_report_is_a_table_per_language_with_one_row_per_problem():
    text = render([
        PageStatus("vi", "index.md", "ok"),
        PageStatus("vi", "billing/invoices.md", "stale", "English changed"),
        PageStatus("th", "index.md", "missing", "no file"),
    ])
    assert "| vi | 1/2 | 0 | 1 |" in text
    assert "| th | 0/1 | 1 | 0 |" in text
    assert "| vi | billing/invoices.md | stale | English changed |" in text


def test_check_fails_when_something_is_missing(repo, capsys):
    assert translation_status.main(["--root", str(repo.root), "--lang", "vi"]) == 0
    assert translation_status.main(["--root", str(repo.root), "--lang", "th", "--check"]) == 1
    assert "| th | billing/cards.md | missing |" in capsys.readouterr().out
