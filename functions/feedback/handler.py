"""``POST /feedback``: "Was this helpful?" votes with optional comments, and searches that found nothing.

Anonymous by design (``helpcenter.rules.feedback``): nothing about the reader is stored, comments and
queries lose addresses and long numbers, and writes are limited per article and minute.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from feedback.models import FeedbackRequest, FeedbackResponse
from helpcenter import errors
from helpcenter.api import create_app
from helpcenter.clock import now
from helpcenter.environment import FeedbackEnvironment
from helpcenter.models import ErrorBody
from helpcenter.observability import logger, metrics
from helpcenter.rules import feedback as rules
from helpcenter.store import feedback as store

ENVIRONMENT = FeedbackEnvironment.load()
app = create_app()


def within_rate(scope: str, limit: int) -> None:
    window, expires_at = rules.rate_window(now())
    if store.add_to_rate(scope, window, expires_at) > limit:
        metrics.add_metric(name="FeedbackRateLimited", unit="Count", value=1)
        raise errors.TooManyRequests(message="Too much feedback for this page right now. Try again in a minute.",
                                     retry_after=rules.RATE_WINDOW_SECONDS)


@app.post(
    "/feedback",
    summary="Record a vote on an article (with an optional comment) or a search that found nothing",
    responses={
        200: {"description": "Recorded", "content": {"application/json": {"model": FeedbackResponse}}},
        429: {"description": "rate_limited (Retry-After)", "content": {"application/json": {"model": ErrorBody}}},
    },
)
def record_feedback(request: Annotated[FeedbackRequest, Body()]) -> FeedbackResponse:
    if request.kind == "vote":
        page, helpful = request.page or "", bool(request.helpful)  # both present: checked by the model
        within_rate(f"{request.lang}#{page}", rules.VOTES_PER_PAGE_PER_MINUTE)
        store.record_vote(request.lang, page, helpful, rules.clean_comment(request.comment), now())
        metrics.add_metric(name="FeedbackVotes", unit="Count", value=1)
        return FeedbackResponse(recorded=True)
    query = rules.clean_query(request.query or "")
    if query is None:
        return FeedbackResponse(recorded=False)
    within_rate(f"{request.lang}#search", rules.SEARCHES_PER_LANGUAGE_PER_MINUTE)
    store.count_failed_search(request.lang, query, now())
    metrics.add_metric(name="FeedbackFailedSearches", unit="Count", value=1)
    return FeedbackResponse(recorded=True)


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
