"""expose_router: a whole existing DRF router on MCP in one line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from rest_framework.routers import DefaultRouter

from drf_mcp_bridge import expose_router
from drf_mcp_bridge.catalogue.registrations import PORTABLE_TOOL_NAME
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests import urls
from tests.testapp import listing, views
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleanup() -> Iterator[None]:
    yield
    for viewset in listing.VIEWSETS.values():
        registry.unregister(viewset)


def test_every_viewset_of_the_router_becomes_tools(cleanup: None, alice: User) -> None:
    made = expose_router(
        urls.router,
        include_viewsets=[f"list-{p}" for p in listing.VIEWSETS],
        exclude_viewsets=["list-cursor"],
        options={"list-limited": {"name": "limited", "titles": {"list": "Browse"}}},
    )
    assert [r.viewset for r in made] == [
        listing.PagedCustomers,
        listing.CustomPagedCustomers,
        listing.LimitedCustomers,
    ]
    names = list(registry.tools())
    # Names come from the router prefixes the URLs already use.
    for expected in ["list_paged_list", "list_paged_retrieve", "list_custom_paged_list"]:
        assert expected in names
    assert "limited_list" in names and "list_limited_list" not in names
    assert not [n for n in names if n.startswith("list_cursor")]
    assert all(PORTABLE_TOOL_NAME.match(n) for n in names)
    Customer.objects.create(owner=alice, name="Ann")
    mcp = MCPClient()
    tools = {t["name"]: t for t in mcp.tools_list()}
    assert tools["limited_list"]["title"] == "Browse"
    result = mcp.call_tool("list_paged_list")
    assert [c["name"] for c in result.json()["results"]] == ["Ann"]


def test_decorated_viewsets_keep_their_options() -> None:
    before = {n: t.definition() for n, t in registry.tools().items()}
    expose_router(urls.router, include_viewsets=["customers", "knowledge-notes"])
    after = {n: t.definition() for n, t in registry.tools().items()}
    assert after == before  # @mcp_viewset(name="notes", tool_prefix="kb_") etc. unchanged
    assert registry.registration_for(views.NoteViewSet).prefix == "kb_"  # type: ignore[union-attr]


def test_prefix_and_unknown_options(cleanup: None) -> None:
    router = DefaultRouter()
    router.register("list-paged", listing.PagedCustomers, basename="x-paged")
    expose_router(router, tool_prefix="crm_")
    assert "crm_list_paged_list" in registry.tools()
    with pytest.raises(TypeError, match="unknown \\['colour'\\]"):
        expose_router(router, options={"list-paged": {"colour": "red"}}, tool_prefix="z_")
