"""External programs the tests run: present, or the test run fails saying which (``make test``
installs them); never a silent skip."""

from __future__ import annotations

import shutil

import pytest


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not on PATH: `make test` installs it (apt-get install nodejs npm)", pytrace=False)
    return path
