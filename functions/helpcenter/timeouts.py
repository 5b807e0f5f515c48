"""How long one call to an AWS service may take before the function gives up and answers 503.

botocore's defaults (60 s to connect, 60 s to read, 3 retries) hold a call to a DynamoDB endpoint that
accepts the connection and never answers for about four minutes: far past every function's timeout,
so the caller would get API Gateway's bare 504 (or the charge on the pay route would be orphaned).
DynamoDB and SES answer in milliseconds; a call that has not answered in two seconds is not going to,
and a second attempt covers a dropped connection. ``worst_call_seconds`` is the longest one call can
take; the functions' timeouts in ``infra/template.yaml`` are sized against it (and a test checks it).
"""

from __future__ import annotations

from botocore.config import Config

CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 2.0
ATTEMPTS = 2  # the first try and one retry (botocore's "standard" mode: throttling and transient errors)
RETRY_BACKOFF_CAP_SECONDS = 1.0  # standard mode waits up to base * 2**attempt with base 1 s: 1 s before the retry


def aws_config() -> Config:
    """The client configuration of every AWS client the functions create (DynamoDB, SES, SSM)."""
    return Config(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        retries={"total_max_attempts": ATTEMPTS, "mode": "standard"},
    )


def worst_call_seconds() -> float:
    """The longest one AWS call can last before it raises: every attempt times out, plus the backoff."""
    return ATTEMPTS * (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS) + (ATTEMPTS - 1) * RETRY_BACKOFF_CAP_SECONDS
