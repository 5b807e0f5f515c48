"""The secret key of the postal-code digests, shared by the importer and the status function.

A stored digest is HMAC-SHA256 of the account number and the normalised postal code under this key
(``helpcenter.domain.postal_code_digest``): without the key, a copy of the table does not let anyone
try the few thousand postal codes of a country against an account. The key lives in the SSM
SecureString named by ``POSTAL_CODE_KEY_PARAMETER`` (template parameter ``PostalCodeKeyParameter``),
read through ``helpcenter.secure_parameters`` (cached for five minutes).

Rotation without downtime (README, "Rotating the postal-code key"): the value may hold several keys
separated by commas. The first signs new digests (the importer); each one verifies (the function).
Put ``new,old``, re-import every account, then put ``new``.
"""

from __future__ import annotations

import os

from helpcenter import secure_parameters

DEFAULT_PARAMETER = "/helpcenter/postal-code-key"


def parameter_name() -> str:
    return os.environ.get("POSTAL_CODE_KEY_PARAMETER", DEFAULT_PARAMETER)


def parse_keys(value: str) -> tuple[bytes, ...]:
    return secure_parameters.parse_keys(value, "postal-code key")


def keys() -> tuple[bytes, ...]:
    """The keys that verify a digest, the signing key first."""
    return secure_parameters.keys(parameter_name(), "postal-code key")


def signing_key() -> bytes:
    return keys()[0]
