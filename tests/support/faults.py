"""Watching and failing a botocore client's calls through botocore's own event hooks (public API:
``client.meta.events``), for tests that run the handlers in this process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import ClientError


@contextmanager
def _hooked(client, event: str, handler) -> Iterator[None]:
    """``handler`` registered on ``<event>.<service>[…]`` while inside."""
    name = event.replace("{service}", client.meta.service_model.service_id.hyphenize())
    client.meta.events.register(name, handler, unique_id=f"tests-{id(handler)}")
    try:
        yield
    finally:
        client.meta.events.unregister(name, unique_id=f"tests-{id(handler)}")


@contextmanager
def recorded_calls(client) -> Iterator[list[tuple[str, str, str]]]:
    """Every call made while inside: ``(operation, TableName or "", thread name)``."""
    calls: list[tuple[str, str, str]] = []

    def record(params, model, **_):
        calls.append((model.name, params.get("TableName") or "", threading.current_thread().name))

    with _hooked(client, "provide-client-params.{service}", record):
        yield calls


@contextmanager
def failing(client, operation: str, code: str, message: str = "injected",
            times: int | None = None) -> Iterator[list[str]]:
    """``operation`` answers the error ``code`` while inside (only its first ``times`` calls, if
    given); yields the list of failures injected."""
    injected: list[str] = []

    def fail(**_):
        if times is None or len(injected) < times:
            injected.append(operation)
            raise ClientError({"Error": {"Code": code, "Message": message}}, operation)

    with _hooked(client, "before-call.{service}." + operation, fail):
        yield injected
