"""Async ViewSets (adrf): tool calls await their coroutine handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("adrf")

from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.async_views import AsyncCategories
from tests.testapp.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def exposed() -> Iterator[None]:
    mcp_viewset(name="async_categories")(AsyncCategories)
    AsyncCategories.threads.clear()
    yield
    registry.unregister(AsyncCategories)


@pytest.mark.usefixtures("exposed")
def test_async_viewset_tools(mcp: MCPClient) -> None:
    names = [t["name"] for t in mcp.tools_list() if t["name"].startswith("async_")]
    assert names == [
        "async_categories_list",
        "async_categories_retrieve",
        "async_categories_create",
    ]
    created = mcp.call_tool("async_categories_create", {"name": "awaited"})
    assert not created.is_error, created.text
    # Its handlers are its own code: results come as JSON text, with no outputSchema.
    assert created.structured is None
    pk = created.json()["id"]
    assert Category.objects.get(pk=pk).name == "awaited"
    listed = mcp.call_tool("async_categories_list", {})
    assert [c["name"] for c in listed.json()["results"]] == ["awaited"]
    fetched = mcp.call_tool("async_categories_retrieve", {"pk": pk})
    assert fetched.json() == {"id": pk, "name": "awaited"}
    missing = mcp.call_tool("async_categories_retrieve", {"pk": pk + 100})
    assert missing.is_error and "HTTP 404" in missing.text
    invalid = mcp.call_tool("async_categories_create", {"name": ""})
    assert invalid.is_error and "may not be blank" in invalid.text
    # Each handler ran on an event loop (it checks; a sync call would have failed).
    assert len(AsyncCategories.threads) == 5


@pytest.mark.usefixtures("exposed")
def test_rest_unchanged(api: APIClient) -> None:
    created = api.post("/api/async-categories/", {"name": "rest"}, format="json")
    assert created.status_code == 201
    listed = api.get("/api/async-categories/")
    assert listed.json() == [{"id": created.json()["id"], "name": "rest"}]


@pytest.mark.usefixtures("exposed")
def test_completion_and_read_checks_run_through_an_async_view(mcp: MCPClient) -> None:
    """The access gate runs DRF's initial() and the queryset of an adrf view too."""
    from django.test import RequestFactory

    from drf_mcp_bridge.protocol.server import RequestContext, server

    first = Category.objects.create(name="async-one")
    completion = mcp.request_mcp(
        "completion/complete",
        {
            "ref": {"type": "ref/resource", "uri": "drf://async_categories/{pk}"},
            "argument": {"name": "pk", "value": ""},
        },
    )["completion"]
    assert str(first.pk) in completion["values"]
    context = RequestContext(RequestFactory().post("/mcp/"), "2025-11-25")
    assert server.gate.may_read(f"drf://async_categories/{first.pk}", context)
    assert not server.gate.may_read("drf://async_categories/999999", context)
