"""Each function's environment as a model, read once at cold start.

A variable the template forgot to set fails the function's initialisation with its name (Lambda
reports an init error at once) instead of a wrong default or a ``KeyError`` on some later request.
The template (``infra/template.yaml``) sets these; a test checks it sets every required one.
"""

from __future__ import annotations

import os
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class MissingEnvironment(RuntimeError):
    """Variables a function needs are missing or invalid."""


class FunctionEnvironment(BaseModel):
    # built when first loaded: a function loads only its own one of these classes (~1 ms each)
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    table_name: str = Field(alias="TABLE_NAME", min_length=1)

    @classmethod
    def load(cls, environ: Mapping[str, str] = os.environ):
        try:
            return cls.model_validate(dict(environ))
        except ValidationError as error:
            names = ", ".join(str(problem["loc"][0]) for problem in error.errors())
            raise MissingEnvironment(f"{cls.__name__}: missing or invalid environment variables: {names}") from None

    @classmethod
    def variables(cls) -> set[str]:
        """The names of the variables without a default (what the template must set)."""
        return {field.alias or name for name, field in cls.model_fields.items() if field.is_required()}


class AccountStatusEnvironment(FunctionEnvironment):
    postal_code_key_parameter: str = Field(alias="POSTAL_CODE_KEY_PARAMETER", min_length=2)


class FeedbackEnvironment(FunctionEnvironment):
    pass


class MailingEnvironment(FunctionEnvironment):
    mail_from: str = Field(alias="MAIL_FROM", min_length=3)
    site_url: str = Field(alias="SITE_URL", pattern=r"^https?://")  # every e-mail link starts with it


class PayInvoiceEnvironment(MailingEnvironment):
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    payment_provider: Literal["sandbox", "stripe"] = Field(alias="PAYMENT_PROVIDER")


class StripeWebhookEnvironment(MailingEnvironment):
    webhook_secret_parameter: str = Field(alias="STRIPE_WEBHOOK_SECRET_PARAMETER", pattern=r"^/")


class ReconcileEnvironment(MailingEnvironment):
    payment_provider: Literal["sandbox", "stripe"] = Field(alias="PAYMENT_PROVIDER")


class SubmitTicketEnvironment(MailingEnvironment):
    attachments_bucket: str = Field(alias="ATTACHMENTS_BUCKET", min_length=1)
    acknowledge_key_parameter: str = Field(alias="ACKNOWLEDGE_KEY_PARAMETER", min_length=2)
    # where a ticket's queue copy goes: e-mail (the queue's address), a signed webhook, Zendesk
    ticket_channels: str = Field(alias="TICKET_CHANNELS", pattern=r"^(email|webhook|zendesk)(,(email|webhook|zendesk))*$")


class TicketStatusEnvironment(FunctionEnvironment):
    acknowledge_key_parameter: str = Field(alias="ACKNOWLEDGE_KEY_PARAMETER", min_length=2)


class EscalationEnvironment(MailingEnvironment):
    acknowledge_key_parameter: str = Field(alias="ACKNOWLEDGE_KEY_PARAMETER", min_length=2)


class DunningEnvironment(MailingEnvironment):
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)


class DeliverMessagesEnvironment(MailingEnvironment):
    delivery_queue_url: str = Field(alias="DELIVERY_QUEUE_URL", min_length=1)
    retry_backoff_seconds: str = Field(alias="RETRY_BACKOFF_SECONDS", pattern=r"^\d+,\d+$",
                                       description="base,cap of the retry backoff (template: DeliveryRetryBackoff)")
    webhook_url: str = Field(alias="WEBHOOK_URL", pattern=r"^(https?://\S+)?$")  # empty: no webhook
    webhook_secret_parameter: str = Field(alias="WEBHOOK_SECRET_PARAMETER", pattern=r"^/")
    zendesk_url: str = Field(alias="ZENDESK_URL", pattern=r"^(https?://\S+)?$")  # empty: no Zendesk
    zendesk_credentials_parameter: str = Field(alias="ZENDESK_CREDENTIALS_PARAMETER", pattern=r"^/")


ENVIRONMENTS: dict[str, type[FunctionEnvironment]] = {  # function package → its environment
    "account_status": AccountStatusEnvironment,
    "feedback": FeedbackEnvironment,
    "pay_invoice": PayInvoiceEnvironment,
    "submit_ticket": SubmitTicketEnvironment,
    "dunning": DunningEnvironment,
    "stripe_webhook": StripeWebhookEnvironment,
    "reconcile": ReconcileEnvironment,
    "ticket_status": TicketStatusEnvironment,
    "escalate": EscalationEnvironment,
    "deliver_messages": DeliverMessagesEnvironment,
}
