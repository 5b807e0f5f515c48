"""Reading the knowledge base's Markdown: front matter, anchored headings, tables (no rendering)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.languages import mkdocs_registry

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGUAGES = mkdocs_registry().languages
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{#([\w-]+)\})?\s*$")


@dataclass(frozen=True)
class Page:
    path: Path
    front_matter: dict
    body: str

    @property
    def headings(self) -> list[tuple[int, str | None]]:
        """(level, explicit anchor) of every heading outside code fences."""
        found, fenced = [], False
        for line in self.body.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            match = None if fenced else HEADING.match(line)
            if match:
                found.append((len(match.group(1)), match.group(3)))
        return found

    @property
    def table_rows(self) -> list[int]:
        """Number of body rows of each Markdown table, in order."""
        tables, current = [], 0
        for line in self.body.splitlines() + [""]:
            if line.lstrip().startswith("|"):
                current += 1
            elif current:
                tables.append(current - 2)  # header and separator lines
                current = 0
        return tables


def read(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    front: dict = {}
    body = text
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        front, body = yaml.safe_load(text[4:end]) or {}, text[end + 4 :]
    return Page(path, front, body)


def relative_pages(lang: str) -> set[str]:
    base = DOCS / lang
    return {str(p.relative_to(base)) for p in base.rglob("*.md")}
