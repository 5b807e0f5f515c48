"""When a message that could not be delivered is tried again, and when we stop trying.

The delivery queue's redrive policy (``maxReceiveCount`` in ``infra/template.yaml``) is
``MAX_RECEIVES``; a test holds the two together. Between two attempts the message waits
``retry_delay`` seconds: 30 s, 1, 2, 4, 8 min, then 15 min (the longest an SQS message can stay
invisible is 12 h; 15 min keeps a recovered provider from waiting long). Ten attempts span about an
hour and a half; after the last the message moves to the dead-letter queue, which raises an alarm.
"""

from __future__ import annotations

MAX_RECEIVES = 10
SENT_MESSAGE_DAYS = 30  # a sent message is kept this long (the table's TTL), for "was it sent?" questions
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 900


def retry_delay(receive_count: int, base: int = RETRY_BASE_SECONDS, cap: int = RETRY_CAP_SECONDS) -> int:
    """Seconds before attempt ``receive_count + 1``, after attempt ``receive_count`` (1-based) failed."""
    return min(cap, base * 2 ** max(receive_count - 1, 0))


def total_retry_window(base: int = RETRY_BASE_SECONDS, cap: int = RETRY_CAP_SECONDS) -> int:
    """Seconds from the first attempt to the last."""
    return sum(retry_delay(n, base, cap) for n in range(1, MAX_RECEIVES))
