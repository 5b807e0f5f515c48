"""Throughput and latency of the local stack under concurrent clients (prints figures; asserts nothing).

Starts ``python -m devstack`` afresh in its own process (moto, one process per function instance,
the gateway), then for each route — account status, invoice lookup, ticket, a static page — runs
1, 4 and 16 clients, each a process of its own with one keep-alive connection sending requests back
to back. Rounds are interleaved (route × clients, repeated) so the load of other work on the machine
hits every figure alike; each figure is the median over the rounds.

    .venv/bin/python benchmarks/load.py [--site-dir .local/site-bench] [--rounds 3] [--seconds 4]

Target (issue figures, 2 cores): ≥ 4× the single-process stack's 154 req/s at 16 clients on the
status route (≥ 616 req/s), p99 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import benchdata  # noqa: E402  (benchmarks/ is this script's folder)
from devstack.stack import build_site, start_subprocess  # noqa: E402

LEVELS = (1, 4, 16)
TARGET_RPS, TARGET_P99_MS, BASELINE_RPS = 616, 50.0, 154
ROUTES = {  # name → (method, API path or site path)
    "status": ("POST", "/accounts/status"),
    "lookup": ("POST", "/invoices/lookup"),
    "ticket": ("POST", "/tickets"),
    "static page": ("GET", "/billing/"),
}


def client(url: str, route: str, start_at: float, stop_at: float, first: int, results) -> None:
    """One client: back-to-back requests on one keep-alive connection; (latencies ms, failures)."""
    method, path = ROUTES[route]
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    latencies, failures, counter = [], 0, itertools.count(first)
    while time.time() < start_at:
        time.sleep(0.001)
    while (now := time.perf_counter()) and time.time() < stop_at:
        sample = benchdata.request(method, path, next(counter))
        body, headers = sample if sample else (None, {})
        connection.request(method, f"/api{path}" if sample else path, body=body,
                           headers={**headers, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - now) * 1000)
        failures += response.status >= 300
    connection.close()
    results.put((latencies, failures))


def run(url: str, route: str, clients: int, seconds: float, warmup: float, first: int) -> dict:
    """``clients`` processes for ``warmup`` + ``seconds``; only requests after the warm-up count."""
    results = multiprocessing.get_context("fork").Queue()
    start_at = time.time() + 0.3
    warm = [multiprocessing.get_context("fork").Process(
        target=client, args=(url, route, start_at, start_at + warmup, first + 100_000 * i, results))
        for i in range(clients)]
    for process in warm:
        process.start()
    for _ in warm:
        results.get()
    for process in warm:
        process.join()
    start_at = time.time() + 0.3
    processes = [multiprocessing.get_context("fork").Process(
        target=client, args=(url, route, start_at, start_at + seconds, first + 50_000 + 100_000 * i, results))
        for i in range(clients)]
    for process in processes:
        process.start()
    latencies, failures = [], 0
    for _ in processes:
        mine, failed = results.get()
        latencies += mine
        failures += failed
    for process in processes:
        process.join()
    ordered = sorted(latencies)
    return {"rps": len(ordered) / seconds, "p50": ordered[len(ordered) // 2],
            "p99": ordered[min(int(len(ordered) * 0.99), len(ordered) - 1)], "failures": failures,
            "count": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / ".local" / "site-bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--routes", nargs="*", default=list(ROUTES))
    args = parser.parse_args()
    if not (args.site_dir / "index.html").is_file():
        build_site(args.site_dir)
    with tempfile.TemporaryDirectory() as scratch:
        data = benchdata.write(Path(scratch) / "bench.yaml")
        process, url = start_subprocess(args.site_dir, str(data))  # with the demo data, as always
        try:
            figures = {(route, level): [] for route in args.routes for level in LEVELS}
            serial = itertools.count()
            for _ in range(args.rounds):
                for route in args.routes:
                    for level in LEVELS:
                        figures[route, level].append(
                            run(url, route, level, args.seconds, args.warmup, next(serial) * 10_000_000))
        finally:
            process.terminate()
            process.wait(30)
    print(f"\nLocal stack under load ({os.cpu_count()} cores, shared with other work: each figure is the median"
          f" of {args.rounds} interleaved rounds of {args.seconds:g} s)")
    print(f"  {'route':<12} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for (route, level), runs in figures.items():
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50"] for r in runs)
        p99 = statistics.median(r["p99"] for r in runs)
        failures = sum(r["failures"] for r in runs)
        target = ""
        if level == 16:
            target = (f"   target ≥ {TARGET_RPS} req/s (4 × {BASELINE_RPS}), p99 ≤ {TARGET_P99_MS:g} ms: "
                      f"{'met' if rps >= TARGET_RPS and p99 <= TARGET_P99_MS else 'NOT met'}")
        print(f"  {route:<12} {level:>7} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f} {failures:>8}{target}")


if __name__ == "__main__":
    main()
