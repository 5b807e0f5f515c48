"""The Powertools resolver every HTTP function uses, with the API's one error shape.

Every error is ``{"error": code, "message": sentence, "fields": [...]}`` with a 4xx status for bad
input; 5xx only for our own faults, and then without internals.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timezone

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

MAX_BODY_BYTES = 64 * 1024

logger = Logger()
metrics = Metrics(namespace="HelpCenter")


class ApiError(Exception):
    """A refusal the client can act on: ``ApiError(404, "no_match", "No unpaid invoice …")``."""

    def __init__(self, status: int, code: str, message: str, fields: list | None = None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers


def error_response(status: int, code: str, message: str, fields: list | None = None, headers=None) -> Response:
    body = {"error": code, "message": message}
    if fields:
        body["fields"] = fields
    return Response(status, content_types.APPLICATION_JSON, json.dumps(body), headers=headers)


def _field_errors(error: RequestValidationError) -> tuple[str, str, list[dict]]:
    """Pydantic's errors as ``[{"field", "message"}]``, never echoing the submitted values."""
    problems = error.errors()
    if any(problem["type"] == "json_invalid" for problem in problems):
        return "malformed_json", "The request body is not valid JSON.", []
    fields = []
    for problem in problems:
        location = [str(part) for part in problem["loc"] if part != "body"]
        if problem["type"] == "model_attributes_type" or not location:
            return "invalid_body", "The request body must be a JSON object with the documented fields.", []
        fields.append({"field": ".".join(location)[:64], "message": problem["msg"]})
    return "validation_error", "Some fields are missing or invalid.", fields


def _refusal(event: dict) -> tuple[int, str, str] | None:
    """Oversized and non-JSON bodies are refused before anything parses them."""
    body = event.get("body") or ""
    if len(body) > MAX_BODY_BYTES:
        return 413, "body_too_large", f"The request body exceeds {MAX_BODY_BYTES} bytes."
    headers = {key.lower(): value for key, value in (event.get("headers") or {}).items()}
    content_type = (headers.get("content-type") or "application/json").lower()
    if body and not content_type.startswith("application/json"):
        return 415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json."
    if body and event.get("isBase64Encoded"):
        try:
            base64.b64decode(body).decode("utf-8")
        except ValueError:  # binascii.Error and UnicodeDecodeError are both ValueErrors
            return 400, "invalid_body", "The request body must be UTF-8 encoded JSON."
    return None


class HelpCenterResolver(APIGatewayRestResolver):
    """API Gateway REST resolver that screens the raw body before validation runs."""

    def resolve(self, event: dict, context) -> dict:
        refusal = _refusal(event)
        if refusal is None:
            return super().resolve(event, context)
        status, code, message = refusal
        return {
            "statusCode": status,
            "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps({"error": code, "message": message}),
            "isBase64Encoded": False,
        }


def create_app() -> HelpCenterResolver:
    app = HelpCenterResolver(enable_validation=True, response_validation_error_http_code=500)

    @app.exception_handler(RequestValidationError)
    def _validation(error: RequestValidationError):
        code, message, fields = _field_errors(error)
        metrics.add_metric(name="RejectedRequests", unit="Count", value=1)
        return error_response(400, code, message, fields)

    @app.exception_handler(ApiError)
    def _api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.fields, error.headers)

    @app.exception_handler(ServiceError)
    def _service_error(error: ServiceError):
        return error_response(error.status_code, "request_error", error.msg)

    @app.not_found
    def _not_found(_error):
        return error_response(404, "not_found", "There is no such API route.")

    return app


def today() -> date:
    """The business day, in UTC: the one place handlers read the clock for date rules."""
    return datetime.now(timezone.utc).date()


def now() -> datetime:
    """The current instant, in UTC: the one place handlers read the clock for time rules (deadlines)."""
    return datetime.now(timezone.utc)


def error_facts(error: Exception) -> dict:
    """What may be logged about an AWS or provider error: its type and code, never its message
    (messages can quote addresses, keys or tokens)."""
    code = getattr(error, "response", {}).get("Error", {}).get("Code") if hasattr(error, "response") else None
    return {"error": type(error).__name__, "error_code": code}
