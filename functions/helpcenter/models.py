"""What every API model shares: the base model, common field types, the error body.

Each function keeps its own request and response models next to its handler (``<function>/models.py``),
so a function imports only its own contract — and pays only for it at cold start.
"""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from helpcenter.i18n import LANGUAGES

from helpcenter import patterns

AccountNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=patterns.ACCOUNT_NUMBER),
    Field(description="The account number printed on invoices (6–16 digits)", examples=["100200300"]),
]
PostalCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=12, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]*$"),
    Field(description="The billing postal code", examples=["700000"]),
]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-01"])]
# The Literal is built from the language registry at import, which a static checker cannot follow.
Language = Annotated[Literal[tuple(LANGUAGES)],  # type: ignore[valid-type]
                     Field(description="One of the site's languages", examples=["vi"])]


def _known_zone(name: str | None) -> str | None:
    """A zone this runtime knows, else None: a browser's odd zone name must not refuse a request."""
    try:
        return name if name and ZoneInfo(name) else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


TimeZone = Annotated[str | None, StringConstraints(max_length=64), AfterValidator(_known_zone),
                     Field(description="An IANA time zone (one this service does not know is ignored)",
                           examples=["Asia/Bangkok"])]
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_.:-]{8,128}$"  # the Idempotency-Key header


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=10_000)


class FieldError(ApiModel):  # built by helpcenter.errors.field_problem
    """One field's problem."""

    field: str = Field(description="The field, dotted for nested ones", examples=["description"])
    code: str = Field(description="Stable machine-readable reason the forms key on", examples=["too_short"])
    message: str = Field(description="A sentence for people")


class ErrorBody(ApiModel):  # built by helpcenter.errors.error_body
    """The one error shape of every refusal."""

    model_config = ConfigDict(title="Error")

    error: str = Field(description="Stable machine-readable code", examples=["no_match"])
    message: str = Field(description="A sentence for people")
    fields: list[FieldError] = Field(default_factory=list, description="Field problems, for validation errors")
