"""Schema and serializer agree: arguments generated from each input schema are accepted,
and clearly wrong-typed values get a field error (never a 500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient

pytestmark = pytest.mark.django_db

#: Fields whose validity depends on the database (related rows must exist).
DATABASE_FIELDS = {"category", "categories", "category_name"}


def kitchen_schema(name: str = "kitchen_create") -> dict[str, Any]:
    tool = registry.get_tool(name)
    assert tool is not None
    schema = json.loads(json.dumps(tool.input_schema()))
    for field in DATABASE_FIELDS:
        schema["properties"].pop(field, None)
    return schema


#: Standard formats hypothesis-jsonschema does not generate by itself.
CUSTOM_FORMATS = {"uuid": st.uuids().map(str)}

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data())
def test_generated_arguments_are_accepted(data: st.DataObject) -> None:
    arguments = data.draw(
        from_schema(kitchen_schema(), allow_x00=False, codec="utf-8", custom_formats=CUSTOM_FORMATS)
    )
    # Custom validators are described in words, not expressible as schema keywords.
    assume(arguments.get("integer") != 13 and "darn" not in arguments.get("char", ""))
    result = MCPClient().call_tool("kitchen_create", arguments)
    assert not result.is_error, (arguments, result.text)


WRONG_TYPES: list[tuple[str, Any]] = [
    ("boolean", {"x": 1}),
    ("char", ["a", "b"]),
    ("char", {"a": 1}),
    ("integer", {"a": 1}),
    ("integer", "twelve"),
    ("integer", [1]),
    ("floating", "heavy"),
    ("money", {"value": 1}),
    ("money", "12.345"),
    ("when", 12),
    ("day", "31/12/2020"),
    ("span", "forever"),
    ("colour", "purple"),
    ("colours", "r"),
    ("tags", "tag"),
    ("tags", ["ok", {"no": 1}]),
    ("scores", ["a"]),
    ("scores", {"a": "many"}),
    ("part", "not an object"),
    ("parts", {"label": "x"}),
    ("uuid", "not-a-uuid"),
    ("email", "nobody"),
    ("url", "not a url"),
    ("ipv4", "::1"),
]
BASE = {"boolean": True, "char": "hello", "integer": 4, "colour": "g"}


@pytest.mark.parametrize(("field", "value"), WRONG_TYPES)
def test_wrong_types_get_a_field_error(field: str, value: Any) -> None:
    result = MCPClient().call_tool("kitchen_create", {**BASE, field: value})
    assert result.is_error
    assert "HTTP 400" in result.text, result.text
    assert field in json.loads(result.content[1]["text"])


def test_valid_base_and_echo_matches_output_schema() -> None:
    from jsonschema import Draft202012Validator

    result = MCPClient().call_tool(
        "kitchen_create", {**BASE, "money": "12.30", "span": "1 02:03:04"}
    )
    assert not result.is_error, result.text
    assert result.structured is not None
    tool = registry.get_tool("kitchen_create")
    assert tool is not None
    Draft202012Validator(tool.output_schema()).validate(result.structured)
    assert result.structured["computed"] == [1, 2, 3]
    assert "hidden" not in result.structured
