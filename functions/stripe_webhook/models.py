"""The contract of ``POST /webhooks/stripe``: a Stripe event (only the fields we read are checked)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StripeEventBody(BaseModel):
    """A Stripe event as Stripe sends it; its other fields are Stripe's and are kept as they are."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(pattern=r"^evt_[A-Za-z0-9_]+$", examples=["evt_1Pq…"])
    object: Literal["event"]
    type: str = Field(max_length=100, examples=["payment_intent.succeeded"])
    data: dict


class WebhookAnswer(BaseModel):
    received: bool
    outcome: str = Field(description="settled | already_settled | refunded | ignored", examples=["settled"])
