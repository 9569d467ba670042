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


#: The test of each JSON type, as a Python expression over ``{v}``.
_TYPE_TESTS: dict[str, str] = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "integer": (
        "(type({v}) is int or (isinstance({v}, int) and not isinstance({v}, bool))"
        " or (isinstance({v}, float) and {v}.is_integer()))"
    ),
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
}

#: A compiled check: None when the value conforms, else "<relative path>: <problem>".
Checker = Callable[[Any], "str | None"]

#: Deeper than this many nested schemas, a subschema gets a function of its own (Python
#: allows only 20 statically nested blocks in one function).
_INLINE_DEPTH = 13


def _accept(value: Any) -> None:
    return None


def _json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema means it: ``true`` is not ``1`` (Python says it is)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    a_number, b_number = isinstance(a, (int, float)), isinstance(b, (int, float))
    return a_number == b_number and bool(a == b)


def _json_in(value: Any, allowed: list[Any]) -> bool:
    return value in allowed and any(_json_equal(value, option) for option in allowed)


def compile_schema(
    schema: Any, root: Any = None, refs: dict[str, Checker] | None = None
) -> Checker:
    """Turn a schema into a checker function once, so that checking each result is cheap
    (results are checked on every call; schemas are built once per tool).

    The schema becomes the source of one Python function (nested subschemas inline, up to
    a depth), compiled once; every value it names (a property name, a pattern, an enum)
    reaches the function as a constant, never as source text. Local references
    (``#/$defs/name``) are followed, recursive ones too. Keywords are checked in this
    order, and the first problem found is reported: ``type``; ``enum``, ``const``;
    ``anyOf``, ``oneOf``; ``required`` names the schema does not describe, then the
    ``properties`` in the schema's order (a required one that is missing there), then
    ``additionalProperties``; ``items``; ``format``, ``pattern``, ``maxLength``,
    ``minLength``.
    """
    if not isinstance(schema, dict) or not schema:
        return _accept
    root = schema if root is None else root
    refs = {} if refs is None else refs
    return _Source(root, refs).function(schema)


class _Source:
    """The source of the checking functions of one schema (see :func:`compile_schema`)."""

    def __init__(self, root: Any, refs: dict[str, Checker]) -> None:
        self.root = root
        self.refs = refs
        self.constants: dict[str, Any] = {"_format_ok": _format_ok, "_json_in": _json_in}
        self.lines: list[str] = []
        self.names = 0

    def name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def constant(self, value: Any) -> str:
        name = self.name("k")
        self.constants[name] = value
        return name

    def function(self, schema: dict[str, Any]) -> Checker:
        """A function of its own for ``schema``."""
        body: list[str] = []
        self.block(schema, "v", "''", 1, body)
        if not body:
            return _accept
        source = "\n".join(["def check(v):", *body, "    return None"])
        scope = dict(self.constants)
        exec(compile(source, "<output schema check>", "exec"), scope)
        checker: Checker = scope["check"]
        return checker

    def call(self, checker: Checker, value: str, path: str, indent: int, out: list[str]) -> None:
        """Check ``value`` with another function, prefixing its problem with ``path``."""
        pad = "    " * indent
        problem = self.name("p")
        out.append(f"{pad}{problem} = {self.constant(checker)}({value})")
        out.append(f"{pad}if {problem} is not None:")
        out.append(f"{pad}    return {path} + {problem}")

    def block(self, schema: Any, value: str, path: str, indent: int, out: list[str]) -> None:
        """Statements that return the problem of ``value`` (a local) against ``schema``;
        ``path`` is an expression of the path so far (evaluated only on a failure)."""
        if not isinstance(schema, dict) or not schema:
            return
        if "$ref" in schema:
            self.call(
                _reference(str(schema["$ref"]), self.root, self.refs), value, path, indent, out
            )
            return
        if indent > _INLINE_DEPTH:
            checker = _Source(self.root, self.refs).function(schema)
            if checker is not _accept:
                self.call(checker, value, path, indent, out)
            return
        pad = "    " * indent

        def fail(message: str) -> str:
            return f"{pad}    return {path} + {message}"

        expected: Any = schema.get("type")
        types: list[Any] = expected if isinstance(expected, list) else [expected]
        known = None  # the one type the value is known to have past the type check
        if expected is not None and types and all(t in _TYPE_TESTS for t in types):
            test = " or ".join(_TYPE_TESTS[t].format(v=value) for t in types)
            out += [
                f"{pad}if not ({test}):",
                fail(repr(f": expected {' or '.join(map(str, types))}")),
            ]
            known = types[0] if len(types) == 1 else None
        if "enum" in schema:
            allowed = self.constant(schema["enum"])
            test = f"_json_in({value}, {allowed})"
            out += [f"{pad}if not {test}:", fail(repr(": not one of the enum values"))]
        if "const" in schema:
            constant = self.constant([schema["const"]])
            test = f"_json_in({value}, {constant})"
            out += [f"{pad}if not {test}:", fail(repr(": not the const value"))]
        for keyword in ("anyOf", "oneOf"):
            options = [
                _Source(self.root, self.refs).function(option)
                if isinstance(option, dict) and option
                else _accept
                for option in schema.get(keyword) or []
            ]
            if options and _accept not in options:
                matched = " or ".join(f"{self.constant(o)}({value}) is None" for o in options)
                out += [f"{pad}if not ({matched}):", fail(repr(f": matches none of {keyword}"))]
        self.object_block(schema, value, path, indent, out, known == "object")
        self.array_block(schema, value, path, indent, out, known == "array")
        self.string_block(schema, value, path, indent, out, known == "string")

    def object_block(
        self, schema: dict[str, Any], value: str, path: str, indent: int, out: list[str], sure: bool
    ) -> None:
        properties = schema.get("properties") or {}
        required = list(schema.get("required") or [])
        additional = schema.get("additionalProperties")
        extra = additional if isinstance(additional, dict) and additional else None
        if not (properties or required or additional is False or extra is not None):
            return
        pad = "    " * indent
        inner: list[str] = []

        def absent(name: str) -> str:
            return f"{pad}        return {path} + {f': missing required property {name!r}'!r}"

        # Required properties the schema does not describe first; the described ones,
        # required or not, then in the schema's order.
        for name in required:
            if name not in properties:
                inner += [f"{pad}    if {self.constant(name)} not in {value}:", absent(name)]
        missing = self.constant(object())
        for name, sub in properties.items():
            item = self.name("x")
            check: list[str] = []
            self.block(sub, item, f"{path} + {f'.{name}'!r}", indent + 2, check)
            if name in required:
                inner.append(f"{pad}    {item} = {value}.get({self.constant(name)}, {missing})")
                inner += [f"{pad}    if {item} is {missing}:", absent(name)]
                inner += [line[4:] for line in check]  # one level up: it is there
            elif check:
                inner.append(f"{pad}    {item} = {value}.get({self.constant(name)}, {missing})")
                inner.append(f"{pad}    if {item} is not {missing}:")
                inner += check
        if additional is False or extra is not None:
            known = self.constant(frozenset(properties))
            key, item = self.name("n"), self.name("x")
            inner.append(f"{pad}    for {key}, {item} in {value}.items():")
            inner.append(f"{pad}        if {key} in {known}:")
            inner.append(f"{pad}            continue")
            if additional is False:
                problem = f"': unexpected property ' + repr({key})"
                inner.append(f"{pad}        return {path} + {problem}")
            else:
                self.block(extra, item, f"{path} + '.' + {key}", indent + 2, inner)
        if inner:  # (``sure``: the type check before made sure it is an object)
            out += [f"{pad}if {'True' if sure else f'isinstance({value}, dict)'}:", *inner]

    def array_block(
        self, schema: dict[str, Any], value: str, path: str, indent: int, out: list[str], sure: bool
    ) -> None:
        items = schema.get("items")
        if not isinstance(items, dict):
            return
        pad = "    " * indent
        index, item = self.name("i"), self.name("x")
        check: list[str] = []
        self.block(items, item, f"{path} + '[' + str({index}) + ']'", indent + 2, check)
        if check:
            out.append(f"{pad}if {'True' if sure else f'isinstance({value}, list)'}:")
            out.append(f"{pad}    for {index}, {item} in enumerate({value}):")
            out += check

    def string_block(
        self, schema: dict[str, Any], value: str, path: str, indent: int, out: list[str], sure: bool
    ) -> None:
        pad = "    " * indent
        rules: list[tuple[str, str]] = []
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in _FORMATS:
            rules.append((f"{self.constant(_FORMATS[fmt])}.match({value})", f": not a valid {fmt}"))
        elif fmt in {"ipv4", "ipv6"}:
            rules.append((f"_format_ok({self.constant(fmt)}, {value})", f": not a valid {fmt}"))
        if "pattern" in schema:
            pattern = self.constant(re.compile(schema["pattern"]))
            rules.append((f"{pattern}.search({value})", ": does not match the pattern"))
        if "maxLength" in schema:
            longest = self.constant(schema["maxLength"])
            rules.append((f"len({value}) <= {longest}", ": longer than maxLength"))
        if "minLength" in schema:
            shortest = self.constant(schema["minLength"])
            rules.append((f"len({value}) >= {shortest}", ": shorter than minLength"))
        if rules:
            out.append(f"{pad}if {'True' if sure else f'isinstance({value}, str)'}:")
            for test, message in rules:
                out += [f"{pad}    if not ({test}):", f"{pad}        return {path} + {message!r}"]


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
