"""``POST /accounts/status``: account number + billing postal code → status and what happens next."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart, errors, lookup_guard, postal_codes, store
from helpcenter.domain import Account, Plan, Region
from helpcenter.api import create_app
from helpcenter.clock import now, today
from helpcenter.environment import AccountStatusEnvironment
from helpcenter.models import ErrorBody
from helpcenter.observability import api_entry_point, logger, metrics
from account_status.models import AccountStatusRequest, AccountStatusResponse
from helpcenter.rules.status import status_report
from helpcenter.support import CONFIG as SUPPORT

ENVIRONMENT = AccountStatusEnvironment.load()
store.client()  # clients at init, not on the first request (10-40 ms each)
app = create_app()

NO_MATCH_MESSAGE = "No account matches this account number and postal code."
NO_ACCOUNT = Account(number="", name="", plan=Plan.FREE, region=Region.EUROPE_UK, postal_code_digest="0" * 64)


@app.post(
    "/accounts/status",
    summary="Status, outstanding invoices and next dunning step of an account",
    responses={
        200: {"description": "The account's status", "content": {"application/json": {"model": AccountStatusResponse}}},
        404: {"description": "no_match: no account has this number and postal code",
              "content": {"application/json": {"model": ErrorBody}}},
        429: {"description": "too_many_attempts: this account number had too many misses; wait Retry-After "
                             "seconds (the same answer whether or not the account exists)",
              "content": {"application/json": {"model": ErrorBody}}},
    },
)
def account_status(request: Annotated[AccountStatusRequest, Body()]) -> AccountStatusResponse:
    report = lookup_guard.guarded("status", request.account_number, now(), lambda: look_up(request))
    logger.info("status answered", extra={"status": report["status"], "plan": report["plan"]})
    return AccountStatusResponse.model_validate(report)


def look_up(request: AccountStatusRequest) -> dict:
    """The status report, or the one ``no_match`` with the same work done whichever number was wrong:
    an unknown account's postal code is checked against a digest nothing matches."""
    account, invoices = store.get_account_with_invoices(request.account_number)
    candidate = account or replace(NO_ACCOUNT, number=request.account_number)
    matched = candidate.postal_code_matches(request.postal_code, postal_codes.keys())
    if account is None or not matched:
        metrics.add_metric(name="StatusNoMatch", unit="Count", value=1)
        raise errors.NotFound("no_match", NO_MATCH_MESSAGE)
    return status_report(account, invoices, today(), SUPPORT.third_party)


@api_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


coldstart.finished()  # the last line of init
