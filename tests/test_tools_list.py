"""tools/list: names, titles, descriptions, schemas and annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tools(mcp: MCPClient) -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool for tool in mcp.tools_list()}


def test_snapshot(tools: dict[str, dict[str, Any]]) -> None:
    """The whole tools/list of the test app, reviewable in tests/snapshots/.

    Set UPDATE_SNAPSHOTS=1 to rewrite it after an intended change.
    """
    current = json.dumps(list(tools.values()), indent=2, sort_keys=True) + "\n"
    # FilePathField choices are absolute paths: keep the snapshot independent of the checkout.
    current = current.replace(str(ROOT), "<repo>")
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text()


def test_every_schema_is_valid_json_schema_2020_12(tools: dict[str, dict[str, Any]]) -> None:
    for tool in tools.values():
        Draft202012Validator.check_schema(tool["inputSchema"])
        assert tool["inputSchema"]["type"] == "object"
        if "outputSchema" in tool:
            Draft202012Validator.check_schema(tool["outputSchema"])
            assert tool["outputSchema"]["type"] == "object"


def test_titles_and_descriptions(tools: dict[str, dict[str, Any]]) -> None:
    assert tools["customers_list"]["title"] == "List customers"
    assert tools["categories_list"]["title"] == "List categories"
    # The ViewSet's own docstring, not DRF's ("A viewset that provides default ...").
    assert "Each belongs to the user who created it." in tools["customers_list"]["description"]
    assert "viewset that provides" not in tools["categories_list"]["description"]
    assert "queryset" not in tools["kb_notes_list"]["description"]
    # The requirement of IsAuthenticated follows the developer's own description.
    assert tools["invoices_list"]["description"] == (
        "All invoices, newest last. Requires a signed-in user."
    )
    assert (
        tools["invoices_create"]["description"] == "Create an invoice. Requires a signed-in user."
    )
    # The ViewSet's docstring is said once, on its first tool.
    assert "Each belongs to" not in tools["customers_create"]["description"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("customers_list", {"readOnlyHint": True, "openWorldHint": False}),
        ("customers_retrieve", {"readOnlyHint": True, "openWorldHint": False}),
        (
            "customers_create",
            {
                "readOnlyHint": False,
                "destructiveHint": False,
                "idempotentHint": False,
                "openWorldHint": False,
            },
        ),
        (
            "customers_update",
            {
                "readOnlyHint": False,
                "destructiveHint": True,
                "idempotentHint": True,
                "openWorldHint": False,
            },
        ),
        (
            "customers_partial_update",
            {
                "readOnlyHint": False,
                "destructiveHint": True,
                "idempotentHint": False,
                "openWorldHint": False,
            },
        ),
        (
            "customers_destroy",
            {
                "readOnlyHint": False,
                "destructiveHint": True,
                "idempotentHint": True,
                "openWorldHint": False,
            },
        ),
    ],
)
def test_annotations(tools: dict[str, dict[str, Any]], name: str, expected: Any) -> None:
    annotations = dict(tools[name]["annotations"])
    assert annotations.pop("title") == tools[name]["title"]
    assert annotations == expected


def test_create_input_schema(tools: dict[str, dict[str, Any]]) -> None:
    schema = tools["customers_create"]["inputSchema"]
    props = schema["properties"]
    assert schema["required"] == ["name"]
    assert "id" not in props and "created" not in props and "owner" not in props  # read-only
    assert props["name"] == {
        "type": "string",
        "maxLength": 100,
        "pattern": r"\S",  # not blank once DRF has stripped whitespace
        "description": "Full name of the customer.",
    }
    # blank=True: "" is accepted besides an email address.
    assert props["email"]["anyOf"] == [{"format": "email"}, {"const": ""}]
    assert props["tier"]["enum"] == ["free", "pro", "enterprise"]
    assert props["tier"]["default"] == "free"
    assert "Professional" in props["tier"]["description"]
    assert props["vip"] == {"type": "boolean", "default": False}
    assert props["notes"]["type"] == ["string", "null"]
    assert props["category"]["type"] == ["integer", "null"]
    assert props["score"]["minimum"] == 0 and props["score"]["maximum"] == 100
    assert props["score"]["default"] == 50
    assert props["secret"]["maxLength"] == 30  # write-only is input


def test_output_schema_excludes_write_only(tools: dict[str, dict[str, Any]]) -> None:
    output = tools["customers_retrieve"]["outputSchema"]
    assert "secret" not in output["properties"]
    assert {"id", "owner", "created"} <= set(output["properties"])
    assert output["properties"]["credit_limit"] == {
        "type": "string",
        "pattern": r"^-?\d+(\.\d+)?$",
    }
    assert output["properties"]["created"]["format"] == "date-time"
    # Stored emails may be blank: no "email" format in output schemas.
    assert output["properties"]["email"] == {"type": "string"}


def test_partial_update_requires_only_the_lookup(tools: dict[str, dict[str, Any]]) -> None:
    assert tools["customers_partial_update"]["inputSchema"]["required"] == ["pk"]
    assert tools["customers_update"]["inputSchema"]["required"] == ["pk", "name"]


def test_defaults_say_what_an_omitted_argument_means(
    tools: dict[str, dict[str, Any]], alice: Any
) -> None:
    """Creating applies model and serializer defaults; replacing only the serializer's;
    a partial update none. The schemas say exactly that, and DRF does exactly that."""
    from tests.testapp.models import Customer
    from tests.testapp.serializers import CustomerSerializer

    def defaults(action: str) -> dict[str, Any]:
        properties = tools[f"customers_{action}"]["inputSchema"]["properties"]
        return {name: p["default"] for name, p in properties.items() if "default" in p}

    assert defaults("create") == {"credit_limit": "0.00", "score": 50, "tier": "free", "vip": False}
    assert defaults("update") == {"score": 50}
    assert defaults("partial_update") == {}

    customer = Customer.objects.create(owner=alice, name="Ada", tier="pro", vip=True)
    replacing = CustomerSerializer(customer, data={"name": "Ada"})
    assert replacing.is_valid(), replacing.errors
    assert replacing.validated_data == {"name": "Ada", "score": 50}
    patching = CustomerSerializer(customer, data={"name": "Ada"}, partial=True)
    assert patching.is_valid(), patching.errors
    assert patching.validated_data == {"name": "Ada"}


def test_detail_actions_take_the_lookup_field(tools: dict[str, dict[str, Any]]) -> None:
    assert tools["customers_retrieve"]["inputSchema"] == {
        "type": "object",
        "properties": {"pk": {"type": "integer"}},
        "required": ["pk"],
        "additionalProperties": False,
    }
    assert tools["kb_notes_retrieve"]["inputSchema"]["properties"]["slug"]["type"] == "string"
    assert tools["kb_notes_retrieve"]["inputSchema"]["required"] == ["slug"]


def test_list_tools_take_pagination_and_describe_the_envelope(
    tools: dict[str, dict[str, Any]],
) -> None:
    props = tools["customers_list"]["inputSchema"]["properties"]
    assert props["page"]["type"] == "integer"
    assert props["page_size"]["type"] == "integer"
    envelope = tools["customers_list"]["outputSchema"]
    assert envelope["required"] == ["count", "results"]
    assert envelope["properties"]["next"]["type"] == ["string", "null"]
    unpaginated = tools["categories_list"]["outputSchema"]
    assert unpaginated["required"] == ["results"]
    assert unpaginated["properties"]["results"]["type"] == "array"


def test_destroy_has_no_output_schema(tools: dict[str, dict[str, Any]]) -> None:
    assert "outputSchema" not in tools["customers_destroy"]


def test_unknown_field_gets_permissive_schema_and_warning(caplog: Any) -> None:
    from rest_framework import serializers

    from drf_mcp_bridge.schema.fields import field_schema

    class Strange(serializers.Field):  # type: ignore[type-arg]
        pass

    with caplog.at_level("WARNING", logger="drf_mcp_bridge.schema"):
        assert field_schema(Strange()) == {}
    assert "No JSON Schema mapping" in caplog.text


def test_schemas_are_built_once_and_cached(mcp: MCPClient) -> None:
    first = registry.tool_definitions()
    mcp.tools_list()
    assert registry.tool_definitions() is first


def test_cache_invalidated_on_setting_change(settings: Any) -> None:
    first = registry.tool_definitions()
    settings.REST_FRAMEWORK = {"COERCE_DECIMAL_TO_STRING": False}
    second = registry.tool_definitions()
    assert second is not first
    retrieve = next(t for t in second if t["name"] == "customers_retrieve")
    assert retrieve["outputSchema"]["properties"]["credit_limit"] == {"type": "number"}


def test_naive_datetimes_get_no_date_time_format(settings: Any) -> None:
    settings.USE_TZ = False
    settings.REST_FRAMEWORK = {}  # reload the cached schemas
    retrieve = next(t for t in registry.tool_definitions() if t["name"] == "customers_retrieve")
    assert retrieve["outputSchema"]["properties"]["created"] == {"type": "string"}
