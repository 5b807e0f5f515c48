"""Logger and metrics for every function (HTTP or scheduled), and what may be logged about an error."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics(namespace="HelpCenter")


def error_facts(error: BaseException) -> dict:
    """What may be logged about an AWS or provider error: its type and code, never its message
    (messages can quote addresses, keys or tokens)."""
    response = getattr(error, "response", None)  # botocore's timeouts carry response=None
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return {"error": type(error).__name__, "error_code": code}
