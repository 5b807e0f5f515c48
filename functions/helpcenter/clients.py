"""The process's AWS clients: one per service, created on first use (handlers call them at init, so
a request never pays for it), with the timeouts and retries of ``helpcenter.timeouts``.

botocore directly, not boto3: importing boto3 also loads s3transfer, ~0.2 s of every cold start. A
client follows ``AWS_ENDPOINT_URL_<SERVICE>`` when set (the local stack's moto). Every client comes
from one botocore session, which keeps the models and endpoint rules it has read, so each client
after the first costs a fraction of the first; its loader is told which services exist
(``SERVICES``) instead of listing botocore's ~440 data folders to find out."""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

import botocore.session
from botocore.config import Config

from helpcenter.timeouts import aws_config


SERVICES = ("dynamodb", "s3", "sesv2", "sqs", "ssm")  # every service this package makes a client for


@cache
def session() -> botocore.session.Session:
    session = botocore.session.get_session()
    # Before loading a service's model, and again its endpoint rules, botocore checks that the
    # service exists by listing all its ~440 data folders: ~17 ms of CPU in every cold start
    # (measured), to learn that the services named above exist. No setting skips it, so the
    # session's loader is given the list (an unknown name still fails, as UnknownServiceError).
    session.get_component("data_loader").list_available_services = lambda type_name: list(SERVICES)
    return session


def fixed_user_agent() -> Config:
    """The session's User-Agent, built once. Left to itself botocore builds the header twice for every
    call (before signing, then again with the features the call used), sanitising some thirty parts each
    time: ~0.19 ms of CPU per DynamoDB GetItem, 13 % of the call (measured: 1.45 → 1.26 ms, medians of
    40 interleaved rounds). The header still names botocore, Python, the OS and the Lambda runtime; it
    no longer lists the SDK features each call used, which only AWS's SDK statistics read."""
    return Config(user_agent=session().user_agent())


class LazyClient(Protocol):
    """The process's one client of a service, made on the first call; ``cache_clear`` forgets it."""

    def __call__(self) -> Any: ...

    def cache_clear(self) -> None: ...


def lazy_client(service: str, config: Config | None = None) -> LazyClient:
    """A function that returns the process's one ``service`` client (``config`` merged over the
    shared one); ``.cache_clear()`` makes the next call create a new client."""
    if service not in SERVICES:
        raise ValueError(f"{service!r} is not one of the services this package uses: {SERVICES}")

    @cache
    def client() -> Any:
        merged = aws_config() if config is None else aws_config().merge(config)
        return session().create_client(service, config=merged.merge(fixed_user_agent()))

    client.__doc__ = f"The process's one {service} client."
    return client
