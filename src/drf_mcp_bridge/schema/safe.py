"""JSON-safe schemas and results: Python values turned into the JSON DRF would send.

Schemas are assembled from what an application declares: lazy translations
(``gettext_lazy``) in labels, help texts and choices, ``Decimal`` or ``date`` defaults,
enum members, tuples. :func:`safe_schema` turns a finished schema into plain JSON values
once (``Tool.definition`` applies it), so that encoding a tool's definition cannot fail:

* a lazy string (``django.utils.functional.Promise``) → ``str``;
* a ``Decimal`` → a string (``"12.50"``, never an exponent) where its schema's ``type`` is
  ``string`` only, as a ``DecimalField`` with ``coerce_to_string`` renders it; a number
  elsewhere, as DRF's JSON encoder renders it;
* ``datetime`` → ISO 8601 with ``Z`` for UTC, ``date`` and ``time`` → ISO 8601 (as DRF's
  encoder), ``timedelta`` → ``"[DD] [HH:[MM:]]ss[.uuuuuu]"`` (what ``DurationField`` renders
  and parses);
* a ``UUID`` or an IP address → its string; an enum member → its ``value``;
* a tuple, set or frozenset → a list (sets sorted, so the output is the same in every
  process);
* ``bytes`` → left out (the list item or object entry that holds them), as are non-finite
  numbers (``inf``, ``nan``): JSON has no form for them that DRF would agree with;
* anything else has no JSON form: :class:`NotJSONSafe` says where it is, except under the
  annotation keywords ``default`` and ``examples``, which are then left out (they describe,
  they do not constrain).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import ipaddress
import json
import math
import uuid
from typing import Any

from django.utils.duration import duration_string
from django.utils.functional import Promise

Path = tuple[Any, ...]

#: Keywords whose value is one schema, an object of schemas, or a list of schemas.
_ONE_SCHEMA = frozenset(
    {
        "items",
        "additionalProperties",
        "additionalItems",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
#: Keywords holding instance values (typed like the schema's own values).
_VALUE = frozenset({"const", "default"})
_VALUE_LISTS = frozenset({"enum", "examples"})
#: Annotation keywords: a value without JSON form is left out instead of failing.
_DROPPABLE = frozenset({"default", "examples"})

_PLAIN = (str, int, float, bool, type(None))
_IP_TYPES = (
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Interface,
    ipaddress.IPv6Interface,
)


class NotJSONSafe(TypeError):
    """A value with no JSON form, at ``path`` (keys and indexes from the top)."""

    def __init__(self, value: Any, path: Path) -> None:
        self.value_type = type(value).__name__
        self.path = path
        super().__init__(f"{self.value_type} at {self.pointer} has no JSON form")

    @property
    def pointer(self) -> str:
        """The path as a JSON Pointer ("/inputSchema/properties/price/default")."""
        parts = [str(p).replace("~", "~0").replace("/", "~1") for p in self.path]
        return "/" + "/".join(parts) if parts else "/"


class _Skip:
    """A value that is left out (bytes, non-finite numbers)."""


SKIP = _Skip()


def _decimal_form(schema: dict[str, Any]) -> str:
    """How a Decimal in this schema's values is written: "string" when the schema's type
    allows strings but no numbers (DecimalField with coerce_to_string), else "number"."""
    declared = schema.get("type")
    types = set(declared) if isinstance(declared, list) else {declared}
    if "string" in types and not types & {"number", "integer"}:
        return "string"
    return "number"


def _decimal(value: decimal.Decimal, form: str) -> Any:
    if not value.is_finite():
        return SKIP
    if form == "string":
        return format(value, "f")
    return int(value) if value == value.to_integral_value() else float(value)


def _datetime(value: datetime.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _key(key: Any, path: Path) -> Any:
    if isinstance(key, str):
        return str(key) if isinstance(key, Promise) else key
    if isinstance(key, Promise):
        return str(key)
    converted = json_safe(key, path)
    if isinstance(converted, (str, int, float, bool)) or converted is None:
        return converted if isinstance(converted, str) else json.dumps(converted)
    raise NotJSONSafe(key, path)


def json_safe(value: Any, path: Path = (), decimal_form: str = "number") -> Any:
    """``value`` with every part turned into a JSON value (see the module's rules); may
    return :data:`SKIP` for a value that is left out. Raises :class:`NotJSONSafe`."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else SKIP
    if kind is dict:
        result = {}
        for key, item in value.items():
            here = (*path, key)
            converted = json_safe(item, here, decimal_form)
            if converted is not SKIP:
                result[_key(key, here)] = converted
        return result
    if kind is list or kind is tuple:
        items = [json_safe(item, (*path, i), decimal_form) for i, item in enumerate(value)]
        return [item for item in items if item is not SKIP]
    return _other(value, path, decimal_form)


def _other(value: Any, path: Path, decimal_form: str) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, enum.Enum):
        return json_safe(value.value, path, decimal_form)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else SKIP
    if isinstance(value, str):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return _decimal(value, decimal_form)
    if isinstance(value, datetime.datetime):
        return _datetime(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, (uuid.UUID, *_IP_TYPES)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return SKIP
    if isinstance(value, dict):
        return json_safe(dict(value), path, decimal_form)
    if isinstance(value, (list, tuple)):
        return json_safe(list(value), path, decimal_form)
    if isinstance(value, (set, frozenset)):
        items = [json_safe(item, (*path, i), decimal_form) for i, item in enumerate(value)]
        kept = [item for item in items if item is not SKIP]
        return sorted(kept, key=lambda v: json.dumps(v, sort_keys=True))
    raise NotJSONSafe(value, path)


#: JSON Schema's type names, and the Python/OpenAPI spellings projects write instead in
#: their own declared schemas (pretalx declares {"type": "str"}), which clients refuse:
#: a tool with an invalid schema makes the official SDKs raise on every call.
_JSON_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_TYPE_SPELLINGS = {
    "str": "string",
    "text": "string",
    "int": "integer",
    "float": "number",
    "decimal": "number",
    "bool": "boolean",
    "dict": "object",
    "list": "array",
    "none": "null",
}


def json_schema_type(value: Any) -> str | list[str] | None:
    """``type`` as JSON Schema spells it; unknown names are left out (None: no type)."""
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    kinds: list[str] = []
    for name in names:
        if not isinstance(name, str):
            continue
        kind = name if name in _JSON_TYPES else _TYPE_SPELLINGS.get(name.lower())
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    if not kinds:
        return None
    return kinds[0] if isinstance(value, str) or len(kinds) == 1 else kinds


def safe_schema(schema: Any, path: Path = ()) -> Any:
    """A JSON Schema with every value JSON-safe. Subschemas are walked as schemas, so that
    a Decimal in ``default``/``const``/``enum``/``examples`` follows its own schema's type.
    """
    if not isinstance(schema, dict):
        converted = json_safe(schema, path)
        if converted is SKIP:
            raise NotJSONSafe(schema, path)
        return converted
    form = _decimal_form(schema)
    result: dict[str, Any] = {}
    for key, value in schema.items():
        here = (*path, key)
        if key == "type":
            kind = json_schema_type(value)
            if kind is not None:
                result["type"] = kind
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            result[key] = {
                _key(name, (*here, name)): safe_schema(sub, (*here, name))
                for name, sub in value.items()
            }
        elif key in _ONE_SCHEMA:
            result[key] = safe_schema(value, here)
        elif key in _SCHEMA_LISTS and isinstance(value, (list, tuple)):
            result[key] = [safe_schema(sub, (*here, i)) for i, sub in enumerate(value)]
        elif key in _VALUE or key in _VALUE_LISTS:
            try:
                converted = json_safe(value, here, form)
            except NotJSONSafe:
                if key in _DROPPABLE:
                    continue
                raise
            if converted is not SKIP:
                result[_key(key, here)] = converted
        else:
            converted = json_safe(value, here)
            if converted is not SKIP:
                result[_key(key, here)] = converted
    return result


def field_path(path: Path) -> str | None:
    """The serializer field a schema path is in: "address.city" for
    ``(..., "properties", "address", "properties", "city", "default")``; a ``$defs``
    entry is named by its definition ("Address.city"); None outside any field."""
    names: list[str] = []
    expect: str | None = None  # what the next part is: a field, a definition, other
    for part in path:
        if expect == "field":
            names.append(str(part))
        elif expect == "definition":
            names = [str(part)]
        if expect is not None:
            expect = None
        elif part == "properties":
            expect = "field"
        elif part in {"$defs", "definitions"}:
            expect = "definition"
        elif part in _SCHEMA_MAPS:
            expect = "other"
        elif part in _VALUE or part in _VALUE_LISTS:
            break  # inside an instance value: its keys are no fields
    return ".".join(names) or None


__all__ = ["SKIP", "NotJSONSafe", "field_path", "json_safe", "safe_schema"]
