"""The contract of ``POST /feedback``: a vote on an article, or a search that found nothing."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from helpcenter import i18n
from helpcenter.models import ApiModel
from helpcenter.rules.feedback import COMMENT_MAX_CHARS, PAGE_PATTERN, QUERY_MAX_CHARS


class FeedbackRequest(ApiModel):
    kind: Literal["vote", "search"] = Field(description="vote: an article's reader voted; search: a query found nothing")
    lang: str = Field(description="The page's language", examples=["th"])
    page: Annotated[str, StringConstraints(pattern=PAGE_PATTERN, max_length=120)] | None = Field(
        default=None, description="vote: the article's path without language or slashes", examples=["billing/refunds"])
    helpful: bool | None = Field(default=None, description="vote: whether the article helped")
    comment: Annotated[str, StringConstraints(max_length=COMMENT_MAX_CHARS)] | None = Field(
        default=None, description="vote: an optional comment (no personal data: addresses and numbers are removed)")
    query: Annotated[str, StringConstraints(min_length=1, max_length=QUERY_MAX_CHARS)] | None = Field(
        default=None, description="search: what was typed into the search box")

    @field_validator("lang")
    @classmethod
    def _site_language(cls, value: str) -> str:
        if value not in i18n.registry().languages:
            raise ValueError(f"not one of the site's languages: {', '.join(i18n.registry().languages)}")
        return value

    @model_validator(mode="after")
    def _fields_of_the_kind(self) -> FeedbackRequest:
        if self.kind == "vote" and (self.page is None or self.helpful is None or self.query is not None):
            raise ValueError("a vote names its page and whether it helped (helpful), and no query")
        if self.kind == "search" and (self.query is None or self.page or self.helpful is not None or self.comment):
            raise ValueError("a failed search gives its query only")
        return self


class FeedbackResponse(ApiModel):
    recorded: bool = Field(description="false when nothing was left to count (a query of only numbers)")
