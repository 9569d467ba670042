"""Tool arguments carried in HTTP headers (MCP 2026-07-28, "Custom Headers from Tool
Parameters", SEP-2243): a property of a tool's ``inputSchema`` annotated with
``"x-mcp-header": "Region"`` is mirrored by Streamable HTTP clients into an
``Mcp-Param-Region`` header of each ``tools/call``, so that load balancers and gateways can
route on it without reading the body. The server checks that the header and the body agree.

The rules, from the specification: a header name is an RFC 9110 token, unique among the
tool's (case-insensitively); only ``string``, ``integer`` and ``boolean`` properties may be
annotated; values travel as text (integers in decimal, booleans ``true``/``false``), and a
value that is not plain visible ASCII travels as ``=?base64?<base64 of its UTF-8>?=``. A
header value that lacks either end of that wrapper is taken literally.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

#: The schema keyword, and the prefix of the headers it names.
KEYWORD = "x-mcp-header"
HEADER_PREFIX = "Mcp-Param-"
#: RFC 9110 section 5.1: token = 1*tchar.
TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: The property types an annotation may sit on.
PRIMITIVE_TYPES = frozenset({"string", "integer", "boolean"})
_PLAIN = re.compile(r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def annotated(schema: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path of the argument, header name) for every annotated property, following
    ``properties`` chains (the only places a value sits at a fixed path)."""
    if not isinstance(schema, dict):
        return
    for name, sub in (schema.get("properties") or {}).items():
        if isinstance(sub, dict):
            if KEYWORD in sub:
                yield (*path, name), sub[KEYWORD]
            yield from annotated(sub, (*path, name))


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    found = declared if isinstance(declared, list) else [declared]
    return {str(t) for t in found if t is not None and t != "null"}


def declaration_problem(name: str, header: Any, prop: Any, taken: set[str]) -> str | None:
    """Why ``header`` may not annotate the property ``name`` (schema ``prop``), else None.
    ``taken``: the header names (lowercase) already used by the tool."""
    if not isinstance(header, str) or not TOKEN.match(header):
        return f"{header!r} is not an HTTP header name token (letters, digits, -, _ ...)"
    if header.lower() in taken:
        return f"the header name {header!r} is used twice (names are case-insensitive)"
    if not isinstance(prop, dict):
        return f"the tool has no argument {name!r}"
    types = _types(prop)
    if not types or not types <= PRIMITIVE_TYPES:
        kinds = ", ".join(sorted(str(t) for t in types)) or "no type"
        return f"argument {name!r} is {kinds}; only string, integer and boolean ones may be"
    return None


def declare(
    schema: dict[str, Any], declared: Mapping[str, str], report: Callable[[str], None]
) -> dict[str, Any]:
    """``schema`` with ``"x-mcp-header"`` set on the top-level arguments ``declared`` names
    (argument -> header name); one that breaks a rule is left out and ``report``-ed, so that
    no client has to reject the whole tool for it."""
    if not declared:
        return schema
    properties = dict(schema.get("properties") or {})
    taken = {str(h).lower() for _path, h in annotated(schema)}
    for name, header in declared.items():
        problem = declaration_problem(name, header, properties.get(name), taken)
        if problem is not None:
            report(problem)
            continue
        properties[name] = {**properties[name], KEYWORD: header}
        taken.add(header.lower())
    return {**schema, "properties": properties}


def encode(value: Any) -> str | None:
    """The header value of an argument value (None: sent without a header)."""
    if value is None or isinstance(value, (dict, list, float)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.match(text):
        return text
    return "=?base64?" + base64.b64encode(text.encode()).decode("ascii") + "?="


def decode(raw: str) -> str | None:
    """The value a header carries: the text of a ``=?base64?...?=`` value (None when its
    base64 is malformed: wrong alphabet or padding, or not UTF-8), else the value itself."""
    value = raw.strip(" \t")  # RFC 9110 5.5: leading and trailing whitespace is not part of it
    if not (value.startswith("=?base64?") and value.endswith("?=") and len(value) >= 11):
        return value
    encoded = value[9:-2]
    if len(encoded) % 4 or not _BASE64.match(encoded):
        return None
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _value_at(arguments: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(arguments, dict) or name not in arguments:
            return None
        arguments = arguments[name]
    return arguments


def _agree(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, int):
        try:
            return int(text) == value  # "+5", "05": the same integer
        except ValueError:
            return False
    return text == str(value)


def mismatch(header_of: Callable[[str], str | None], schema: Any, arguments: Any) -> str | None:
    """What in a ``tools/call``'s ``Mcp-Param-*`` headers disagrees with its arguments, or
    None. ``header_of(name)`` gives the request's header ``name`` (None when absent)."""
    for path, header in annotated(schema):
        if not isinstance(header, str):
            continue
        name = HEADER_PREFIX + header
        raw = header_of(name)
        value = _value_at(arguments, path)
        argument = ".".join(path)
        if value is None:
            if raw is not None:
                return f"The {name} header is sent, but the call has no {argument!r}."
            continue
        if raw is None:
            return f"The {name} header is missing: the call's {argument!r} must be repeated in it."
        text = decode(raw)
        if text is None:
            return f"The {name} header is not valid =?base64?...?= (its base64 is malformed)."
        if isinstance(value, (dict, list)) or not _agree(value, text):
            return f"The {name} header does not match the call's {argument!r}."
    return None
