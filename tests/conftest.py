"""Fixtures shared by integration and browser tests: the built site and the whole local stack."""

from __future__ import annotations

import os
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
ENVIRONMENT_AT_START = dict(os.environ)  # before any local stack points this process at its AWS


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once per test session as `make serve` builds it (or the folder named by SITE_DIR)."""
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"])
    from devstack.stack import build_site, local_parameters, site_settings

    site_dir = tmp_path_factory.mktemp("site")
    build_site(site_dir, site_settings(local_parameters({})))  # as `make serve` builds it (a sandbox demo)
    return site_dir


@pytest.fixture(scope="session")
def stack(built_site):
    """The local stack of `make serve` (site + API + moto with demo data) on a free 127.0.0.1 port."""
    from devstack.stack import DEMO_DATA, LocalStack, local_parameters

    local = LocalStack(built_site, [DEMO_DATA], port=0, parameters=local_parameters({})).start()
    yield local
    local.stop()


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> Path:
    """The site as a production build (no demo banner, no test cards) whose pay page loads Stripe.js
    from the local stack: `make serve PAYMENT_PROVIDER=stripe` builds it so."""
    from devstack.stack import build_site, local_parameters, site_settings

    site_dir = tmp_path_factory.mktemp("production-site")
    build_site(site_dir, site_settings(local_parameters({"PAYMENT_PROVIDER": "stripe"})))
    return site_dir


@pytest.fixture(scope="session")
def stripe_stack_url(production_site):
    """`make serve PAYMENT_PROVIDER=stripe` in a process of its own: the template's default payment
    parameters (PaymentProvider=stripe, SandboxDemo=no) against the local Stripe stand-in, whose
    stand-in Stripe.js the pages load, whose signed webhooks reach the stack. Its URL."""
    from devstack.stack import start_subprocess

    process, url = start_subprocess(production_site, env={**os.environ, "PAYMENT_PROVIDER": "stripe",
                                                          "LOCAL_MAX_INSTANCES": "2"})
    yield url
    process.terminate()
    process.wait(30)


@pytest.fixture
def fresh_stack(stack):
    """The stack with its demo data loaded anew, for tests that change data."""
    stack.reset()
    return stack
