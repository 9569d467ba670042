"""Pagination, search and ordering over MCP: described in the schema, applied on calls,
and the same items as over REST.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient, ToolResult
from tests.testapp.listing import VIEWSETS
from tests.testapp.models import Category, Customer

pytestmark = pytest.mark.django_db

HINT = re.compile(r"^More results: call (\w+) with (\{.*\})\.$")


@pytest.fixture
def exposed() -> Iterator[None]:
    for prefix, viewset in VIEWSETS.items():
        mcp_viewset(name=f"list_{prefix}", actions=["list"])(viewset)
    yield
    for viewset in VIEWSETS.values():
        registry.unregister(viewset)


@pytest.fixture
def customers(alice: User) -> list[Customer]:
    books = Category.objects.create(name="Books")
    names = ["Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus"]
    return [
        Customer.objects.create(
            owner=alice, name=n, email=f"{n.lower()}@example.com", category=books if i % 2 else None
        )
        for i, n in enumerate(names)
    ]


def next_hint(result: ToolResult, tool: str) -> dict[str, Any] | None:
    hints = [HINT.match(block["text"]) for block in result.content[1:]]
    found = [h for h in hints if h]
    if not found:
        return None
    assert found[0].group(1) == tool
    arguments: dict[str, Any] = json.loads(found[0].group(2))
    return arguments


def walk_mcp(mcp: MCPClient, tool: str, arguments: dict[str, Any], pages: int) -> list[list[int]]:
    seen = []
    for _ in range(pages):
        result = mcp.call_tool(tool, arguments)
        assert not result.is_error, result.text
        assert result.structured is not None
        seen.append([item["id"] for item in result.structured["results"]])
        following = next_hint(result, tool)
        if following is None:
            break
        arguments = following
    return seen


def walk_rest(url: str, pages: int) -> list[list[int]]:
    client = APIClient()
    seen = []
    for _ in range(pages):
        body = client.get(url).json()
        seen.append([item["id"] for item in body["results"]])
        if not body.get("next"):
            break
        url = body["next"]
    return seen


@pytest.mark.parametrize(
    ("prefix", "first_arguments", "first_query", "page_arguments"),
    [
        ("paged", {}, "", {"page"}),
        ("custom_paged", {"size": 3}, "?size=3", {"p", "size"}),
        ("limited", {"limit": 2}, "?limit=2", {"limit", "offset"}),
        ("cursor", {}, "", {"cursor"}),
    ],
)
def test_three_pages_over_mcp_and_rest_are_identical(
    exposed: None,
    customers: list[Customer],
    mcp: MCPClient,
    prefix: str,
    first_arguments: dict[str, Any],
    first_query: str,
    page_arguments: set[str],
) -> None:
    tool = f"list_{prefix}_list"
    over_mcp = walk_mcp(mcp, tool, first_arguments, 3)
    over_rest = walk_rest(f"/api/list-{prefix}/{first_query}", 3)
    assert over_mcp == over_rest
    assert len(over_mcp) == 3 and all(over_mcp)
    ids = [c.pk for c in customers]
    assert [i for page in over_mcp for i in page] == ids[: sum(len(p) for p in over_mcp)]
    # The hint names exactly the paginator's parameters (and what the call already sent).
    result = mcp.call_tool(tool, first_arguments)
    hint = next_hint(result, tool)
    assert hint is not None and set(hint) <= page_arguments
    properties = {t["name"]: t for t in mcp.tools_list()}[tool]["inputSchema"]["properties"]
    assert set(hint) <= set(properties)


def test_last_page_has_no_hint(exposed: None, customers: list[Customer], mcp: MCPClient) -> None:
    last = mcp.call_tool("list_paged_list", {"page": 4})
    assert [c["id"] for c in last.json()["results"]] == [customers[-1].pk]
    assert next_hint(last, "list_paged_list") is None
    beyond = mcp.call_tool("list_paged_list", {"page": 5})
    assert beyond.is_error and "HTTP 404" in beyond.text  # DRF: "Invalid page."


def test_cursor_is_taken_from_the_next_link(
    exposed: None, customers: list[Customer], mcp: MCPClient
) -> None:
    first = mcp.call_tool("list_cursor_list")
    hint = next_hint(first, "list_cursor_list")
    assert hint is not None and list(hint) == ["cursor"]
    assert first.structured is not None
    assert f"cursor={hint['cursor']}" in first.structured["next"].replace("%3D", "=")
    tool = {t["name"]: t for t in mcp.tools_list()}["list_cursor_list"]
    assert set(tool["inputSchema"]["properties"]) == {"cursor"}
    assert set(tool["outputSchema"]["properties"]) == {"next", "previous", "results"}
    bad = mcp.call_tool("list_cursor_list", {"cursor": "not-a-cursor"})
    assert bad.is_error and "HTTP 404" in bad.text  # DRF: "Invalid cursor"


def test_search_and_ordering_are_described(exposed: None, mcp: MCPClient) -> None:
    tool = {t["name"]: t for t in mcp.tools_list()}["list_limited_list"]
    properties = tool["inputSchema"]["properties"]
    assert properties["search"] == {
        "type": "string",
        "description": "Search in name, email (equals), category name. "
        "Every word must match some field (case-insensitive).",
    }
    assert properties["ordering"]["enum"] == ["name", "-name", "id", "-id"]
    assert "Default: id." in properties["ordering"]["description"]
    assert set(properties) == {"search", "ordering", "limit", "offset"}


@pytest.mark.parametrize(
    "arguments",
    [
        {"search": "eve"},
        {"search": "books"},
        {"search": "gus@example.com"},
        {"ordering": "-name", "limit": 3},
        {"ordering": "name", "search": "a", "offset": 1},
    ],
)
def test_search_and_ordering_apply_like_rest(
    exposed: None, customers: list[Customer], mcp: MCPClient, arguments: dict[str, Any]
) -> None:
    query = "&".join(f"{k}={v}" for k, v in arguments.items())
    rest = APIClient().get(f"/api/list-limited/?{query}").json()
    result = mcp.call_tool("list_limited_list", arguments)
    assert result.structured == rest
    assert rest["count"] > 0


def test_invalid_ordering_is_ignored_as_drf_does(
    exposed: None, customers: list[Customer], mcp: MCPClient
) -> None:
    # DRF drops unknown orderings; the schema's enum tells the model which exist.
    rest = APIClient().get("/api/list-limited/?ordering=secret").json()
    assert mcp.call_tool("list_limited_list", {"ordering": "secret"}).structured == rest


class MinimumNameLength:
    """A custom filter backend that describes its parameter the DRF way."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        length = request.query_params.get("min_name_length")
        if length:
            return [c for c in queryset if len(c.name) >= int(length)]
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "min_name_length",
                "required": False,
                "in": "query",
                "description": "Only customers whose name is at least this long.",
                "schema": {"type": "integer", "minimum": 1},
            }
        ]


def test_custom_backend_is_described_and_applied(customers: list[Customer], alice: User) -> None:
    from rest_framework import viewsets

    from tests.testapp.serializers import CustomerSerializer

    class CustomFiltered(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Customer.objects.order_by("id")
        serializer_class = CustomerSerializer
        permission_classes: list[type] = []
        filter_backends = [MinimumNameLength]

    Customer.objects.create(owner=alice, name="Bartholomew")
    mcp_viewset(name="custom_filtered", actions=["list"])(CustomFiltered)
    try:
        mcp = MCPClient()
        tool = {t["name"]: t for t in mcp.tools_list()}["custom_filtered_list"]
        assert tool["inputSchema"]["properties"]["min_name_length"] == {
            "type": "integer",
            "minimum": 1,
            "description": "Only customers whose name is at least this long.",
        }
        result = mcp.call_tool("custom_filtered_list", {"min_name_length": 5})
        assert [c["name"] for c in result.structured["results"]] == ["Bartholomew"]  # type: ignore[index]
    finally:
        registry.unregister(CustomFiltered)


def test_next_page_hints_keep_argument_types() -> None:
    """An integer page stays an integer where the schema says "number" or allows null
    through anyOf, as a model should send it back."""
    from drf_mcp_bridge.invocation.run import _typed

    assert _typed(["2"], {"type": "number"}) == 2 and isinstance(
        _typed(["2"], {"type": "number"}), int
    )
    assert _typed(["2.5"], {"type": "number"}) == 2.5
    assert _typed(["3"], {"anyOf": [{"type": "integer"}, {"type": "null"}]}) == 3
    assert _typed(["true"], {"type": ["boolean", "null"]}) is True
    assert _typed(["a", "b"], {"type": "array", "items": {"type": "string"}}) == ["a", "b"]
    assert _typed(["x"], {"type": "integer"}) == "x"  # not a number: passed on as given
