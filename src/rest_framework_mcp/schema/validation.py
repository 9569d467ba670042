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
from collections.abc import Callable
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


_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
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

#: A compiled check: None when the value conforms, else "<relative path>: <problem>".
Checker = Callable[[Any], "str | None"]


def _accept(value: Any) -> None:
    return None


def compile_schema(
    schema: Any, root: Any = None, refs: dict[str, Checker] | None = None
) -> Checker:
    """Turn a schema into a checker function once, so that checking each result is cheap
    (results are checked on every call; schemas are built once per tool). Local
    references (``#/$defs/name``) are followed. Each keyword family has its own compiler
    below; they run in this order, and the first problem found is reported.
    """
    if not isinstance(schema, dict) or not schema:
        return _accept
    root = schema if root is None else root
    refs = {} if refs is None else refs
    if "$ref" in schema:
        return _reference(str(schema["$ref"]), root, refs)
    checks: list[Checker] = []
    for compiler in _KEYWORD_COMPILERS:
        checks.extend(compiler(schema, root, refs))
    if not checks:
        return _accept
    if len(checks) == 1:
        return checks[0]

    def check_all(value: Any) -> str | None:
        for check in checks:
            problem = check(value)
            if problem is not None:
                return problem
        return None

    return check_all


def _type_checks(schema: dict[str, Any], root: Any, refs: dict[str, Checker]) -> list[Checker]:
    """``type`` (one or a list; a type it does not know checks nothing)."""
    expected = schema.get("type")
    if expected is None:
        return []
    types = expected if isinstance(expected, list) else [expected]
    type_checks = [_TYPE_CHECKS[t] for t in types if t in _TYPE_CHECKS]
    if not type_checks or len(type_checks) != len(types):
        return []
    label = " or ".join(types)

    def check_type(value: Any) -> str | None:
        for type_check in type_checks:
            if type_check(value):
                return None
        return f": expected {label}"

    return [check_type]


def _value_checks(schema: dict[str, Any], root: Any, refs: dict[str, Checker]) -> list[Checker]:
    """``enum`` and ``const``."""
    checks: list[Checker] = []
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v: None if v in allowed else ": not one of the enum values")
    if "const" in schema:
        constant = schema["const"]
        checks.append(lambda v: None if v == constant else ": not the const value")
    return checks


def _choice_checks(schema: dict[str, Any], root: Any, refs: dict[str, Checker]) -> list[Checker]:
    """``anyOf`` and ``oneOf`` (both as "one of them matches": results are checked, not
    judged, so an ambiguous oneOf is not an error here)."""
    checks: list[Checker] = []
    for keyword in ("anyOf", "oneOf"):
        options = [compile_schema(option, root, refs) for option in schema.get(keyword) or []]
        if options:

            def check_any(
                value: Any, options: list[Checker] = options, kw: str = keyword
            ) -> str | None:
                for option in options:
                    if option(value) is None:
                        return None
                return f": matches none of {kw}"

            checks.append(check_any)
    return checks


def _object_checks(schema: dict[str, Any], root: Any, refs: dict[str, Checker]) -> list[Checker]:
    """``properties``, ``required`` and ``additionalProperties`` (objects only)."""
    properties = {
        name: compile_schema(sub, root, refs)
        for name, sub in (schema.get("properties") or {}).items()
    }
    required = list(schema.get("required") or [])
    additional = schema.get("additionalProperties")
    extra_check = compile_schema(additional, root, refs) if isinstance(additional, dict) else None
    if not (properties or required or additional is False or extra_check is not None):
        return []

    def check_object(value: Any) -> str | None:
        if not isinstance(value, dict):
            return None
        for name in required:
            if name not in value:
                return f": missing required property {name!r}"
        for name, item in value.items():
            checker = properties.get(name)
            if checker is not None:
                problem = checker(item)
                if problem is not None:
                    return f".{name}{problem}"
            elif additional is False:
                return f": unexpected property {name!r}"
            elif extra_check is not None:
                problem = extra_check(item)
                if problem is not None:
                    return f".{name}{problem}"
        return None

    return [check_object]


def _array_checks(schema: dict[str, Any], root: Any, refs: dict[str, Checker]) -> list[Checker]:
    """``items`` (one schema for every item; arrays only)."""
    if not isinstance(schema.get("items"), dict):
        return []
    item_check = compile_schema(schema["items"], root, refs)

    def check_items(value: Any) -> str | None:
        if not isinstance(value, list):
            return None
        for index, item in enumerate(value):
            problem = item_check(item)
            if problem is not None:
                return f"[{index}]{problem}"
        return None

    return [check_items]


def _string_checks(schema: dict[str, Any], root: Any, refs: dict[str, Checker]) -> list[Checker]:
    """``format``, ``pattern``, ``maxLength`` and ``minLength`` (strings only)."""
    string_rules: list[Callable[[str], str | None]] = []
    if "format" in schema:
        fmt = schema["format"]
        string_rules.append(lambda v: None if _format_ok(fmt, v) else f": not a valid {fmt}")
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        string_rules.append(lambda v: None if pattern.search(v) else ": does not match the pattern")
    if "maxLength" in schema:
        longest = schema["maxLength"]
        string_rules.append(lambda v: None if len(v) <= longest else ": longer than maxLength")
    if "minLength" in schema:
        shortest = schema["minLength"]
        string_rules.append(lambda v: None if len(v) >= shortest else ": shorter than minLength")
    if not string_rules:
        return []

    def check_string(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        for rule in string_rules:
            problem = rule(value)
            if problem is not None:
                return problem
        return None

    return [check_string]


_KEYWORD_COMPILERS: tuple[
    Callable[[dict[str, Any], Any, dict[str, Checker]], list[Checker]], ...
] = (
    _type_checks,
    _value_checks,
    _choice_checks,
    _object_checks,
    _array_checks,
    _string_checks,
)


def _reference(ref: str, root: Any, refs: dict[str, Checker]) -> Checker:
    """A checker for ``#/...`` that compiles its target on first use (so recursive
    definitions work)."""

    def check(value: Any) -> str | None:
        if ref not in refs:
            target: Any = root
            for part in ref.removeprefix("#/").split("/") if ref != "#" else []:
                target = target.get(part) if isinstance(target, dict) else None
            refs[ref] = _accept  # a self-reference while compiling accepts
            refs[ref] = compile_schema(target, root, refs) if isinstance(target, dict) else _accept
        return refs[ref](value)

    return check


def first_violation(value: Any, schema: Any, path: str = "$") -> str | None:
    """A description of the first place ``value`` breaks ``schema``, or None."""
    problem = compile_schema(schema)(value)
    return None if problem is None else f"{path}{problem}"
