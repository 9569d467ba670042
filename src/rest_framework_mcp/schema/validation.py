"""A small JSON Schema checker for the keywords this package emits.

Used to make sure a tool never sends ``structuredContent`` that breaks its own
``outputSchema`` (clients throw on that). It understands type, enum, const, properties,
required, additionalProperties, items, anyOf/oneOf and min/max keywords; anything else
is accepted except that the formats emitted in output schemas (date, date-time, uuid, ipv4, ipv6)
are checked, because official clients check them.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_FORMATS = {
    "date": re.compile(rf"^{_DATE}$"),
    "date-time": re.compile(
        rf"^{_DATE}[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"
        r"([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$"
    ),
    "uuid": re.compile(r"^(urn:uuid:)?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"),
}


def _format_ok(fmt: str, value: str) -> bool:
    if fmt in _FORMATS:
        return bool(_FORMATS[fmt].match(value))
    if fmt in {"ipv4", "ipv6"}:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == (4 if fmt == "ipv4" else 6)
    return True  # formats this package does not emit in output schemas


_TYPE_CHECKS = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def first_violation(value: Any, schema: Any, path: str = "$") -> str | None:
    """A description of the first place ``value`` breaks ``schema``, or None."""
    if schema is True or not isinstance(schema, dict):
        return None
    expected = schema.get("type")
    if expected is not None:
        types = expected if isinstance(expected, list) else [expected]
        if not any(_TYPE_CHECKS.get(t, lambda v: True)(value) for t in types):
            return f"{path}: expected {' or '.join(types)}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{path}: not one of the enum values"
    if "const" in schema and value != schema["const"]:
        return f"{path}: not the const value"
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if options and all(first_violation(value, o, path) is not None for o in options):
            return f"{path}: matches none of {keyword}"
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                return f"{path}: missing required property {name!r}"
        for name, item in value.items():
            if name in properties:
                problem = first_violation(item, properties[name], f"{path}.{name}")
                if problem:
                    return problem
            elif schema.get("additionalProperties") is False:
                return f"{path}: unexpected property {name!r}"
            elif isinstance(schema.get("additionalProperties"), dict):
                problem = first_violation(item, schema["additionalProperties"], f"{path}.{name}")
                if problem:
                    return problem
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            problem = first_violation(item, schema["items"], f"{path}[{index}]")
            if problem:
                return problem
    if isinstance(value, str):
        if "format" in schema and not _format_ok(schema["format"], value):
            return f"{path}: not a valid {schema['format']}"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"{path}: does not match the pattern"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"{path}: longer than maxLength"
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"{path}: shorter than minLength"
    return None
