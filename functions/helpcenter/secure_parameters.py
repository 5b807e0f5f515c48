"""Secret keys kept in SSM SecureStrings, read with the process's botocore SSM client and cached for
five minutes.

A value may hold several keys separated by commas, so a key can be rotated without downtime: the
first signs, each one verifies (put ``new,old``, wait until nothing signed with ``old`` matters, put
``new``). Used by the postal-code digests, the acknowledge links and the Stripe webhook's signing secret.

Not Powertools Parameters, whose caching this repeats in a few lines: importing its package loads
boto3 and all of its providers (AppConfig, DynamoDB, Secrets Manager), 40-70 ms of CPU on every cold
start of the status function (measured, ``benchmarks/handlers.py``), for one ``GetParameter``. An SSM
failure raises botocore's own errors, which every route answers with 503 (``helpcenter.api``).
"""

from __future__ import annotations

import time

from helpcenter import clients

CACHE_SECONDS = 300
MIN_KEY_LENGTH = 32

client = clients.lazy_client("ssm")
_cache: dict[str, tuple[float, str]] = {}  # parameter name → (monotonic expiry, decrypted value)


def parse_keys(value: str, what: str) -> tuple[bytes, ...]:
    keys = tuple(part.strip().encode() for part in value.split(",") if part.strip())
    if not keys or any(len(key) < MIN_KEY_LENGTH for key in keys):
        raise ValueError(f"the {what} parameter must hold keys of at least {MIN_KEY_LENGTH} characters")
    return keys


def value(parameter: str, fresh: bool = False) -> str:
    """The decrypted value of the SecureString ``parameter``, read at most once per ``CACHE_SECONDS``
    (``fresh``: read now, for a value that may have been rotated meanwhile)."""
    cached = _cache.get(parameter)
    if cached is not None and cached[0] > time.monotonic() and not fresh:
        return cached[1]
    text = client().get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    _cache[parameter] = (time.monotonic() + CACHE_SECONDS, text)
    return text


def clear_cache() -> None:
    _cache.clear()


def keys(parameter: str, what: str) -> tuple[bytes, ...]:
    """The keys in the SecureString ``parameter``, the signing key first."""
    return parse_keys(value(parameter), what)
