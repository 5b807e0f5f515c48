"""Escalation run (every few minutes on a schedule): unacknowledged tickets move up a level when a
target passes, and that level's contacts are told (the notices written with the step, in the
outbox), once per step (``escalate.logic``).

The schedule's event carries no instant: the run is as of now. The local stack's
``POST /_local/escalate?at=<ISO 8601>`` passes ``{"at": …}`` to run it as of that instant.
"""

from __future__ import annotations

from datetime import datetime, timezone

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpcenter import coldstart, store
from helpcenter.clock import now
from helpcenter.environment import EscalationEnvironment
from helpcenter.observability import job_entry_point, logger, metrics
from escalate import logic

ENVIRONMENT = EscalationEnvironment.load()
store.client()  # the client at init, not on the first request (10-40 ms)


def instant(event: dict) -> datetime:
    """The run's instant: the event's ``at`` (an ISO 8601 instant with offset) or now."""
    at = event.get("at") if isinstance(event, dict) else None
    if not at:
        return now()
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise ValueError("'at' needs an offset (2026-12-01T09:00:00Z)")
    return moment.astimezone(timezone.utc)


@job_entry_point
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    summary = logic.run(instant(event))
    metrics.add_metric(name="EscalationRuns", unit="Count", value=1)  # EscalationNotRunAlarm counts these
    logger.info("escalation run", extra={"summary": summary})
    return summary


coldstart.finished()  # the last line of init
