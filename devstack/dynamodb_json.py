"""moto's DynamoDB answers written as moto writes them, without its per-value attribute search.

moto serialises a result by walking the operation's output shape and, for every member of every
structure, asking a chain of alias providers which attribute of the Python object holds it (the
shape's name, the member's, prefixes, the class name, ``xform_name`` of each): about 60 % of the
emulator's CPU per request, measured. DynamoDB's results reach the serialiser as plain dicts and
lists (``DynamoResult`` has converted every item), and for a dict the answer of that chain depends
only on the shape and the member, so :class:`DynamoDBJSONSerializer` works it out once per shape
member and then walks the shape as moto does (same members, order, names, conversions, skipped
``None``). Anything else — an object, a response transformer, pretty printing, an error — goes to
moto's own serialiser unchanged. ``tests/integration/test_local_stack.py`` checks the answers are
moto's byte for byte.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from botocore import xform_name
from botocore.model import Shape, StructureShape
from moto.core import serialize as moto_serialize

_UNSET = object()  # a structure member moto leaves out (a ``None`` structure)
_PLAN = "_devstack_member_plan"  # attribute of a StructureShape: its members' plan, made once


class NotPlainData(Exception):
    """A value that is not a plain dict, list or scalar: moto's serialiser handles the whole result."""


def member_keys(parent: StructureShape, key: str, shape: Shape) -> tuple[str, ...]:
    """The dict keys moto's ``XFormedAttributePicker`` tries, in its order, for member ``key`` of
    ``parent`` when the object is a plain dict (``DEFAULT_ALIAS_PROVIDERS``: an explicit alias needs a
    ``Meta`` class, and a dict's class name prefixes no member; each alias is followed by its
    ``xform_name``)."""
    aliases = []
    if shape.type_name in ("list", "structure") and shape.name not in parent.members and key != shape.name:
        aliases.append(shape.name)  # ShapeNameAlias
    aliases.append(key)  # NoAlias
    if key.lower().startswith(parent.name.lower()) and key[len(parent.name):] not in parent.members:
        aliases.append(key[len(parent.name):])  # ShapePrefixAlias
    if key.lower().startswith("dict"):
        aliases.append(key[len("dict"):])  # ClassPrefixAlias, for a dict
    if shape.serialization.get("name", key) != key:
        aliases.append(shape.serialization["name"])  # ModelAlias
    return tuple(name for alias in aliases for name in (alias, xform_name(alias)))


def member_plan(shape: StructureShape) -> tuple[tuple[str, Shape, tuple[str, ...], str], ...]:
    """(member key, member shape, keys to try, name in the answer) for each member, in the shape's order."""
    plan = shape.__dict__.get(_PLAN)
    if plan is None:
        plan = tuple((key, member, member_keys(shape, key, member), serialized_name(member, key))
                     for key, member in shape.members.items())
        setattr(shape, _PLAN, plan)
    return plan


def serialized_name(shape: Shape, key: str) -> str:
    """The key moto writes a value under (a document-type structure keeps the member's key)."""
    if shape.type_name == "structure" and shape.is_document_type:
        return key
    return shape.serialization.get("name", key)


class DynamoDBJSONSerializer(moto_serialize.JSONSerializer):
    """moto's JSON serialiser, with a walk of plain data that gives the same bytes."""

    def _serialize_result(self, resp, result):
        picker = self._value_picker
        plain_picking = (type(picker) is moto_serialize.XFormedAttributePicker and not picker.response_transformers
                         and picker.alias_providers == moto_serialize.DEFAULT_ALIAS_PROVIDERS)
        shape = self.operation_model.output_shape
        if plain_picking and not self.pretty_print and shape is not None and not shape.is_document_type:
            try:
                serialized = self.plain(result, shape)
            except NotPlainData:
                pass
            else:
                return self._serialized_result_to_response(resp, result, shape, {} if serialized is _UNSET else serialized)
        return super()._serialize_result(resp, result)

    def plain(self, value: Any, shape: Shape) -> Any:
        """What moto's ``_serialize`` writes for ``value`` (``_UNSET``: nothing)."""
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                return value
            if value is None:
                return _UNSET
            if type(value) is not dict:
                raise NotPlainData(type(value).__name__)
            out = {}
            for _, member, keys, name in member_plan(shape):
                for key in keys:
                    if key in value:
                        member_value = value[key]
                        break
                else:
                    continue
                if member_value is not None and (serialized := self.plain(member_value, member)) is not _UNSET:
                    out[name] = serialized
            return out
        if kind == "map":
            if type(value) is not dict:
                raise NotPlainData(type(value).__name__)
            entries = {}
            value_shape = shape.value
            for key, entry in value.items():
                if key == "" and value_shape.type_name == "structure":
                    raise NotPlainData("an empty key")  # moto then writes the members into the map itself
                if (serialized := self.plain(entry, value_shape)) is not _UNSET:
                    entries[serialized_name(value_shape, key)] = serialized
            return entries
        if kind == "list":
            if type(value) not in (list, tuple):
                raise NotPlainData(type(value).__name__)
            member = shape.member
            renamed = serialized_name(member, member.name) != member.name  # moto then keeps the raw item
            items = []
            for item in value:
                serialized = self.plain(item, member)
                items.append(item if renamed or serialized is _UNSET else serialized)
            return items
        if kind == "string":
            if isinstance(value, Enum):
                value = value.value
            return str(value) if value not in [None, {}, []] else value
        if kind in ("integer", "long"):
            return int(value)
        if kind in ("float", "double"):
            return float(value)
        if kind == "blob":
            return self._base64(value)
        if kind == "timestamp":
            holder: dict = {}
            self._timestamp_serializer.serialize(holder, value, shape, "timestamp")
            return holder["timestamp"]
        return value


def install() -> None:
    """moto's DynamoDB answers through :class:`DynamoDBJSONSerializer` (in this process)."""
    moto_serialize.SERVICE_SPECIFIC_SERIALIZERS.setdefault("dynamodb", {})["json"] = DynamoDBJSONSerializer
