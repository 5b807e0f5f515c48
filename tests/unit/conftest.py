"""Unit tests run in the environment the test run started with."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ENVIRONMENT_AT_START


@pytest.fixture(autouse=True)
def environment_at_start(monkeypatch):
    """A local stack started by an earlier integration test leaves its AWS endpoint and its functions'
    settings (``TICKET_CHANNELS``, table names…) in this process: a rule tested here must not see them."""
    for key in set(os.environ) - set(ENVIRONMENT_AT_START):
        monkeypatch.delenv(key)
    for key, value in ENVIRONMENT_AT_START.items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)
