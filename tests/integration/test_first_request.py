"""A function's first request after a cold start does no work init could have done: it makes no AWS
client (10-40 ms each) and imports none of the heavy libraries (the e-mail renderer, Stripe's SDK).
Each HTTP function runs in a fresh interpreter with its own environment against the local stack,
and answers every one of its routes' example requests."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from devstack import template as sam
from devstack.runtime import FUNCTIONS_DIR
from tests.support.examples import example_event

HEAVY_MODULES = ("jinja2", "babel", "stripe", "requests", "boto3")

# Runs in the fresh interpreter: counts the clients made and the heavy modules imported per request.
FIRST_REQUESTS = r"""
import importlib, json, sys
import botocore.session
from devstack.runtime import LambdaContext

job = json.load(sys.stdin)
made = []
create_client = botocore.session.Session.create_client
botocore.session.Session.create_client = lambda self, name, *a, **k: made.append(name) or create_client(self, name, *a, **k)
module, attribute = job["handler"].rsplit(".", 1)
handler = getattr(importlib.import_module(module), attribute)
at_init = set(sys.modules)
made.clear()
for n, event in enumerate(job["events"]):
    answer = handler(event, LambdaContext(function_name=job["function"], aws_request_id=f"first-{n}", deadline_ms=2**42))
    print(json.dumps({"path": event["path"], "status": answer["statusCode"], "clients": made,
                      "imported": sorted({m.split(".")[0] for m in set(sys.modules) - at_init} & set(job["heavy"]))}))
    made = []
"""


def http_functions() -> dict[str, list]:
    functions: dict[str, list] = {}
    for route in sam.load().routes:
        functions.setdefault(route.function, []).append(route)
    return functions


@pytest.fixture(scope="module")
def restored(stack):
    """The examples pay an invoice and file a ticket: demo data anew afterwards."""
    yield stack
    stack.reset()


@pytest.mark.parametrize("function", sorted(http_functions()))
def test_the_first_requests_make_no_client_and_load_no_heavy_library(restored, function):
    stack = restored
    routes = http_functions()[function]
    job = {"handler": stack.template.functions[function]["handler"], "function": function,
           "events": [example_event(route) for route in routes], "heavy": HEAVY_MODULES}
    environment = {**stack.function_spec(function).environment,
                   "PYTHONPATH": f"{FUNCTIONS_DIR}:{FUNCTIONS_DIR.parent}"}
    done = subprocess.run([sys.executable, "-c", FIRST_REQUESTS], input=json.dumps(job), capture_output=True,
                          text=True, cwd=FUNCTIONS_DIR, env=environment, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith('{"path"')]
    assert len(answers) == len(routes)
    for answer in answers:  # (statuses are the route tests' business: the Stripe example refunds, here a 503)
        assert answer["clients"] == [] and answer["imported"] == [], json.dumps(answer)
