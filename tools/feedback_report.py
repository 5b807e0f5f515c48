"""The writers' feedback report (``make feedback``): per article and language, the votes and comments
of "Was this helpful?", and the searches that found nothing, most frequent first.

With ``--local URL`` (what ``make feedback`` does) it asks the running local stack (``make serve``)
for its report at ``URL/_local/feedback``; otherwise (``make feedback AWS=1``) it reads the table named
by ``TABLE_NAME`` in your AWS credentials' account (or the DynamoDB named by
``AWS_ENDPOINT_URL_DYNAMODB``). Prints Markdown.
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "functions"))


def page_rows(pages: list[dict]) -> list[str]:
    rows = ["| article | language | helpful | not helpful | helpful share |", "| --- | --- | --- | --- | --- |"]
    ordered = sorted(pages, key=lambda p: (-(p.get("helpful", 0) + p.get("not_helpful", 0)), p["page"], p["lang"]))
    for item in ordered:
        yes, no = item.get("helpful", 0), item.get("not_helpful", 0)
        share = f"{round(100 * yes / (yes + no))} %" if yes + no else "–"
        rows.append(f"| {item['page']} | {item['lang']} | {yes} | {no} | {share} |")
    return rows


def comment_rows(comments: list[dict]) -> list[str]:
    rows = ["| article | language | helpful | when | comment |", "| --- | --- | --- | --- | --- |"]
    for item in sorted(comments, key=lambda c: (c["page"], c["lang"], c["at"])):
        text = item["comment"].replace("|", "\\|")
        rows.append(f"| {item['page']} | {item['lang']} | {'yes' if item['helpful'] else 'no'} | {item['at']} | {text} |")
    return rows


def search_rows(searches: list[dict]) -> list[str]:
    rows = ["| language | query | times | last seen |", "| --- | --- | --- | --- |"]
    for item in sorted(searches, key=lambda s: (-s["count"], s["lang"], s["query"])):
        rows.append(f"| {item['lang']} | {item['query'].replace('|', chr(92) + '|')} | {item['count']} | {item['last_seen']} |")
    return rows


def report(items: dict[str, list[dict]]) -> str:
    parts = ["## Was this helpful? (votes per article and language)", "",
             *(page_rows(items["pages"]) if items["pages"] else ["No vote yet."]), "",
             "## Comments", "", *(comment_rows(items["comments"]) if items["comments"] else ["No comment yet."]), "",
             "## Searches that found nothing", "",
             *(search_rows(items["searches"]) if items["searches"] else ["None counted yet."])]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", metavar="URL", help="the local stack's address, e.g. http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    if args.local:
        try:
            with urllib.request.urlopen(f"{args.local.rstrip('/')}/_local/feedback", timeout=10) as response:
                print(response.read().decode("utf-8"), end="")
        except OSError as error:
            print(f"No local stack answers at {args.local} ({error}). Start it with make serve, "
                  "or read AWS with make feedback AWS=1.", file=sys.stderr)
            return 1
        return 0
    from helpcenter.store.feedback import feedback_items

    print(report(feedback_items()), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
