"""Each function's environment: a missing variable fails at cold start with its name, and the template
sets every variable each function requires."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack import template as sam
from helpcenter.environment import ENVIRONMENTS, MissingEnvironment, PayInvoiceEnvironment

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
TEMPLATE = sam.load()


def test_a_missing_variable_is_named():
    with pytest.raises(MissingEnvironment, match="IDEMPOTENCY_TABLE"):
        PayInvoiceEnvironment.load({"TABLE_NAME": "t", "MAIL_FROM": "billing@example.com",
                                    "PAYMENT_PROVIDER": "sandbox"})


def test_an_invalid_value_is_named():
    with pytest.raises(MissingEnvironment, match="PAYMENT_PROVIDER"):
        PayInvoiceEnvironment.load({"TABLE_NAME": "t", "MAIL_FROM": "billing@example.com", "IDEMPOTENCY_TABLE": "i",
                                    "PAYMENT_PROVIDER": "paypal"})


@pytest.mark.parametrize("logical_id", sorted(TEMPLATE.functions))
def test_the_template_sets_what_each_function_requires(logical_id):
    function = TEMPLATE.functions[logical_id]
    package = function["handler"].split(".", 1)[0]
    model = ENVIRONMENTS[package]
    assert model.variables() <= set(function["environment"]), model.variables() - set(function["environment"])
    model.load(function["environment"])
    source = (FUNCTIONS / package / "handler.py").read_text(encoding="utf-8")
    assert f"{model.__name__}.load()" in source  # read at cold start


def test_every_function_has_an_environment_model():
    assert {f["handler"].split(".", 1)[0] for f in TEMPLATE.functions.values()} == set(ENVIRONMENTS)
