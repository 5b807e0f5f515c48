"""Fixtures shared by the Stripe tests: the local Stripe stand-in and its secret key in SSM."""

from __future__ import annotations

import boto3
import pytest

from devstack.stripe_standin import SECRET_KEY, StripeStandIn

STRIPE_SECRET_PARAMETER = "/helpcenter/stripe/secret-key"


@pytest.fixture
def standin():
    server = StripeStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def secret_in_ssm(stack):
    """The secret key as an SSM SecureString in the local stack's AWS (moto)."""
    boto3.client("ssm").put_parameter(Name=STRIPE_SECRET_PARAMETER, Value=SECRET_KEY, Type="SecureString",
                                      Overwrite=True)
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    yield STRIPE_SECRET_PARAMETER
    parameters.clear_caches()
