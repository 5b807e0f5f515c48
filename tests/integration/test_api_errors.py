"""Bodies no route can use get the same 4xx JSON error on every route of the template."""

import json

import pytest
import requests

from devstack import template as sam
from helpcenter.models import ErrorBody

JSON = {"Content-Type": "application/json"}
ROUTES = sorted({route.path for route in sam.load().routes if route.method == "POST" and "{" not in route.path})
GENERIC_REFUSALS = [
    ("{bad json", JSON, 400, "malformed_json"),
    ("[1, 2]", JSON, 400, "invalid_body"),
    ('"text"', JSON, 400, "invalid_body"),
    ("", JSON, 400, "invalid_body"),
    ("{}", JSON, 400, "validation_error"),
    ('{"unexpected": true}', JSON, 400, "validation_error"),
    ("a=b", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ("", {}, 400, "invalid_body"),  # no media type: read as JSON
    ("", {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
    ("", {"Content-Type": "multipart/form-data"}, 415, "unsupported_media_type"),
    ("{}", {"Content-Type": "multipart/form-data; boundary=x"}, 415, "unsupported_media_type"),
    ("", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ('{"x": "' + "1" * 70_000 + '"}', JSON, 413, "body_too_large"),
    (b"\xff\xfe\x00binary", JSON, 400, "invalid_body"),
    ("[" * 961 + "]" * 961, JSON, 400, "body_too_deep"),  # 1,922 bytes that crash Python's json
    ('{"n": ' + "1" * 4301 + "}", JSON, 400, "number_too_long"),
    ('{"x": "' + "é" * 90_000 + '"}', JSON, 413, "body_too_large"),  # 180,010 bytes in 90,010 characters
    ('{"x": "' + "ก" * 22_000 + '"}', {"Content-Type": "APPLICATION/JSON"}, 413, "body_too_large"),
    ("{}", {"Content-Type": "APPLICATION/JSON; CHARSET=UTF-8"}, 400, "validation_error"),
]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("data, headers, code, error", GENERIC_REFUSALS)
def test_unusable_bodies_get_a_4xx_json_error(stack, path, data, headers, code, error):
    headers = {**headers, "Idempotency-Key": "generic-refusal-key-0001"}
    response = requests.post(f"{stack.url}/api{path}", data=data, headers=headers, timeout=10)
    assert response.status_code == code, response.text
    body = response.json()
    ErrorBody.model_validate(body)
    assert body["message"] and body["error"] == error
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "method, path, code",
    [("POST", "/api/accounts/unknown", 404), ("GET", "/api/accounts/status", 405), ("DELETE", "/api", 404),
     ("PUT", "/api/invoices/pay", 405), ("GET", "/api/tickets", 405)],
)
def test_unknown_routes_and_methods(stack, method, path, code):
    response = requests.request(method, f"{stack.url}{path}", timeout=10)
    assert response.status_code == code
    ErrorBody.model_validate(response.json())
    assert response.json()["error"] in ("not_found", "method_not_allowed")
    if code == 405:
        assert response.headers["Allow"] == "POST"


def template_error_bodies() -> list[tuple[str, str]]:
    """The error bodies the infrastructure answers by itself: API Gateway's gateway responses and the
    WAF's custom responses (they cannot import the functions' builder, so they are checked against it)."""
    from tests.integration.template_parts import resources

    found = []
    for name, resource in resources().items():
        properties = resource.get("Properties", {})
        for kind, response in (properties.get("GatewayResponses") or {}).items():
            found.append((f"{name}.{kind}", response["ResponseTemplates"]["application/json"]))
        for key, custom in (properties.get("CustomResponseBodies") or {}).items():
            found.append((f"{name}.{key}", custom["Content"]))
    return found


@pytest.mark.parametrize("place, text", template_error_bodies())
def test_infrastructure_answers_in_the_one_error_shape(place, text):
    ErrorBody.model_validate(json.loads(text))


def test_the_template_has_such_answers():
    assert len(template_error_bodies()) >= 2
