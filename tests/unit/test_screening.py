"""The raw-body screen and the one error shape, through a resolver built like every function's
(no AWS: a proxy event in, a proxy response out)."""

from __future__ import annotations

import base64
import json
from typing import Annotated

import pytest
from aws_lambda_powertools.event_handler.openapi.params import Body
from hypothesis import given, strategies as st

from helpcenter import errors
from helpcenter.api import create_app
from helpcenter.models import ApiModel, ErrorBody
from helpcenter.screening import MAX_BODY_BYTES, MAX_NESTING, MAX_NUMBER_CHARACTERS, nesting_depth, without_strings


class Echo(ApiModel):
    text: str = ""
    items: list = []


app = create_app()


@app.post("/echo")
def echo(request: Annotated[Echo, Body()]) -> dict:
    if request.text == "refuse":
        raise errors.TooManyRequests(message="Slow down.", retry_after=30)
    return {"length": len(request.text)}


def call(body: str | bytes | None, content_type: str | None = "application/json", encoded: bool = False) -> dict:
    if isinstance(body, bytes):
        body, encoded = base64.b64encode(body).decode(), True
    headers = {"Content-Type": content_type} if content_type else {}
    event = {"resource": "/echo", "path": "/echo", "httpMethod": "POST", "headers": headers,
             "multiValueHeaders": {k: [v] for k, v in headers.items()}, "body": body, "isBase64Encoded": encoded,
             "requestContext": {"resourcePath": "/echo", "httpMethod": "POST", "stage": "v1"}}
    return app.resolve(event, None)  # type: ignore[arg-type]  # these routes read no Lambda context


def refusal(response: dict) -> dict:
    body = json.loads(response["body"])
    ErrorBody.model_validate(body)  # the documented shape, fields[].code included
    return body


DEEP = "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)


@pytest.mark.parametrize("body, status, code", [
    ('{"items": ' + DEEP + "}", 400, "body_too_deep"),
    ("[" * 5000 + "]" * 5000, 400, "body_too_deep"),  # Python's json would raise RecursionError
    ('{"items": [' + "9" * 5000 + "]}", 400, "number_too_long"),  # ... and ValueError past 4,300 digits
    ('{"text": "' + "é" * (MAX_BODY_BYTES // 2 + 1) + '"}', 413, "body_too_large"),  # bytes, not characters
    ("{bad", 400, "malformed_json"),
    ('{"text": 5}', 400, "validation_error"),
])
def test_unusable_bodies_are_refused_in_our_shape(body, status, code):
    response = call(body)
    assert response["statusCode"] == status
    assert refusal(response)["error"] == code


def test_text_that_only_looks_deep_or_numeric_inside_strings_passes():
    text = "[" * 100 + "1" * 100
    assert json.loads(call(json.dumps({"text": text}))["body"]) == {"length": 200}


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/Json; charset=UTF-8", None])
def test_the_media_type_is_matched_case_insensitively(content_type):
    assert call('{"text": "ab"}', content_type)["statusCode"] == 200


def test_other_media_types_get_our_415():
    response = call("a=b", "application/x-www-form-urlencoded")
    assert response["statusCode"] == 415 and refusal(response)["error"] == "unsupported_media_type"


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00binary", b"not base64 at all"])
def test_bodies_that_are_not_utf8_are_invalid(raw):
    response = call(raw) if raw.startswith(b"\xff") else call(raw.decode(), encoded=True)
    assert response["statusCode"] == 400 and refusal(response)["error"] == "invalid_body"


def test_validation_errors_carry_a_code_per_field():
    body = refusal(call('{"text": 5}'))
    assert body["fields"] == [{"field": "text", "code": "string_type", "message": "Input should be a valid string"}]


def test_a_refusal_kind_maps_to_its_status_and_retry_after():
    response = call('{"text": "refuse"}')
    assert response["statusCode"] == 429
    assert response["multiValueHeaders"]["Retry-After"] == ["30"]
    assert refusal(response) == {"error": "rate_limited", "message": "Slow down."}


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)))
def test_depth_is_measured_like_the_parser_sees_it(value):
    def depth(v):
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        return 0 if children is None else 1 + max(map(depth, children), default=0)

    text = json.dumps(value)
    assert nesting_depth(without_strings(text)) == depth(value)
    assert MAX_NUMBER_CHARACTERS < 4300
