"""Reading the SAM template in tests: its resources, and policy statements with conditions unfolded."""

from __future__ import annotations

from devstack import template as sam


def resources() -> dict:
    return sam.read()["Resources"]


def policy_statements(statements: list) -> list[dict]:
    """Policy statements, with both branches of a conditional (``Fn::If``) statement."""
    flat = []
    for statement in statements:
        if "Fn::If" in statement:
            flat += [branch for branch in statement["Fn::If"][1:] if branch != {"Ref": "AWS::NoValue"}]
        else:
            flat.append(statement)
    return flat
