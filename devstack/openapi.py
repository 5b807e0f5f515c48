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


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 1}}}
REPLAYED = {"Idempotent-Replayed": {"description": "true when this is the first answer to the same Idempotency-Key, "
                                                   "given again (nothing was done twice)",
                                    "schema": {"type": "string", "enum": ["true"]}}}
UNAVAILABLE = "unavailable: a service we depend on (DynamoDB, SES, the payment provider) failed or did not " \
              "answer in time; nothing was done half-way, try again after Retry-After"


def contract_facts() -> dict[tuple[str, str], dict]:
    """Schema keywords the pydantic models cannot state because their values are configuration or
    domain enums checked by validators: (schema, property) → keywords, each from its one source."""
    from helpcenter.domain import AccountStatus, Plan
    from helpcenter.money import CURRENCY_EXPONENTS
    from helpcenter.support import CONFIG

    limits = CONFIG.limits
    min_words, (guide_low, guide_high) = limits["description_min_words"], limits["description_guide_words"]
    statuses = [status.value for status in AccountStatus]
    return {
        ("TicketRequest", "request_type"): {"enum": list(CONFIG.request_types)},
        ("TicketRequest", "product"): {"enum": list(CONFIG.products)},
        ("TicketRequest", "impact"): {"enum": list(CONFIG.impacts)},
        ("TicketRequest", "description"): {
            "x-min-words": min_words, "x-guide-words": [guide_low, guide_high],
            "description": f"The problem or question: at least {min_words} words (a shorter one is refused: "
                           f"validation_error, field code too_short); the template asks for {guide_low}–{guide_high}."},
        ("AttachmentRequest", "content_type"): {"enum": list(limits["attachments"]["content_types"])},
        ("AttachmentRequest", "size"): {"minimum": 1, "maximum": limits["attachments"]["max_bytes"]},
        ("PayInvoiceRequest", "currency"): {"enum": sorted(CURRENCY_EXPONENTS)},
        ("AccountStatusResponse", "status"): {"enum": statuses},
        ("AccountStatusResponse", "plan"): {"enum": [plan.value for plan in Plan]},
        ("PayInvoiceResponse", "account_status"): {"enum": statuses},
        ("InvoiceLookupResponse", "payment_provider"): {"enum": ["sandbox", "stripe"]},
        ("TicketResponse", "kind"): {"enum": ["partner", "billing"]},
        ("TicketResponse", "severity"): {"enum": ["S1", "S2", "S3"]},
    }


def _state_facts(document: dict) -> None:
    schemas = document["components"]["schemas"]
    for (schema, name), keywords in contract_facts().items():
        if schema not in schemas:
            continue
        prop = schemas[schema]["properties"][name]
        typed = next((branch for branch in prop.get("anyOf", []) if branch.get("type") != "null"), prop)
        typed.update({k: v for k, v in keywords.items() if k != "description"})
        if "description" in keywords:
            prop["description"] = keywords["description"]


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
    _state_facts(document)
    return document


def _state_errors(operation: dict) -> None:
    responses = operation["responses"]
    responses.pop("422", None)
    responses.pop("500", None)
    for status, description in common_errors().items():
        responses[status] = {"description": description, **ERROR_RESPONSE}
    responses.setdefault("503", {"description": UNAVAILABLE})
    for parameter in operation.get("parameters", []):  # an optional header is absent, never "null"
        schema = parameter["schema"]
        typed = [branch for branch in schema.get("anyOf", []) if branch.get("type") != "null"]
        if parameter["in"] == "header" and len(typed) == 1:
            parameter["schema"] = {**{k: v for k, v in schema.items() if k != "anyOf"}, **typed[0]}
    takes_key = any(p["in"] == "header" and p["name"].lower() == "idempotency-key"
                    for p in operation.get("parameters", []))
    for status, response in responses.items():
        if status[0] in "45":  # every refusal has the one error shape
            response.update(ERROR_RESPONSE)
        if status in ("409", "429", "503"):  # in_progress, rate limits and locks, unavailability
            response.setdefault("headers", {}).update(RETRY_AFTER)
        if status[0] == "2" and takes_key:
            response.setdefault("headers", {}).update(REPLAYED)


if __name__ == "__main__":
    print(json.dumps(build(), indent=2, ensure_ascii=False))
