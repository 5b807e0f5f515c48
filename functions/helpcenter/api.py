"""The Powertools resolver every HTTP function uses, and the mapping of refusals to HTTP.

Every error is ``{"error": code, "message": sentence, "fields": [...]}`` (``helpcenter.errors``)
with a 4xx status for bad input; 5xx only for our own faults, and then without internals. Logic
raises ``helpcenter.errors.Refusal`` kinds; ``REFUSAL_STATUS`` is where they become statuses.
"""

from __future__ import annotations

import json

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from botocore.exceptions import BotoCoreError, ClientError

from helpcenter import errors
from helpcenter.i18n.api_texts import localize, reader_language
from helpcenter.errors import FieldProblem, Refusal, error_json, field_problem
from helpcenter.observability import error_facts, logger, metrics
from helpcenter.screening import ScreenedRequestValidation
from helpcenter.store.table import UnprocessedItemsLeft

__all__ = ["ApiError", "HelpCenterResolver", "REFUSAL_STATUS", "create_app", "error_response",
           "request_language", "status_of"]

REFUSAL_STATUS: dict[type[Refusal], int] = {
    errors.InvalidRequest: 400,
    errors.PaymentRefused: 402,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.BodyTooLarge: 413,
    errors.UnsupportedMediaType: 415,
    errors.TooManyRequests: 429,
    errors.Unavailable: 503,
}


class ApiError(Refusal):
    """A refusal with an explicit HTTP status, for handlers: ``ApiError(404, "no_match", "…")``.

    Logic raises the status-free kinds of ``helpcenter.errors`` instead."""

    def __init__(self, status: int, code: str, message: str, fields: list | None = None,
                 headers: dict | None = None):
        super().__init__(code, message, fields)
        self.status, self.headers = status, headers


def status_of(refusal: Refusal) -> int:
    if isinstance(refusal, ApiError):
        return refusal.status
    kind = next(k for k in type(refusal).__mro__ if k in REFUSAL_STATUS or k is Refusal)
    return REFUSAL_STATUS.get(kind, 400)


def error_response(status: int, code: str, message: str, fields: list | None = None,
                   headers: dict | None = None) -> Response:
    return Response(status, content_types.APPLICATION_JSON, error_json(code, message, fields), headers=headers)


def refusal_response(refusal: Refusal) -> Response:
    headers = dict(getattr(refusal, "headers", None) or {})
    if refusal.retry_after is not None:
        headers["Retry-After"] = str(refusal.retry_after)
    return error_response(status_of(refusal), refusal.code, refusal.message, refusal.fields, headers or None)


def _field_errors(error: RequestValidationError) -> tuple[str, str, list[FieldProblem]]:
    """Pydantic's errors as ``[{"field", "code", "message"}]``, never echoing the submitted values."""
    problems = error.errors()
    if any(problem["type"] == "json_invalid" for problem in problems):
        return "malformed_json", "The request body is not valid JSON.", []
    fields = []
    for problem in problems:
        location = [str(part) for part in problem["loc"] if part != "body"]
        if problem["type"] == "model_attributes_type" or not location:
            return "invalid_body", "The request body must be a JSON object with the documented fields.", []
        fields.append(field_problem(".".join(location)[:64], problem["type"], problem["msg"]))
    return "validation_error", "Some fields are missing or invalid.", fields


class HelpCenterResolver(APIGatewayRestResolver):
    """API Gateway REST resolver with validation, whose request validation screens the raw body first
    (``helpcenter.screening``)."""

    def __init__(self) -> None:
        super().__init__(enable_validation=True, response_validation_error_http_code=500)
        # Powertools builds its request-validation middleware here and runs it before any other:
        # ours is the same middleware with the screen in front.
        self._request_validation_middleware = ScreenedRequestValidation()


def request_language(event) -> str:
    """The reader's language: the body's ``language`` where it names one, else ``Accept-Language``."""
    try:
        body = event.json_body
    except (ValueError, RecursionError, TypeError):  # a body refused as unreadable: the header's language
        body = None
    named = body.get("language") if isinstance(body, dict) else None
    return reader_language(event.headers.get("Accept-Language"), named)  # Powertools: case-insensitive


def in_reader_language(app: HelpCenterResolver, response: Response) -> Response:
    """An error answer with its sentences in the reader's language (codes unchanged)."""
    event = app.current_event
    language = request_language(event)
    body, known = localize(json.loads(response.body or "{}"), language, event.resource)
    if not known:
        metrics.add_metric(name="UntranslatedErrors", unit="Count", value=1)
    response.body = json.dumps(body, ensure_ascii=False)
    response.headers["Content-Language"] = language
    return response


def create_app() -> HelpCenterResolver:
    app = HelpCenterResolver()

    @app.exception_handler(RequestValidationError)
    def _validation(error: RequestValidationError):
        code, message, fields = _field_errors(error)
        metrics.add_metric(name="RejectedRequests", unit="Count", value=1)
        return in_reader_language(app, error_response(400, code, message, fields))

    @app.exception_handler(Refusal)
    def _refusal(refusal: Refusal):
        return in_reader_language(app, refusal_response(refusal))

    @app.exception_handler([BotoCoreError, ClientError, UnprocessedItemsLeft])
    def _dependency_failed(error: Exception):
        # DynamoDB, SES or SSM failed or did not answer in time (helpcenter.timeouts): say so, fast.
        logger.error("dependency unavailable", extra=error_facts(error))
        metrics.add_metric(name="DependencyFailures", unit="Count", value=1)
        return in_reader_language(app, refusal_response(errors.Unavailable()))

    @app.exception_handler(ServiceError)
    def _service_error(error: ServiceError):
        return in_reader_language(app, error_response(error.status_code, "request_error", str(error.msg)))

    @app.not_found
    def _not_found(_error):
        return in_reader_language(app, error_response(404, "not_found", "There is no such API route."))

    return app
