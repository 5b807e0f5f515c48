"""Handler performance, measured side by side in one run (prints figures; asserts nothing).

1. Cold init: a fresh interpreter that imports a handler and creates its DynamoDB client, against the
   floor — a fresh interpreter that imports boto3 and creates one DynamoDB client. Runs alternate so
   machine noise hits both alike; medians and their ratio are printed (target ≤ 1.25×).
2. Warm latency: the account-status handler invoked in-process with an API Gateway event against the
   local DynamoDB (moto, serialized), against a raw ``get_item`` and a raw ``query`` on the same server
   (target: handler overhead over the raw read ≤ 0.5 ms at p50).

    .venv/bin/python benchmarks/handlers.py [--cold-runs 15] [--warm-calls 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

FLOOR = "import boto3; boto3.client('dynamodb')"
HANDLERS = {
    "account_status": "import account_status.handler; from helpcenter import store; store.client()",
    "dunning": "import dunning.handler",
}


def cold_seconds(code: str, env: dict) -> float:
    """Whole-process wall time of a fresh interpreter running ``code`` (what a cold start pays)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT / "functions", env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold_start(runs: int) -> None:
    from devstack import template as sam

    functions = sam.load().functions.values()  # every handler checks its environment at import
    template_env = {name: value for function in functions for name, value in function["environment"].items()}
    env = {**template_env, **os.environ, "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x",
           "AWS_SECRET_ACCESS_KEY": "x",
           "POWERTOOLS_METRICS_DISABLED": "true", "PYTHONPATH": str(ROOT / "functions")}
    samples = {"floor": []} | {name: [] for name in HANDLERS}
    for _ in range(runs):
        samples["floor"].append(cold_seconds(FLOOR, env))
        for name, code in HANDLERS.items():
            samples[name].append(cold_seconds(code, env))
    floor = statistics.median(samples["floor"])
    print(f"\nCold init (median of {runs} fresh interpreters, wall time incl. interpreter start)")
    print(f"  {'floor: python + boto3 + one client':<40} {floor * 1000:8.0f} ms")
    for name in HANDLERS:
        value = statistics.median(samples[name])
        print(f"  {name + ' handler + client':<40} {value * 1000:8.0f} ms   ratio {value / floor:.2f}x floor")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def timed(call, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def handler_without_io(client, handler, calls: int) -> list[float]:
    """The handler's own time: the client answers with a recorded Query result, no network."""
    real = client._make_api_call
    recorded = {}

    def replay(operation, params):
        if operation not in recorded:
            recorded[operation] = real(operation, params)
        return recorded[operation]

    client._make_api_call = replay
    try:
        timed(handler, 50)
        return timed(handler, calls)
    finally:
        client._make_api_call = real


def warm_latency(calls: int) -> None:
    os.environ.update(POWERTOOLS_METRICS_DISABLED="true", POWERTOOLS_LOG_LEVEL="WARNING")
    from devstack.stack import DEMO_DATA, LocalStack

    stack = LocalStack(ROOT / ".local" / "empty-site", [DEMO_DATA], port=0).start()
    try:
        from account_status.handler import lambda_handler
        from devstack.runtime import LambdaContext
        from helpcenter import store

        event = {
            "resource": "/accounts/status", "path": "/accounts/status", "httpMethod": "POST",
            "headers": {"Content-Type": "application/json"}, "multiValueHeaders": {},
            "queryStringParameters": None, "pathParameters": None, "isBase64Encoded": False,
            "requestContext": {"resourcePath": "/accounts/status", "httpMethod": "POST", "stage": "v1",
                               "requestId": "bench"},
            "body": json.dumps({"account_number": "100200303", "postal_code": "20121"}),
        }
        context = LambdaContext(function_name="bench", aws_request_id="bench", deadline_ms=2**40)
        client, table = store.client(), store.table_name()
        key = store.account_key("100200303")

        def handler():
            assert lambda_handler(event, context)["statusCode"] == 200

        def get_item():
            client.get_item(TableName=table, Key=key)

        def query():
            client.query(TableName=table, KeyConditionExpression="pk = :pk",
                         ExpressionAttributeValues={":pk": key["pk"]})

        for call in (handler, get_item, query):
            timed(call, 50)  # warm up
        results = {name: [] for name in ("handler", "get_item", "query")}
        for _ in range(calls // 100):  # interleave so drift affects all three alike
            results["handler"] += timed(handler, 100)
            results["get_item"] += timed(get_item, 100)
            results["query"] += timed(query, 100)
        print(f"\nWarm latency, in-process against local DynamoDB (moto), {calls} calls each")
        for name, label in (("handler", "status handler (1 Query)"), ("get_item", "raw get_item"),
                            ("query", "raw query (same read)")):
            values = results[name]
            print(f"  {label:<28} p50 {percentile(values, .5):6.2f} ms   p99 {percentile(values, .99):6.2f} ms")
        for raw in ("get_item", "query"):
            overhead = percentile(results["handler"], .5) - percentile(results[raw], .5)
            print(f"  handler overhead over raw {raw:<9} p50 {overhead:+.2f} ms")
        own = handler_without_io(client, handler, calls)
        print(f"  handler with DynamoDB's answer replayed (our code + Powertools only): "
              f"p50 {percentile(own, .5):.3f} ms   p99 {percentile(own, .99):.3f} ms")
    finally:
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=15)
    parser.add_argument("--warm-calls", type=int, default=2000)
    args = parser.parse_args()
    cold_start(args.cold_runs)
    warm_latency(args.warm_calls)


if __name__ == "__main__":
    main()
