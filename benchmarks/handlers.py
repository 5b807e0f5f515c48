"""Cold start and per-request cost of every HTTP handler, beside their targets (prints; asserts nothing).

For each function of the template with an HTTP route, fresh interpreters run with that function's
own environment (as the local stack gives it, with tracing and metrics on as on Lambda) against the
local DynamoDB with benchmark data:

- **init**: CPU time of the whole process (interpreter start included) to import the handler and
  create its DynamoDB client, over the **floor** — a fresh interpreter that imports boto3 and
  creates one DynamoDB client. Floor and handlers alternate run by run, so load from other work on
  the machine hits all alike; the figure is the ratio of the medians. Target ≤ 1.15×.
- **first request**: CPU time of the process for the first request after init — the handler's own
  work (our code, Powertools, botocore), not the emulator's, which runs in another process. Each
  route of a function takes its turn as the first. Target ≤ 2 ms.
- **warm**: CPU time per request after warm-up (p50/p99), and wall time including the local
  DynamoDB (moto over HTTP on the same machine: a stand-in, far slower than DynamoDB).

    .venv/bin/python benchmarks/handlers.py [--runs 15] [--warm-calls 300]
    .venv/bin/python benchmarks/handlers.py --profile AccountStatusFunction   # cProfile of each first request
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import benchdata  # noqa: E402
from devstack import FUNCTIONS_DIR  # noqa: E402

INIT_TARGET, FIRST_TARGET_MS = 1.15, 2.0
WARMUP_CALLS = 20

# A fresh interpreter: reads what to do on stdin, prints its figures as JSON (time.process_time()
# is the CPU time of the whole process since it started).
PROBE = r"""
import json, sys, time
spec = json.loads(sys.stdin.buffer.read())
if spec["handler"] is None:
    import boto3
    boto3.client("dynamodb")
    print(json.dumps({"init": time.process_time()}))
    sys.exit()
import importlib
module, attribute = spec["handler"].rsplit(".", 1)
handler = getattr(importlib.import_module(module), attribute)
from helpcenter import store
store.client()
init = time.process_time()
sys.path.append(spec["root"])
from devstack.runtime import LambdaContext
calls = []
for n, event in enumerate(spec["events"]):
    context = LambdaContext(function_name=spec["function"], aws_request_id=f"bench-{n}", deadline_ms=2**42)
    if n == 0 and spec.get("profile"):
        import cProfile, io, pstats
        profile = cProfile.Profile(time.process_time)  # CPU time: waits for the emulator do not count
        profile.runcall(handler, event, context)
        report = io.StringIO()
        for order in ("cumulative", "tottime"):
            pstats.Stats(profile, stream=report).sort_stats(order).print_stats(30)
        print(report.getvalue(), file=sys.stderr)
        sys.exit()
    cpu, wall = time.process_time(), time.perf_counter()
    answer = handler(event, context)
    calls.append((answer["statusCode"], (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
    if answer["statusCode"] >= 400 and "refusal" not in spec:
        spec["refusal"] = answer["body"][:300]
print(json.dumps({"init": init, "calls": calls, "refusal": spec.get("refusal")}))
"""


def probe(environment: dict, handler: str | None, function: str = "", events: list | None = None,
          profile: bool = False) -> dict:
    spec = {"handler": handler, "function": function, "events": events or [], "root": str(ROOT), "profile": profile}
    done = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps(spec).encode(), capture_output=True,
                          cwd=FUNCTIONS_DIR, env=environment, check=True)
    if profile:
        print(done.stderr.decode())
        return {}
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


class Events:
    """API Gateway proxy events for a route's sample requests, as the local gateway builds them."""

    def __init__(self, filed: benchdata.FiledTickets):
        self.serial: dict[str, int] = {}  # per route, so each payment sample pays its own account
        self.filed = filed

    def make(self, route) -> dict:
        from werkzeug.test import EnvironBuilder

        from devstack.gateway import proxy_event

        n = self.serial[route.path] = self.serial.get(route.path, 0) + 1
        body, headers = benchdata.request(route.method, route.path, n, self.filed)
        request = EnvironBuilder(method=route.method, path=f"/api{route.path}", data=body, headers=headers,
                                 base_url="http://127.0.0.1:8000").get_request()
        return proxy_event(request, route, route.path, {})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warm-calls", type=int, default=300)
    parser.add_argument("--profile", metavar="FUNCTION", help="print cProfile of the first request of each route of "
                        "FUNCTION (a logical id of the template) after a cold start, instead of the figures")
    args = parser.parse_args()

    from devstack.stack import DEMO_DATA, LocalStack

    with tempfile.TemporaryDirectory() as scratch:
        data = benchdata.write(Path(scratch) / "bench.yaml")
        stack = LocalStack(Path(scratch), [DEMO_DATA, data], port=0).start()
        try:
            # one ticket per acknowledge sample: each link acts once
            events = Events(file_tickets(stack, args.runs + WARMUP_CALLS + args.warm_calls))
            pay_beforehand(stack)
            stack.delivery.drain(timeout=600)  # their e-mails sent first: the deliverer shares the local AWS
            if args.profile:
                profile_first_requests(stack, args.profile, events)
            else:
                measure(stack, events, args.runs, args.warm_calls)
        finally:
            stack.stop()


def lambda_environment(stack, function: str) -> dict:
    """The function's environment as on Lambda: the local stack's, with Powertools' tracing (botocore
    patched for X-Ray, an unsampled trace header as most requests have) and metrics switched back on."""
    environment = {key: value for key, value in stack.function_spec(function).environment.items()
                   if key not in ("POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED")}
    return {**environment, "_X_AMZN_TRACE_ID": "Root=1-6750a1b2-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0"}


def post_through_the_api(stack, path: str, samples) -> list[dict]:
    """Each (body, headers) of ``samples`` posted to the stack's API at ``path``; the answers."""
    import requests

    with requests.Session() as session:
        answers = [session.post(f"{stack.url}/api{path}", data=body, headers=headers, timeout=60)
                   for body, headers in samples]
    for answer in answers:
        answer.raise_for_status()
    return [answer.json() for answer in answers]


def file_tickets(stack, count: int) -> benchdata.FiledTickets:
    """``count`` tickets filed through the stack's API, for the ticket-status and acknowledge samples."""
    samples = [benchdata.request("POST", "/tickets", n) for n in range(10_000, 10_000 + count)]  # other requesters'
    answers = post_through_the_api(stack, "/tickets", samples)
    return benchdata.FiledTickets(stack.acknowledge_key.encode(), [
        (answer["ticket_id"], json.loads(body)["requester_email"]) for answer, (body, _) in zip(answers, samples)])


def pay_beforehand(stack) -> None:
    """The invoices the webhook samples' events report paid, paid through the stack's API."""
    post_through_the_api(stack, "/invoices/pay", [benchdata.paid_beforehand(n) for n in range(benchdata.SETTLED_ACCOUNTS)])


def profile_first_requests(stack, function: str, events: Events) -> None:
    for route in stack.template.routes:
        if route.function == function and benchdata.request(route.method, route.path, 0) is not None:
            print(f"First request {route.method} {route.path} after a cold start of {function}:")
            probe(lambda_environment(stack, function), stack.template.functions[function]["handler"], function,
                  [events.make(route)], profile=True)


def measure(stack, events: Events, runs: int, warm_calls: int) -> None:
    functions: dict[str, list] = {}  # logical id → its routes with a sample request
    for route in stack.template.routes:
        if benchdata.request(route.method, route.path, 0) is not None:
            functions.setdefault(route.function, []).append(route)
    unsampled = [f"{r.method} {r.path}" for r in stack.template.routes
                 if benchdata.request(r.method, r.path, 0) is None]
    environments = {name: lambda_environment(stack, name) for name in functions}
    floor_environment = next(iter(environments.values()))
    floors: list[float] = []
    inits: dict[str, list[float]] = {name: [] for name in functions}
    firsts: dict[tuple[str, str, str], list[float]] = {(r.function, r.method, r.path): [] for routes in functions.values() for r in routes}
    for run in range(runs):
        floors.append(probe(floor_environment, None)["init"])
        for name, routes in functions.items():
            first = routes[run % len(routes)]
            result = probe(environments[name], stack.template.functions[name]["handler"], name, [events.make(first)])
            inits[name].append(result["init"])
            firsts[first.function, first.method, first.path].append(result["calls"][0][1])
    floor = statistics.median(floors)
    print(f"\n(load average of the machine after the cold starts: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"\nHandlers: cold start and per-request CPU ({runs} fresh interpreters each, interleaved with the"
          " floor; medians; the machine is shared, so absolute figures vary and ratios hold better)")
    print(f"  floor (python + boto3 + one DynamoDB client): {floor * 1000:.0f} ms CPU")
    print(f"  {'function':<24} {'init CPU':>9} {'ratio':>7}   target ≤ {INIT_TARGET}× floor")
    for name in functions:
        value = statistics.median(inits[name])
        verdict = "met" if value / floor <= INIT_TARGET else "NOT met"
        print(f"  {name:<24} {value * 1000:>6.0f} ms {value / floor:>6.2f}×   {verdict}")
    print(f"\n  {'route':<26} {'first request':>13}   {'warm CPU p50/p99':>17}   {'warm wall p50/p99':>17}"
          f"   (first: target ≤ {FIRST_TARGET_MS:g} ms CPU; wall includes the local DynamoDB)")
    for name, routes in functions.items():
        warm_events = [events.make(route) for _ in range(WARMUP_CALLS + warm_calls) for route in routes]
        result = probe(environments[name], stack.template.functions[name]["handler"], name, warm_events)
        calls = result["calls"]
        if result["refusal"]:
            print(f"  {name}: a sample request was refused: {result['refusal']}")
        for index, route in enumerate(routes):
            mine = calls[index::len(routes)][WARMUP_CALLS:]
            statuses = sorted({status for status, _, _ in mine})
            cpu, wall = [c for _, c, _ in mine], [w for _, _, w in mine]
            first = statistics.median(firsts[route.function, route.method, route.path])
            verdict = "met" if first <= FIRST_TARGET_MS else "NOT met"
            print(f"  {route.method + ' ' + route.path:<26} {first:>8.2f} ms {verdict:<7} "
                  f"{percentile(cpu, .5):>6.2f} / {percentile(cpu, .99):>5.2f} ms   "
                  f"{percentile(wall, .5):>6.2f} / {percentile(wall, .99):>5.2f} ms   status {statuses}")
    if unsampled:
        print(f"  no sample request yet (add one to benchmarks/benchdata.py): {', '.join(unsampled)}")


if __name__ == "__main__":
    main()
