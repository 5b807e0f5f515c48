"""Secret keys kept in SSM SecureStrings, read with Powertools Parameters and cached for five minutes.

A value may hold several keys separated by commas, so a key can be rotated without downtime: the
first signs, each one verifies (put ``new,old``, wait until nothing signed with ``old`` matters, put
``new``). Used by the postal-code digests and the acknowledge links.
"""

from __future__ import annotations

CACHE_SECONDS = 300
MIN_KEY_LENGTH = 32

_provider = None


def parse_keys(value: str, what: str) -> tuple[bytes, ...]:
    keys = tuple(part.strip().encode() for part in value.split(",") if part.strip())
    if not keys or any(len(key) < MIN_KEY_LENGTH for key in keys):
        raise ValueError(f"the {what} parameter must hold keys of at least {MIN_KEY_LENGTH} characters")
    return keys


def keys(parameter: str, what: str) -> tuple[bytes, ...]:
    """The keys in the SecureString ``parameter``, the signing key first."""
    global _provider
    if _provider is None:
        from aws_lambda_powertools.utilities.parameters import SSMProvider

        from helpcenter.timeouts import aws_config

        _provider = SSMProvider(boto_config=aws_config())
    value = _provider.get(parameter, decrypt=True, max_age=CACHE_SECONDS)
    if not isinstance(value, str):
        raise ValueError(f"the {what} parameter must be a string")
    return parse_keys(value, what)
