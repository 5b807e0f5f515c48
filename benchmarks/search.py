"""Search benchmarks: the query suite's hit rate, and how the index scales as the site grows.

Hit rate: types every query of ``tests/e2e/search_queries.yml`` into the search box of a built site in
headless Chromium and counts the queries whose expected article is among the first three results, and
the queries that showed a page of another language. Works on stock Material search and on ours, since
both render into Material's result list.

Scale (``--scale``, run by ``make bench``): in a scratch copy of the project, adds 0, 50 and 200
generated articles per language (Thai included), builds the site each time and, in Chromium, types the
first queries of each language as a reader would (one key every 100 ms) on a fresh page, printing
beside each target: the search bytes a first query downloads (gzipped), the time from the last
keystroke to the results in the page, the page's long tasks while searching (count and longest, wall
clock, from a PerformanceObserver; the longest task's CPU time from a Chromium trace), the main thread's
CPU time after the last key, and the build time per extra page. The index alone is also written for 1,000 generated articles per language and queried the same
way (its pages are not built). Generated articles reuse each language's own sentences and headings,
plus real words of that language (Babel's country, currency and language names) so that the vocabulary
grows as a real help center's does.

    python benchmarks/search.py SITE_DIR [--lang vi] [--verbose]
    python benchmarks/search.py --scale [--sizes 0 50 200] [--index-size 1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.languages import mkdocs_registry  # noqa: E402
from tools.static_site import served  # noqa: E402

QUERIES = ROOT / "tests" / "e2e" / "search_queries.yml"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REGISTRY = mkdocs_registry()
LANGS = REGISTRY.languages


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

    with served(site) as base:
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
    return scores


# ---------------------------------------------------------------------------------------- scale
SIZES = (0, 50, 200)
INDEX_SIZE = 1000
QUERIES_PER_LANG = 3
KEY_DELAY_MS = 100  # a reader typing ten keys a second: every key can start a search
TARGETS = {"first_query_kb": 60, "latency_ms": 40, "long_task_ms": 50, "build_ms_per_page": 20}
EXTRA = "extra"  # folder of generated articles under docs/<lang>/
SKIPPED_LINE = re.compile(r"^\s*(#|!!!|\?\?\?|```|<|---|\{\{|title:|description:|[-*] \[)")
MARKUP = re.compile(r"\*\*|__|`|\{#[^}]*\}|\{\{[^}]*\}\}|<[^>]+>")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def language_material(docs: Path) -> tuple[list[str], list[str]]:
    """The sentences and the H2 headings of one language's articles, without Markdown."""
    sentences: list[str] = []
    headings: list[str] = []
    for file in sorted(docs.rglob("*.md")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                headings.append(MARKUP.sub("", line[3:]).strip())
            if not line.strip() or SKIPPED_LINE.match(line):
                continue
            text = MARKUP.sub("", LINK.sub(r"\1", line))
            text = re.sub(r"^\s*(\d+\.|[-*])\s+", "", text)
            cells = [cell.strip() for cell in text.split("|")] if "|" in text else [text.strip()]
            for cell in cells:
                if len(cell) > 20 and not set(cell) <= set("-: "):
                    sentences.extend(part for part in SENTENCE_END.split(cell) if len(part) > 15)
    return sentences, headings


def local_names(lang: str) -> list[str]:
    """Real words of ``lang``: Babel's names of countries, currencies and languages in that language."""
    from babel import Locale

    locale = Locale.parse(lang)
    names = [*locale.territories.values(), *locale.currencies.values(), *locale.languages.values()]
    return sorted({name for name in names if not name.isascii() or lang != "th"})


def article(lang: str, number: int, sentences: list[str], headings: list[str], names: list[str]) -> str:
    """Markdown of generated article ``number`` of ``lang``: the language's own sentences, real names."""
    rng = random.Random(f"{lang}-{number}")
    title = f"{rng.choice(headings)} — {rng.choice(names)}"
    parts = [f"# {title}\n"]
    for _ in range(rng.randint(4, 6)):
        parts.append(f"## {rng.choice(headings)} ({rng.choice(names)})\n")
        for _ in range(rng.randint(2, 3)):
            named = ", ".join(rng.sample(names, 3))
            parts.append(f"{named}. " + " ".join(rng.sample(sentences, rng.randint(2, 4))) + "\n")
    return "\n".join(parts)


def write_extra_articles(project: Path, count: int) -> None:
    for lang in LANGS:
        folder = project / "docs" / lang / EXTRA
        shutil.rmtree(folder, ignore_errors=True)
        if not count:
            continue
        folder.mkdir(parents=True)
        sentences, headings = language_material(project / "docs" / lang)
        names = local_names(lang)
        for number in range(count):
            (folder / f"article-{number}.md").write_text(article(lang, number, sentences, headings, names),
                                                         encoding="utf-8")


def scratch_project(work: Path) -> Path:
    project = work / "project"
    skipped = shutil.ignore_patterns(".venv", ".git", "site", ".local", "node_modules", ".pytest_cache")
    shutil.copytree(ROOT, project, ignore=skipped)
    return project


def build(project: Path, site: Path) -> float:
    """Build the site (committed first, as the git dates plugin reads history); CPU seconds taken."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-C", str(project)]
    if not (project / ".git").exists():
        subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "bench"], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                   cwd=project, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def index_only(project: Path, site: Path, target: Path, count: int) -> None:
    """A copy of ``site`` whose search index holds ``count`` generated articles more per language."""
    import markdown  # type: ignore[import-untyped]  # Python-Markdown ships no type hints

    sys.path.insert(0, str(ROOT))
    from hooks.search_index import page_record, write_index

    shutil.copytree(site, target)
    converter = markdown.Markdown(extensions=["toc"])
    for lang in LANGS:
        entry = json.loads((site / "search" / f"{lang}.json").read_text(encoding="utf-8"))
        folder = site / "search" / entry["base"] / "p"
        pages = [page for file in sorted(folder.glob("*.json"), key=lambda file: int(file.stem))
                 for page in json.loads(file.read_text(encoding="utf-8"))]
        sentences, headings = language_material(project / "docs" / lang)
        names = local_names(lang)
        prefix = lang_prefix(lang).lstrip("/")
        for number in range(count):
            html = converter.reset().convert(article(lang, number, sentences, headings, names))
            title = re.sub(r"<[^>]+>", "", html.split("</h1>")[0])
            pages.append(page_record(f"{prefix}{EXTRA}/big-{number}/", title, html, thai=lang == "th"))
        write_index(target, lang, pages)


# Times the reader's last key from a capturing listener (it runs before the search's own, which can show
# held results within the same task), the first results of ``query`` in the page and the list complete
# (the first results come at once, the others over the next frames: no longer aria-busy), and resolves
# ``done`` then, so the benchmark waits without polling the page (polling adds tasks of its own).
PROBE = """query => {
  const state = { lastKey: 0, shown: 0, complete: 0, longest: 0, longTasks: 0, opened: performance.now() };
  window.__searchBench = state;
  window.__searchDone = new Promise(resolve => { state.resolve = resolve; });
  new PerformanceObserver(list => list.getEntries().forEach(task => {
    if (task.startTime < state.opened) return;
    state.longTasks += 1;
    state.longest = Math.max(state.longest, task.duration);
  })).observe({ type: "longtask", buffered: true });
  document.addEventListener("input", () => { state.lastKey = performance.now(); }, true);
  const output = document.querySelector(".md-search-result");
  const list = output.querySelector(".md-search-result__list");
  new MutationObserver(() => {
    if (output.getAttribute("data-query") !== query) return;
    if (!state.shown) state.shown = performance.now();
    if (!state.complete && !list.hasAttribute("aria-busy")) {
      state.complete = performance.now();
      state.resolve();
    }
  }).observe(output, { attributes: true, subtree: true, attributeFilter: ["data-query", "aria-busy"] });
}"""


def first_query(browser, base: str, site: Path, lang: str, query: str, typed: bool) -> dict:
    """One reader's first query on a fresh page, typed key by key or pasted: search bytes (gzipped),
    time from the last input to the results in the page, the long tasks of the page's main thread (count
    and longest, wall clock, from the page's own PerformanceObserver), the CPU time of its longest task
    (from a trace) and its CPU time from the last key to the results."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.goto(base + lang_prefix(lang), wait_until="networkidle")
    page.on("request", lambda request: fetched.append(urllib.parse.urlparse(request.url).path))
    page.evaluate(PROBE, query)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    tasks = MainThreadTasks(cdp)
    box = page.locator(".md-search__input")
    box.click()
    if typed:
        box.press_sequentially(query[:-1], delay=KEY_DELAY_MS)
        page.wait_for_timeout(KEY_DELAY_MS)
        before = main_thread_seconds(cdp)
        box.press_sequentially(query[-1])
    else:
        before = main_thread_seconds(cdp)
        box.fill(query)
    page.evaluate("() => Promise.race([window.__searchDone, new Promise((_, reject) => "
                  "setTimeout(() => reject(new Error('no results within 15 s')), 15000))])")
    cpu = main_thread_seconds(cdp) - before
    page.wait_for_load_state("networkidle")
    task_cpu = tasks.longest_cpu_ms(page)
    state = page.evaluate("() => { const { resolve, ...figures } = window.__searchBench; return figures; }")
    context.close()
    searched = [path for path in dict.fromkeys(fetched) if path.startswith("/search/")]
    size = sum(gzipped_size(site / path.lstrip("/")) for path in searched if (site / path.lstrip("/")).is_file())
    return {"bytes": size, "files": len(searched), "latency": state["shown"] - state["lastKey"],
            "complete": state["complete"] - state["lastKey"],
            "longest": state["longest"], "long_tasks": state["longTasks"], "task_cpu": task_cpu,
            "cpu": cpu * 1000}


def main_thread_seconds(cdp) -> float:
    """CPU time the page's main thread has used (Chromium's ThreadTime): unlike wall-clock durations,
    it does not stretch when other processes hold the machine's cores."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(metric["value"] for metric in metrics if metric["name"] == "ThreadTime")


class MainThreadTasks:
    """The tasks of the page's main thread from now on, from a Chromium trace (Tracing domain): each
    task's CPU time (``tdur``), which, unlike its wall-clock duration, does not stretch while other
    processes hold the machine's cores."""

    CATEGORY = "disabled-by-default-devtools.timeline"  # the category that records each RunTask

    def __init__(self, cdp):
        self.cdp = cdp
        self.events: list[dict] = []
        self.complete = False
        cdp.on("Tracing.dataCollected", lambda event: self.events.extend(event["value"]))
        cdp.on("Tracing.tracingComplete", lambda _event: setattr(self, "complete", True))
        cdp.send("Tracing.start", {"traceConfig": {"includedCategories": [self.CATEGORY]},
                                   "transferMode": "ReportEvents"})

    def longest_cpu_ms(self, page) -> float:
        self.cdp.send("Tracing.end")
        while not self.complete:
            page.wait_for_timeout(20)
        main = {(event["pid"], event["tid"]) for event in self.events
                if event.get("name") == "thread_name" and event["args"].get("name") == "CrRendererMain"}
        return max((event.get("tdur", 0) / 1000 for event in self.events
                    if event.get("name") == "RunTask" and (event["pid"], event["tid"]) in main), default=0.0)


def measure_site(browser, site: Path, queries: dict) -> dict:
    rows = {}
    with served(site) as base:
        for lang in LANGS:
            chosen = [item["q"] for item in queries[lang][:QUERIES_PER_LANG]]
            pasted = [first_query(browser, base, site, lang, query, typed=False) for query in chosen]
            typed = [first_query(browser, base, site, lang, query, typed=True) for query in chosen]
            rows[lang] = {
                "kb": max(run["bytes"] for run in pasted) / 1024,
                "files": max(run["files"] for run in pasted),
                "typed_kb": max(run["bytes"] for run in typed) / 1024,
                "latency": statistics.median(run["latency"] for run in typed),
                "latency_max": max(run["latency"] for run in typed + pasted),
                "complete": statistics.median(run["complete"] for run in typed),
                "longest": max(run["longest"] for run in typed + pasted),
                "long_tasks": max(run["long_tasks"] for run in typed + pasted),
                "task_cpu": max(run["task_cpu"] for run in typed + pasted),
                "cpu_typed": max(run["cpu"] for run in typed),
                "cpu_pasted": max(run["cpu"] for run in pasted),
            }
    return rows


def entry_and_pieces_kb(site: Path, lang: str) -> float:
    """Gzipped size of a language's whole index (entry and every piece): what one file would weigh."""
    entry = json.loads((site / "search" / f"{lang}.json").read_text(encoding="utf-8"))
    files = [site / "search" / f"{lang}.json", *(site / "search" / entry["base"]).rglob("*.json")]
    return sum(gzipped_size(file) for file in files) / 1024


def mark(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def scale(sizes=SIZES, index_size=INDEX_SIZE) -> int:
    from playwright.sync_api import sync_playwright

    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    (ROOT / ".local").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="search-bench-", dir=ROOT / ".local"))
    results, builds = {}, {}
    try:
        project = scratch_project(work)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
            for count in sizes:
                write_extra_articles(project, count)
                site = work / f"site-{count}"
                builds[count] = build(project, site)
                results[count] = (measure_site(browser, site, queries),
                                  {lang: entry_and_pieces_kb(site, lang) for lang in LANGS})
                print(f"built and measured +{count} articles per language ({builds[count]:.1f} s CPU)",
                      file=sys.stderr)
            if index_size:
                write_extra_articles(project, 0)
                big = work / f"index-{index_size}"
                index_only(project, work / f"site-{sizes[0]}", big, index_size)
                results[f"{index_size}*"] = (measure_site(browser, big, queries),
                                            {lang: entry_and_pieces_kb(big, lang) for lang in LANGS})
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nMachine load average while measuring (1/5/15 min): {load} on {os.cpu_count()} cores — "
          "browser timings stretch with it.")
    print(f"\nSearch at scale: the first {QUERIES_PER_LANG} queries of each language on a fresh page, pasted "
          f"(one search) and typed at one key per {KEY_DELAY_MS} ms (a search per key); * = index only\n")
    print("| extra articles per language | language | whole index (KB gz) | first query downloads (KB gz, max) "
          f"≤ {TARGETS['first_query_kb']} at 1,000 | files | same query typed key by key (KB gz, max) "
          f"| results after last key (ms, median / max) ≤ {TARGETS['latency_ms']} at 200 "
          "| whole list after last key (ms, median) "
          f"| long tasks while searching: count (max per query) / longest (ms wall) ≤ {TARGETS['long_task_ms']} "
          f"| longest main-thread task (ms CPU) ≤ {TARGETS['long_task_ms']} "
          "| main-thread CPU after the last key, typed / pasted (ms, max) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for count, (rows, whole) in results.items():
        for lang, row in rows.items():
            longest = f"{row['long_tasks']} / {row['longest']:.0f}" if row["longest"] else "0 / none over 50"
            print(f"| {count} | {lang} | {whole[lang]:.0f} | {row['kb']:.1f} | {row['files']} | "
                  f"{row['typed_kb']:.1f} | {row['latency']:.0f} / {row['latency_max']:.0f} | {row['complete']:.0f} | "
                  f"{longest} | "
                  f"{row['task_cpu']:.1f} | {row['cpu_typed']:.0f} / {row['cpu_pasted']:.0f} |")
    print()
    verdicts = []
    big_rows = results.get(f"{index_size}*", (None,))[0]
    if big_rows:
        worst = max(row["kb"] for row in big_rows.values())
        verdicts.append(f"first query at {index_size} per language: {worst:.1f} KB gz (max) — "
                        f"{mark(worst, TARGETS['first_query_kb'])}")
    at = 200 if 200 in results else max(sizes)
    worst_latency = max(row["latency"] for row in results[at][0].values())
    verdicts.append(f"results after last key at +{at}: {worst_latency:.0f} ms (worst language median) — "
                    f"{mark(worst_latency, TARGETS['latency_ms'])}")
    every_row = [row for rows, _ in results.values() for row in rows.values()]
    longest = max(row["longest"] for row in every_row)
    task_cpu = max(row["task_cpu"] for row in every_row)
    cpu = max(max(row["cpu_typed"], row["cpu_pasted"]) for row in every_row)
    verdicts.append(f"longest main-thread task while searching, every size: {task_cpu:.1f} ms CPU — "
                    f"{mark(task_cpu, TARGETS['long_task_ms'])} ({longest:.0f} ms wall at this machine's load"
                    f"{'' if longest else ': none over 50'}); main-thread CPU from the last key to the results "
                    f"at most {cpu:.0f} ms")
    if len(sizes) > 1:
        low, high = min(sizes), max(sizes)
        per_page = (builds[high] - builds[low]) / ((high - low) * len(LANGS)) * 1000
        verdicts.append(f"site build: {builds[low]:.1f} s CPU at +{low}, {builds[high]:.1f} s at +{high}; "
                        f"{per_page:.1f} ms CPU per extra page — {mark(per_page, TARGETS['build_ms_per_page'])}")
    for line in verdicts:
        print(f"- {line}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?")
    parser.add_argument("--lang", action="append", choices=LANGS)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--weight-only", action="store_true", help="measure page weight, skip the queries")
    parser.add_argument("--scale", action="store_true", help="grow the site and measure the index")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--index-size", type=int, default=INDEX_SIZE)
    args = parser.parse_args(argv)
    if args.scale:
        return scale(tuple(args.sizes), args.index_size)
    if not args.site:
        parser.error("give SITE_DIR or --scale")
    scores = run(args.site, args.lang or LANGS, args.verbose, args.weight_only)
    print("| language | top-3 hits | queries showing other languages | page at load (KB gz) "
          "| page with search ready (KB gz) |")
    print("| --- | --- | --- | --- | --- |")
    for lang, (hits, total, foreign, load, ready) in scores.items():
        print(f"| {lang} | {hits}/{total} | {foreign} | {load / 1024:.0f} | {ready / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
