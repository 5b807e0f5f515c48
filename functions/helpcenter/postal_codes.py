"""The secret key of the postal-code digests, shared by the importer and the status function.

A stored digest is HMAC-SHA256 of the account number and the normalised postal code under this key
(``helpcenter.domain.postal_code_digest``): without the key, a copy of the table does not let anyone
try the few thousand postal codes of a country against an account. The key lives in the SSM
SecureString named by ``POSTAL_CODE_KEY_PARAMETER`` (template parameter ``PostalCodeKeyParameter``),
read with Powertools Parameters and cached for five minutes.

Rotation without downtime (README, "Rotating the postal-code key"): the value may hold several keys
separated by commas. The first signs new digests (the importer); each one verifies (the function).
Put ``new,old``, re-import every account, then put ``new``.
"""

from __future__ import annotations

import os

DEFAULT_PARAMETER = "/helpcenter/postal-code-key"
CACHE_SECONDS = 300

_provider = None


def parameter_name() -> str:
    return os.environ.get("POSTAL_CODE_KEY_PARAMETER", DEFAULT_PARAMETER)


def parse_keys(value: str) -> tuple[bytes, ...]:
    keys = tuple(part.strip().encode() for part in value.split(",") if part.strip())
    if not keys or any(len(key) < 32 for key in keys):
        raise ValueError("the postal-code key parameter must hold keys of at least 32 characters")
    return keys


def keys() -> tuple[bytes, ...]:
    """The keys that verify a digest, the signing key first."""
    global _provider
    if _provider is None:
        from aws_lambda_powertools.utilities.parameters import SSMProvider

        from helpcenter.timeouts import aws_config

        _provider = SSMProvider(boto_config=aws_config())
    value = _provider.get(parameter_name(), decrypt=True, max_age=CACHE_SECONDS)
    if not isinstance(value, str):
        raise ValueError("the postal-code key parameter must be a string")
    return parse_keys(value)


def signing_key() -> bytes:
    return keys()[0]
