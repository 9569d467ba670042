"""DjangoFilterBackend (optional extra): filterset parameters described and applied."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer

pytest.importorskip("django_filters")

from tests.testapp.filtering import ClassFilteredCustomers, FieldFilteredCustomers

pytestmark = pytest.mark.django_db


@pytest.fixture
def exposed() -> Iterator[None]:
    mcp_viewset(name="ff", actions=["list"])(FieldFilteredCustomers)
    mcp_viewset(name="fc", actions=["list"])(ClassFilteredCustomers)
    yield
    registry.unregister(FieldFilteredCustomers)
    registry.unregister(ClassFilteredCustomers)


@pytest.fixture
def tools(exposed: None, mcp: MCPClient) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in mcp.tools_list()}


@pytest.fixture
def customers(alice: User) -> dict[str, Any]:
    books = Category.objects.create(name="Books")
    games = Category.objects.create(name="Games")
    rows = [
        ("Ann", "pro", "10.00", True, books),
        ("Bob", "free", "0.00", False, None),
        ("Annabel", "enterprise", "500.00", True, games),
        ("Cid", "pro", "50.00", False, books),
        ("Dan", "free", "5.00", False, games),
    ]
    made = [
        Customer.objects.create(owner=alice, name=n, tier=t, credit_limit=c, vip=v, category=cat)
        for n, t, c, v, cat in rows
    ]
    return {"customers": made, "books": books, "games": games}


def test_filterset_fields_are_described(tools: dict[str, Any]) -> None:
    p = tools["ff_list"]["inputSchema"]["properties"]
    assert p["tier"]["enum"] == ["free", "pro", "enterprise"]
    assert p["credit_limit__gte"] == {"type": "number", "description": "credit limit at least"}
    assert p["credit_limit__lte"]["description"] == "credit limit at most"
    assert p["name__icontains"] == {
        "type": "string",
        "description": "name contains (ignoring case)",
    }
    assert p["category"]["type"] == "integer"
    assert p["category__isnull"]["type"] == "boolean"
    assert {"search", "ordering", "page"} <= set(p)


def test_filterset_class_is_described(tools: dict[str, Any]) -> None:
    p = tools["fc_list"]["inputSchema"]["properties"]
    assert p["tier"]["enum"] == ["free", "pro", "enterprise"]
    assert p["categories"] == {
        "type": "array",
        "items": {"type": "integer"},
        "description": "category one of",
    }
    assert p["created_after"] == {
        "type": "string",
        "format": "date",
        "description": "created from (inclusive)",
    }
    assert p["created_before"]["description"] == "created to (inclusive)"
    assert p["min_credit"] == {"type": "number", "description": "Credit limit at least"}
    assert p["ids"]["pattern"] == r"^[^,]+(,[^,]+)*$"
    assert p["sort"]["enum"] == ["name", "-name", "credit_limit", "-credit_limit"]
    assert p["vip"]["type"] == "boolean"


@pytest.mark.parametrize(
    ("tool", "url", "arguments"),
    [
        ("ff_list", "filtered-fields", {"tier": "pro"}),
        ("ff_list", "filtered-fields", {"credit_limit__gte": 10, "credit_limit__lte": 100}),
        ("ff_list", "filtered-fields", {"name__icontains": "ann", "ordering": "-name"}),
        ("ff_list", "filtered-fields", {"category__isnull": True}),
        ("fc_list", "filtered-class", {"vip": True}),
        ("fc_list", "filtered-class", {"min_credit": 6, "sort": "-credit_limit"}),
        ("fc_list", "filtered-class", {"ids": "CUSTOMER_IDS"}),
        ("fc_list", "filtered-class", {"categories": ["BOOKS", "GAMES"], "page": 2}),
        ("fc_list", "filtered-class", {"created_after": "2000-01-01", "tier": "free"}),
    ],
)
def test_filters_apply_exactly_as_over_rest(
    customers: dict[str, Any],
    exposed: None,
    mcp: MCPClient,
    tool: str,
    url: str,
    arguments: dict[str, Any],
) -> None:
    ids = [c.pk for c in customers["customers"]]
    placeholders = {
        "CUSTOMER_IDS": f"{ids[0]},{ids[2]}",
        "BOOKS": customers["books"].pk,
        "GAMES": customers["games"].pk,
    }

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return placeholders.get(value, value) if isinstance(value, str) else value

    arguments = {k: fill(v) for k, v in arguments.items()}
    query = urlencode(
        {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in arguments.items()},
        doseq=True,
    )
    rest = APIClient().get(f"/api/{url}/?{query}").json()
    result = mcp.call_tool(tool, arguments)
    assert not result.is_error, result.text
    assert result.structured == rest
    assert 0 < rest["count"] < len(ids)  # the filter really filtered


def test_bad_filter_value_is_a_tool_error(
    customers: dict[str, Any], mcp: MCPClient, exposed: None
) -> None:
    result = mcp.call_tool("ff_list", {"tier": "platinum"})
    assert result.is_error and "HTTP 400" in result.text and "tier" in result.text
