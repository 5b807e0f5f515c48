"""``POST /accounts/status``: account number + billing postal code → status and what happens next."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart
from helpcenter import store
from helpcenter import errors
from helpcenter.api import create_app
from helpcenter.clock import today
from helpcenter.environment import AccountStatusEnvironment
from helpcenter.models import ErrorBody
from helpcenter.observability import logger, metrics
from account_status.models import AccountStatusRequest, AccountStatusResponse
from helpcenter.rules.status import status_report

ENVIRONMENT = AccountStatusEnvironment.load()
store.client()  # clients at init, not on the first request (10-40 ms each)
app = create_app()

NO_MATCH_MESSAGE = "No account matches this account number and postal code."


@app.post(
    "/accounts/status",
    summary="Status, outstanding invoices and next dunning step of an account",
    responses={
        200: {"description": "The account's status", "content": {"application/json": {"model": AccountStatusResponse}}},
        404: {"description": "no_match: no account has this number and postal code",
              "content": {"application/json": {"model": ErrorBody}}},
    },
)
def account_status(request: Annotated[AccountStatusRequest, Body()]) -> AccountStatusResponse:
    account, invoices = store.get_account_with_invoices(request.account_number)
    if account is None or not account.postal_code_matches(request.postal_code):
        metrics.add_metric(name="StatusNoMatch", unit="Count", value=1)
        raise errors.NotFound("no_match", NO_MATCH_MESSAGE)
    report = status_report(account, invoices, today())
    logger.info("status answered", extra={"status": report["status"], "plan": report["plan"]})
    return AccountStatusResponse.model_validate(report)


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


coldstart.finished()  # the last line of init
