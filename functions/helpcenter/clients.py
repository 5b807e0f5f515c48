"""The process's AWS clients: one per service, created on first use (handlers call them at init, so
a request never pays for it), with the timeouts and retries of ``helpcenter.timeouts``.

botocore directly, not boto3: importing boto3 also loads s3transfer, ~0.2 s of every cold start. A
client follows ``AWS_ENDPOINT_URL_<SERVICE>`` when set (the local stack's moto)."""

from __future__ import annotations

from functools import cache
from typing import Any, Callable

import botocore.session
from botocore.config import Config

from helpcenter.timeouts import aws_config


def lazy_client(service: str, config: Config | None = None) -> Callable[[], Any]:
    """A function that returns the process's one ``service`` client (``config`` merged over the
    shared one); ``.cache_clear()`` makes the next call create a new client."""

    @cache
    def client() -> Any:
        merged = aws_config() if config is None else aws_config().merge(config)
        return botocore.session.get_session().create_client(service, config=merged)

    client.__doc__ = f"The process's one {service} client."
    return client
