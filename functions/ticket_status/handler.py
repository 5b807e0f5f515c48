"""``POST /tickets/status``: ticket id + requester's address → severity, reasons, deadlines,
acknowledgement and escalation level (one ``no_match`` for any wrong pair; rate-limited per ticket id).
``POST /tickets/acknowledge``: the acknowledge link's token (or the help desk's call) → the ticket is
acknowledged once and escalation stops."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart, secure_parameters, store
from helpcenter.api import create_app, request_language
from helpcenter.clock import now
from helpcenter.environment import TicketStatusEnvironment
from helpcenter.models import ErrorBody
from helpcenter.observability import api_entry_point, logger
from ticket_status import logic
from ticket_status.models import AcknowledgeRequest, AcknowledgeResponse, TicketStatusRequest, TicketStatusResponse

ENVIRONMENT = TicketStatusEnvironment.load()
store.client(), secure_parameters.client()  # clients at init, not on the first request (10-40 ms each)
app = create_app()


def refusals(description: str) -> Any:
    return {"description": description, "content": {"application/json": {"model": ErrorBody}}}


@app.post(
    "/tickets/status",
    summary="A ticket's severity, reasons, deadlines, acknowledgement and escalation level, for its requester",
    responses={
        200: {"description": "The ticket", "content": {"application/json": {"model": TicketStatusResponse}}},
        404: refusals("no_match: no ticket has this id and requester address (the same answer for either)"),
        429: refusals("too_many_attempts: this ticket id had too many misses; wait Retry-After seconds"),
    },
)
def ticket_status(request: Annotated[TicketStatusRequest, Body()]) -> Response[TicketStatusResponse]:
    language = request_language(app.current_event)
    report = logic.status(request, now(), language)
    logger.info("ticket status answered", extra={"ticket_id": report["ticket_id"]})
    body = TicketStatusResponse.model_validate(report).model_dump(mode="json")
    answer: Response = Response(200, content_types.APPLICATION_JSON, body, headers={"Content-Language": language})
    return answer


@app.post(
    "/tickets/acknowledge",
    summary="Acknowledge a ticket with its acknowledge link's token: escalation stops (once per ticket)",
    responses={
        200: {"description": "Acknowledged", "content": {"application/json": {"model": AcknowledgeResponse}}},
        400: refusals("invalid_link or link_expired"),
        404: refusals("no_match: the link's ticket no longer exists"),
        409: refusals("already_acknowledged: the link was used before"),
    },
)
def acknowledge(request: Annotated[AcknowledgeRequest, Body()]) -> AcknowledgeResponse:
    return AcknowledgeResponse.model_validate(logic.acknowledge(request, now()))


@api_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


coldstart.finished()  # the last line of init
