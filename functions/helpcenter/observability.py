"""Logger, metrics and tracer for every function (HTTP or scheduled), the entry-point decorators that
wire them, and what may be logged about an error.

Every log line is JSON with the Lambda request id; an API function's lines also carry the API
Gateway request id as ``correlation_id`` (the ``requestId`` of the API's access log), so one
request is found across the access log and the function's log. The tracer records each invocation
and every botocore (DynamoDB, SES, SSM) and requests (Stripe, help desk) call in X-Ray; it never records
responses or error messages, which can hold personal data. Outside Lambda (tests, the local stack)
Powertools disables tracing by itself.
"""

from __future__ import annotations

import functools
import warnings
from typing import Callable

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
metrics = Metrics(namespace="HelpCenter")
# Most requests count nothing (a status look-up that matches, a ticket page's attachment check...),
# and Powertools' log_metrics then warns on every one of them that it has no metrics to publish.
# Powertools documents this filter for functions that may publish none; it hides only that warning,
# and every metric a request adds is still flushed at the end of its invocation.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
# botocore in every function; requests only in the modules that use it (``trace_requests``): patching
# it imports it, ~15 ms of every cold start of a function that never sends a request (measured).
tracer = Tracer(patch_modules=("botocore",))


def trace_requests() -> None:
    """Record this function's ``requests`` calls (Stripe's SDK, the help desk) in X-Ray too."""
    tracer.patch(modules=("requests",))


def api_entry_point(handler: Callable) -> Callable:
    """``lambda_handler`` of an API function: correlation id, trace, metrics flushed per invocation."""
    traced = tracer.capture_lambda_handler(capture_response=False, capture_error=False)(handler)
    return logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST,
                                        log_event=False)(published(traced))


def job_entry_point(handler: Callable) -> Callable:
    """``lambda_handler`` of a scheduled or queue function: trace and metrics; the Lambda request id
    is every line's correlation."""
    traced = tracer.capture_lambda_handler(capture_response=False, capture_error=False)(handler)
    return logger.inject_lambda_context(log_event=False)(published(traced))


def published(handler: Callable) -> Callable:
    """``handler`` with its metrics flushed at the end of each invocation (``log_metrics``) and the
    metric set emptied whatever happened. With ``POWERTOOLS_METRICS_DISABLED`` (the local stack's
    quiet mode) Powertools' flush neither prints nor clears, so the values of every invocation pile
    up and ``add_metric`` prints them all once a metric holds 100 (Powertools 3.x)."""
    flushed = metrics.log_metrics(handler)

    @functools.wraps(handler)
    def wrapper(event, context):
        try:
            return flushed(event, context)
        finally:
            metrics.clear_metrics()

    return wrapper


def error_facts(error: BaseException) -> dict:
    """What may be logged about an AWS or provider error: its type and code, never its message
    (messages can quote addresses, keys or tokens)."""
    response = getattr(error, "response", None)  # botocore's timeouts carry response=None
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return {"error": type(error).__name__, "error_code": code}
