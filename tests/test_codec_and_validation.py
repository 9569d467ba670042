"""The JSON codec helpers and the result checker."""

from __future__ import annotations

import json
from typing import Any

import pytest

from drf_mcp_bridge.core.jsonrpc import PreEncoded, dumps
from drf_mcp_bridge.schema.validation import compile_schema, first_violation


def test_dumps_splices_pre_encoded_values() -> None:
    tools = [{"name": "a", "description": "ünïcode \u2028"}]
    text = dumps({"id": 1, "result": {"tools": PreEncoded(tools), "other": [PreEncoded(2)]}})
    assert json.loads(text) == {"id": 1, "result": {"tools": tools, "other": [2]}}
    assert " " not in text.replace("ünïcode \u2028", "")


def test_dumps_refuses_unknown_objects() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})


SCHEMA = {
    "type": "object",
    "required": ["id", "when"],
    "properties": {
        "id": {"type": "integer"},
        "when": {"type": "string", "format": "date-time"},
        "day": {"type": ["string", "null"], "format": "date"},
        "uid": {"type": "string", "format": "uuid"},
        "ip": {"type": "string", "format": "ipv4"},
        "price": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
        "tier": {"enum": ["a", "b", None]},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        "email": {"type": "string", "anyOf": [{"format": "email"}, {"const": ""}]},
        "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
        "closed": {"type": "object", "properties": {}, "additionalProperties": False},
    },
}
GOOD: dict[str, Any] = {
    "id": 1,
    "when": "2026-11-24T16:13:07.523684Z",
    "day": None,
    "uid": "12345678-1234-5678-1234-567812345678",
    "ip": "10.0.0.1",
    "price": "12.50",
    "tier": None,
    "tags": ["a", "bcd"],
    "email": "",
    "meta": {"x": 1},
    "closed": {},
    "extra": "allowed",
}


def test_conforming_value() -> None:
    assert first_violation(GOOD, SCHEMA) is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"id": "1"}, "$.id: expected integer"),
        ({"id": True}, "$.id: expected integer"),
        ({"when": "2026-11-24T16:13:07"}, "$.when: not a valid date-time"),
        ({"day": "2026-13-01"}, "$.day: not a valid date"),
        ({"uid": "nope"}, "$.uid: not a valid uuid"),
        ({"ip": "::1"}, "$.ip: not a valid ipv4"),
        ({"price": "1e3"}, "$.price: does not match the pattern"),
        ({"tier": "c"}, "$.tier: not one of the enum values"),
        ({"tags": ["a", "toolong"]}, "$.tags[1]: longer than maxLength"),
        ({"meta": {"x": "1"}}, "$.meta.x: expected integer"),
        ({"closed": {"y": 1}}, "$.closed: unexpected property 'y'"),
    ],
)
def test_violations(change: dict[str, Any], problem: str) -> None:
    assert first_violation({**GOOD, **change}, SCHEMA) == problem


def test_missing_required() -> None:
    value = dict(GOOD)
    del value["when"]
    assert first_violation(value, SCHEMA) == "$: missing required property 'when'"


def test_compiled_checker_is_reusable_and_permissive_for_empty_schema() -> None:
    checker = compile_schema(SCHEMA)
    assert checker(GOOD) is None
    assert checker({**GOOD, "id": 1.0}) is None  # 1.0 is an integer in JSON Schema
    assert compile_schema({})(object()) is None
    assert compile_schema(True)(1) is None


def test_checker_follows_local_refs_including_recursion() -> None:
    schema = {
        "type": "object",
        "properties": {"node": {"$ref": "#/$defs/Node"}},
        "$defs": {
            "Node": {
                "type": "object",
                "required": ["v"],
                "properties": {
                    "v": {"type": "integer"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                },
            }
        },
    }
    good = {"node": {"v": 1, "children": [{"v": 2, "children": []}]}}
    assert first_violation(good, schema) is None
    bad = {"node": {"v": 1, "children": [{"v": "two"}]}}
    assert first_violation(bad, schema) == "$.node.children[0].v: expected integer"


def test_compact_hoists_only_repeated_large_objects() -> None:
    from drf_mcp_bridge.schema.compact import NAME_KEY, compact

    big = {
        "type": "object",
        "properties": {f"field_{i}": {"type": "string"} for i in range(6)},
        NAME_KEY: "Big",
    }
    small = {"type": "object", "properties": {"a": {"type": "integer"}}, NAME_KEY: "Small"}
    schema = {
        "type": "object",
        "properties": {
            "one": big,
            "two": {"type": "array", "items": big},
            "s1": small,
            "s2": small,
        },
    }
    result = compact(schema)
    assert result["properties"]["one"] == {"$ref": "#/$defs/Big"}
    assert result["properties"]["two"]["items"] == {"$ref": "#/$defs/Big"}
    assert NAME_KEY not in json.dumps(result)
    assert result["properties"]["s1"] == {
        "type": "object",
        "properties": {"a": {"type": "integer"}},
    }
    assert list(result["$defs"]) == ["Big"]
