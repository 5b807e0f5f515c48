"""The OpenAPI document integrators get: valid 3.1, every template route, our error shape."""

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import requests
from openapi_spec_validator import validate

from devstack import template as sam

ROOT = Path(__file__).resolve().parents[2]


@cache
def build() -> dict:
    """The document as `python -m devstack.openapi` prints it (in its own process: importing every
    handler here would create AWS clients before the local stack points them at moto)."""
    output = subprocess.run([sys.executable, "-m", "devstack.openapi"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)


def test_document_is_valid_and_covers_every_route():
    document = build()
    validate(document)
    documented = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    assert documented == {(route.method, route.path) for route in sam.load().routes}


def test_errors_use_our_shape_not_the_default_422():
    for operations in build()["paths"].values():
        for operation in operations.values():
            assert "422" not in operation["responses"]
            assert operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
            assert any(status.startswith("2") for status in operation["responses"])


def test_site_publishes_it(stack):
    response = requests.get(f"{stack.url}/openapi.json", timeout=10)
    assert response.status_code == 200
    assert "/accounts/status" in response.json()["paths"]


def test_the_error_schema_documents_each_field_problem_with_its_code():
    schemas = build()["components"]["schemas"]
    item = schemas["Error"]["properties"]["fields"]["items"]
    field_error = schemas[item["$ref"].rsplit("/", 1)[1]]
    assert set(field_error["required"]) == {"field", "code", "message"}


def test_enums_limits_and_headers_are_documented():
    from devstack.openapi import contract_facts

    document = build()
    schemas = document["components"]["schemas"]
    for (schema, name), keywords in contract_facts().items():
        prop = schemas[schema]["properties"][name]
        typed = next((b for b in prop.get("anyOf", []) if b.get("type") != "null"), prop)
        for keyword, value in keywords.items():
            assert (prop if keyword == "description" else typed)[keyword] == value, (schema, name, keyword)
    assert schemas["TicketRequest"]["properties"]["description"]["x-min-words"] == 20
    for path, operations in document["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            assert "Retry-After" in responses["503"]["headers"], path
            for status in ("409", "429"):
                if status in responses:
                    assert "Retry-After" in responses[status]["headers"], (path, status)
            keyed = any(p["name"].lower() == "idempotency-key" for p in operation.get("parameters", []))
            for status, response in responses.items():
                if status.startswith("2"):
                    assert ("Idempotent-Replayed" in response.get("headers", {})) == keyed, (path, status)
