"""Fixtures shared by integration and browser tests: the built site and the whole local stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured by benchmarks/, not asserted in tests: no per-example deadline (on a loaded CI
# machine a 200 ms deadline fails examples that take 0.1 ms when run again).
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("SITE_URL", "https://help.example.com/")  # what the functions link e-mails to (the local stack sets its own)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once per test session (or the folder named by SITE_DIR)."""
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"])
    site_dir = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)], cwd=ROOT, check=True
    )
    return site_dir


@pytest.fixture(scope="session")
def stack(built_site):
    """The local stack of `make serve` (site + API + moto with demo data) on a free 127.0.0.1 port."""
    from devstack.stack import DEMO_DATA, LocalStack

    local = LocalStack(built_site, [DEMO_DATA], port=0).start()
    yield local
    local.stop()


@pytest.fixture
def fresh_stack(stack):
    """The stack with its demo data loaded anew, for tests that change data."""
    stack.reset()
    return stack
