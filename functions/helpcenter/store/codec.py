"""Plain Python values to DynamoDB attribute values and back (the types our items use).

Hand-written rather than boto3's ``TypeSerializer``: importing boto3 costs cold start, and ours maps
integral numbers back to ``int`` (money is integer minor units) and drops ``None`` attributes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def to_attribute(value: Any) -> dict:
    """A Python value as a DynamoDB attribute value."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, Decimal)):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (set, frozenset)):
        return {"SS": sorted(value)}
    if isinstance(value, (list, tuple)):
        return {"L": [to_attribute(v) for v in value]}
    if isinstance(value, dict):
        return {"M": serialize(value)}
    if value is None:
        return {"NULL": True}
    raise TypeError(f"cannot store {type(value).__name__}")


def from_attribute(attribute: dict) -> Any:
    (kind, value), = attribute.items()
    if kind == "N":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else number
    if kind in ("S", "BOOL"):
        return value
    if kind == "SS":
        return set(value)
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "M":
        return deserialize(value)
    if kind == "NULL":
        return None
    raise TypeError(f"unexpected DynamoDB type {kind}")


def serialize(item: dict) -> dict:
    return {key: to_attribute(value) for key, value in item.items() if value is not None}


def deserialize(item: dict) -> dict:
    return {key: from_attribute(value) for key, value in item.items()}
