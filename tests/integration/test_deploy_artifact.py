"""The Lambda package is tested as deployed: built the way ``sam build`` builds a Python function
(the function code folder, ``CodeUri``, plus ``pip install -r functions/requirements.txt --target``),
then every handler is imported and invoked from that folder alone, in a fresh interpreter with
nothing else on its path (``python -I -S``: no site-packages, no PYTHONPATH, no working directory).
A module the functions import that ``functions/requirements.txt`` does not install fails here.
The functions get the template's default parameters (the Stripe provider): the Stripe SDK in the
package talks to the local Stripe stand-in, with the stand-in's keys in the local stack's SSM.

The build is for this machine's architecture (the template deploys arm64; ``sam build`` picks the
matching wheels, the same versions). Dependencies are cached by the hash of the requirements file in
``.local/artifact/``; the code is copied fresh each run."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from devstack import template as sam
from devstack.delivery import DELIVERER, sqs_record
from devstack.stripe_standin import StripeStandIn
from helpcenter import store
from helpcenter.messages import Kind, Message
from helpcenter.store import outbox
from tests.support.examples import REQUESTS, example_event
from tests.support.stored import stored_message

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "functions" / "requirements.txt"
CACHE = ROOT / ".local" / "artifact"

# Runs inside the artifact: nothing of the repository, nothing of the test environment.
INVOKE = r'''
import importlib, json, os, sys, time
sys.path.insert(0, sys.argv[1])
job = json.load(sys.stdin)
os.environ.update(job["environment"])
module_name, name = job["handler"].rsplit(".", 1)
handler = getattr(importlib.import_module(module_name), name)

class Context:
    function_name = job["function"]; memory_limit_in_mb = 512; function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + job["function"]
    log_group_name = log_stream_name = "artifact"
    def __init__(self, request_id): self.aws_request_id = request_id
    def get_remaining_time_in_millis(self): return 10_000

outside = sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
                  and not m.__file__.startswith((sys.argv[1], sys.base_prefix))})
for n, event in enumerate(job["events"]):
    answer = handler(event, Context(f"artifact-{n}"))
    print(json.dumps({"answer": answer, "request_id": (event.get("requestContext") or {}).get("requestId"),
                      "outside": outside}), flush=True)
'''


def build_artifact(target: Path) -> Path:
    """Function code plus its pinned dependencies in one folder, as ``sam build`` lays it out."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]
    dependencies = CACHE / f"dependencies-{digest}"
    if not (dependencies / ".complete").exists():
        shutil.rmtree(dependencies, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--no-compile", "--target", str(dependencies), "-r", str(REQUIREMENTS)], check=True)
        (dependencies / ".complete").touch()
    shutil.copytree(dependencies, target, ignore=shutil.ignore_patterns(".complete"))
    code_uri = (ROOT / "infra" / sam.read()["Globals"]["Function"]["CodeUri"]).resolve()
    shutil.copytree(code_uri, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "requirements.*"))
    return target


@pytest.fixture(scope="module")
def artifact(tmp_path_factory) -> Path:
    return build_artifact(tmp_path_factory.mktemp("artifact") / "package")


# Whole paths that leave the demo data as it was: a declined card pays nothing; a signed event that
# settles nothing is verified with the SDK and the signing secret from SSM, then acknowledged.
ARTIFACT_BODIES = {
    "/invoices/pay": {**REQUESTS[("POST", "/invoices/pay")]["json"], "payment_token": "pm_card_chargeDeclined"},
    "/webhooks/stripe": {**REQUESTS[("POST", "/webhooks/stripe")]["json"], "type": "payment_intent.created"},
}


@pytest.fixture(scope="module")
def stripe_api():
    server = StripeStandIn().start()
    yield server.url
    server.stop()


def api_events(function: str) -> list[dict]:
    events = []
    for route in (r for r in sam.load().routes if r.function == function):
        event = example_event(route, ARTIFACT_BODIES.get(route.path))
        event["requestContext"]["requestId"] = f"apigw-{uuid.uuid4()}"
        events.append(event)
    return events


def invoke(artifact: Path, function: str, events: list[dict], stack, stripe_api: str) -> list[dict]:
    spec = sam.load().functions[function]
    environment = {**spec["environment"], "STRIPE_API_BASE": stripe_api, "AWS_ENDPOINT_URL": stack.aws.endpoint, "AWS_ACCESS_KEY_ID": "local",
                   "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1",
                   "POWERTOOLS_METRICS_DISABLED": "true"}
    job = {"function": function, "handler": spec["handler"], "environment": environment, "events": events}
    result = subprocess.run(["python3.11", "-I", "-S", "-c", INVOKE, str(artifact)], input=json.dumps(job),
                            capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-4000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


ARTIFACT_MESSAGE = Message(f"artifact-{uuid.uuid4()}#confirmation", Kind.PAYMENT_CONFIRMATION,
                           ("contact@artifact.example",),
                           {"account_number": "100200399", "account_name": "Artifact", "invoice_number": "INV-1",
                            "amount": "10.00", "currency": "EUR", "payment_id": "pay_artifact", "reactivated": False},
                           "fr")


def queue_event(stack) -> dict:
    """The delivery queue's event for one new outbox message (rendered in French, sent through SES)."""
    store.client().transact_write_items(TransactItems=[outbox.message_put(ARTIFACT_MESSAGE, "2026-12-01T00:00:00Z")])
    body = json.dumps({"pk": outbox.message_key(ARTIFACT_MESSAGE.id)["pk"]["S"]})
    return {"Records": [sqs_record({"MessageId": str(uuid.uuid4()), "ReceiptHandle": "artifact", "Body": body,
                                     "Attributes": {"ApproximateReceiveCount": "1"}}, stack.delivery.queue_url)]}


EXPECTED = {"/accounts/status": 200, "/invoices/lookup": 200, "/invoices/pay": 402, "/tickets": 201,
            "/tickets/attachments": 201, "/webhooks/stripe": 200}


@pytest.mark.parametrize("function", sorted(sam.load().functions))
def test_every_handler_runs_from_the_package_alone(artifact, stack, stripe_api, function):
    routes = [r for r in sam.load().routes if r.function == function]
    if function == DELIVERER:
        with stack.delivery.lock:  # the local deliverer waits: this one sends the message
            lines = invoke(artifact, function, [queue_event(stack)], stack, stripe_api)
        assert lines[-1]["answer"] == {"batchItemFailures": []}
        assert stored_message(ARTIFACT_MESSAGE.id).status == "sent"
        return
    events = api_events(function) if routes else [{"source": "aws.scheduler", "detail": {}}]
    lines = invoke(artifact, function, events, stack, stripe_api)
    results = [line for line in lines if "answer" in line]
    logs = [line for line in lines if "level" in line]
    assert len(results) == len(events)
    assert results[0]["outside"] == [], "imported from outside the package"
    for result, event in zip(results, events):
        answer = result["answer"]
        if routes:
            assert answer["statusCode"] == EXPECTED.get(event["path"], answer["statusCode"]), answer
            assert answer["statusCode"] < 500, answer
        else:
            assert isinstance(answer, dict), answer  # the job's run summary
    # every log line of an API function carries its API Gateway request id
    request_ids = {e["requestContext"]["requestId"] for e in events if "requestContext" in e}
    for log in logs:
        assert "function_request_id" in log, log
        if routes:
            assert log.get("correlation_id") in request_ids, log


def test_the_package_reads_yaml_with_libyaml(artifact):
    """``support.yml`` and the catalogs are parsed at cold start with PyYAML's C loader (the pure-Python
    one costs ~25 ms more): the wheel in the package must carry libyaml."""
    check = "import sys; sys.path.insert(0, sys.argv[1]); import yaml; print(yaml.__with_libyaml__, yaml.CSafeLoader)"
    result = subprocess.run(["python3.11", "-I", "-S", "-c", check, str(artifact)], capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("True "), result.stdout
