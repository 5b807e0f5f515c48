"""Raw-body screening: limits checked on the request body before anything parses it.

Python's ``json`` raises ``RecursionError`` at about 1,000 levels of nesting and ``ValueError`` for
integers over 4,300 digits, so depth and number length are checked on the text first; the size is
counted in bytes of the body as received (after base64 decoding), not in characters. The media
type is matched case-insensitively and normalised, so ``APPLICATION/JSON`` reaches Powertools'
validation as ``application/json``.

The JSON scan is hand-written because no maintained library bounds depth and number length without
parsing first; it removes string literals with one regular expression and looks only at what is left.
"""

from __future__ import annotations

import base64
import binascii
import re

from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware

from helpcenter.errors import BodyTooLarge, InvalidRequest, UnsupportedMediaType

MAX_BODY_BYTES = 64 * 1024
MAX_NESTING = 32  # our deepest body (a ticket's attachments) is 2 levels
MAX_NUMBER_CHARACTERS = 40  # no field of ours is a number anywhere near this long

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_LONG_NUMBER = re.compile(r"[-+0-9.eE]{%d,}" % (MAX_NUMBER_CHARACTERS + 1))
_BRACKETS = re.compile(r"[\[\]{}]")


def body_bytes(event: dict) -> bytes:
    """The body as the client sent it, in bytes."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except binascii.Error:
            raise InvalidRequest("invalid_body", "The request body must be UTF-8 encoded JSON.") from None
    return body.encode("utf-8", "surrogatepass")


def without_strings(text: str) -> str:
    """A JSON text with every string literal emptied: what is left is structure, numbers and literals."""
    return _STRING.sub('""', text)


def nesting_depth(structure: str) -> int:
    """The deepest nesting of arrays and objects (of a text ``without_strings``)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(structure):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def screen(event: dict) -> None:
    """Refuse a body no route can use, before parsing; normalise the media type of one it can.

    Every route takes JSON: a request without a media type is read as JSON, one with another media
    type is refused whether or not it has a body (Powertools would otherwise parse form and multipart
    bodies, and answer an unknown type in its own shape)."""
    headers = event.get("headers") or {}
    event["headers"] = headers
    name = next((key for key in headers if key.lower() == "content-type"), "Content-Type")
    media_type = (headers.get(name) or "application/json").strip().lower()
    if not media_type.startswith("application/json"):
        raise UnsupportedMediaType()
    headers[name] = media_type
    raw = body_bytes(event)
    if len(raw) > MAX_BODY_BYTES:
        raise BodyTooLarge(message=f"The request body exceeds {MAX_BODY_BYTES} bytes.")
    if not raw:
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest("invalid_body", "The request body must be UTF-8 encoded JSON.") from None
    structure = without_strings(text)
    if nesting_depth(structure) > MAX_NESTING:
        raise InvalidRequest("body_too_deep", f"The request body nests more than {MAX_NESTING} levels.")
    if _LONG_NUMBER.search(structure):
        raise InvalidRequest("number_too_long",
                             f"A number in the request body is longer than {MAX_NUMBER_CHARACTERS} characters.")


class ScreenedRequestValidation(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, with the raw-body screen first.

    Powertools runs its request validation before any middleware given to ``app.use()``, and that
    validation parses the body, so the screen runs at its start."""

    def handler(self, app, next_middleware: NextMiddleware):
        screen(app.current_event.raw_event)
        return super().handler(app, next_middleware)
