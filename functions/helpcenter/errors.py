"""The API's one error shape, and the domain refusals that become it.

Every error the API answers is ``{"error": code, "message": sentence, "fields": [...]?}``, where
each ``fields`` entry is ``{"field", "code", "message"}``. ``error_body`` builds it for the
functions, the local gateway and the OpenAPI document's examples; ``helpcenter.models.ErrorBody``
is its schema.

Business logic raises a ``Refusal`` of one of the kinds below and knows nothing of HTTP; the HTTP
layer (``helpcenter.api``) maps each kind to its status. This module imports nothing heavy, so the
local gateway can use it too.
"""

from __future__ import annotations

import json
from typing import Iterable, TypedDict


class FieldProblem(TypedDict):
    field: str
    code: str
    message: str


def field_problem(field: str, code: str, message: str) -> FieldProblem:
    return {"field": field, "code": code, "message": message}


def error_body(code: str, message: str, fields: Iterable[FieldProblem] | None = None) -> dict:
    """The one error body; ``fields`` only when there are some."""
    body: dict = {"error": code, "message": message}
    if fields:
        body["fields"] = list(fields)
    return body


def error_json(code: str, message: str, fields: Iterable[FieldProblem] | None = None) -> str:
    return json.dumps(error_body(code, message, fields))


class Refusal(Exception):
    """A request we refuse for a reason the client can act on.

    ``code`` is stable (clients and forms key on it), ``message`` a sentence for people, ``fields``
    the field problems, ``retry_after`` seconds when trying again later can succeed."""

    code = "refused"
    message = "The request was refused."
    retry_after: int | None = None

    def __init__(self, code: str | None = None, message: str | None = None,
                 fields: Iterable[FieldProblem] | None = None, retry_after: int | None = None):
        self.code = code or type(self).code
        self.message = message or type(self).message
        self.fields = list(fields or ())
        if retry_after is not None:
            self.retry_after = retry_after
        super().__init__(self.message)

    def body(self) -> dict:
        return error_body(self.code, self.message, self.fields)


class InvalidRequest(Refusal):
    """The request breaks a rule of its fields or of the business (400)."""

    code = "validation_error"
    message = "Some fields are missing or invalid."


class BodyTooLarge(Refusal):
    """The raw body is over the size limit (413)."""

    code = "body_too_large"


class UnsupportedMediaType(Refusal):
    """The body is not JSON (415)."""

    code = "unsupported_media_type"
    message = "Send a JSON body with Content-Type: application/json."


class PaymentRefused(Refusal):
    """The payment method was refused; nothing was taken (402)."""

    code = "payment_declined"


class NotFound(Refusal):
    """Nothing matches what the request names — always the same answer, whichever part was wrong (404)."""

    code = "no_match"


class Conflict(Refusal):
    """The request collides with another one or with the current state (409)."""

    code = "conflict"


class TooManyRequests(Refusal):
    """Over a rate limit; ``retry_after`` says when to try again (429)."""

    code = "rate_limited"


class Unavailable(Refusal):
    """A service we depend on cannot serve the request now; nothing was done half-way (503)."""

    code = "unavailable"
    message = "The service is unavailable right now. Try again in a moment."
    retry_after = 5
