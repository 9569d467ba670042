"""The output check compiled to Python source (schema.validation) decides as JSON Schema
does for the keywords it knows: checked against ``jsonschema`` restricted to them, on
random schemas and values and on every output schema of the test app."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.schema.validation import _format_ok, compile_schema, first_violation

#: The keywords the compiled check knows; the reference validator knows only these too.
KNOWN = [
    "type", "enum", "const", "anyOf", "oneOf", "properties", "required",
    "additionalProperties", "items", "format", "pattern", "maxLength", "minLength", "$ref",
]  # fmt: skip
_draft = jsonschema.Draft202012Validator
_formats = jsonschema.FormatChecker(formats=())
for _name in ("date", "date-time", "uuid", "ipv4", "ipv6"):
    _formats.checks(_name)(
        lambda value, name=_name: not isinstance(value, str) or _format_ok(name, value)
    )
_validators = {k: v for k, v in _draft.VALIDATORS.items() if k in KNOWN}
# JSON Schema's oneOf means "exactly one"; a result check accepts any match (documented).
_validators["oneOf"] = _draft.VALIDATORS["anyOf"]
Reference = jsonschema.validators.create(
    meta_schema=_draft.META_SCHEMA,
    validators=_validators,
    type_checker=_draft.TYPE_CHECKER,
    format_checker=_formats,
)


def reference_accepts(value: Any, schema: dict[str, Any]) -> bool:
    return Reference(schema, format_checker=_formats).is_valid(value)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.0, 2.5, -0.0])
    | st.sampled_from(["", "a", "abc", "2026-01-31", "2026-13-01", "10.0.0.1", "::1"])
    | st.sampled_from(["12345678-1234-5678-1234-567812345678", "2026-11-24T16:13:07Z"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=3)
    ),
    max_leaves=8,
)
TYPES = ["object", "array", "string", "integer", "number", "boolean", "null"]
leaf_schemas = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(TYPES) | st.lists(st.sampled_from(TYPES), min_size=1, max_size=2),
        "format": st.sampled_from(["date", "date-time", "uuid", "ipv4", "ipv6", "email"]),
        "pattern": st.sampled_from(["^a", "c$", "^[0-9-]+$"]),
        "maxLength": st.integers(0, 3),
        "minLength": st.integers(0, 3),
        "enum": st.lists(scalars, min_size=1, max_size=3),
        "const": scalars,
    },
)
schemas = st.recursive(
    leaf_schemas,
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["object", "array"]),
            "properties": st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
            "required": st.lists(st.sampled_from(["a", "b", "d"]), max_size=2, unique=True),
            "additionalProperties": st.booleans() | inner,
            "items": inner,
            "anyOf": st.lists(inner, min_size=1, max_size=2),
            "oneOf": st.lists(inner, min_size=1, max_size=2),
        },
    ),
    max_leaves=6,
)


def near(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped like ``schema`` (its properties, its items, its enum and const), with
    random values mixed in: most of them pass or fail at one place only."""
    if not isinstance(schema, dict) or depth > 4:
        return json_values
    options = [json_values]
    for keyword in ("enum",):
        if schema.get(keyword):
            options.append(st.sampled_from(schema[keyword]))
    if "const" in schema:
        options.append(st.just(schema["const"]))
    if {"maxLength", "minLength", "pattern", "format"} & set(schema):
        options.append(st.text(alphabet="ac09-:.", max_size=5) | scalars)
    for option in [*schema.get("anyOf", ()), *schema.get("oneOf", ())]:
        options.append(near(option, depth + 1))
    properties = schema.get("properties") or {}
    if properties or schema.get("type") == "object":
        fields = {name: near(sub, depth + 1) for name, sub in properties.items()}
        options.append(st.fixed_dictionaries({}, optional={**fields, "d": json_values}))
    if isinstance(schema.get("items"), dict) or schema.get("type") == "array":
        options.append(st.lists(near(schema.get("items"), depth + 1), max_size=3))
    return st.one_of(options)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_check_decides_as_json_schema(data: st.DataObject) -> None:
    schema = data.draw(schemas)
    value = data.draw(near(schema))
    problem = compile_schema(schema)(value)
    assert (problem is None) == reference_accepts(value, schema), (schema, value, problem)


def output_schemas() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for tool in registry.tools().values():
        if tool.unavailable() is None:
            schema = tool.listed_definition().get("outputSchema")
            if schema:
                found.append((tool.name, json.loads(json.dumps(schema))))
    return found


@pytest.mark.django_db
def test_values_of_every_output_schema_pass_and_broken_ones_fail() -> None:
    found = output_schemas()
    assert len(found) > 10
    custom = {"uuid": st.uuids().map(str)}

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        name, schema = data.draw(st.sampled_from(found))
        value = data.draw(from_schema(schema, custom_formats=custom, allow_x00=False))
        assert reference_accepts(value, schema)
        assert compile_schema(schema)(value) is None, (name, value)
        wrong = data.draw(json_values)
        assert (compile_schema(schema)(wrong) is None) == reference_accepts(wrong, schema)

    check()


def test_names_and_values_never_become_source() -> None:
    name = "a'\"\n}{x}\\"
    schema = {
        "type": "object",
        "required": [name],
        "properties": {name: {"type": "string", "pattern": "^\\('\\); import os; \\('"}},
        "additionalProperties": False,
    }
    assert first_violation({name: "x"}, schema) == f"$.{name}: does not match the pattern"
    assert first_violation({}, schema) == f"$: missing required property {name!r}"
    assert first_violation({name: "('); import os; ('", "z{": 1}, schema) == (
        "$: unexpected property 'z{'"
    )


def test_deep_schemas_compile() -> None:
    schema: dict[str, Any] = {"type": "integer"}
    value: Any = 1
    for _ in range(60):
        schema = {"type": "object", "properties": {"n": {"type": "array", "items": schema}}}
        value = {"n": [value]}
    checker = compile_schema(schema)
    assert checker(value) is None
    broken = json.loads(json.dumps(value).replace("1", '"1"'))
    assert checker(broken) == ".n[0]" * 60 + ": expected integer"


def test_json_equality_in_enum_and_const() -> None:
    assert first_violation(True, {"enum": [1, 2]}) == "$: not one of the enum values"
    assert first_violation(1.0, {"enum": [1, 2]}) is None
    assert first_violation(0, {"const": False}) == "$: not the const value"
    assert first_violation([1, True], {"const": [1, True]}) is None
