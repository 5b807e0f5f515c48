"""Hit rate of the site's search box on the query set, per language (the note's before/after numbers).

Types every query of ``tests/e2e/search_queries.yml`` into the search box of a built site in headless
Chromium and counts the queries whose expected article is among the first three results, and the
queries that showed a page of another language. Works on stock Material search and on ours, since
both render into Material's result list.

    python benchmarks/search.py SITE_DIR [--lang vi] [--verbose]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import sys
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.languages import mkdocs_registry  # noqa: E402

QUERIES = ROOT / "tests" / "e2e" / "search_queries.yml"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REGISTRY = mkdocs_registry()
LANGS = REGISTRY.languages


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def lang_prefix(lang: str) -> str:
    return "/" if lang == REGISTRY.default else f"/{lang}/"


def result_paths(page, query: str, timeout: float = 6.0) -> list[str]:
    """Type ``query`` into the search box of the open page and return the result URLs' paths, in order."""
    box = page.locator(".md-search__input")
    toggle = page.locator("label.md-header__button[for=__search]").first
    (toggle if toggle.is_visible() else box).click()  # on phones the box hides behind a button
    box.fill("")
    box.press_sequentially(query, delay=20)
    output = page.locator(".md-search-result")
    deadline = time.monotonic() + timeout
    # Our search marks the list with the query it answered; stock Material gets a fixed settle time.
    while time.monotonic() < deadline:
        if output.get_attribute("data-query") == query:
            break
        page.wait_for_timeout(100)
        if output.get_attribute("data-query") is None and time.monotonic() > deadline - timeout + 2.5:
            break
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > li > a", "links => links.map(a => new URL(a.href).pathname)"
    )
    return list(dict.fromkeys(hrefs))  # a page's sections follow it; count each page once


def gzipped_size(path: Path) -> int:
    data = path.read_bytes()
    if path.suffix in (".pagefind", ".pf_index", ".pf_fragment", ".pf_meta"):
        return len(data)  # Pagefind writes these already compressed
    return len(gzip.compress(data, 9))


def page_weight(site: Path, base: str, browser, url: str, query: str) -> tuple[int, int, list[str]]:
    """Gzipped bytes fetched by ``url`` at load, and after a query has been answered (search ready)."""
    fetched: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(base + url, wait_until="networkidle")
    at_load = len(fetched)
    result_paths(page, query)
    page.wait_for_load_state("networkidle")
    page.close()

    def size(urls):
        total = 0
        for address in dict.fromkeys(urls):
            path = urllib.parse.urlparse(address).path
            file = site / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if file.is_file():
                total += gzipped_size(file)
        return total

    return size(fetched[:at_load]), size(fetched), [u.replace(base, "") for u in dict.fromkeys(fetched)]


def run(site: Path, langs=LANGS, verbose=False, weight_only=False) -> dict:
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    scores = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        for lang in langs:
            hits = foreign = 0
            for item in ([] if weight_only else queries[lang]):
                page = browser.new_page()
                page.goto(base + lang_prefix(lang))
                paths = result_paths(page, item["q"])
                page.close()
                expected = lang_prefix(lang) + item["page"] + "/"
                hit = expected in paths[:3]
                other = [p for p in paths if not p.startswith(lang_prefix(lang)) or
                         (lang == "en" and p.split("/")[1] in LANGS)]
                hits += hit
                foreign += bool(other)
                if verbose:
                    print(f"{lang} {'HIT ' if hit else 'MISS'} {item['q']!r} -> {paths[:3]}"
                          + (f" foreign={other[:2]}" if other else ""))
            load, ready, urls = page_weight(site, base, browser, lang_prefix(lang) + "billing/invoices/",
                                            queries[lang][0]["q"])
            if verbose:
                print(lang, "fetched:", " ".join(urls))
            scores[lang] = (hits, len(queries[lang]), foreign, load, ready)
        browser.close()
    server.shutdown()
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--lang", action="append", choices=LANGS)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--weight-only", action="store_true", help="measure page weight, skip the queries")
    args = parser.parse_args(argv)
    scores = run(args.site, args.lang or LANGS, args.verbose, args.weight_only)
    print("| language | top-3 hits | queries showing other languages | page at load (KB gz) "
          "| page with search ready (KB gz) |")
    print("| --- | --- | --- | --- | --- |")
    for lang, (hits, total, foreign, load, ready) in scores.items():
        print(f"| {lang} | {hits}/{total} | {foreign} | {load / 1024:.0f} | {ready / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
