"""``POST /invoices/lookup`` and ``POST /invoices/pay``: express payment with the two printed numbers.

Exactly once: every pay request carries an ``Idempotency-Key`` header. Powertools idempotency
answers a replay of a key with the first response and refuses the key with another body; inside,
``logic.pay`` claims the invoice with a conditional write and hands the same key to the payment
provider (see its docstring). Every kind of mismatch answers the same 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from helpcenter import coldstart, errors, lookup_guard, payments, store
from helpcenter.api import ApiError, create_app, status_of
from helpcenter.clock import now, today
from helpcenter.environment import PayInvoiceEnvironment
from helpcenter.observability import api_entry_point, error_facts, logger, metrics
from helpcenter.models import IDEMPOTENCY_KEY_PATTERN, ErrorBody
from pay_invoice.models import (
    InvoiceLookupRequest,
    InvoiceLookupResponse,
    PayInvoiceRequest,
    PayActionResponse,
    PayInvoiceResponse,
)
from pay_invoice import logic

ENVIRONMENT = PayInvoiceEnvironment.load()
app = create_app()

persistence = DynamoDBPersistenceLayer(
    table_name=ENVIRONMENT.idempotency_table,
    key_attr="id",
    boto3_client=store.client(),
)
payments.provider()  # at init (Stripe's SDK and its tracing), not on the first payment


class Replayed(dict):
    """The first response to this Idempotency-Key, given back by the idempotency store."""


attempts = IdempotencyConfig(
    event_key_jmespath="idempotency_key",
    payload_validation_jmespath="request",  # the same key with another body is refused
    raise_on_no_idempotency_key=True,
    expires_after_seconds=24 * 3600,
    hash_function="sha256",
    response_hook=lambda response, _record: Replayed(response),
)


# Refusals that are final for an attempt are its recorded answer, replayed like a receipt; the others
# (someone else holds the invoice, the provider's answer is pending, nothing was done) are not
# recorded, so a retry with the same key runs again.
RETRIED_NOT_REPLAYED = (logic.PaymentInProgress, logic.PaymentPending, logic.ProviderDown, logic.ActionNeeded)


@idempotent_function(data_keyword_argument="attempt", config=attempts, persistence_store=persistence,
                     key_prefix="pay_invoice")
def pay_once(attempt: dict) -> dict:
    """The attempt's answer: ``{"status": 200, "body": receipt}`` or a final refusal's status and body."""
    request = PayInvoiceRequest.model_validate(attempt["request"])
    try:
        receipt = logic.pay(request, attempt["idempotency_key"], now=now(), today=today())
    except RETRIED_NOT_REPLAYED:
        raise
    except logic.Refusal as refusal:
        return {"status": status_of(refusal), "body": refusal.body()}
    return {"status": 200, "body": receipt}


ERRORS: dict[int, Any] = {
    200: {"description": "The receipt; a replay of the same key answers the same body (header Idempotent-Replayed)",
          "content": {"application/json": {"model": PayInvoiceResponse}}},
    202: {"description": "Nothing taken yet: the customer's bank asks for a check (3-D Secure). Complete it "
                         "with Stripe.js (handleNextAction with client_secret), then send the same request "
                         "with the same Idempotency-Key", "content": {"application/json": {"model": PayActionResponse}}},
    402: {"description": "Declined by the payment provider", "content": {"application/json": {"model": ErrorBody}}},
    404: {"description": "no_match: the same answer for every wrong or paid combination",
          "content": {"application/json": {"model": ErrorBody}}},
    409: {"description": "in_progress, key_reused or amount_mismatch", "content": {"application/json": {"model": ErrorBody}}},
    429: {"description": "too_many_attempts: this account number had too many misses; wait Retry-After seconds "
                         "(the same answer whether or not the account exists)",
          "content": {"application/json": {"model": ErrorBody}}},
    503: {"description": "provider_error or payment_pending (retry with the same key)",
          "content": {"application/json": {"model": ErrorBody}}},
}


@app.post("/invoices/lookup", summary="Amount due, currency and due date of an unpaid invoice",
          responses={200: {"description": "The invoice, to check before paying",
                           "content": {"application/json": {"model": InvoiceLookupResponse}}},
                     404: ERRORS[404], 429: ERRORS[429]})
def lookup_invoice(request: Annotated[InvoiceLookupRequest, Body()]) -> InvoiceLookupResponse:
    found = lookup_guard.guarded("invoice", request.account_number, now(),
                                 lambda: logic.lookup(request.account_number, request.invoice_number))
    return InvoiceLookupResponse.model_validate(found)


@app.post("/invoices/pay", summary="Pay an invoice once, whatever the retries", responses=ERRORS)
def pay_invoice(
    request: Annotated[PayInvoiceRequest, Body()],
    idempotency_key: Annotated[str, Header(
        alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN,
        description="One key per payment attempt (a UUID); retries of the attempt send the same key",
    )],
) -> Response[PayInvoiceResponse | PayActionResponse]:
    window = lookup_guard.refuse_if_locked("invoice", request.account_number, now())
    try:
        answer = pay_once(attempt={"idempotency_key": idempotency_key, "request": request.model_dump(mode="json")})
    except logic.ActionNeeded as needed:
        return Response(202, content_types.APPLICATION_JSON, PayActionResponse(
            status="requires_action", payment_id=needed.payment_id, client_secret=needed.client_secret))
    except errors.NotFound:
        lookup_guard.count_miss(request.account_number, window)
        raise
    except IdempotencyValidationError:
        raise logic.KeyReused() from None
    except logic.ChargeNotSettled as error:
        raise ApiError(500, "internal_error", f"The payment {error} was taken but could not be recorded. "
                       "Contact billing support with this reference; you will not be charged again.") from None
    except IdempotencyAlreadyInProgressError:
        metrics.add_metric(name="PaymentsInProgress", unit="Count", value=1)
        raise errors.Conflict("in_progress", "This payment attempt is still being processed. Try again in a moment.",
                              retry_after=logic.RETRY_AFTER_SECONDS) from None
    except (IdempotencyPersistenceLayerError, ClientError, BotoCoreError) as error:
        cause = error.__cause__ if isinstance(error, IdempotencyPersistenceLayerError) and error.__cause__ else error
        logger.error("payment store unavailable", extra=error_facts(cause))  # no message: it may quote keys
        raise errors.Unavailable(message="We could not complete the payment right now. Send the same request "
                                 "again with the same Idempotency-Key: you will not be charged twice.",
                                 retry_after=logic.RETRY_AFTER_SECONDS) from None
    headers = {"Idempotent-Replayed": "true"} if isinstance(answer, Replayed) else {}
    if answer["status"] != 200:
        refusal = answer["body"]
        if answer["status"] == 404:  # no_match, recorded as this attempt's answer
            lookup_guard.count_miss(request.account_number, window)
        raise ApiError(answer["status"], refusal["error"], refusal["message"], refusal.get("fields"), headers or None)
    return Response(200, content_types.APPLICATION_JSON, PayInvoiceResponse.model_validate(answer["body"]),
                    headers=headers)


@api_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    attempts.register_lambda_context(context)
    return app.resolve(event, context)


coldstart.finished()  # the last line of init
