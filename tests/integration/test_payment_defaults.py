"""No free service by default: `sam deploy` that keeps the template's default parameters takes real
card payments only, and a test token (``tok_success``) pays nothing.

The template's rule is evaluated here as CloudFormation evaluates a ``Rules`` section before creating
anything; the deployed behaviour is the local stack started with those same defaults
(``stripe_stack_url``: the Stripe provider, at the local Stripe stand-in)."""

from __future__ import annotations

import uuid

import pytest
import requests

from devstack import template as sam
from devstack.stack import local_parameters


def default_parameters() -> dict[str, str]:
    return {name: str(spec["Default"]) for name, spec in sam.read()["Parameters"].items() if "Default" in spec}


def evaluate(condition, parameters: dict[str, str]):
    """The intrinsic functions a ``Rules`` section of ours uses: Ref, Fn::Equals, Fn::And, Fn::Or, Fn::Not."""
    if not isinstance(condition, dict):
        return condition
    ((name, argument),) = condition.items()
    if name == "Ref":
        return parameters[argument]
    values = [evaluate(item, parameters) for item in argument]
    operations = {"Fn::Equals": lambda: values[0] == values[1], "Fn::And": lambda: all(values),
                  "Fn::Or": lambda: any(values), "Fn::Not": lambda: not values[0]}
    return operations[name]()


def refused_by_rules(overrides: dict[str, str]) -> list[str]:
    """The assertion messages CloudFormation would fail the deploy with, for these parameter values."""
    parameters = {**default_parameters(), **overrides}
    failed = []
    for rule in sam.read().get("Rules", {}).values():
        if "RuleCondition" in rule and not evaluate(rule["RuleCondition"], parameters):
            continue
        failed += [a["AssertDescription"] for a in rule["Assertions"] if not evaluate(a["Assert"], parameters)]
    return failed


def test_the_defaults_deploy_the_stripe_provider_and_no_demo():
    defaults = default_parameters()
    assert (defaults["PaymentProvider"], defaults["SandboxDemo"]) == ("stripe", "no")
    environment = sam.load().functions["PayInvoiceFunction"]["environment"]
    assert environment["PAYMENT_PROVIDER"] == "stripe" and environment["PAYMENT_DEMO"] == "no"
    assert refused_by_rules({}) == []


@pytest.mark.parametrize("overrides, refused", [
    ({"PaymentProvider": "sandbox"}, True),
    ({"PaymentProvider": "sandbox", "SandboxDemo": "no"}, True),
    ({"PaymentProvider": "sandbox", "SandboxDemo": "yes"}, False),
    ({"PaymentProvider": "stripe", "SandboxDemo": "yes"}, False),
])
def test_the_sandbox_deploys_only_as_a_declared_demo(overrides, refused):
    failed = refused_by_rules(overrides)
    assert bool(failed) is refused, failed
    if refused:
        assert "SandboxDemo=yes" in failed[0]


def test_a_test_token_pays_nothing_with_the_default_parameters(stripe_stack_url):
    url = stripe_stack_url
    parameters = {key: default_parameters()[key] for key in ("PaymentProvider", "SandboxDemo")}
    assert local_parameters({"PAYMENT_PROVIDER": "stripe"}) == parameters  # what that stack runs with
    numbers = {"account_number": "100200308", "invoice_number": "INV-8001"}
    found = requests.post(f"{url}/api/invoices/lookup", json=numbers, timeout=10).json()
    assert found["payment_provider"] == "stripe"
    charges = requests.get(f"{url}/_local/stripe", timeout=10).json()["charges"]
    answer = requests.post(f"{url}/api/invoices/pay", headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=30,
                           json={**numbers, "amount_due": found["amount_due"], "currency": found["currency"],
                                 "payment_token": "tok_success"})
    assert answer.status_code == 402 and answer.json()["error"] == "payment_declined", answer.text
    assert requests.post(f"{url}/api/invoices/lookup", json=numbers, timeout=10).status_code == 200  # still open
    assert requests.get(f"{url}/_local/stripe", timeout=10).json()["charges"] == charges
