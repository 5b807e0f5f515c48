"""Bodies no route can use get the same 4xx JSON error on every route of the template."""

import pytest
import requests

from devstack import template as sam

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
    ('{"x": "' + "1" * 70_000 + '"}', JSON, 413, "body_too_large"),
    (b"\xff\xfe\x00binary", JSON, 400, "invalid_body"),
]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("data, headers, code, error", GENERIC_REFUSALS)
def test_unusable_bodies_get_a_4xx_json_error(stack, path, data, headers, code, error):
    headers = {**headers, "Idempotency-Key": "generic-refusal-key-0001"}
    response = requests.post(f"{stack.url}/api{path}", data=data, headers=headers, timeout=10)
    assert response.status_code == code, response.text
    body = response.json()
    assert set(body) <= {"error", "message", "fields"} and body["message"]
    assert body["error"] == error
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "method, path, code",
    [("POST", "/api/accounts/unknown", 404), ("GET", "/api/accounts/status", 405), ("DELETE", "/api", 404),
     ("PUT", "/api/invoices/pay", 405), ("GET", "/api/tickets", 405)],
)
def test_unknown_routes_and_methods(stack, method, path, code):
    response = requests.request(method, f"{stack.url}{path}", timeout=10)
    assert response.status_code == code
    assert response.json()["error"] in ("not_found", "method_not_allowed")
