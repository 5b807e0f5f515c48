"""``POST /tickets``: a partner's ticket, or a customer's billing case → severity with its reasons,
deadlines, queue (201).
``POST /tickets/attachments``: a presigned S3 upload form for one screenshot or recording (201).

An optional ``Idempotency-Key`` header makes a retried submission return the first ticket instead of
filing a second one. The decisions live in ``logic`` and the pure rules it calls.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart, secure_parameters, store
from helpcenter.api import create_app, request_language
from helpcenter.clock import now
from helpcenter.environment import SubmitTicketEnvironment
from helpcenter.i18n.sentences import reason_sentence
from helpcenter.observability import api_entry_point, metrics
from helpcenter.models import IDEMPOTENCY_KEY_PATTERN, ErrorBody
from submit_ticket.models import (
    AttachmentRequest,
    AttachmentResponse,
    TicketRequest,
    TicketResponse,
)
from submit_ticket import attachments, logic

ENVIRONMENT = SubmitTicketEnvironment.load()
store.client(), attachments.client(), secure_parameters.client()  # at init, not on the first request (10-40 ms each)
app = create_app()

def refusals(description: str) -> Any:
    """An error response of the OpenAPI document: the description and the one error shape."""
    return {"description": description, "content": {"application/json": {"model": ErrorBody}}}


def created(body: dict, headers: dict | None = None) -> Response:
    return Response(201, content_types.APPLICATION_JSON, body, headers=headers or {})


@app.post(
    "/tickets",
    summary="File a partner ticket or a customer's billing case: severity with reasons, deadlines and queue",
    description="Partners write from their registered domain. A customer on a paid plan opens a billing case "
                "from an address that is a billing contact of the account it names by number (free-mail "
                "addresses included) or one of its users: owner, admin, billing, or member on business "
                "and up; anyone else gets the partner refusal, the same whether the account "
                "exists or not.",
    responses={
        201: {"description": "Accepted", "content": {"application/json": {"model": TicketResponse}}},
        400: refusals("validation_error, free_mail_domain, unregistered_domain, billing_case_not_in_plan "
                             "or rejected"),
        404: refusals("unknown_customer_account: no such account among the partner's customers"),
        409: refusals("key_reused: the Idempotency-Key came with another body"),
        429: refusals("rate_limited (Retry-After)"),
    },
)
def submit_ticket(
    request: Annotated[TicketRequest, Body()],
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN,
        description="Optional; a retry with the same key and body returns the first ticket instead of filing "
                    "another; the same key with another body is refused (409 key_reused)",
    )] = None,
) -> Response[TicketResponse]:
    body, new = logic.submit(request, idempotency_key, now())
    language = request_language(app.current_event)
    reasons = [{**r, "message": reason_sentence(language, r["code"], r["params"])} for r in body["reasons"]]
    headers = {"Content-Language": language, **({} if new else {"Idempotent-Replayed": "true"})}
    return created({**body, "reasons": reasons}, headers)


@app.post(
    "/tickets/attachments",
    summary="Presigned S3 upload for one screenshot or screen recording",
    responses={201: {"description": "Upload form", "content": {"application/json": {"model": AttachmentResponse}}},
               400: refusals("unsupported_attachment_type or attachment_too_large")},
)
def attachment_upload(request: Annotated[AttachmentRequest, Body()]) -> Response[AttachmentResponse]:
    upload = attachments.presign(request.filename, request.content_type, request.size)
    metrics.add_metric(name="AttachmentUploadsSigned", unit="Count", value=1)
    return created(upload)


@api_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


coldstart.finished()  # the last line of init
