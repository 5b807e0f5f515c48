"""Which translations are missing or stale, per language, as a table.

A page is *missing* in a language when ``docs/<lang>/<path>`` does not exist (the English page is
shown there instead). It is *stale* when git history shows that the English page changed after the
translation's last commit: a commit that touches the English file is reachable from HEAD but not
from that commit. Uncommitted edits count too: an English page edited in the work tree makes every
translation that is not also being edited stale.

    python tools/translation_status.py            # tables for every language
    python tools/translation_status.py --lang th  # one language
    python tools/translation_status.py --check    # exit 1 if anything is missing or stale (for CI)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.languages import mkdocs_config, registry_from_mkdocs  # noqa: E402


@dataclass(frozen=True)
class PageStatus:
    lang: str
    page: str  # path relative to docs/<lang>/
    state: str  # "ok", "missing" or "stale"
    detail: str = ""


def configured_languages(root: Path) -> tuple[str, list[str]]:
    """(source language, other languages) from the i18n plugin in mkdocs.yml, else from docs/."""
    try:
        registry = registry_from_mkdocs(mkdocs_config(root))
    except ValueError:  # no i18n plugin: the two-letter folders under docs/
        folders = sorted(path.name for path in (root / "docs").iterdir() if path.is_dir() and len(path.name) == 2)
        return "en", [name for name in folders if name != "en"]
    return registry.default, list(registry.languages[1:])


class Git:
    def __init__(self, root: Path):
        self.root = root
        prefix = self._run("rev-parse", "--show-prefix").strip()
        status = self._run("status", "--porcelain", "-z", "--untracked-files=all", "--", "docs")
        # Paths with uncommitted changes (modified, added, renamed or untracked), relative to root.
        entries = [entry[3:] for entry in status.split("\0") if len(entry) > 3 and entry[2] == " "]
        self.dirty = {entry[len(prefix):] if entry.startswith(prefix) else entry for entry in entries}

    def _run(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True,
                              check=True).stdout

    def last_commit(self, path: str) -> str | None:
        return self._run("log", "-1", "--format=%H", "--", path).strip() or None

    def commits_since(self, commit: str, path: str) -> list[str]:
        """Commits that touch ``path``, reachable from HEAD but not from ``commit``, newest first."""
        return self._run("rev-list", f"{commit}..HEAD", "--", path).split()

    def date(self, commit: str) -> str:
        return self._run("show", "-s", "--format=%cs", commit).strip()


def page_statuses(root: Path = ROOT, langs: list[str] | None = None) -> list[PageStatus]:
    source, others = configured_languages(root)
    langs = langs or others
    git = Git(root)
    source_dir = root / "docs" / source
    pages = sorted(path.relative_to(source_dir).as_posix() for path in source_dir.rglob("*.md"))
    statuses = []
    for lang in langs:
        for page in pages:
            english = f"docs/{source}/{page}"
            translation = f"docs/{lang}/{page}"
            if not (root / translation).is_file():
                statuses.append(PageStatus(lang, page, "missing", "no file: the English page is shown"))
                continue
            translated_in = git.last_commit(translation)
            newer = git.commits_since(translated_in, english) if translated_in else []
            if newer:
                statuses.append(PageStatus(
                    lang, page, "stale",
                    f"English changed in {len(newer)} commit(s) after the translation, last on "
                    f"{git.date(newer[0])} ({newer[0][:8]})",
                ))
            elif english in git.dirty and translation not in git.dirty:
                statuses.append(PageStatus(lang, page, "stale", "English has uncommitted changes"))
            else:
                statuses.append(PageStatus(lang, page, "ok"))
    return statuses


def render(statuses: list[PageStatus]) -> str:
    langs = list(dict.fromkeys(status.lang for status in statuses))
    lines = ["| language | up to date | missing | stale |", "| --- | --- | --- | --- |"]
    for lang in langs:
        mine = [status for status in statuses if status.lang == lang]
        count = {state: sum(status.state == state for status in mine) for state in ("ok", "missing", "stale")}
        lines.append(f"| {lang} | {count['ok']}/{len(mine)} | {count['missing']} | {count['stale']} |")
    problems = [status for status in statuses if status.state != "ok"]
    lines.append("")
    if not problems:
        lines.append("Every translation exists and is newer than its English page.")
        return "\n".join(lines)
    lines += ["| language | page | state | why |", "| --- | --- | --- | --- |"]
    for status in problems:
        lines.append(f"| {status.lang} | {status.page} | {status.state} | {status.detail} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Report missing and stale translations per language.")
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page is missing or stale")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    statuses = page_statuses(args.root, args.lang)
    print(render(statuses))
    return 1 if args.check and any(status.state != "ok" for status in statuses) else 0


if __name__ == "__main__":
    sys.exit(main())
