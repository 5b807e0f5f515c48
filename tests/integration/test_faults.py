"""Faults answer honestly and fast: with DynamoDB refusing connections, or accepting them and never
answering, every route answers 503 with Retry-After in our error shape, well within its function's
timeout (botocore's defaults would hold a call 240 s). Routes that need no table answer as usual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devstack import template as sam
from helpcenter.timeouts import worst_call_seconds
from tests.support.examples import NEEDS_NO_TABLE, REFUSED_BEFORE_THE_TABLE, REQUESTS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = sam.read()
FUNCTIONS = sorted({route.function for route in sam.load().routes})


def timeout_of(function: str) -> int:
    properties = TEMPLATE["Resources"][function]["Properties"]
    return int(properties.get("Timeout", TEMPLATE["Globals"]["Function"]["Timeout"]))


def probe(mode: str, function: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "tests.integration.fault_probe", mode, function], cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_every_route_has_an_example_request():
    assert {(route.method, route.path) for route in sam.load().routes} <= set(REQUESTS)


def test_one_call_gives_up_well_inside_every_function_timeout():
    for function in sam.load().functions:
        assert worst_call_seconds() <= timeout_of(function) / 2, function


@pytest.mark.parametrize("mode", ["refused", "hanging"])
@pytest.mark.parametrize("function", FUNCTIONS)
def test_dynamodb_down_gets_503_with_retry_after_in_time(mode, function):
    answers = probe(mode, function)
    assert {(a["method"], a["path"]) for a in answers} == {(r.method, r.path) for r in sam.load().routes
                                                           if r.function == function}
    for answer in answers:
        route = (answer["method"], answer["path"])
        print(f"{mode:8} {answer['path']:22} {answer['status']} in {answer['seconds']:.2f} s "
              f"(timeout {timeout_of(function)} s)")
        assert answer["seconds"] < timeout_of(function), answer
        body = json.loads(answer["body"])
        if route in NEEDS_NO_TABLE:
            assert answer["status"] < 400, answer
            continue
        if route in REFUSED_BEFORE_THE_TABLE and answer["status"] == 400:
            assert body["error"] == "invalid_link", answer
            continue
        assert answer["status"] == 503, answer
        assert int(answer["headers"]["Retry-After"]) > 0
        assert set(body) <= {"error", "message", "fields"} and body["message"]
        assert body["error"] in ("unavailable", "provider_error", "payment_pending")
