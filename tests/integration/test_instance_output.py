"""What a function instance writes besides its answer: a request that counts nothing writes no
Powertools warning about empty metrics, and a request that counts something still publishes it."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from devstack.functions import FunctionInstance
from devstack.gateway import proxy_event

FUNCTION = "AccountStatusFunction"


def status_event(stack, body: dict) -> dict:
    """The API Gateway event of POST /accounts/status, as the local gateway builds it."""
    route = next(route for route in stack.template.routes if route.function == FUNCTION)
    request = Request(EnvironBuilder(method="POST", path=f"/api{route.path}", json=body).get_environ())
    return proxy_event(request, route, route.path, {})


@contextmanager
def instance_started_here(stack, **environment: str):
    """An instance of the status function started in this process, so capfd holds its stdout and stderr
    (written at once, not at exit), with ``environment`` over the stack's; stopped afterwards."""
    spec = stack.function_spec(FUNCTION)
    spec = replace(spec, environment={**spec.environment, "PYTHONUNBUFFERED": "1", **environment})
    instance = FunctionInstance(spec).wait_ready()
    try:
        yield instance
    finally:
        instance.stop()


def test_a_request_without_metrics_writes_no_empty_metrics_warning(stack, capfd):
    # metrics published: the stack's quiet default turns them off
    with instance_started_here(stack, POWERTOOLS_METRICS_DISABLED="false") as instance:
        capfd.readouterr()
        matched = instance.invoke(status_event(stack, {"account_number": "100200303", "postal_code": "20121"}))
        assert matched["statusCode"] == 200, matched
        quiet = capfd.readouterr()
        refused = instance.invoke(status_event(stack, {"account_number": "12", "postal_code": "20121"}))
        assert refused["statusCode"] == 400, refused
        counted = capfd.readouterr()
    assert "No application metrics" not in quiet.err + quiet.out
    assert "CloudWatchMetrics" not in quiet.out  # nothing counted, nothing published
    published = [json.loads(line) for line in counted.out.splitlines() if '"CloudWatchMetrics"' in line]
    assert len(published) == 1 and "RejectedRequests" in published[0], counted.out
    assert "No application metrics" not in counted.err + counted.out


def test_a_quiet_instance_prints_no_metrics_however_many_requests_count(stack, capfd):
    """With metrics off (the stack's quiet default) nothing piles up: Powertools would print a metric's
    values once it held 100, a burst of EMF lines in the middle of ``make serve``."""
    assert stack.function_spec(FUNCTION).environment["POWERTOOLS_METRICS_DISABLED"] == "true"
    with instance_started_here(stack) as instance:
        capfd.readouterr()
        for _ in range(120):  # each refusal counts one RejectedRequests
            refused = instance.invoke(status_event(stack, {"account_number": "12", "postal_code": "20121"}))
            assert refused["statusCode"] == 400, refused
        written = capfd.readouterr()
    assert "CloudWatchMetrics" not in written.out + written.err
