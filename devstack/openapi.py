"""The API's OpenAPI 3.1 document, made from the handlers' own Powertools resolvers.

Each function's resolver knows its routes and pydantic models; this merges them, in the template's
order, and states our one error shape instead of Powertools' default 422 body (our resolver answers
validation errors with 400). Served at ``/openapi.json`` on the site (``hooks/openapi.py``).

    .venv/bin/python -m devstack.openapi > openapi.json
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from devstack import template as sam

ROOT = Path(__file__).resolve().parents[1]
ERROR_RESPONSE = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def common_errors() -> dict[str, str]:
    """The refusals of the raw-body screen and of validation, which every route can answer."""
    from helpcenter.screening import MAX_BODY_BYTES, MAX_NESTING, MAX_NUMBER_CHARACTERS

    return {
        "400": "Invalid input: validation_error (with fields), malformed_json, invalid_body, body_too_deep "
               f"(nested over {MAX_NESTING} levels) or number_too_long (a number over {MAX_NUMBER_CHARACTERS} "
               "characters)",
        "413": f"body_too_large: the body exceeds {MAX_BODY_BYTES} bytes",
        "415": "unsupported_media_type: send Content-Type application/json",
    }


def error_schemas() -> dict[str, dict]:
    """The one error shape, from its pydantic model (``helpcenter.models.ErrorBody``)."""
    from helpcenter.models import ErrorBody

    schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"Error": schema, **schema.pop("$defs", {})}


def build(title: str = "Help center API", version: str = "1") -> dict:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # some handlers create their client at import
    template = sam.load()
    for function in template.functions.values():  # each handler checks its environment at import
        for name, value in function["environment"].items():
            os.environ.setdefault(name, value)
    if str(ROOT / "functions") not in sys.path:
        sys.path.insert(0, str(ROOT / "functions"))
    document: dict = {"openapi": "3.1.0", "info": {"title": title, "version": version}, "paths": {},
                      "components": {"schemas": error_schemas()}}
    modules = dict.fromkeys(route.handler.rsplit(".", 1)[0] for route in template.routes)
    for module_name in modules:
        app = importlib.import_module(module_name).app
        schema = json.loads(app.get_openapi_json_schema(title=title, version=version))
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                _state_errors(operation)
            document["paths"].setdefault(path, {}).update(operations)
        for name, component in schema.get("components", {}).get("schemas", {}).items():
            if name not in ("HTTPValidationError", "ValidationError", "ResponseValidationError", "ErrorBody",
                            "FieldError"):
                document["components"]["schemas"][name] = component
    return document


def _state_errors(operation: dict) -> None:
    responses = operation["responses"]
    responses.pop("422", None)
    responses.pop("500", None)
    for status, description in common_errors().items():
        responses[status] = {"description": description, **ERROR_RESPONSE}
    for status, response in responses.items():
        if status[0] in "45":  # every refusal has the one error shape
            response.update(ERROR_RESPONSE)


if __name__ == "__main__":
    print(json.dumps(build(), indent=2, ensure_ascii=False))
