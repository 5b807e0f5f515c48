"""Build-time layout help: every article table scrolls inside its own visible, focusable container.

Material wraps tables in a scroll container from its JavaScript, unnamed and unreachable by keyboard,
with no sign that columns are hidden. Here each ``<table>`` of the article is wrapped at build time in
``<div class="hc-table-scroll" tabindex="0" role="region" aria-label="…">``, named after the heading
above it (or the page title), so a keyboard can scroll it and a screen reader names it;
``page-quality.css`` draws the edge shadows that show more columns are off to the side. The
last-update line becomes a plain block (see ``on_post_page``).
"""

from __future__ import annotations

import html
import re

from mkdocs.plugins import event_priority

TABLE = re.compile(r"<table>")
HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.S)
TAG = re.compile(r"<[^>]+>")
SOURCE_FILE_ASIDE = re.compile(r'<aside( class="md-source-file">.*?)</aside>', re.S)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def heading_text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub("", PERMALINK.sub("", fragment))).split())


def wrap_tables(content: str, fallback_name: str) -> str:
    """Every ``<table>…</table>`` of ``content`` inside a named, focusable scroll container."""
    out, position = [], 0
    for match in TABLE.finditer(content):
        end = content.find("</table>", match.end())
        if end < 0:
            break
        end += len("</table>")
        headings = list(HEADING.finditer(content, 0, match.start()))
        name = heading_text(headings[-1].group(2)) if headings else fallback_name
        out.append(content[position:match.start()])
        out.append(f'<div class="hc-table-scroll" tabindex="0" role="region" aria-label="{html.escape(name)}">'
                   f"{content[match.start():end]}</div>")
        position = end
    out.append(content[position:])
    return "".join(out)


@event_priority(-50)
def on_page_content(html_content, page, config, files):
    return wrap_tables(html_content, page.title or config["site_name"])


def on_post_page(output, page, config):
    """Material puts the last-update date in an <aside> inside the article: a complementary landmark
    nested in another landmark (axe "landmark-complementary-is-top-level"). It is a plain block."""
    return SOURCE_FILE_ASIDE.sub(r"<div\1</div>", output)
