"""``POST /webhooks/stripe``: Stripe's signed events, the source of truth for card payments.

The signature is verified with Stripe's SDK (``stripe.Webhook.construct_event``) over the raw body,
with the endpoint's signing secret from an SSM SecureString (``helpcenter.secure_parameters``, cached;
read again once before refusing, so a rotated secret is picked up). A missing or bad signature answers
400 ``invalid_signature`` and touches nothing.

Events arrive more than once, concurrently, in any order, and before or after the page's own call:

- ``payment_intent.succeeded`` settles the invoice named in the intent's metadata for the attempt
  (idempotency key) that created it, through ``settlement.settle``: conditional writes make it once
  however often it runs (200 ``settled``, then 200 ``already_settled``). ``succeeded`` is final for
  a PaymentIntent, so no later or earlier event can contradict it. A charge whose invoice was paid
  by another attempt is refunded (it can only be a second charge);
- every other event is acknowledged (200 ``ignored``): the page's call and the reconciliation job
  release attempts that failed.

A fault of ours (store, Stripe or the signing secret unreachable) answers 503, and Stripe delivers
the event again. A body that is not an event gets the API's usual 400 before any signature check.
"""

from __future__ import annotations

from typing import Annotated

from stripe import Event, SignatureVerificationError, Webhook  # at init: the SDK loads its classes lazily
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from helpcenter import coldstart, payments, secure_parameters, settlement, store
from helpcenter.api import ApiError, create_app
from helpcenter.clock import now, today
from helpcenter.environment import StripeWebhookEnvironment
from helpcenter.observability import api_entry_point, error_facts, logger, metrics
from helpcenter.models import ErrorBody
from helpcenter.money import Money
from stripe_webhook.models import StripeEventBody, WebhookAnswer

app = create_app()
SETTLEMENTS = settlement.default()  # DynamoDB and SES
ENVIRONMENT = StripeWebhookEnvironment.load()
store.client(), secure_parameters.client()  # clients at init, not on the first event (10-40 ms each)
SETTLING_EVENT = "payment_intent.succeeded"
# Stripe's SDK loads the class of an event's object (and the event's) on first use: at init instead.
Event.construct_from({"object": "event", "data": {"object": {"object": "payment_intent"}}}, None)


def signing_secret(fresh: bool = False) -> str:
    return secure_parameters.value(ENVIRONMENT.webhook_secret_parameter, fresh).strip()


def verified_event(payload: str, signature: str | None) -> Event:
    """The event, if Stripe signed it with the endpoint's secret; else ``ApiError`` 400 (503 when the
    secret cannot be read)."""
    for fresh in (False, True):
        try:
            secret = signing_secret(fresh)
        except (ClientError, BotoCoreError) as error:
            logger.error("webhook signing secret unavailable", extra=error_facts(error))
            raise ApiError(503, "unavailable", "The event could not be checked now; deliver it again.",
                           headers={"Retry-After": "30"}) from None
        try:
            return Webhook.construct_event(payload, signature, secret)
        except SignatureVerificationError:
            continue
    metrics.add_metric(name="WebhooksRefused", unit="Count", value=1)
    raise ApiError(400, "invalid_signature", "The Stripe-Signature header does not match this payload.")


def settle_intent(intent: dict) -> str:
    """Settle the invoice a succeeded PaymentIntent paid; what happened, for the answer."""
    metadata = intent.get("metadata") or {}
    account_number, invoice_number, key = (metadata.get(name) for name in
                                           ("account_number", "invoice_number", "idempotency_key"))
    if not (account_number and invoice_number and key):
        return "ignored"  # not one of our invoice payments
    charge = payments.Charge(payment_id=intent["id"], amount=Money(int(intent["amount"]), intent["currency"].upper()))
    try:
        settled = SETTLEMENTS.settle(account_number, invoice_number, key, charge, now=now(), today=today())
    except settlement.ChargeNotSettled:
        refund(charge, key)
        return "refunded"
    if settled.settlement is None:
        return "already_settled"
    metrics.add_metric(name="PaymentsSettledByWebhook", unit="Count", value=1)
    return "settled"


def refund(charge: payments.Charge, key: str) -> None:
    """Give back a charge that paid nothing (its invoice was paid by another attempt, or is gone)."""
    payments.provider().refund(charge.payment_id, key)
    metrics.add_metric(name="ChargesRefunded", unit="Count", value=1)
    logger.error("a charge paid no invoice: refunded", extra={"payment_id": charge.payment_id})


@app.post("/webhooks/stripe", summary="Stripe's signed events (payment_intent.succeeded settles an invoice)",
          responses={
              200: {"description": "Handled now or before (settled, already_settled, refunded, ignored)",
                    "content": {"application/json": {"model": WebhookAnswer}}},
              400: {"description": "invalid_signature, or not an event",
                    "content": {"application/json": {"model": ErrorBody}}},
              503: {"description": "unavailable: Stripe delivers the event again",
                    "content": {"application/json": {"model": ErrorBody}}}})
def stripe_webhook(
    _body: Annotated[StripeEventBody, Body()],
    signature: Annotated[str | None, Header(alias="Stripe-Signature", description="Stripe's signature of the body")] = None,
) -> WebhookAnswer:
    event = verified_event(app.current_event.decoded_body or "", signature)  # the raw body, as Stripe signed it
    outcome = "ignored"
    try:
        if event["type"] == SETTLING_EVENT:
            outcome = settle_intent(event["data"]["object"].to_dict())
    except (ClientError, BotoCoreError, payments.PaymentError) as error:
        logger.error("webhook not handled: Stripe will deliver it again", extra=error_facts(error))
        raise ApiError(503, "unavailable", "The event could not be handled now; deliver it again.",
                       headers={"Retry-After": "30"}) from None
    logger.info("stripe event", extra={"event_id": event["id"], "type": event["type"], "outcome": outcome})
    return WebhookAnswer(received=True, outcome=outcome)


@api_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


coldstart.finished()  # the last line of init
